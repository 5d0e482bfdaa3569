// WebhookListener (cli/webhook_listener.cpp) on real loopback sockets (127.0.0.1, a port it picks): many
// clients at once through the accept loop, the worker pool and its bounded queue; handlers and follow-ups
// one at a time; the 413/408/503 answers; and its ends: a cancelled context (from another thread, from a
// follow-up, from a failing handler) or a passed deadline, which wake every wait through the wake
// descriptor. The ThreadSanitizer tree runs these for the listener's threads. Every wait is bounded.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "agentrail/context.hpp"
#include "webhook_listener.hpp"

using agentrail::CallContext;
using agentrail::cli::ListenerReply;
using agentrail::cli::ReceivedRequest;
using agentrail::cli::WebhookListener;
using namespace std::chrono_literals;

namespace {

using Handler = std::function<ListenerReply(const ReceivedRequest&)>;

// The helpers make no Catch2 assertions (they are not thread-safe): a failure shows as a missing answer.

/// A connection to the listener whose reads give up after `read_timeout`; -1 when none could be made.
int listener_connect(int port, std::chrono::seconds read_timeout = 10s) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    timeval wait{static_cast<time_t>(read_timeout.count()), 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    return fd;
}

void listener_send(int fd, const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;  // the listener closed it (e.g. after a 413): the answer tells
        sent += static_cast<std::size_t>(n);
    }
}

/// Everything the listener sends until it closes the connection (or the read timeout passes).
std::string listener_read_all(int fd) {
    std::string answer;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, static_cast<std::size_t>(n));
    return answer;
}

std::string listener_request(const std::string& target, const std::string& body) {
    return "POST " + target +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

/// POSTs `body` to `target` and returns the whole answer.
std::string listener_post(int port, const std::string& target, const std::string& body) {
    int fd = listener_connect(port);
    listener_send(fd, listener_request(target, body));
    auto answer = listener_read_all(fd);
    if (fd >= 0) ::close(fd);
    return answer;
}

int listener_status(const std::string& answer) {
    if (answer.rfind("HTTP/1.1 ", 0) != 0 || answer.size() < 12) return 0;
    return std::stoi(answer.substr(9, 3));
}

std::string listener_body(const std::string& answer) {
    auto end = answer.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : answer.substr(end + 4);
}

/// serve() in a thread of its own. The destructor cancels `ctx` and joins, so a failed check does not
/// leave it running.
class Serving {
public:
    Serving(WebhookListener& listener, Handler handler, CallContext ctx, std::size_t max_body = 1 << 20,
            std::size_t workers = 4, std::chrono::milliseconds request_deadline = 30s)
        : m_ctx(std::move(ctx)) {
        auto done = std::make_shared<std::promise<void>>();
        m_done = done->get_future();
        m_thread = std::thread([&listener, handler = std::move(handler), ctx = m_ctx, max_body, workers,
                                request_deadline, done] {
            try {
                listener.serve(handler, ctx, max_body, workers, request_deadline);
                done->set_value();
            } catch (...) {
                done->set_exception(std::current_exception());
            }
        });
    }
    ~Serving() {
        m_ctx.cancel();
        if (m_thread.joinable()) m_thread.join();
    }
    Serving(const Serving&) = delete;
    Serving& operator=(const Serving&) = delete;

    /// True once serve() returned (or threw), waiting up to `limit`.
    bool ended_within(std::chrono::milliseconds limit) {
        return m_done.wait_for(limit) == std::future_status::ready;
    }
    /// serve()'s outcome: rethrows what it threw. Call after ended_within(). The thread is joined first,
    /// so that its last release of the promise happens before the exception is read here.
    void result() {
        m_thread.join();
        m_done.get();
    }

private:
    CallContext m_ctx;
    std::future<void> m_done;
    std::thread m_thread;
};

/// Counts how many callers are inside at once, and the most there ever were.
struct Overlap {
    std::atomic<int> inside{0};
    std::atomic<int> most{0};
    void enter() {
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
    }
    void leave() { --inside; }
};

/// A handler that counts its calls and answers 200 {}.
auto counting(std::atomic<int>& calls) {
    return [&calls](const ReceivedRequest&) {
        ++calls;
        return ListenerReply{200, "{}", {}};
    };
}

}  // namespace

TEST_CASE(
    "WebhookListener: concurrent POSTs each reach the handler once and get their own answer, "
    "handlers and follow-ups run one at a time, cancelling ends serve() and its silent connections",
    "[listener]") {
    WebhookListener listener("127.0.0.1", 0);
    REQUIRE(listener.port() > 0);
    CHECK(listener.url() == "http://127.0.0.1:" + std::to_string(listener.port()) + "/");

    constexpr int kClients = 6;
    constexpr int kPerClient = 8;
    Overlap handlers, follow_ups;
    std::map<std::string, int> seen;       // target -> handler calls; handlers are serialised by serve()
    std::vector<std::string> followed_up;  // follow-ups too, under a lock of their own
    Handler handler = [&](const ReceivedRequest& request) {
        handlers.enter();
        ++seen[request.target];
        std::this_thread::sleep_for(200us);  // widen the window in which a second handler would overlap
        handlers.leave();
        ListenerReply reply{200, R"({"echo":")" + request.body + R"("})", {}};
        reply.then = [&, target = request.target] {
            follow_ups.enter();
            followed_up.push_back(target);
            std::this_thread::sleep_for(200us);
            follow_ups.leave();
        };
        return reply;
    };

    CallContext ctx;
    Serving serving(listener, handler, ctx, 1 << 20, 4, 30s);

    // Two clients that start a request and go silent hold two of the four workers in their reads.
    std::vector<int> silent;
    for (int i = 0; i < 2; ++i) {
        silent.push_back(listener_connect(listener.port()));
        listener_send(silent.back(), "POST /silent HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
    }

    std::vector<std::thread> clients;
    std::mutex answers_mutex;
    std::map<std::string, std::string> answers;  // target -> answer
    for (int c = 0; c < kClients; ++c) {
        clients.emplace_back([&, c] {
            for (int r = 0; r < kPerClient; ++r) {
                const std::string target = "/c" + std::to_string(c) + "/r" + std::to_string(r);
                auto answer = listener_post(listener.port(), target, "body-" + std::to_string(c * 100 + r));
                std::lock_guard lock(answers_mutex);
                answers[target] = answer;
            }
        });
    }
    for (auto& t : clients) t.join();

    REQUIRE(answers.size() == kClients * kPerClient);
    for (int c = 0; c < kClients; ++c) {
        for (int r = 0; r < kPerClient; ++r) {
            const std::string target = "/c" + std::to_string(c) + "/r" + std::to_string(r);
            INFO(target << ": " << answers[target]);
            CHECK(listener_status(answers[target]) == 200);
            CHECK(listener_body(answers[target]) ==
                  R"({"echo":"body-)" + std::to_string(c * 100 + r) + R"("})");
        }
    }

    CHECK_FALSE(serving.ended_within(0ms));
    ctx.cancel();
    REQUIRE(serving.ended_within(10s));  // woken: the silent connections' 30 s deadline did not hold it up
    serving.result();

    // serve() has joined its workers: every follow-up has run, and nothing reads `seen` concurrently.
    CHECK(seen.size() == kClients * kPerClient);
    CHECK(seen.count("/silent") == 0);
    for (const auto& [target, calls] : seen) {
        INFO(target);
        CHECK(calls == 1);
    }
    CHECK(followed_up.size() == kClients * kPerClient);
    CHECK(handlers.most.load() == 1);
    CHECK(follow_ups.most.load() == 1);
    for (int fd : silent) {
        CHECK(listener_read_all(fd).empty());  // closed unanswered when serving ended
        ::close(fd);
    }
}

TEST_CASE(
    "WebhookListener: a body over max_body gets 413 and a request past its deadline 408, without "
    "reaching the handler",
    "[listener]") {
    WebhookListener listener("127.0.0.1", 0);
    std::atomic<int> calls{0};
    std::string last_body;
    Handler handler = [&](const ReceivedRequest& request) {
        ++calls;
        last_body = request.body;
        return ListenerReply{200, "{}", {}};
    };
    CallContext ctx;
    Serving serving(listener, handler, ctx, 64, 2, 300ms);

    const std::string fits(64, 'x');
    const std::string too_big(65, 'y');
    CHECK(listener_status(listener_post(listener.port(), "/big", too_big)) == 413);
    // Chunked: a chunk that takes the body past the limit.
    int chunked = listener_connect(listener.port());
    listener_send(chunked, "POST /chunked HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" +
                               std::string(32, 'a') + "\r\n21\r\n" + std::string(33, 'b') + "\r\n0\r\n\r\n");
    CHECK(listener_status(listener_read_all(chunked)) == 413);
    ::close(chunked);
    // A request that stops halfway is answered 408 once its deadline passed; serving goes on.
    int slow = listener_connect(listener.port());
    listener_send(slow, "POST /slow HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
    auto slow_answer = listener_read_all(slow);
    ::close(slow);
    CHECK(listener_status(slow_answer) == 408);
    CHECK(calls.load() == 0);

    CHECK(listener_status(listener_post(listener.port(), "/fits", fits)) == 200);
    ctx.cancel();
    REQUIRE(serving.ended_within(10s));
    serving.result();
    CHECK(calls.load() == 1);
    CHECK(last_body == fits);
}

TEST_CASE("WebhookListener: a full queue answers 503 at once, what was queued is served", "[listener]") {
    WebhookListener listener("127.0.0.1", 0);
    std::mutex gate_mutex;
    std::condition_variable gate_cv;
    bool first_inside = false;
    bool released = false;
    std::atomic<int> calls{0};
    Handler handler = [&](const ReceivedRequest& request) {
        ++calls;
        if (request.target == "/first") {
            std::unique_lock lock(gate_mutex);
            first_inside = true;
            gate_cv.notify_all();
            gate_cv.wait_for(lock, 20s, [&] { return released; });
        }
        return ListenerReply{200, "{}", {}};
    };
    CallContext ctx;
    Serving serving(listener, handler, ctx, 1 << 20, 1, 30s);

    // The only worker is held in the handler of the first request ...
    int first = listener_connect(listener.port());
    listener_send(first, listener_request("/first", "{}"));
    {
        std::unique_lock lock(gate_mutex);
        REQUIRE(gate_cv.wait_for(lock, 10s, [&] { return first_inside; }));
    }
    // ... so the next 64 connections wait in the queue (accepted in order), and the one after them is
    // turned away at once.
    constexpr int kQueue = 64;
    std::vector<int> queued;
    for (int i = 0; i < kQueue; ++i) {
        queued.push_back(listener_connect(listener.port()));
        listener_send(queued.back(), listener_request("/queued/" + std::to_string(i), "{}"));
    }
    int turned_away = listener_connect(listener.port());
    auto busy = listener_read_all(turned_away);
    ::close(turned_away);
    CHECK(listener_status(busy) == 503);
    CHECK(listener_body(busy).find(R"("code":"busy")") != std::string::npos);

    {
        std::lock_guard lock(gate_mutex);
        released = true;
    }
    gate_cv.notify_all();
    CHECK(listener_status(listener_read_all(first)) == 200);
    ::close(first);
    int answered = 0;
    for (int fd : queued) {
        if (listener_status(listener_read_all(fd)) == 200) ++answered;
        ::close(fd);
    }
    CHECK(answered == kQueue);
    ctx.cancel();
    REQUIRE(serving.ended_within(10s));
    serving.result();
    CHECK(calls.load() == 1 + kQueue);
}

TEST_CASE(
    "WebhookListener: a follow-up that cancels the context ends serve(), the listener serves again "
    "under a new context, a cancelled context ends it at once",
    "[listener]") {
    WebhookListener listener("127.0.0.1", 0);
    const CallContext parent;
    int printed = 0;
    {
        const CallContext serving_ctx = parent.child();
        Handler handler = [&](const ReceivedRequest&) {
            return ListenerReply{200, "{}", [&] {
                                     if (++printed == 3) serving_ctx.cancel();  // as --count 3 does
                                 }};
        };
        Serving serving(listener, handler, serving_ctx);
        int idle = listener_connect(listener.port());  // holds a worker in its read
        for (int i = 0; i < 3; ++i) CHECK(listener_status(listener_post(listener.port(), "/", "{}")) == 200);
        REQUIRE(serving.ended_within(10s));
        serving.result();
        CHECK(listener_read_all(idle).empty());
        ::close(idle);
    }
    CHECK(printed == 3);
    CHECK_FALSE(parent.cancelled());

    // The wake left by the first serve() does not end the second.
    {
        CallContext again;
        std::atomic<int> calls{0};
        Serving serving(listener, counting(calls), again);
        CHECK(listener_status(listener_post(listener.port(), "/again", "{}")) == 200);
        CHECK_FALSE(serving.ended_within(50ms));
        again.cancel();
        REQUIRE(serving.ended_within(10s));
        serving.result();
        CHECK(calls.load() == 1);
    }

    {
        CallContext already;
        already.cancel();
        Serving serving(
            listener, [](const ReceivedRequest&) { return ListenerReply{}; }, already);
        REQUIRE(serving.ended_within(10s));
        serving.result();
    }
}

TEST_CASE(
    "WebhookListener: a passed context deadline ends serve() normally, its silent connections "
    "unanswered",
    "[listener]") {
    WebhookListener listener("127.0.0.1", 0);
    const auto started = std::chrono::steady_clock::now();
    const CallContext ctx = CallContext().with_timeout(300ms);
    std::atomic<int> calls{0};
    Serving serving(listener, counting(calls), ctx, 1 << 20, 2, 30s);
    CHECK(listener_status(listener_post(listener.port(), "/before", "{}")) == 200);
    int silent = listener_connect(listener.port());
    listener_send(silent, "POST /silent HTTP/1.1\r\n");
    REQUIRE(serving.ended_within(10s));  // the silent connection's own 30 s deadline did not hold it up
    const auto took = std::chrono::steady_clock::now() - started;
    serving.result();  // no exception: the deadline is a normal end
    CHECK(took >= 300ms);
    CHECK_FALSE(ctx.cancelled());
    CHECK(listener_read_all(silent).empty());  // no 408: serving ended, the request did not time out
    ::close(silent);
    CHECK(calls.load() == 1);
}

TEST_CASE("WebhookListener: what a handler throws ends serve() and is rethrown by it", "[listener]") {
    WebhookListener listener("127.0.0.1", 0);
    CallContext ctx;
    Serving serving(
        listener,
        [](const ReceivedRequest& request) -> ListenerReply {
            if (request.target == "/boom") throw std::runtime_error("handler failed");
            return ListenerReply{200, "{}", {}};
        },
        ctx, 1 << 20, 2, 30s);
    int idle = listener_connect(listener.port());  // a connection still being read when it fails
    int boom = listener_connect(listener.port());
    listener_send(boom, listener_request("/boom", "{}"));
    REQUIRE(serving.ended_within(10s));
    CHECK_THROWS_WITH(serving.result(), "handler failed");
    CHECK_FALSE(ctx.cancelled());  // the caller's context is left alone
    CHECK(listener_read_all(idle).empty());
    ::close(idle);
    ::close(boom);
}
