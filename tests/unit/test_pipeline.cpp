// The request pipeline's policies, each on its own over the fake transport, and the whole chain.

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "agentrail/client.hpp"
#include "agentrail/context.hpp"
#include "fake_transport.hpp"
#include "pipeline.hpp"

using namespace agentrail;
using namespace agentrail::detail;
using namespace agentrail::test;
using namespace std::chrono_literals;

namespace {

template <typename... P>
Pipeline chain(std::shared_ptr<FakeTransport> fake, std::unique_ptr<P>... policies) {
    std::vector<std::unique_ptr<Policy>> list;
    (list.push_back(std::move(policies)), ...);
    return Pipeline(std::move(list), std::move(fake));
}

Call get_call(std::string path = "/tasks/tsk_1") {
    Call call;
    call.request.method = Method::get;
    call.request.url = "http://127.0.0.1:3000" + path;
    call.path = std::move(path);
    return call;
}

struct Recorded {
    std::vector<std::string> lines;
    Logger logger(std::string key = "ar_secret_key_123") {
        return Logger([this](LogLevel, std::string_view m) { lines.emplace_back(m); }, LogLevel::trace,
                      std::move(key));
    }
};

RetryingPolicy::Settings no_sleep(std::vector<std::chrono::milliseconds>& sleeps) {
    RetryingPolicy::Settings s;
    s.sleep = [&sleeps](std::chrono::milliseconds d) { sleeps.push_back(d); };
    s.random = [] { return 0.5; };
    return s;
}

const std::string error_503 = R"({"error":{"code":"fallback_mode","message":"m","details":{}}})";

}  // namespace

TEST_CASE("auth policy: a bearer header on authenticated calls only", "[pipeline][auth]") {
    auto fake = std::make_shared<FakeTransport>();
    auto p = chain(fake, std::make_unique<AuthPolicy>("ar_key_123456"));
    fake->reply(200, "{}").reply(200, "{}");
    auto call = get_call();
    p.send(call);
    CHECK(header_of(fake->last(), "Authorization") == "Bearer ar_key_123456");
    auto anonymous = get_call();
    anonymous.authenticated = false;
    p.send(anonymous);
    CHECK_FALSE(find_header(fake->last().headers, "Authorization"));

    auto keyless = chain(fake, std::make_unique<AuthPolicy>(""));
    fake->reply(200, "{}");
    auto call2 = get_call();
    keyless.send(call2);
    CHECK_FALSE(find_header(fake->last().headers, "Authorization"));
}

TEST_CASE("idempotency policy: sends the key and attaches it to the error", "[pipeline][idempotency]") {
    auto fake = std::make_shared<FakeTransport>();
    auto p = chain(fake, std::make_unique<IdempotencyPolicy>(), std::make_unique<ErrorMappingPolicy>());
    fake->reply(409, R"({"error":{"code":"conflict","message":"m","details":{}}})");
    auto call = get_call();
    call.request.method = Method::post;
    call.idempotency_key = "key-123456789";
    try {
        p.send(call);
        FAIL("expected a ConflictError");
    } catch (const ConflictError& e) {
        CHECK(e.idempotency_key() == "key-123456789");
    }
    CHECK(header_of(fake->last(), "Idempotency-Key") == "key-123456789");

    fake->fail_network();
    auto again = get_call();
    again.idempotency_key = "key-abcdefghi";
    try {
        p.send(again);
        FAIL("expected a TransportError");
    } catch (const TransportError& e) {
        CHECK(e.idempotency_key() == "key-abcdefghi");
    }

    fake->reply(200, "{}");
    auto none = get_call();
    p.send(none);
    CHECK_FALSE(find_header(fake->last().headers, "Idempotency-Key"));
}

TEST_CASE("error mapping policy: 2xx passes, anything else is the matching ApiError", "[pipeline][errors]") {
    auto fake = std::make_shared<FakeTransport>();
    auto p = chain(fake, std::make_unique<ErrorMappingPolicy>());
    fake->reply(204, "");
    auto ok = get_call();
    CHECK(p.send(ok).status == 204);

    fake->reply(429,
                R"({"error":{"code":"rate_limited","message":"slow","details":{"retryAfterSeconds":9}}})",
                {{"x-request-id", "req_1"}, {"retry-after", "4"}});
    auto limited = get_call("/tasks/mine?cursor=abc");
    try {
        p.send(limited);
        FAIL("expected a RateLimitError");
    } catch (const RateLimitError& e) {
        CHECK(e.info().method == "GET");
        CHECK(e.info().path == "/tasks/mine");  // no query: cursors stay out of messages
        CHECK(e.request_id() == "req_1");
        CHECK(e.retry_after() == std::optional<std::chrono::seconds>(4s));  // the header wins
        CHECK(e.code() == "rate_limited");
    }

    fake->reply(302, "", {{"location", "https://elsewhere.example/x"}});
    auto moved = get_call();
    try {
        p.send(moved);
        FAIL("expected an ApiError");
    } catch (const ApiError& e) {
        CHECK(e.kind() == ErrorKind::protocol);
        CHECK(e.api_message() == "redirected to https://elsewhere.example/x; not followed");
    }
}

TEST_CASE("server_retry_after: the header, else the body's retryAfterSeconds", "[pipeline][retry]") {
    HttpResponse r{429, {{"retry-after", "3"}}, R"({"error":{"details":{"retryAfterSeconds":9}}})"};
    CHECK(server_retry_after(r) == std::optional<std::chrono::seconds>(3s));
    r.headers.clear();
    CHECK(server_retry_after(r) == std::optional<std::chrono::seconds>(9s));
    r.body = "{}";
    CHECK_FALSE(server_retry_after(r).has_value());
    CHECK(is_retryable_status(RetryPolicy{}, 503));
    CHECK_FALSE(is_retryable_status(RetryPolicy{}, 404));
}

TEST_CASE("retry policy: statuses and network errors are retried with backoff", "[pipeline][retry]") {
    auto fake = std::make_shared<FakeTransport>();
    std::vector<std::chrono::milliseconds> sleeps;
    Recorded log;
    auto p = chain(fake, std::make_unique<RetryingPolicy>(no_sleep(sleeps), log.logger()));
    fake->reply(503, error_503).fail_network().reply(200, "{}");
    auto call = get_call();
    CHECK(p.send(call).status == 200);
    CHECK(fake->requests().size() == 3);
    CHECK(sleeps == std::vector<std::chrono::milliseconds>{1000ms, 2000ms});
    REQUIRE(log.lines.size() == 2);
    CHECK(log.lines[0] == "HTTP 503, retrying in 1000 ms (attempt 2/3)");
    CHECK(log.lines[1] == "network error, retrying in 2000 ms (attempt 3/3)");

    SECTION("the last answer is returned as a value when attempts run out") {
        fake->reply(503, error_503).reply(503, error_503).reply(503, error_503);
        auto again = get_call();
        CHECK(p.send(again).status == 503);
    }
    SECTION("a POST without a key, or a call that must not retry, gets one attempt") {
        fake->reply(503, error_503);
        auto post = get_call();
        post.request.method = Method::post;
        CHECK(p.send(post).status == 503);
        fake->reply(503, error_503);
        auto once = get_call();
        once.retry = false;
        CHECK(p.send(once).status == 503);
        CHECK(fake->pending() == 0);
    }
}

TEST_CASE("retry policy: the context's deadline bounds the attempts and the waits",
          "[pipeline][retry][context]") {
    auto fake = std::make_shared<FakeTransport>();
    std::vector<std::chrono::milliseconds> sleeps;
    Recorded log;
    auto p = chain(fake, std::make_unique<RetryingPolicy>(no_sleep(sleeps), log.logger()));
    fake->reply(503, error_503);
    auto call = get_call();
    call.request.context = CallContext().with_timeout(500ms);
    CHECK(p.send(call).status == 503);  // waiting 1000 ms would pass the deadline: not retried
    CHECK(sleeps.empty());
    CHECK(fake->last().timeout > 0ms);
    CHECK(fake->last().timeout <= 500ms);
}

TEST_CASE("retry policy: cancelling the context ends a wait between attempts at once",
          "[pipeline][retry][context]") {
    auto fake = std::make_shared<FakeTransport>();
    RetryingPolicy::Settings settings;  // no custom sleep: waits on the context
    settings.random = [] { return 0.5; };
    auto p = chain(fake, std::make_unique<RetryingPolicy>(settings, Logger()));
    fake->reply(503, error_503, {{"retry-after", "20"}});
    CallContext context;
    auto call = get_call();
    call.request.context = context;
    std::thread canceller([context] {
        std::this_thread::sleep_for(50ms);
        context.cancel();
    });
    const auto started = std::chrono::steady_clock::now();
    try {
        p.send(call);
        FAIL("expected a TransportError");
    } catch (const TransportError& e) {
        CHECK(std::string(e.what()) == "cancelled");
        CHECK(e.code() == cancelled_code);
    }
    canceller.join();
    CHECK(std::chrono::steady_clock::now() - started < 5s);
    CHECK(fake->requests().size() == 1);

    auto after = get_call();
    after.request.context = context;
    CHECK_THROWS_AS(p.send(after), TransportError);  // already cancelled: nothing is sent
    CHECK(fake->requests().size() == 1);
}

TEST_CASE("log policy: each attempt, redacted", "[pipeline][log]") {
    auto fake = std::make_shared<FakeTransport>();
    Recorded log;
    auto p = chain(fake, std::make_unique<LogPolicy>(log.logger("ar_secret_key_123")));
    fake->reply(200, R"({"apiKey":"ar_secret_key_123"})");
    auto call = get_call();
    call.request.method = Method::post;
    call.request.body = R"({"x":"ar_secret_key_123"})";
    call.idempotency_key = "key-123456789";
    p.send(call);
    REQUIRE(log.lines.size() == 4);
    CHECK(log.lines[0] == "-> POST http://127.0.0.1:3000/tasks/tsk_1 (Idempotency-Key: key-123456789)");
    CHECK(log.lines[1] == R"(-> body {"x":"***"})");
    CHECK(log.lines[2].rfind("<- 200 (30 bytes, ", 0) == 0);
    CHECK(log.lines[3] == R"(<- body {"apiKey":"***"})");

    fake->fail_network();
    auto failed = get_call();
    CHECK_THROWS_AS(p.send(failed), TransportError);
    CHECK(log.lines.back() == "<- no response: connection refused (fake)");
}

TEST_CASE("the client's chain: auth, idempotency, mapping, retry and log in that order",
          "[pipeline][client]") {
    auto fake = std::make_shared<FakeTransport>();
    std::vector<std::string> lines;
    ClientOptions o;
    o.api_key = "ar_test_key_123456";
    o.transport = fake;
    o.random = [] { return 0.5; };
    o.sleep = [](std::chrono::milliseconds) {};
    o.log = [&lines](LogLevel, std::string_view m) { lines.emplace_back(m); };
    o.log_level = LogLevel::debug;
    Client client(std::move(o));
    fake->reply(503, error_503);
    fake->reply(404, R"({"error":{"code":"not_found","message":"no such task","details":{}}})");
    try {
        client.start_task("tsk_1", {.idempotency_key = "key-123456789"});
        FAIL("expected a NotFoundError");
    } catch (const NotFoundError& e) {
        CHECK(e.idempotency_key() == "key-123456789");  // idempotency sits outside error mapping
        CHECK(e.info().path == "/tasks/tsk_1/start");
    }
    REQUIRE(fake->requests().size() == 2);  // retry sits inside: the 503 was retried, the 404 mapped
    for (const auto& r : fake->requests()) {
        CHECK(r.headers.front().first == "Authorization");
        CHECK(header_of(r, "Idempotency-Key") == "key-123456789");
    }
    // Each attempt is logged (log inside retry): two requests, two answers, one retry note.
    CHECK(std::count_if(lines.begin(), lines.end(),
                        [](const std::string& l) { return l.rfind("-> POST", 0) == 0; }) == 2);
    CHECK(std::count_if(lines.begin(), lines.end(),
                        [](const std::string& l) { return l.rfind("<- ", 0) == 0; }) == 2);
}
