#pragma once
// `webhook listen --forward-to`: verified deliveries are queued and POSTed to the target by a thread of
// their own, retried with backoff until the target takes them, so a slow or failing target neither holds
// up the listener nor loses an event. A full queue makes the listener answer 503 (the sender redelivers).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "agentrail/transport.hpp"

namespace agentrail::cli {

class WebhookForwarder {
public:
    struct Item {
        std::string event_id;
        std::string body;
        Headers headers;  // besides Content-Type
    };
    using Warn = std::function<void(std::string_view)>;

    WebhookForwarder(std::shared_ptr<Transport> transport, std::string url, std::size_t capacity, Warn warn,
                     std::chrono::milliseconds attempt_timeout = std::chrono::seconds(10));
    ~WebhookForwarder();
    WebhookForwarder(const WebhookForwarder&) = delete;
    WebhookForwarder& operator=(const WebhookForwarder&) = delete;

    /// Queues one delivery; false when the queue is full (answer the sender so that it retries later).
    bool push(Item item);
    /// Keeps trying what is queued for up to `grace`, then stops; returns the event ids not forwarded.
    std::vector<std::string> close(std::chrono::milliseconds grace);

    std::size_t forwarded() const;
    std::size_t failed_attempts() const;

private:
    void loop();
    bool send(const Item& item, std::string& why);

    std::shared_ptr<Transport> m_transport;
    std::string m_url;
    std::size_t m_capacity;
    Warn m_warn;
    std::chrono::milliseconds m_attempt_timeout;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Item> m_queue;
    bool m_closing = false;
    bool m_abandon = false;
    std::chrono::steady_clock::time_point m_give_up_at;
    std::size_t m_forwarded = 0;
    std::size_t m_failed_attempts = 0;
    std::thread m_thread;  // last: started after the members it uses
};

}  // namespace agentrail::cli
