// The libcurl transport: the only translation unit that includes <curl/curl.h>.
//
// A transport is a bounded pool of handles, each one easy handle and one multi handle, sharing a DNS cache
// and a TLS session cache (curl's share interface, locked per data kind). A transfer takes a free handle
// (or waits for one) and runs through its multi handle, whose connection cache outlives each transfer, so
// consecutive requests to a host reuse a kept-alive connection and N handles never hold more than N
// connections to it. Connections are not shared between handles: libcurl does not support sharing its
// connection cache between threads. Driving the multi loop ourselves (instead of curl_easy_perform) lets
// a cancelled context wake a transfer at once (curl_multi_wakeup) and a stream watch its idle and
// context deadlines while the server sends nothing.

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agentrail/curl_transport.hpp"
#include "agentrail/errors.hpp"
#include "agentrail/transport.hpp"

#ifndef AGENTRAIL_VERSION
#error "AGENTRAIL_VERSION must be defined by the build"
#endif

namespace agentrail {

namespace {

using Clock = std::chrono::steady_clock;

// Upper bound for a curl_multi_poll wait; curl's own timers, socket activity and a cancel (which wakes
// the poll) end it sooner.
constexpr long idle_poll_ms = 1000;
// How often a stream with an interrupt hook (HttpRequest::interrupt) asks it: a suspend or a SIGCONT is
// acted on within this time.
constexpr long interrupt_poll_ms = 100;
#ifdef CURL_WRITEFUNC_ERROR
constexpr size_t write_abort = CURL_WRITEFUNC_ERROR;
#else
constexpr size_t write_abort = 0;  // before 7.87: any count other than the one passed in aborts
#endif
// A Content-Length larger than this is not trusted for pre-allocation.
constexpr std::size_t max_body_reserve = std::size_t{16} << 20;

// stream(): the most a batch holds before it goes to on_chunk (a bound on what a pass may buffer).
constexpr std::size_t max_stream_batch = std::size_t{128} << 10;
// stream(): curl's receive buffer (CURLOPT_BUFFERSIZE) while streaming.
constexpr long stream_read_size = 64L << 10;
// stream(): the socket receive buffer asked for on a stream's new connection (see stream_socket_options).
constexpr int stream_socket_buffer = 4 << 20;

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw TransportError("curl_global_init failed", CURLE_FAILED_INIT);
        }
    });
}

char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return ascii_lower(x) == ascii_lower(y);
           });
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
        s.remove_suffix(1);
    }
    return s;
}

// The URL for messages: no query string or fragment (they may carry cursors or tokens) and no userinfo.
std::string safe_url(std::string_view url) {
    url = url.substr(0, url.find_first_of("?#"));
    const auto scheme_end = url.find("://");
    const auto host_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    const auto path_start = url.find('/', host_start);
    const auto authority =
        url.substr(host_start, path_start == std::string_view::npos ? url.npos : path_start - host_start);
    const auto at = authority.rfind('@');
    if (at == std::string_view::npos) return std::string(url);
    std::string out(url.substr(0, host_start));
    out.append(url.substr(host_start + at + 1));
    return out;
}

bool has_line_break(std::string_view s) noexcept {
    return s.find_first_of("\r\n") != std::string_view::npos;
}

// State of the transfer in flight, shared with the C callbacks.
struct Transfer {
    CURL* easy = nullptr;
    HttpResponse* response = nullptr;
    const std::function<bool(std::string_view)>* on_chunk = nullptr;  // null for send()
    bool track_activity = false;
    Clock::time_point last_activity{};
    long stream_status = 0;  // stream(): status seen by the first body write
    bool deliver = false;    // stream(): body goes to on_chunk (2xx)
    bool stopped = false;    // stream(): on_chunk returned false
    // stream(): 2xx body bytes read in this pass of curl_multi_perform, handed to on_chunk in one piece
    // when the pass ends (or when it holds max_stream_batch), so a burst is parsed and written once per
    // read of the socket, not once per HTTP chunk.
    std::string batch;
    std::size_t max_body = 0;  // TransportOptions::max_body_bytes (0: no limit)
    const HttpRequest* request = nullptr;
    std::exception_ptr error;  // an exception caught inside a callback
};

// Fails the transfer when a body that is kept in memory would grow past the limit (after decompression:
// the write callback sees decoded bytes, so a gzip bomb is cut as early as an endless body).
bool within_limit(Transfer& t, std::size_t more) {
    if (t.max_body == 0 || more <= t.max_body - std::min(t.max_body, t.response->body.size())) return true;
    std::string message(to_string(t.request->method));
    message.push_back(' ');
    message.append(safe_url(t.request->url));
    message.append(": response body larger than the limit of ");
    message.append(format_bytes(t.max_body));
    message.append(" (max_body_bytes)");
    t.error = std::make_exception_ptr(Error(ErrorKind::protocol, message));
    return false;
}

extern "C" size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const size_t length = size * count;
    try {
        if (t.track_activity) t.last_activity = Clock::now();
        const std::string_view line(data, length);
        if (line.starts_with("HTTP/")) {
            // A new status line (1xx, proxy CONNECT, final): keep only the final response's headers.
            t.response->headers.clear();
            return length;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) return length;  // blank line or obs-fold
        std::string name(trim(line.substr(0, colon)));
        std::transform(name.begin(), name.end(), name.begin(), ascii_lower);
        const auto value = trim(line.substr(colon + 1));
        if (name == "content-length" && t.on_chunk == nullptr) {
            std::size_t declared = 0;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), declared);
            if (ec == std::errc() && end == value.data() + value.size()) {
                // A declared length over the limit fails now, before any of the body is read.
                if (!within_limit(t, declared)) return 0;
                t.response->body.reserve(std::min(declared, max_body_reserve));
            }
        }
        t.response->headers.emplace_back(std::move(name), std::string(value));
        return length;
    } catch (...) {
        t.error = std::current_exception();
        return 0;
    }
}

// Hands what a stream read so far to on_chunk; false (and `stopped`) when it asks to stop.
bool deliver_batch(Transfer& t) {
    if (t.batch.empty()) return true;
    const bool go_on = (*t.on_chunk)(t.batch);
    t.batch.clear();
    if (!go_on) t.stopped = true;
    return go_on;
}

// A stream's new connection asks the kernel for a large receive buffer from the start. A server's burst
// (a replay after a reconnect, a busy stream) is then queued at the server's pace; with the default
// (128 KiB, grown by autotuning only as the client reads) the server waits for each window update, and the
// kernel sends its queued data in the reader's context on every read, which slows the reader further
// (200,000 events over loopback: median 139 ms against 98 ms). Only where the system allows that size
// (net.core.rmem_max): a smaller fixed buffer would be worse than autotuning, which setting one turns off.
bool large_stream_buffer_allowed() {
    // Read with open/read: iostreams would map their locale machinery into a process that has no other use
    // for it (about 0.3 MiB of peak RSS in the CLI).
    static const bool allowed = [] {
        const int fd = ::open("/proc/sys/net/core/rmem_max", O_RDONLY | O_CLOEXEC);
        if (fd < 0) return false;
        char text[32];
        const auto n = ::read(fd, text, sizeof text);
        ::close(fd);
        long long max = 0;
        return n > 0 && std::from_chars(text, text + n, max).ec == std::errc() && max >= stream_socket_buffer;
    }();
    return allowed;
}

extern "C" int stream_socket_options(void*, curl_socket_t fd, curlsocktype purpose) {
    if (purpose == CURLSOCKTYPE_IPCXN && large_stream_buffer_allowed()) {
        const int size = stream_socket_buffer;
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);  // advisory: a failure changes nothing
    }
    return CURL_SOCKOPT_OK;
}

extern "C" size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto& t = *static_cast<Transfer*>(user);
    const size_t length = size * count;
    try {
        if (t.track_activity) t.last_activity = Clock::now();
        if (t.on_chunk == nullptr) {
            if (!within_limit(t, length)) return write_abort;
            t.response->body.append(data, length);
            return length;
        }
        if (t.stream_status == 0) {
            long status = 0;
            curl_easy_getinfo(t.easy, CURLINFO_RESPONSE_CODE, &status);
            t.stream_status = status;
            t.deliver = status >= 200 && status < 300;
        }
        if (!t.deliver) {
            if (!within_limit(t, length)) return write_abort;
            t.response->body.append(data, length);
            return length;
        }
        // What is held goes first when these bytes would take it past the cap, so a batch holds at most
        // max_stream_batch bytes (or one write of curl's, which is smaller).
        if (t.batch.size() + length > max_stream_batch && !deliver_batch(t)) return write_abort;
        t.batch.append(data, length);
        return length;
    } catch (...) {
        t.error = std::current_exception();
    }
    return write_abort;
}

// One easy handle, its multi handle and the buffers of the transfer in flight: used by one thread at a time.
class CurlHandle {
public:
    CurlHandle(const TransportOptions& options, CURLSH* share) : m_options(options) {
        m_multi = curl_multi_init();
        m_easy = curl_easy_init();
        if (m_multi == nullptr || m_easy == nullptr) {
            cleanup();
            throw TransportError("could not create a curl handle", CURLE_FAILED_INIT);
        }
        try {
            if (share != nullptr) set(CURLOPT_SHARE, share);
            set_fixed_options();
        } catch (...) {
            cleanup();
            throw;
        }
    }

    ~CurlHandle() { cleanup(); }

    CurlHandle(const CurlHandle&) = delete;
    CurlHandle& operator=(const CurlHandle&) = delete;

    void run(const HttpRequest& request, HttpResponse& response,
             const std::function<bool(std::string_view)>* on_chunk);

private:
    template <typename T>
    void set(CURLoption option, T value) {
        const CURLcode rc = curl_easy_setopt(m_easy, option, value);
        if (rc != CURLE_OK) {
            throw TransportError(std::string("curl option rejected: ") + curl_easy_strerror(rc), rc);
        }
    }

    // Options that stay the same for every request of this transport.
    void set_fixed_options() {
        set(CURLOPT_NOSIGNAL, 1L);
        set(CURLOPT_ERRORBUFFER, m_error_buffer);
        set(CURLOPT_HEADERFUNCTION, &on_header);
        set(CURLOPT_HEADERDATA, &m_transfer);
        set(CURLOPT_WRITEFUNCTION, &on_body);
        set(CURLOPT_WRITEDATA, &m_transfer);
        set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
        set(CURLOPT_FOLLOWLOCATION, 0L);
        // The path goes out as given: curl would otherwise resolve "/tasks/../keys" to "/keys", so a
        // request would reach another route than the one the caller wrote (and logged).
        set(CURLOPT_PATH_AS_IS, 1L);
        set(CURLOPT_TCP_KEEPALIVE, 1L);
        set(CURLOPT_TCP_NODELAY, 1L);
        // gzip only, not "" (everything this libcurl decodes, br and zstd included): servers that
        // compress brotli on the fly at its default quality spend far longer on it than the transfer
        // saves (the mock: ~190 ms for a 24 KB page of tasks, against ~1 ms for gzip), and gzip gets
        // most of the size reduction anyway.
        set(CURLOPT_ACCEPT_ENCODING, "gzip");
        set(CURLOPT_USERAGENT, m_options.user_agent.c_str());
        set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connect_timeout.count()));
#if CURL_AT_LEAST_VERSION(7, 85, 0)
        set(CURLOPT_PROTOCOLS_STR, "http,https");
#else
        set(CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
        if (!m_options.ca_bundle.empty()) set(CURLOPT_CAINFO, m_options.ca_bundle.c_str());
        set(CURLOPT_SSL_VERIFYPEER, m_options.verify_tls ? 1L : 0L);
        set(CURLOPT_SSL_VERIFYHOST, m_options.verify_tls ? 2L : 0L);
        // Left unset, libcurl reads http_proxy / https_proxy / no_proxy from the environment.
        if (!m_options.proxy.empty()) set(CURLOPT_PROXY, m_options.proxy.c_str());
    }

    // Builds the request header list into reused buffers: no allocation once they have grown.
    curl_slist* build_headers(const HttpRequest& request, bool has_body) {
        std::size_t n = 0;
        bool has_content_type = false;
        const auto add = [&](std::string_view name, std::string_view value) {
            if (n == m_header_lines.size()) m_header_lines.emplace_back();
            auto& line = m_header_lines[n++];
            line.assign(name);
            // "Name:" would make curl drop the header; "Name;" sends it with an empty value.
            line.append(value.empty() ? ";" : ": ");
            line.append(value);
        };
        for (const auto& [name, value] : request.headers) {
            if (name.empty() || has_line_break(name) || has_line_break(value) ||
                name.find_first_of(":; \t") != std::string::npos) {
                throw Error(ErrorKind::invalid_argument, "invalid HTTP header name or value");
            }
            if (iequals(name, "content-type")) has_content_type = true;
            add(name, value);
        }
        // Suppress headers curl would add on its own: a form Content-Type and Expect: 100-continue.
        const auto remove = [&](std::string_view name) {
            if (n == m_header_lines.size()) m_header_lines.emplace_back();
            auto& line = m_header_lines[n++];
            line.assign(name);
            line.push_back(':');
        };
        if (has_body && !has_content_type) remove("Content-Type");
        if (has_body) remove("Expect");

        m_header_nodes.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            m_header_nodes[i].data = m_header_lines[i].data();
            m_header_nodes[i].next = i + 1 < n ? &m_header_nodes[i + 1] : nullptr;
        }
        return n == 0 ? nullptr : m_header_nodes.data();
    }

    void set_request_options(const HttpRequest& request, bool streaming,
                             std::optional<Clock::time_point> deadline) {
        const bool has_body =
            request.method != Method::get && !(request.method == Method::del && request.body.empty());
        set(CURLOPT_URL, request.url.c_str());
        if (has_body) {
            set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
            set(CURLOPT_POSTFIELDS, request.body.data());
        } else {
            set(CURLOPT_HTTPGET, 1L);
        }
        set(CURLOPT_CUSTOMREQUEST, request.method == Method::get || request.method == Method::post
                                       ? nullptr
                                       : to_string(request.method));
        set(CURLOPT_HTTPHEADER, build_headers(request, has_body));
        auto timeout = request.timeout.count() > 0 ? request.timeout : m_options.timeout;
        // A call's context deadline bounds the transfer too (a stream watches it in the poll loop).
        if (deadline) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
            timeout = std::max(std::min(timeout, left), std::chrono::milliseconds(1));
        }
        set(CURLOPT_TIMEOUT_MS, streaming ? 0L : static_cast<long>(timeout.count()));
        // A stream reads a burst in a few large reads instead of one per 16 KiB.
        set(CURLOPT_BUFFERSIZE, streaming ? stream_read_size : static_cast<long>(CURL_MAX_WRITE_SIZE));
        set(CURLOPT_SOCKOPTFUNCTION, streaming ? &stream_socket_options : nullptr);
    }

    [[noreturn]] void fail(const HttpRequest& request, std::string_view what, int code,
                           bool timed_out) const {
        std::string message(to_string(request.method));
        message.push_back(' ');
        message.append(safe_url(request.url));
        message.append(" failed: ");
        message.append(what);
        throw TransportError(message, code, timed_out);
    }

    [[noreturn]] void fail(const HttpRequest& request, CURLcode rc) const {
        std::string what(curl_easy_strerror(rc));
        if (m_error_buffer[0] != '\0') {
            what.append(" (");
            what.append(m_error_buffer);
            what.push_back(')');
        }
        fail(request, what, rc, rc == CURLE_OPERATION_TIMEDOUT);
    }

    void cleanup() noexcept {
        if (m_easy != nullptr) curl_easy_cleanup(m_easy);
        if (m_multi != nullptr) curl_multi_cleanup(m_multi);
        m_easy = nullptr;
        m_multi = nullptr;
    }

    const TransportOptions& m_options;
    CURLM* m_multi = nullptr;
    CURL* m_easy = nullptr;
    Transfer m_transfer;
    std::vector<std::string> m_header_lines;
    std::vector<curl_slist> m_header_nodes;
    char m_error_buffer[CURL_ERROR_SIZE] = {};
};

void CurlHandle::run(const HttpRequest& request, HttpResponse& response,
                     const std::function<bool(std::string_view)>* on_chunk) {
    const auto& context = request.context;
    if (context.cancelled()) throw TransportError("cancelled", CURLE_ABORTED_BY_CALLBACK);
    const bool streaming = on_chunk != nullptr;
    const bool idle_watch = streaming && request.idle_timeout.count() > 0;
    const bool interruptible = streaming && static_cast<bool>(request.interrupt);
    const auto deadline = context.deadline();

    set_request_options(request, streaming, deadline);
    m_error_buffer[0] = '\0';
    response.headers.reserve(16);
    m_transfer = Transfer{};
    m_transfer.easy = m_easy;
    m_transfer.response = &response;
    m_transfer.on_chunk = on_chunk;
    m_transfer.max_body = m_options.max_body_bytes;
    m_transfer.request = &request;
    m_transfer.track_activity = idle_watch;
    m_transfer.last_activity = Clock::now();

    if (const CURLMcode mc = curl_multi_add_handle(m_multi, m_easy); mc != CURLM_OK) {
        fail(request, curl_multi_strerror(mc), CURLE_FAILED_INIT, false);
    }
    // Removing the handle keeps a finished connection in the multi's cache and closes an
    // unfinished one, so an aborted stream never leaks a half-read connection to the next call.
    struct Attached {
        CURLM* multi;
        CURL* easy;
        ~Attached() { curl_multi_remove_handle(multi, easy); }
    } attached{m_multi, m_easy};
    // A cancel from another thread wakes the poll below at once. Declared after `attached`, so it is
    // unregistered first, before the handle goes back to the pool.
    CURLM* multi = m_multi;
    const auto registration = context.on_cancel([multi] { curl_multi_wakeup(multi); });

    CURLcode result = CURLE_OK;
    for (;;) {
        int running = 0;
        if (const CURLMcode mc = curl_multi_perform(m_multi, &running); mc != CURLM_OK) {
            fail(request, curl_multi_strerror(mc), CURLE_FAILED_INIT, false);
        }
        if (streaming && !m_transfer.error && !deliver_batch(m_transfer)) {
            // The caller has what it wanted: the handle is removed below, which closes the connection.
            response.status = static_cast<int>(m_transfer.stream_status);
            return;
        }
        if (running == 0) {
            int queued = 0;
            while (const CURLMsg* msg = curl_multi_info_read(m_multi, &queued)) {
                if (msg->msg == CURLMSG_DONE && msg->easy_handle == m_easy) result = msg->data.result;
            }
            break;
        }
        if (context.cancelled()) throw TransportError("cancelled", CURLE_ABORTED_BY_CALLBACK);
        if (interruptible && request.interrupt())
            throw TransportError("interrupted", CURLE_ABORTED_BY_CALLBACK);
        const auto now = Clock::now();
        auto wait = std::chrono::milliseconds(interruptible ? std::min(idle_poll_ms, interrupt_poll_ms)
                                                            : idle_poll_ms);
        const auto until = [&](Clock::time_point t) {
            wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(t - now));
        };
        if (idle_watch) {
            if (now - m_transfer.last_activity >= request.idle_timeout) {
                fail(request, "no data received for " + std::to_string(request.idle_timeout.count()) + " ms",
                     CURLE_OPERATION_TIMEDOUT, true);
            }
            until(m_transfer.last_activity + request.idle_timeout);
        }
        if (streaming && deadline) {
            if (now >= *deadline) fail(request, "the deadline was reached", CURLE_OPERATION_TIMEDOUT, true);
            until(*deadline);
        }
        const int wait_ms = static_cast<int>(std::max<long long>(wait.count(), 1));
        if (const CURLMcode mc = curl_multi_poll(m_multi, nullptr, 0, wait_ms, nullptr); mc != CURLM_OK) {
            fail(request, curl_multi_strerror(mc), CURLE_FAILED_INIT, false);
        }
    }

    if (m_transfer.error) std::rethrow_exception(m_transfer.error);
    if (m_transfer.stopped && result == CURLE_WRITE_ERROR) {
        response.status = static_cast<int>(m_transfer.stream_status);
        return;
    }
    if (result != CURLE_OK) fail(request, result);
    long status = 0;
    curl_easy_getinfo(m_easy, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
}

// The pool: up to max_connections handles, made when first needed, sharing DNS and TLS sessions.
class CurlTransport final : public Transport {
public:
    explicit CurlTransport(TransportOptions options) : m_options(std::move(options)) {
        global_init();
        if (m_options.user_agent.empty()) m_options.user_agent = "agentrail/" AGENTRAIL_VERSION;
        m_options.max_connections = std::max<std::size_t>(m_options.max_connections, 1);
        m_share = curl_share_init();
        if (m_share == nullptr)
            throw TransportError("could not create a curl share handle", CURLE_FAILED_INIT);
        curl_share_setopt(m_share, CURLSHOPT_LOCKFUNC, &CurlTransport::lock);
        curl_share_setopt(m_share, CURLSHOPT_UNLOCKFUNC, &CurlTransport::unlock);
        curl_share_setopt(m_share, CURLSHOPT_USERDATA, this);
        curl_share_setopt(m_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(m_share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    }

    ~CurlTransport() override {
        m_idle.clear();  // every handle is back: a transfer holds the transport through its caller
        curl_share_cleanup(m_share);
    }

    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    HttpResponse send(const HttpRequest& request) override {
        HttpResponse response;
        Lease lease(*this, request.context);
        lease->run(request, response, nullptr);
        return response;
    }

    HttpResponse stream(const HttpRequest& request,
                        const std::function<bool(std::string_view chunk)>& on_chunk) override {
        HttpResponse response;
        Lease lease(*this, request.context);
        lease->run(request, response, &on_chunk);
        return response;
    }

private:
    // A handle taken from the pool for one transfer; given back when destroyed.
    class Lease {
    public:
        Lease(CurlTransport& pool, const CallContext& context)
            : m_pool(pool), m_handle(pool.acquire(context)) {}
        ~Lease() { m_pool.release(std::move(m_handle)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        CurlHandle* operator->() const { return m_handle.get(); }

    private:
        CurlTransport& m_pool;
        std::unique_ptr<CurlHandle> m_handle;
    };

    std::unique_ptr<CurlHandle> acquire(const CallContext& context) {
        std::unique_lock lock(m_mutex);
        const auto available = [&] { return !m_idle.empty() || m_made < m_options.max_connections; };
        if (!available()) {
            // Every handle is busy: wait for one, or for the context to end the wait. The registration is
            // made and dropped without the pool's lock: its callback takes that lock.
            lock.unlock();
            const auto registration = context.on_cancel([this] {
                { std::lock_guard wake(m_mutex); }
                m_free.notify_all();
            });
            lock.lock();
            const auto ready = [&] { return available() || context.cancelled(); };
            bool in_time = true;
            if (auto deadline = context.deadline())
                in_time = m_free.wait_until(lock, *deadline, ready);
            else
                m_free.wait(lock, ready);
            if (!in_time || context.cancelled()) {
                lock.unlock();
                if (!in_time)
                    throw TransportError("no free connection before the deadline", CURLE_OPERATION_TIMEDOUT,
                                         true);
                throw TransportError("cancelled", CURLE_ABORTED_BY_CALLBACK);
            }
            auto handle = take(lock);
            lock.unlock();  // before `registration` is dropped
            return handle;
        }
        return take(lock);
    }

    // A free handle, or a new one when there is none (the caller checked that one may be made).
    std::unique_ptr<CurlHandle> take(std::unique_lock<std::mutex>& lock) {
        if (!m_idle.empty()) {
            auto handle = std::move(m_idle.back());
            m_idle.pop_back();
            return handle;
        }
        ++m_made;
        lock.unlock();
        try {
            auto handle = std::make_unique<CurlHandle>(m_options, m_share);
            lock.lock();
            return handle;
        } catch (...) {
            lock.lock();
            --m_made;
            lock.unlock();  // left unlocked: a registration may be dropped as the exception leaves
            m_free.notify_one();
            throw;
        }
    }

    void release(std::unique_ptr<CurlHandle> handle) noexcept {
        {
            std::lock_guard lock(m_mutex);
            m_idle.push_back(std::move(handle));
        }
        m_free.notify_one();
    }

    static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
        static_cast<CurlTransport*>(user)->m_share_locks[static_cast<std::size_t>(data) % share_locks].lock();
    }
    static void unlock(CURL*, curl_lock_data data, void* user) {
        static_cast<CurlTransport*>(user)
            ->m_share_locks[static_cast<std::size_t>(data) % share_locks]
            .unlock();
    }

    static constexpr std::size_t share_locks = CURL_LOCK_DATA_LAST;
    TransportOptions m_options;
    CURLSH* m_share = nullptr;
    std::mutex m_share_locks[share_locks];
    std::mutex m_mutex;
    std::condition_variable m_free;
    std::vector<std::unique_ptr<CurlHandle>> m_idle;
    std::size_t m_made = 0;  // handles in existence (idle or leased)
};

}  // namespace

std::shared_ptr<Transport> make_curl_transport(const TransportOptions& options) {
    return std::make_shared<CurlTransport>(options);
}

std::string curl_version() {
    return ::curl_version();
}

}  // namespace agentrail
