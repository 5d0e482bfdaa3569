#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <thread>
#include <vector>

#include "events.hpp"
#include "json.hpp"
#include "util.hpp"

namespace mock {

struct App;
struct Subscription;

// Delivers events to active subscriptions on background workers: signed POSTs, retries on 5xx and
// network errors with the documented schedule (scaled by --delivery-backoff-scale), 410 disables
// the subscription, other 4xx fail permanently.
class Webhooks {
public:
    explicit Webhooks(App& app);
    ~Webhooks();

    void start();
    void stop();

    // Called with the store mutex held, right after events were published.
    void on_events(const std::vector<EventPtr>& events);

    Json deliveries_json(const std::string& subscription_id) const;
    Json stats_json() const;
    void clear();

    static bool is_loopback_url(const std::string& url);

private:
    struct Attempt {
        std::string delivery_id;
        int attempt = 0;
        int response_status = 0;  // 0: no response
        std::string error;
        std::string at;
    };
    struct Delivery {
        std::string key;
        std::string subscription_id;
        std::string url;
        std::string secret;
        EventPtr event;
        std::string status = "pending";  // pending | retrying | delivered | failed | skipped
        std::string reason;
        int attempts = 0;
        std::vector<Attempt> log;
        std::optional<std::string> next_attempt_at;
    };
    struct Job {
        SteadyClock::time_point due;
        std::uint64_t order;
        std::string key;
        bool operator>(const Job& other) const {
            return due != other.due ? due > other.due : order > other.order;
        }
    };

    void worker();
    void attempt(const std::string& key);
    Json delivery_json(const Delivery& d) const;

    App& m_app;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::priority_queue<Job, std::vector<Job>, std::greater<>> m_queue;
    std::map<std::string, Delivery> m_deliveries;
    std::vector<std::string> m_order;
    std::uint64_t m_next_order = 0;
    std::vector<std::thread> m_threads;
    bool m_stopping = false;
    long long m_attempts_total = 0;
};

}  // namespace mock
