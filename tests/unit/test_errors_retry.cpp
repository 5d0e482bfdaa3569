// Error mapping, the retry rules and the Idempotency-Key policy.

#include <regex>
#include <set>

#include <catch2/catch.hpp>

#include "agentrail/client.hpp"
#include "agentrail/redact.hpp"
#include "client_core.hpp"
#include "fake_transport.hpp"

using namespace agentrail;
using namespace agentrail::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string task_json = json{
    {"data",
     {{"id", "tsk_1"},
      {"identifier", "A-1"},
      {"title", "t"},
      {"description", "d"},
      {"status", "todo"},
      {"priority", "low"},
      {"assignee", {{"id", "agt_a"}, {"name", "A"}}},
      {"acceptanceCriteria", json::array()},
      {"links", json::object()},
      {"context", json::object()},
      {"updatedAt", "2026-05-01T00:00:00Z"},
      {"submissionId", nullptr},
      {"prUrl", nullptr},
      {"availableActions", {"start"}},
      {"blocker", nullptr}}},
    {"availableActions",
     {"start"}}}.dump();

}  // namespace

TEST_CASE("each error status maps to its error kind and class", "[client][errors]") {
    struct Case {
        int status;
        std::string code;
        ErrorKind kind;
    };
    auto c = GENERATE(
        Case{400, "validation_error", ErrorKind::validation},
        Case{401, "unauthorized", ErrorKind::unauthorized},
        Case{403, "insufficient_scope", ErrorKind::forbidden}, Case{403, "forbidden", ErrorKind::forbidden},
        Case{404, "not_found", ErrorKind::not_found}, Case{409, "conflict", ErrorKind::conflict},
        Case{410, "cursor_expired", ErrorKind::cursor_expired},
        Case{429, "rate_limited", ErrorKind::rate_limited}, Case{500, "internal_error", ErrorKind::server},
        Case{501, "not_implemented", ErrorKind::server}, Case{503, "fallback_mode", ErrorKind::server},
        Case{502, "ci_source_auth_failed", ErrorKind::server});
    auto fake = std::make_shared<FakeTransport>();
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    for (int i = 0; i < 3; ++i)
        fake->reply(c.status,
                    error_body(c.code, "it failed", {{"availableActions", {"retry", "list_my_tasks"}}}),
                    {{"x-request-id", "req_123"}});
    try {
        client.get_task("tsk_1");
        FAIL("no exception");
    } catch (const ApiError& e) {
        CHECK(e.kind() == c.kind);
        CHECK(e.status() == c.status);
        CHECK(e.code() == c.code);
        CHECK(e.api_message() == "it failed");
        CHECK(e.available_actions() == std::vector<std::string>{"retry", "list_my_tasks"});
        CHECK(e.request_id() == "req_123");
        CHECK(std::string(e.what()).find("GET /tasks/tsk_1") != std::string::npos);
    }
}

TEST_CASE("typed error classes expose their details", "[client][errors]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);

    fake->reply(403, error_body("insufficient_scope", "no scope",
                                {{"requiredScope", "webhooks:write"}, {"grantedScopes", {"ci:read"}}}));
    try {
        client.list_event_subscriptions();
        FAIL();
    } catch (const ForbiddenError& e) {
        CHECK(e.required_scope() == "webhooks:write");
        CHECK(e.granted_scopes() == std::vector<std::string>{"ci:read"});
    }

    fake->reply(
        400, error_body("validation_error", "bad",
                        {{"fieldErrors", {{{"field", "expectedHeadSha"}, {"reason", "must be 40 chars"}}}}}));
    try {
        client.ship_task("tsk_1", {});
        FAIL();
    } catch (const ValidationError& e) {
        REQUIRE(e.field_errors().size() == 1);
        CHECK(e.field_errors()[0].first == "expectedHeadSha");
        CHECK_FALSE(e.idempotency_key().empty());  // the key of a failed mutation is reported
    }

    fake->reply(
        409, error_body("conflict", "Idempotency-Key has already been used with a different request payload.",
                        {{"idempotencyKey", "submit-v1"}}));
    try {
        client.submit_task("tsk_1", {.summary = "x"}, {.idempotency_key = "submit-v1"});
        FAIL();
    } catch (const ConflictError& e) {
        CHECK(e.is_idempotency_mismatch());
        CHECK(e.idempotency_key() == "submit-v1");
    }

    fake->reply(429, error_body("rate_limited", "slow", {{"retryAfterSeconds", 12}}),
                {{"retry-after", "12"}});
    ClientOptions o;
    o.transport = fake;
    o.retry.max_attempts = 1;
    Client once(std::move(o));
    try {
        once.get_task("tsk_1");
        FAIL();
    } catch (const RateLimitError& e) {
        CHECK(e.retry_after() == std::optional<std::chrono::seconds>(12s));
    }
}

TEST_CASE("a non-JSON error body still yields a clear error", "[client][errors]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    fake->reply(404, "<html><body>nginx says no</body></html>");
    try {
        client.get_task("tsk_1");
        FAIL();
    } catch (const NotFoundError& e) {
        CHECK(e.code().empty());
        std::string what = e.what();
        CHECK(what.find("404") != std::string::npos);
        CHECK(what.find("nginx says no") != std::string::npos);
    }
}

TEST_CASE("malformed success bodies are protocol errors", "[client][errors]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    auto kind = [&](std::string body) {
        fake->reply(200, std::move(body));
        try {
            client.get_task("tsk_1");
        } catch (const Error& e) {
            return e.kind();
        }
        return ErrorKind::invalid_argument;
    };
    CHECK(kind("{not json") == ErrorKind::protocol);
    CHECK(kind(R"({"nodata":1})") == ErrorKind::protocol);
    CHECK(kind(R"([1,2])") == ErrorKind::protocol);
    CHECK(kind(R"({"data":{"id":5}})") == ErrorKind::protocol);  // required field of the wrong type
}

TEST_CASE("429 is retried after Retry-After, then succeeds", "[client][retry]") {
    auto fake = std::make_shared<FakeTransport>();
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    fake->reply(429, error_body("rate_limited", "slow down"), {{"retry-after", "1"}});
    fake->reply(200, task_json);
    CHECK(client.get_task("tsk_1").data.id == "tsk_1");
    CHECK(*sleeps.sleeps == std::vector<std::chrono::milliseconds>{1000ms});
}

TEST_CASE("Retry-After as an HTTP date is honoured", "[client][retry]") {
    auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
    auto d = detail::parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now);
    REQUIRE(d.has_value());
    CHECK(*d == 30s);
    CHECK(detail::parse_retry_after(" 7 ", now) == std::optional<std::chrono::seconds>(7s));
    CHECK_FALSE(detail::parse_retry_after("soon", now).has_value());
    CHECK(detail::parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now) ==
          std::optional<std::chrono::seconds>(0s));
}

TEST_CASE("retryAfterSeconds too large for an integer is capped", "[errors]") {
    // Converting 1e300 to long long is undefined behaviour (found by the api_error fuzzer).
    auto info = parse_api_error(429, R"({"error":{"code":"rate_limited","message":"later",)"
                                     R"("details":{"retryAfterSeconds":1e300}}})");
    CHECK(info.retry_after == std::optional<std::chrono::seconds>(999999999s));
    info = parse_api_error(429, R"({"error":{"code":"rate_limited","message":"later",)"
                                R"("details":{"retryAfterSeconds":-1e300}}})");
    CHECK(info.retry_after == std::optional<std::chrono::seconds>(0s));
    info = parse_api_error(429, R"({"error":{"code":"rate_limited","message":"later",)"
                                R"("details":{"retryAfterSeconds":2.5}}})");
    CHECK(info.retry_after == std::optional<std::chrono::seconds>(2s));
}

TEST_CASE("Retry-After dates centuries away are capped, not overflowed", "[client][retry]") {
    auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
    // Past 2262 the date does not fit system_clock's nanoseconds (found by the api_error fuzzer).
    CHECK(detail::parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now) ==
          std::optional<std::chrono::seconds>(999999999s));
    CHECK(detail::parse_retry_after("Mon, 01 Jan 1900 00:00:00 GMT", now) ==
          std::optional<std::chrono::seconds>(0s));
}

TEST_CASE("5xx is retried with exponential backoff up to max attempts", "[client][retry]") {
    auto fake = std::make_shared<FakeTransport>();
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    for (int i = 0; i < 3; ++i) fake->reply(503, error_body("fallback_mode", "maintenance"));
    CHECK_THROWS_AS(client.get_task("tsk_1"), ServerError);
    CHECK(fake->requests().size() == 3);
    CHECK(*sleeps.sleeps == std::vector<std::chrono::milliseconds>{1000ms, 2000ms});
}

TEST_CASE("backoff doubles, is capped by max_delay and jittered within bounds", "[client][retry]") {
    RetryPolicy p;
    p.initial_delay = 1000ms;
    p.max_delay = 5000ms;
    CHECK(p.backoff(1, 0.5) == 1000ms);
    CHECK(p.backoff(2, 0.5) == 2000ms);
    CHECK(p.backoff(3, 0.5) == 4000ms);
    CHECK(p.backoff(4, 0.5) == 5000ms);
    CHECK(p.backoff(30, 0.5) == 5000ms);
    CHECK(p.backoff(1, 0.0) == 800ms);
    CHECK(p.backoff(1, 0.999) >= 1190ms);
    CHECK(p.backoff(10, 0.999) == 5000ms);
}

TEST_CASE("409 and other 4xx are never retried", "[client][retry]") {
    auto status = GENERATE(400, 401, 403, 404, 409, 410);
    auto fake = std::make_shared<FakeTransport>();
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    fake->reply(status, error_body("x", "no"));
    CHECK_THROWS_AS(client.start_task("tsk_1"), ApiError);
    CHECK(fake->requests().size() == 1);
    CHECK(sleeps.sleeps->empty());
}

TEST_CASE("mutations with an Idempotency-Key are retried and resend the same key and body",
          "[client][retry]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    fake->reply(502, "bad gateway");
    fake->fail_network();
    fake->reply(202, R"({"data":{"taskId":"tsk_1","operationId":"shp_1","status":"queued","queuedAt":"t",
                        "availableActions":[]},"availableActions":[]})");
    TaskShipRequest req{
        .mode = "merge_only", .target_environment = "staging", .expected_head_sha = std::string(40, 'a')};
    auto r = client.ship_task("tsk_1", req);
    REQUIRE(fake->requests().size() == 3);
    CHECK(header_of(fake->requests()[0], "Idempotency-Key") ==
          header_of(fake->requests()[2], "Idempotency-Key"));
    CHECK(fake->requests()[0].body == fake->requests()[2].body);
    CHECK(r.data.status == "queued");
}

TEST_CASE("a POST without an Idempotency-Key is not retried", "[client][retry]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    fake->reply(503, error_body("fallback_mode", "m"));
    CHECK_THROWS_AS(client.ingest_circleci_webhook("{}"), ServerError);
    CHECK(fake->requests().size() == 1);
    fake->fail_network();
    CHECK_THROWS_AS(client.ingest_circleci_webhook("{}"), TransportError);
    CHECK(fake->requests().size() == 2);
}

TEST_CASE("network errors before any response are retried, then surface as transport errors",
          "[client][retry]") {
    auto fake = std::make_shared<FakeTransport>();
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    fake->fail_network().fail_network().fail_network();
    try {
        client.get_task("tsk_1");
        FAIL();
    } catch (const TransportError& e) {
        CHECK(e.kind() == ErrorKind::transport);
        CHECK(e.code() == 7);
    }
    CHECK(fake->requests().size() == 3);
    CHECK(sleeps.sleeps->size() == 2);
}

TEST_CASE("a Retry-After longer than max_delay is reported instead of waited for", "[client][retry]") {
    auto fake = std::make_shared<FakeTransport>();
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    fake->reply(429, error_body("rate_limited", "slow"), {{"retry-after", "3600"}});
    CHECK_THROWS_AS(client.get_task("tsk_1"), RateLimitError);
    CHECK(sleeps.sleeps->empty());
}

TEST_CASE("custom retry policy: statuses, attempts, disabled", "[client][retry]") {
    auto fake = std::make_shared<FakeTransport>();
    ClientOptions o;
    o.transport = fake;
    o.random = [] { return 0.5; };
    std::vector<std::chrono::milliseconds> sleeps;
    o.sleep = [&](std::chrono::milliseconds d) { sleeps.push_back(d); };
    o.retry.max_attempts = 5;
    o.retry.initial_delay = 2000ms;
    o.retry.max_delay = 60000ms;
    o.retry.retryable_statuses = {500};
    Client client(std::move(o));
    for (int i = 0; i < 4; ++i) fake->reply(500, error_body("internal_error", "x"));
    fake->reply(200, task_json);
    client.get_task("tsk_1");
    CHECK(sleeps == std::vector<std::chrono::milliseconds>{2000ms, 4000ms, 8000ms, 16000ms});

    fake->reply(503, error_body("fallback_mode", "x"));  // not in this policy's list
    CHECK_THROWS_AS(client.get_task("tsk_1"), ServerError);
    CHECK(fake->pending() == 0);
}

TEST_CASE("the opt-in derived key helper is stable and differs per task, operation and body",
          "[client][idempotency]") {
    json body = {{"summary", "x"}, {"mode", "artifact"}};
    json same_reordered = json::parse(R"({"mode":"artifact","summary":"x"})");
    auto k = derive_idempotency_key("submit", {"tsk_1"}, body);
    CHECK(k == derive_idempotency_key("submit", {"tsk_1"}, same_reordered));
    CHECK(k != derive_idempotency_key("submit", {"tsk_2"}, body));
    CHECK(k != derive_idempotency_key("ship", {"tsk_1"}, body));
    CHECK(k != derive_idempotency_key("submit", {"tsk_1"}, json{{"summary", "y"}, {"mode", "artifact"}}));
    CHECK(derive_idempotency_key("a", {"b", "c"}, {}) != derive_idempotency_key("a", {"bc"}, {}));
    CHECK(k.size() >= 8);
    CHECK(k.size() <= 128);
    CHECK(k.rfind("ar-submit-", 0) == 0);
    CHECK(canonical_json(same_reordered) == R"({"mode":"artifact","summary":"x"})");
}

TEST_CASE("new_idempotency_key gives UUIDv4 strings, a different one each time", "[client][idempotency]") {
    static const std::regex uuid4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        auto k = new_idempotency_key();
        CHECK(std::regex_match(k, uuid4));
        seen.insert(k);
    }
    CHECK(seen.size() == 1000);
}

TEST_CASE("the same submit twice sends two different keys: each call is a new request",
          "[client][idempotency]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    std::string ok = R"({"data":{"submissionId":"s","taskId":"tsk_1","status":"in_review","acceptedAt":"t",
                         "availableActions":[]},"availableActions":[]})";
    fake->reply(202, ok).reply(202, ok);
    auto a = client.submit_task("tsk_1", {.summary = "x"});
    auto b = client.submit_task("tsk_1", {.summary = "x"});
    const auto& r = fake->requests();
    REQUIRE(r.size() == 2);
    CHECK(header_of(r[0], "Idempotency-Key").size() == 36);
    CHECK(header_of(r[0], "Idempotency-Key") != header_of(r[1], "Idempotency-Key"));
    CHECK(a.idempotency_key == header_of(r[0], "Idempotency-Key"));
    CHECK(b.idempotency_key == header_of(r[1], "Idempotency-Key"));
}

TEST_CASE("one call keeps its key across retries, the next call gets a new one", "[client][idempotency]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    fake->reply(503, error_body("fallback_mode", "m")).fail_network().reply(202, task_json);
    fake->reply(500, error_body("internal_error", "x")).reply(500, error_body("internal_error", "x"));
    fake->reply(500, error_body("internal_error", "x"));
    client.resolve_blocker("tsk_1", {.resolution_summary = "Token added."});
    std::string failed_key;
    try {
        client.resolve_blocker("tsk_1", {.resolution_summary = "Token added."});
        FAIL("expected a ServerError");
    } catch (const ServerError& e) {
        failed_key = e.idempotency_key();
    }
    const auto& r = fake->requests();
    REQUIRE(r.size() == 6);
    auto first = header_of(r[0], "Idempotency-Key");
    CHECK(header_of(r[1], "Idempotency-Key") == first);
    CHECK(header_of(r[2], "Idempotency-Key") == first);
    auto second = header_of(r[3], "Idempotency-Key");
    CHECK(second != first);
    CHECK(header_of(r[4], "Idempotency-Key") == second);
    CHECK(header_of(r[5], "Idempotency-Key") == second);
    CHECK(failed_key == second);  // the key of the failed call is the one reported
}

TEST_CASE("a caller's key is sent as given on every call and retry", "[client][idempotency]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    fake->reply(502, "bad gateway").reply(202, task_json).reply(202, task_json);
    client.start_task("tsk_1", {.idempotency_key = "ci-4711-start"});
    client.start_task("tsk_1", {.idempotency_key = "ci-4711-start"});
    for (const auto& req : fake->requests()) CHECK(header_of(req, "Idempotency-Key") == "ci-4711-start");
    CHECK(fake->requests().size() == 3);
}

TEST_CASE("caller idempotency keys must be 8..128 characters", "[client][idempotency]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    CHECK_THROWS_AS(client.start_task("tsk_1", {.idempotency_key = "short"}), Error);
    CHECK_THROWS_AS(client.start_task("tsk_1", {.idempotency_key = std::string(129, 'k')}), Error);
    CHECK(fake->requests().empty());
}

TEST_CASE("helpers: escaping, redaction, loopback detection", "[client]") {
    CHECK(detail::percent_escape("a b/c?d=é") == "a%20b%2Fc%3Fd%3D%C3%A9");
    CHECK(detail::make_path({"tasks", "tsk 1", "ship"}) == "/tasks/tsk%201/ship");
    auto r = agentrail::redact(
        R"(Authorization: Bearer ar_live_abc123 {"secret":"whsec_xyz","apiKey":"k"} ar_local_demo_key)");
    CHECK(r.find("abc123") == std::string::npos);
    CHECK(r.find("whsec_xyz") == std::string::npos);
    CHECK(r.find("demo_key") == std::string::npos);
    CHECK(r.find(R"("apiKey":"k")") == std::string::npos);
    CHECK(r.find("Authorization: Bearer ***") != std::string::npos);
    // Edge cases: separators end a token, short ar_ strings stay, escaped quotes stay inside a value.
    CHECK(agentrail::redact("Bearer  tok,rest") == "Bearer  ***,rest");
    CHECK(agentrail::redact("Bearer ,x") == "Bearer ,x");
    CHECK(agentrail::redact("star_abcdef ar_abc ar_abcd-x") == "star_abcdef ar_abc ***");
    CHECK(agentrail::redact("(whsec_) whsec_k1 xwhsec_k2") == "(whsec_) *** xwhsec_k2");
    CHECK(agentrail::redact(R"({"secret" : "", "api_key":"v\"w", "apiKey": 5})") ==
          R"({"secret" : "***", "api_key":"***", "apiKey": 5})");
    CHECK(agentrail::redact(R"("secret":"unterminated)") == R"("secret":"***)");
    CHECK(detail::is_loopback_url("http://127.0.0.1:3000/v1"));
    CHECK(detail::is_loopback_url("http://127.5.6.7"));
    CHECK(detail::is_loopback_url("http://LOCALHOST:1"));
    CHECK(detail::is_loopback_url("http://[::1]:8080/"));
    CHECK_FALSE(detail::is_loopback_url("http://127.0.0.1.evil.com/"));
    CHECK_FALSE(detail::is_loopback_url("http://10.0.0.1/"));
}
