#pragma once
// A tiny HTTP/1.1 receiver for `agentrail webhook listen`, on plain POSIX sockets.
//
// It only has to accept webhook POSTs on a loopback address: read the request (Content-Length or chunked
// body), hand it to a handler, write the answer, close the connection. Connections are read by a small
// pool of threads, each request within a deadline, so slow or silent clients cannot hold up a real
// delivery; handlers run one at a time, and so do the follow-ups (`then`). It stops through an
// agentrail::CallContext: every wait is a poll() on the socket and a wake descriptor that the context's
// cancellation writes to, bounded by the context's deadline, so nothing wakes up just to look at a flag
// and a cancel or a passed deadline ends it at once. A full HTTP server library
// would be far more than that needs, and the CLI links none (cpp-httplib is kept for the test and mock
// servers).

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agentrail/context.hpp"

namespace agentrail::cli {

struct ReceivedRequest {
    std::string method;
    std::string target;                                        // path and query as sent
    std::vector<std::pair<std::string, std::string>> headers;  // names as sent
    std::string body;

    /// First header with this name (case-insensitive).
    std::optional<std::string_view> header(std::string_view name) const;
};

struct ListenerReply {
    int status = 200;
    std::string body;  // sent as application/json
    /// Runs after the answer was written and the connection closed (printing, forwarding), so the sender
    /// gets its 200 without waiting for them.
    std::function<void()> then;
};

class WebhookListener {
public:
    /// Binds and listens on host:port (IPv4 dotted address; port 0 picks a free one). Throws Failure
    /// (usage) when the address is invalid or cannot be bound.
    WebhookListener(const std::string& host, int port);
    ~WebhookListener();
    WebhookListener(const WebhookListener&) = delete;
    WebhookListener& operator=(const WebhookListener&) = delete;

    /// The port actually bound.
    int port() const { return m_port; }
    /// "http://HOST:PORT/".
    std::string url() const;

    /// Serves connections until `ctx` is cancelled (at once: the waits wake) or its deadline passes (a
    /// normal end); the handler's follow-ups may cancel it too. Up to `workers` connections are read at
    /// once, each within `request_deadline`; more wait in a bounded queue, and beyond it get 503 at once.
    /// Requests cut short by the end of serving are closed unanswered. `handler` is called for one request
    /// at a time, and so are the replies' `then` (apart from each other: the handler state and the `then`
    /// state must not be shared without a lock). A body larger than `max_body` gets 413 without reaching
    /// the handler. Rethrows what a handler or follow-up threw, once the other connections ended.
    void serve(const std::function<ListenerReply(const ReceivedRequest&)>& handler, const CallContext& ctx,
               std::size_t max_body = 16u << 20, std::size_t workers = 8,
               std::chrono::milliseconds request_deadline = std::chrono::seconds(10));

private:
    void handle_connection(int fd, const std::function<ListenerReply(const ReceivedRequest&)>& handler,
                           const CallContext& serving, std::size_t max_body,
                           std::chrono::milliseconds request_deadline);

    int m_fd = -1;
    int m_wake_fd = -1;  // an eventfd, readable once the context that serve() runs under is cancelled
    std::string m_host;
    int m_port = 0;
};

}  // namespace agentrail::cli
