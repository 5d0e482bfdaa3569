#include "webhook_listener.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "exit_codes.hpp"

namespace agentrail::cli {
namespace {

constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
constexpr std::size_t kMaxQueued = 64;  // accepted connections waiting for a worker

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto x = static_cast<unsigned char>(a[i]);
        auto y = static_cast<unsigned char>(b[i]);
        if (std::tolower(x) != std::tolower(y)) return false;
    }
    return true;
}

std::string_view trim_view(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

const char* reason_phrase(int status) {
    switch (status) {
        case 100:
            return "Continue";
        case 200:
            return "OK";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 411:
            return "Length Required";
        case 413:
            return "Content Too Large";
        case 431:
            return "Request Header Fields Too Large";
        case 501:
            return "Not Implemented";
        default:
            return "Status";
    }
}

std::string error_body(std::string_view code, std::string_view message) {
    std::string body = R"({"error":{"code":")";
    body += code;
    body += R"(","message":")";
    body += message;  // fixed ASCII texts only: no escaping needed
    body += R"("}})";
    return body;
}

void send_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;  // the client went away: nothing more to tell it
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

void send_reply(int fd, int status, std::string_view body) {
    std::string head =
        "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: close\r\n\r\n";
    head.append(body);
    send_all(fd, head);
}

enum class Wait { ready, woken, timed_out, failed };

/// Blocks until `fd` has input (or an error or hang-up to report), the wake descriptor is readable (the
/// serving context was cancelled), or `until` passes; no slices, one poll() for the whole wait.
Wait wait_for_input(int fd, int wake_fd, std::optional<std::chrono::steady_clock::time_point> until) {
    for (;;) {
        int timeout = -1;
        if (until) {
            auto now = std::chrono::steady_clock::now();
            if (now >= *until) return Wait::timed_out;
            // Rounded up: waking a little before the deadline would only mean another poll().
            auto left = std::chrono::ceil<std::chrono::milliseconds>(*until - now).count();
            timeout = static_cast<int>(std::min<long long>(left, INT_MAX));
        }
        pollfd p[2] = {{fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
        int ready = ::poll(p, 2, timeout);
        if (ready < 0) {
            if (errno == EINTR) continue;  // Ctrl-C: its cancellation arrives through the wake descriptor
            return Wait::failed;
        }
        if (p[1].revents != 0) return Wait::woken;  // stopping wins over more input
        if ((p[0].revents & POLLNVAL) != 0) return Wait::failed;
        if (p[0].revents != 0) return Wait::ready;
    }
}

/// Reads from a connection until the request's deadline, or until serving ends (its context is cancelled
/// or its deadline passes), whichever comes first.
class Reader {
public:
    Reader(int fd, int wake_fd, const CallContext& serving, std::chrono::milliseconds deadline)
        : m_fd(fd),
          m_wake_fd(wake_fd),
          m_serving(serving),
          m_until(std::chrono::steady_clock::now() + deadline) {
        if (auto end = serving.deadline()) m_until = std::min(m_until, *end);
    }

    /// Appends what arrives to `buffer`; false on EOF, error, timeout or the end of serving.
    bool read_more(std::string& buffer) {
        char chunk[16384];
        for (;;) {
            switch (wait_for_input(m_fd, m_wake_fd, m_until)) {
                case Wait::ready:
                    break;
                case Wait::timed_out:
                    // The request's own deadline: answered 408. Serving's deadline: closed unanswered.
                    m_timed_out = !m_serving.done();
                    return false;
                case Wait::woken:
                case Wait::failed:
                    return false;
            }
            auto n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            buffer.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
    }
    bool timed_out() const { return m_timed_out; }

private:
    int m_fd;
    int m_wake_fd;
    const CallContext& m_serving;
    std::chrono::steady_clock::time_point m_until;
    bool m_timed_out = false;
};

std::optional<std::size_t> parse_size(std::string_view text, int base) {
    text = trim_view(text);
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (ec != std::errc() || text.empty()) return std::nullopt;
    if (end != text.data() + text.size() && *end != ';') return std::nullopt;  // chunk extensions
    return value;
}

/// Decodes a chunked body starting at `pos` of `buffer`, reading more as needed. Returns the status to
/// answer with on failure (0 on success).
int read_chunked(Reader& reader, std::string& buffer, std::size_t pos, std::string& body,
                 std::size_t max_body) {
    for (;;) {
        auto eol = buffer.find("\r\n", pos);
        while (eol == std::string::npos) {
            if (buffer.size() - pos > 1024 || !reader.read_more(buffer))
                return reader.timed_out() ? 408 : 400;
            eol = buffer.find("\r\n", pos);
        }
        auto size = parse_size(std::string_view(buffer).substr(pos, eol - pos), 16);
        if (!size) return 400;
        pos = eol + 2;
        if (*size == 0) return 0;                        // trailers, if any, are ignored
        if (*size > max_body - body.size()) return 413;  // not body.size() + *size: that can wrap around
        while (buffer.size() < pos + *size + 2) {
            if (!reader.read_more(buffer)) return reader.timed_out() ? 408 : 400;
        }
        body.append(buffer, pos, *size);
        pos += *size + 2;
    }
}

}  // namespace

std::optional<std::string_view> ReceivedRequest::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (iequals(key, name)) return std::string_view(value);
    return std::nullopt;
}

WebhookListener::WebhookListener(const std::string& host, int port) : m_host(host) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (port < 0 || port > 65535 || inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1)
        throw usage_error("--host/--port: '" + host + ":" + std::to_string(port) +
                          "' is not an IPv4 address and port");
    // Non-blocking, so that a client that gives up between poll() and accept() cannot block the loop.
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (m_fd < 0)
        throw Failure(exit_code::unexpected, "listen", std::string("socket: ") + std::strerror(errno));
    int one = 1;
    ::setsockopt(m_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_fd, 64) != 0) {
        std::string why = std::strerror(errno);
        ::close(m_fd);
        m_fd = -1;
        throw usage_error("cannot listen on " + host + ":" + std::to_string(port) + ": " + why);
    }
    socklen_t len = sizeof addr;
    ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_wake_fd < 0) {
        std::string why = std::strerror(errno);
        ::close(m_fd);
        m_fd = -1;
        throw Failure(exit_code::unexpected, "listen", "eventfd: " + why);
    }
}

WebhookListener::~WebhookListener() {
    if (m_fd >= 0) ::close(m_fd);
    if (m_wake_fd >= 0) ::close(m_wake_fd);
}

std::string WebhookListener::url() const {
    return "http://" + m_host + ":" + std::to_string(m_port) + "/";
}

void WebhookListener::serve(const std::function<ListenerReply(const ReceivedRequest&)>& handler,
                            const CallContext& ctx, std::size_t max_body, std::size_t workers,
                            std::chrono::milliseconds request_deadline) {
    // One wake-up for every wait: cancelling `serving` (the caller's cancel, a follow-up's, a worker's
    // failure, or the end of serve()) makes the wake descriptor readable, and stays so, for the accept
    // loop and every Reader at once. A wake left by an earlier serve() is drained first.
    std::uint64_t stale = 0;
    while (::read(m_wake_fd, &stale, sizeof stale) > 0) {
    }
    const CallContext serving = ctx.child();
    const CallContext::Registration wake = serving.on_cancel([wake_fd = m_wake_fd] {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto n = ::write(wake_fd, &one, sizeof one);
    });

    // Workers read and parse requests concurrently. Handlers run one at a time, and so do the `then`
    // parts (printing, forwarding), each under its own lock: the caller's state needs no locking of its
    // own, and a slow forward does not delay the answer to the next delivery.
    std::mutex handler_mutex;
    std::mutex then_mutex;
    auto serialised = [&](const ReceivedRequest& request) {
        std::lock_guard lock(handler_mutex);
        auto reply = handler(request);
        if (reply.then) {
            reply.then = [&then_mutex, then = std::move(reply.then)] {
                std::lock_guard then_lock(then_mutex);
                then();
            };
        }
        return reply;
    };
    std::mutex queue_mutex;
    std::condition_variable queue_ready;
    std::deque<int> queue;
    bool closing = false;
    std::exception_ptr worker_error;
    std::vector<std::thread> pool;
    auto work = [&] {
        for (;;) {
            int fd = -1;
            {
                std::unique_lock lock(queue_mutex);
                queue_ready.wait(lock, [&] { return closing || !queue.empty(); });
                if (queue.empty()) return;
                fd = queue.front();
                queue.pop_front();
            }
            try {
                handle_connection(fd, serialised, serving, max_body, request_deadline);
            } catch (...) {
                {
                    std::lock_guard lock(queue_mutex);
                    if (!worker_error) worker_error = std::current_exception();
                }
                serving.cancel();  // wakes the accept loop, which rethrows it once the others ended
            }
        }
    };
    auto finish = [&] {
        serving.cancel();  // connections still being read end now, unanswered
        {
            std::lock_guard lock(queue_mutex);
            closing = true;
            for (int fd : queue) ::close(fd);
            queue.clear();
        }
        queue_ready.notify_all();
        for (auto& t : pool) t.join();
    };
    try {
        for (std::size_t i = 0; i < std::max<std::size_t>(workers, 1); ++i) pool.emplace_back(work);
        const auto until = serving.deadline();
        for (;;) {
            auto waited = wait_for_input(m_fd, m_wake_fd, until);
            if (waited == Wait::woken || waited == Wait::timed_out) break;
            if (waited == Wait::failed)
                throw Failure(exit_code::unexpected, "listen", std::string("poll: ") + std::strerror(errno));
            int fd = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) continue;  // the client gave up between poll and accept
            std::unique_lock lock(queue_mutex);
            if (queue.size() >= kMaxQueued) {
                lock.unlock();
                send_reply(fd, 503, error_body("busy", "too many connections; retry later"));
                ::close(fd);
                continue;
            }
            queue.push_back(fd);
            lock.unlock();
            queue_ready.notify_one();
        }
    } catch (...) {
        finish();
        throw;
    }
    finish();
    if (worker_error) std::rethrow_exception(worker_error);
}

void WebhookListener::handle_connection(int fd,
                                        const std::function<ListenerReply(const ReceivedRequest&)>& handler,
                                        const CallContext& serving, std::size_t max_body,
                                        std::chrono::milliseconds request_deadline) {
    struct Closer {
        int fd;
        void close() {
            if (fd >= 0) ::close(fd);
            fd = -1;
        }
        ~Closer() { close(); }
    } closer{fd};
    auto fail = [fd](int status, std::string_view code, std::string_view message) {
        send_reply(fd, status, error_body(code, message));
    };

    Reader reader(fd, m_wake_fd, serving, request_deadline);
    std::string buffer;
    std::size_t header_end = std::string::npos;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
        if (buffer.size() > kMaxHeaderBytes)
            return fail(431, "headers_too_large", "request headers are too large");
        if (!reader.read_more(buffer)) {
            if (reader.timed_out()) fail(408, "timeout", "the request did not arrive in time");
            return;
        }
    }

    ReceivedRequest request;
    std::string_view head(buffer.data(), header_end);
    auto line_end = head.find("\r\n");
    std::string_view request_line = head.substr(0, line_end);
    auto sp1 = request_line.find(' ');
    auto sp2 = request_line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1 || request_line.substr(sp2 + 1).substr(0, 5) != "HTTP/")
        return fail(400, "bad_request", "malformed request line");
    request.method = std::string(request_line.substr(0, sp1));
    request.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
    std::size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
    while (pos < head.size()) {
        auto end = head.find("\r\n", pos);
        if (end == std::string_view::npos) end = head.size();
        auto line = head.substr(pos, end - pos);
        auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0)
            return fail(400, "bad_request", "malformed header line");
        request.headers.emplace_back(std::string(line.substr(0, colon)),
                                     std::string(trim_view(line.substr(colon + 1))));
        pos = end + 2;
    }

    std::size_t body_start = header_end + 4;
    auto expect = request.header("Expect");
    auto encoding = request.header("Transfer-Encoding");
    if (encoding && encoding->find("chunked") != std::string_view::npos) {
        if (expect && iequals(*expect, "100-continue")) send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n");
        if (int status = read_chunked(reader, buffer, body_start, request.body, max_body); status != 0)
            return fail(status, "bad_body", "the chunked body could not be read");
    } else if (auto length_text = request.header("Content-Length")) {
        auto length = parse_size(*length_text, 10);
        if (!length) return fail(400, "bad_request", "invalid Content-Length");
        if (*length > max_body) return fail(413, "too_large", "the body is too large");
        if (expect && iequals(*expect, "100-continue")) send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n");
        while (buffer.size() < body_start + *length) {
            if (!reader.read_more(buffer)) {
                if (reader.timed_out()) fail(408, "timeout", "the body did not arrive in time");
                return;
            }
        }
        request.body.assign(buffer, body_start, *length);
    } else if (request.method == "POST" || request.method == "PUT") {
        return fail(411, "length_required", "send Content-Length or a chunked body");
    }

    auto reply = handler(request);
    send_reply(fd, reply.status, reply.body);
    closer.close();  // the sender has its answer before anything slow (printing, forwarding) runs
    if (reply.then) reply.then();
}

}  // namespace agentrail::cli
