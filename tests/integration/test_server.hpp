#pragma once
// A cpp-httplib server on 127.0.0.1 (any free port) for integration tests. It runs on its own thread,
// counts accepted TCP connections and requests, and stops in its destructor. Handlers that stall
// should wait with pause(), which returns early once the server is stopping, so tests stay bounded.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <httplib.h>

#include "agentrail/transport.hpp"

namespace agentrail::test {

/// A GET of `url` with the transport's defaults for everything else.
inline HttpRequest get_request(const std::string& url) {
    HttpRequest request;
    request.url = url;
    return request;
}

class TestServer {
public:
    TestServer() {
        // Every accepted socket is handed to the task queue once: counting enqueues counts connections.
        m_server.new_task_queue = [this] { return new CountingQueue(m_connections); };
        // httplib closes a kept-alive connection after 5 requests by default; tests want many.
        m_server.set_keep_alive_max_count(100000);
        m_server.set_keep_alive_timeout(2);
        m_server.set_tcp_nodelay(true);  // otherwise Nagle + delayed ACK add ~40 ms per answer
        m_server.set_pre_routing_handler([this](const httplib::Request&, httplib::Response&) {
            m_requests.fetch_add(1);
            return httplib::Server::HandlerResponse::Unhandled;
        });
    }

    ~TestServer() { stop(); }

    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    /// Register routes on this before start().
    httplib::Server& server() { return m_server; }

    /// Binds to a free port on 127.0.0.1 and serves on a background thread.
    void start() {
        m_port = m_server.bind_to_any_port("127.0.0.1");
        if (m_port <= 0) throw std::runtime_error("test server: cannot bind to 127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!m_server.is_running()) {
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("test server did not start");
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }

    void stop() {
        m_stopping.store(true);
        if (m_thread.joinable()) {
            m_server.stop();
            m_thread.join();
        }
    }

    int port() const { return m_port; }
    /// "http://127.0.0.1:<port>" + path.
    std::string url(std::string_view path = {}) const {
        return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
    }

    int connections() const { return m_connections.load(); }
    int requests() const { return m_requests.load(); }
    bool stopping() const { return m_stopping.load(); }

    /// Sleeps for `duration` in small steps; returns false early when the server is stopping.
    bool pause(std::chrono::milliseconds duration) const {
        const auto deadline = std::chrono::steady_clock::now() + duration;
        while (std::chrono::steady_clock::now() < deadline) {
            if (m_stopping.load()) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return !m_stopping.load();
    }

private:
    class CountingQueue : public httplib::TaskQueue {
    public:
        explicit CountingQueue(std::atomic<int>& count) : m_count(count), m_pool(8) {}
        void enqueue(std::function<void()> fn) override {
            m_count.fetch_add(1);
            m_pool.enqueue(std::move(fn));
        }
        void shutdown() override { m_pool.shutdown(); }

    private:
        std::atomic<int>& m_count;
        httplib::ThreadPool m_pool;
    };

    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
    std::atomic<int> m_connections{0};
    std::atomic<int> m_requests{0};
    std::atomic<bool> m_stopping{false};
};

}  // namespace agentrail::test
