#include "server.hpp"

#include <httplib.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "app.hpp"
#include "http_util.hpp"
#include "lifecycle.hpp"
#include "net_util.hpp"
#include "router.hpp"

namespace mock {

App::App(Config cfg)
    : config(std::move(cfg)), bus(config.replay_buffer), faults(config.fault_seed), webhooks(*this) {}

namespace {

// Most threads an elastic pool grows to.
constexpr std::size_t max_worker_threads = 1024;

// httplib hands each accepted connection to the task queue exactly once, which makes the queue
// the one place to count TCP connections. A connection holds its worker until it closes, and an SSE
// stream lasts as long as its client wants, so a fixed pool lets open streams starve every other
// request (with 64 streams /health got no answer). This pool starts `threads` workers and adds one
// whenever a connection arrives while none is idle, up to max_worker_threads.
class CountingTaskQueue : public httplib::TaskQueue {
public:
    CountingTaskQueue(std::size_t threads, Stats& stats) : m_stats(stats) {
        std::lock_guard lock(m_mutex);
        for (std::size_t i = 0; i < threads; ++i) m_threads.emplace_back([this] { work(); });
    }

    void enqueue(std::function<void()> fn) override {
        ++m_stats.connections;
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(fn));
        if (m_idle < m_jobs.size() && m_threads.size() < max_worker_threads)
            m_threads.emplace_back([this] { work(); });
        m_ready.notify_one();
    }

    void shutdown() override {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_ready.notify_all();
        // No thread is added once m_stop is set, so the list is stable here.
        for (auto& t : m_threads) t.join();
    }

private:
    void work() {
        for (;;) {
            std::function<void()> job;
            {
                std::unique_lock lock(m_mutex);
                ++m_idle;
                m_ready.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
                --m_idle;
                if (m_jobs.empty()) return;  // stopping, nothing left to do
                job = std::move(m_jobs.front());
                m_jobs.pop_front();
            }
            ++m_stats.active_connections;
            job();
            --m_stats.active_connections;
        }
    }

    Stats& m_stats;
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<std::function<void()>> m_jobs;
    std::vector<std::thread> m_threads;
    std::size_t m_idle = 0;
    bool m_stop = false;
};

// Largest request head (request line and headers) the mock reads; a longer one gets 431.
constexpr std::size_t max_request_head = 16 * 1024;

// A connection's socket as an httplib::Stream, with a read-ahead buffer: GuardedServer reads each request
// head into it before httplib parses the same bytes.
class BufferedSocketStream final : public httplib::Stream {
public:
    BufferedSocketStream(int fd, time_t read_timeout_s, time_t write_timeout_s)
        : m_fd(fd),
          m_read_ms(static_cast<int>(read_timeout_s * 1000)),
          m_write_ms(static_cast<int>(write_timeout_s * 1000)) {}

    bool is_readable() const override { return m_pos < m_buf.size() || wait(POLLIN, m_read_ms); }
    bool is_writable() const override { return wait(POLLOUT, m_write_ms); }

    ssize_t read(char* ptr, size_t size) override {
        if (m_pos < m_buf.size()) {
            const size_t n = std::min(size, m_buf.size() - m_pos);
            std::memcpy(ptr, m_buf.data() + m_pos, n);
            m_pos += n;
            if (m_pos == m_buf.size()) {
                m_buf.clear();
                m_pos = 0;
            }
            return static_cast<ssize_t>(n);
        }
        if (!wait(POLLIN, m_read_ms)) return -1;
        return ::recv(m_fd, ptr, size, 0);
    }

    ssize_t write(const char* ptr, size_t size) override {
        if (!is_writable()) return -1;
        return ::send(m_fd, ptr, size, MSG_NOSIGNAL);
    }

    void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
    void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
    socket_t socket() const override { return m_fd; }

    /// Reads until the buffered bytes hold a whole request head ("\r\n\r\n"). Returns its length,
    /// 0 when the peer closed or stalled first, or npos when the head is longer than `limit`.
    std::size_t read_head(std::size_t limit) {
        for (;;) {
            const auto end = m_buf.find("\r\n\r\n", m_pos);
            if (end != std::string::npos) return end + 4 - m_pos;
            if (m_buf.size() - m_pos > limit) return std::string::npos;
            if (!wait(POLLIN, m_read_ms)) return 0;
            char chunk[4096];
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n <= 0) return 0;
            m_buf.append(chunk, static_cast<std::size_t>(n));
        }
    }
    std::string_view buffered() const { return std::string_view(m_buf).substr(m_pos); }
    bool has_buffered() const { return m_pos < m_buf.size(); }

private:
    bool wait(short events, int timeout_ms) const {
        pollfd p{m_fd, events, 0};
        int rc;
        do {
            rc = ::poll(&p, 1, timeout_ms);
        } while (rc < 0 && errno == EINTR);
        return rc > 0;
    }

    void address(bool remote, std::string& ip, int& port) const {
        sockaddr_storage addr{};
        socklen_t len = sizeof addr;
        auto* sa = reinterpret_cast<sockaddr*>(&addr);
        if ((remote ? ::getpeername(m_fd, sa, &len) : ::getsockname(m_fd, sa, &len)) != 0) return;
        char host[NI_MAXHOST];
        char serv[NI_MAXSERV];
        if (::getnameinfo(sa, len, host, sizeof host, serv, sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) ==
            0) {
            ip = host;
            port = std::atoi(serv);
        }
    }

    int m_fd;
    int m_read_ms;
    int m_write_ms;
    std::string m_buf;
    std::size_t m_pos = 0;
};

// Why a request head must be refused before httplib sees it, or an empty string. httplib 0.11 reads a
// non-numeric Content-Length as 0 (and the body then as the next request), and reads header lines of
// any length.
std::string_view refusal(std::string_view head) {
    std::optional<std::string_view> length;
    std::size_t pos = head.find("\r\n");
    while (pos != std::string_view::npos && pos + 2 < head.size()) {
        const std::size_t start = pos + 2;
        const std::size_t end = head.find("\r\n", start);
        const auto line = head.substr(start, end == std::string_view::npos ? head.npos : end - start);
        pos = end;
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon != 14) continue;
        std::string name(line.substr(0, colon));
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name != "content-length") continue;
        auto value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
        if (value.empty() || value.size() > 18 ||
            value.find_first_not_of("0123456789") != std::string_view::npos)
            return "Content-Length is not a number";
        if (length && *length != value) return "conflicting Content-Length headers";
        length = value;
    }
    return {};
}

void send_refusal(int fd, int status, std::string_view reason, std::string_view message) {
    const std::string body =
        R"({"error":{"code":"invalid_request","message":")" + std::string(message) + R"(","details":{}}})";
    std::string response =
        "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: close\r\n\r\n" + body;
    std::size_t sent = 0;
    while (sent < response.size()) {
        const ssize_t n = ::send(fd, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<std::size_t>(n);
    }
}

// httplib::Server with its own per-connection loop: each request head is read and checked first, so an
// oversized head is answered 431 and a malformed Content-Length 400 at once, with the connection closed,
// instead of being misread or read without bound. Everything else is httplib's process_request.
class GuardedServer : public httplib::Server {
private:
    bool process_and_close_socket(socket_t sock) override {
        BufferedSocketStream strm(sock, read_timeout_sec_, write_timeout_sec_);
        bool ok = false;
        for (std::size_t count = keep_alive_max_count_; count > 0 && svr_sock_ != INVALID_SOCKET; --count) {
            if (!strm.has_buffered() && !wait_for_request(sock)) break;
            const std::size_t head = strm.read_head(max_request_head);
            if (head == 0) break;
            if (head == std::string::npos) {
                send_refusal(sock, 431, "Request Header Fields Too Large", "The request head is too large.");
                break;
            }
            if (const auto why = refusal(strm.buffered().substr(0, head)); !why.empty()) {
                send_refusal(sock, 400, "Bad Request", why);
                break;
            }
            bool closed = false;
            ok = process_request(strm, count == 1, closed, nullptr);
            if (!ok || closed) break;
        }
        ::shutdown(sock, SHUT_RDWR);
        ::close(sock);
        return ok;
    }

    // Waits for the next request on a kept-alive connection, in slices so a stopping server is noticed.
    bool wait_for_request(int fd) const {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
        while (svr_sock_ != INVALID_SOCKET) {
            pollfd p{fd, POLLIN, 0};
            const int rc = ::poll(&p, 1, 100);
            if (rc > 0) return true;
            if (rc < 0 && errno != EINTR) return false;
            if (std::chrono::steady_clock::now() >= until) return false;
        }
        return false;
    }
};

bool write_ready_file(const std::string& path, const std::string& line) {
    auto tmp = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) return false;
        out << line << '\n';
        if (!out.flush()) return false;
    }
    return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int serve(App& app) {
    GuardedServer svr;
    svr.new_task_queue = [&app] { return new CountingTaskQueue(app.config.threads, app.stats); };
    svr.set_keep_alive_max_count(100000);
    svr.set_keep_alive_timeout(static_cast<time_t>(app.config.keep_alive_timeout_s));
    svr.set_tcp_nodelay(true);
    svr.set_read_timeout(10);
    svr.set_write_timeout(10);
    svr.set_payload_max_length(16 * 1024 * 1024);

    Router router(app);
    register_key_routes(router);
    register_task_routes(router);
    register_subscription_routes(router);
    register_stream_routes(router);
    register_provider_routes(router);
    register_operator_routes(router);
    register_control_routes(router);

    auto handler = [&router](const httplib::Request& req, httplib::Response& res) {
        router.dispatch(req, res);
    };
    svr.Get(".*", handler);
    svr.Post(".*", handler);
    svr.Put(".*", handler);
    svr.Patch(".*", handler);
    svr.Delete(".*", handler);
    svr.Options(".*", handler);
    // Errors httplib raises itself (unparsable request, payload too large) still get a JSON body.
    svr.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&,
                                                                  httplib::Response& res) {
        if (!res.body.empty() || res.content_provider_) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 404) {
            send_not_found(res);
        } else if (res.status == 400 || res.status == 413) {
            int status = res.status;
            send_validation_error(
                res,
                Json::array({Json{
                    {"field", "body"},
                    {"reason",
                     res.status == 413
                         ? "request body is too large"
                         : "request could not be read (a body needs Content-Length or chunked encoding)"}}}));
            res.status = status;
        } else {
            send_error(res, res.status, "invalid_request", "The request could not be processed.");
        }
        return httplib::Server::HandlerResponse::Handled;
    }));

    // cpp-httplib (Debian's library build) listens with a backlog of 5: eight clients connecting at once
    // overflowed it, and the kernel dropped their SYNs, a 1 s retransmission for each such client
    // (TcpExtListenOverflows). The listening socket is noted when it is created and its backlog raised
    // once it is bound (listen() again on a listening socket only changes the backlog).
    int listen_socket = -1;
    svr.set_socket_options([&listen_socket](socket_t sock) {
        httplib::default_socket_options(sock);
        listen_socket = sock;
    });
    int port = app.config.port;
    if (port == 0) {
        port = svr.bind_to_any_port(app.config.host);
        if (port <= 0) {
            std::cerr << "agentrail-mock: cannot bind " << app.config.host << ":0" << std::endl;
            return 1;
        }
    } else if (!svr.bind_to_port(app.config.host, port)) {
        std::cerr << "agentrail-mock: cannot bind " << app.config.host << ":" << port << std::endl;
        return 1;
    }
    if (listen_socket >= 0) ::listen(listen_socket, SOMAXCONN);
    std::string host = app.config.host;
    if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
    if (host == "::") host = "::1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    app.origin = "http://" + host + ":" + std::to_string(port);
    app.base_url = app.origin + app.config.path_prefix;

    Ticker ticker(app);
    ticker.start();
    app.webhooks.start();

    std::promise<bool> listen_done;
    auto listen_result = listen_done.get_future();
    std::thread listener([&svr, &listen_done] { listen_done.set_value(svr.listen_after_bind()); });

    // Key order matters to line-oriented consumers, so this is written by hand.
    std::string ready = R"({"event":"ready","baseUrl":")" + app.base_url + R"("})";
    // The file is in place before the stdout line, so either signal means both are ready.
    if (!app.config.ready_file.empty() && !write_ready_file(app.config.ready_file, ready)) {
        std::cerr << "agentrail-mock: cannot write ready file " << app.config.ready_file << std::endl;
    }
    std::cout << ready << std::endl;

    // Wait for SIGINT/SIGTERM, or for the listener to die on its own.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    int exit_code = 0;
    while (true) {
        timespec timeout{0, 200 * 1000 * 1000};
        int sig = sigtimedwait(&signals, nullptr, &timeout);
        if (sig == SIGINT || sig == SIGTERM) break;
        if (listen_result.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
            std::cerr << "agentrail-mock: listener stopped unexpectedly" << std::endl;
            exit_code = 1;
            break;
        }
    }

    // Idle keep-alive connections can hold workers for a few seconds; never let shutdown hang.
    std::thread([] {
        std::this_thread::sleep_for(std::chrono::seconds(3));
        std::fflush(stdout);
        std::fflush(stderr);
        ::_exit(0);
    }).detach();

    app.stopping = true;
    app.bus.close_all();
    svr.stop();
    // Workers blocked reading idle keep-alive connections would otherwise wait for their timeout.
    for (int fd : connection_fds(port)) ::shutdown(fd, SHUT_RDWR);
    if (listener.joinable()) listener.join();
    ticker.stop();
    {
        std::lock_guard lock(app.background_mutex);
        for (auto& t : app.background)
            if (t.joinable()) t.join();
    }
    app.webhooks.stop();
    if (!app.config.ready_file.empty()) std::remove(app.config.ready_file.c_str());
    return exit_code;
}

}  // namespace mock
