// Limits against hostile or broken servers, on the pure parts: JSON nesting depth, SSE line/event size and
// `retry:` cap, cycling page cursors, the per-call deadline, redirects and unmapped 4xx statuses, dot
// segments in path ids.

#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "agentrail/client.hpp"
#include "agentrail/errors.hpp"
#include "agentrail/events.hpp"
#include "agentrail/json.hpp"
#include "client_core.hpp"
#include "fake_transport.hpp"

using namespace agentrail;
using namespace agentrail::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string nested(std::size_t depth, char open = '[', char close = ']') {
    return std::string(depth, open) + std::string(depth, close);
}

std::string page_json(const std::string& next) {
    return json{{"data", json::array()}, {"page", {{"nextCursor", next}, {"hasMore", true}}}}.dump();
}

std::string event_frame(const std::string& id) {
    return "id: " + id + "\nevent: task.updated\ndata: {\"id\":\"" + id + "\",\"type\":\"task.updated\"}\n\n";
}

}  // namespace

TEST_CASE("parse_json refuses nesting past the limit before building anything", "[json][hostile]") {
    CHECK(parse_json(nested(512)).is_array());
    CHECK_THROWS_WITH(parse_json(nested(513)), Catch::Contains("nested too deeply"));
    CHECK_THROWS_WITH(parse_json(nested(100000)), Catch::Contains("nested too deeply"));
    CHECK_THROWS_WITH(parse_json("{\"a\":" + nested(600, '{', '}')), Catch::Contains("nested too deeply"));
    try {
        (void)parse_json(nested(100000));
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::protocol);
    }
    // Brackets inside strings (escaped quotes included) do not count.
    CHECK(parse_json("[\"" + std::string(1000, '[') + "\\\"" + std::string(1000, '{') + "\"]").is_array());
    CHECK(parse_json(nested(3), 3).is_array());
    CHECK_THROWS(parse_json(nested(4), 3));
    // Not JSON: a discarded value, as nlohmann::json::parse(text, nullptr, false) gives.
    CHECK(parse_json("{nope").is_discarded());
    CHECK(parse_json("").is_discarded());
    CHECK_FALSE(json_too_deep("]]]]]][[["));
}

TEST_CASE("a deeply nested response is a protocol error naming the nesting", "[json][hostile]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    fake->reply(200, nested(100000));
    try {
        client.request(Method::get, "/deep");
        FAIL("no exception");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::protocol);
        CHECK_THAT(e.what(), Catch::Contains("nested too deeply"));
    }
    // An error answer keeps its status's kind; the body is described instead of parsed.
    fake->reply(404, nested(100000));
    try {
        client.get_task("tsk_1");
        FAIL("no exception");
    } catch (const NotFoundError& e) {
        CHECK_THAT(e.api_message(), Catch::Contains("nested too deeply"));
    }
}

TEST_CASE("an event's data nested too deeply is a protocol error", "[json][hostile]") {
    StreamEvent event{"evt_1", "task.updated", nested(100000)};
    CHECK_THROWS_WITH(event.parse(), Catch::Contains("nested too deeply"));
}

TEST_CASE("an event whose data nests too deeply is delivered raw and does not end the stream",
          "[stream][hostile]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({"id: evt_1\ndata: " + nested(100000) + "\n\n"});
    auto client = make_test_client(fake);
    auto stream = client.stream_events();
    std::vector<StreamEvent> got;
    stream.run([&](const StreamEvent& e) {
        got.push_back(e);
        return false;
    });
    REQUIRE(got.size() == 1);
    CHECK(got[0].type == "message");
    CHECK(got[0].data.size() == 200000);
}

TEST_CASE("the SSE parser overflows on a line or an event past its limit", "[sse][hostile]") {
    std::vector<SseEvent> events;
    auto on_event = [&](const SseEvent& e) { events.push_back(e); };

    SECTION("a line without a newline, fed in pieces") {
        SseParser parser(1024);
        parser.feed(event_frame("evt_1"), on_event);
        for (int i = 0; i < 10 && !parser.overflowed(); ++i) parser.feed(std::string(200, 'x'), on_event);
        CHECK(parser.overflowed());
        // Further input is ignored until the next connection.
        parser.feed("\n\n" + event_frame("evt_2"), on_event);
        REQUIRE(events.size() == 1);
        parser.reset_connection();
        CHECK_FALSE(parser.overflowed());
        parser.feed(event_frame("evt_3"), on_event);
        REQUIRE(events.size() == 2);
        CHECK(events[1].id == "evt_3");
        CHECK(parser.last_event_id() == "evt_3");
    }
    SECTION("a long line in one chunk") {
        SseParser parser(1024);
        parser.feed("data: " + std::string(2000, 'y') + "\n\n", on_event);
        CHECK(parser.overflowed());
        CHECK(events.empty());
    }
    SECTION("many short data lines adding up past the limit") {
        SseParser parser(1024);
        std::string many;
        for (int i = 0; i < 100; ++i) many += "data: 0123456789abcdef\n";
        parser.feed(many + "\n", on_event);
        CHECK(parser.overflowed());
        CHECK(events.empty());
    }
    SECTION("up to the limit is fine; the default is 16 MiB") {
        SseParser parser(1024);
        parser.feed("data: " + std::string(1000, 'z') + "\n\n", on_event);
        CHECK_FALSE(parser.overflowed());
        CHECK(events.size() == 1);
        CHECK(SseParser().max_event_bytes() == std::size_t{16} << 20);
    }
}

TEST_CASE("an oversized SSE line drops the connection and resumes from the last id", "[stream][hostile]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({event_frame("evt_1"), "data: " + std::string(3000, 'x')});
    fake->stream_reply({event_frame("evt_2")});
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    StreamOptions options;
    options.max_event_bytes = 1024;
    auto stream = client.stream_events(options);
    std::vector<std::string> reasons;
    stream.on_state([&](StreamState s, std::string_view reason) {
        if (s == StreamState::reconnecting) reasons.emplace_back(reason);
    });
    std::vector<std::string> ids;
    stream.run([&](const StreamEvent& e) {
        ids.push_back(e.id);
        return ids.size() < 2;
    });
    CHECK(ids == std::vector<std::string>{"evt_1", "evt_2"});
    REQUIRE(fake->requests().size() == 2);
    CHECK(header_of(fake->requests()[1], "Last-Event-ID") == "evt_1");
    REQUIRE(reasons.size() == 1);
    CHECK_THAT(reasons[0], Catch::Contains("larger than the limit of 1 KiB"));
}

TEST_CASE("without reconnect an oversized SSE line is a protocol error", "[stream][hostile]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({"data: " + std::string(3000, 'x')});
    auto client = make_test_client(fake);
    StreamOptions options;
    options.max_event_bytes = 1024;
    options.reconnect = false;
    auto stream = client.stream_events(options);
    try {
        stream.run([](const StreamEvent&) { return true; });
        FAIL("no exception");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::protocol);
        CHECK_THAT(e.what(), Catch::Contains("1 KiB"));
    }
}

TEST_CASE("a server's retry: is capped at 60 s", "[stream][hostile]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({"retry: 86400000\n" + event_frame("evt_1")});
    fake->stream_reply({event_frame("evt_2")});
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    auto stream = client.stream_events();
    int n = 0;
    stream.run([&](const StreamEvent&) { return ++n < 2; });
    CHECK(*sleeps.sleeps == std::vector<std::chrono::milliseconds>{60000ms});
}

TEST_CASE("following pages stops at a cursor seen before (A, B, A)", "[client][hostile]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, page_json("A")).reply(200, page_json("B")).reply(200, page_json("A"));
    auto client = make_test_client(fake);
    int pages = 0;
    try {
        client.for_each_task_page({}, [&](const TaskPage&) { return ++pages < 100; });
        FAIL("no exception");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::protocol);
        CHECK_THAT(e.what(), Catch::Contains("the server's page cursor repeated"));
    }
    CHECK(pages == 3);
    CHECK(fake->pending() == 0);
    // The starting cursor counts as seen too.
    fake->reply(200, page_json("S"));
    ListTasksOptions from_s;
    from_s.cursor = "S";
    CHECK_THROWS_WITH(client.for_each_task_page(from_s, [](const TaskPage&) { return true; }),
                      Catch::Contains("cursor repeated"));
}

TEST_CASE("the deadline caps Retry-After waits and retries", "[client][retry][hostile]") {
    auto fake = std::make_shared<FakeTransport>();
    SleepRecorder sleeps;
    ClientOptions o;
    o.base_url = "http://127.0.0.1:3000";
    o.transport = fake;
    o.random = [] { return 0.5; };
    o.sleep = sleeps.fn();
    o.retry.max_attempts = 5;
    o.deadline = 5000ms;
    Client client(std::move(o));

    SECTION("a wait longer than the deadline is not made") {
        fake->reply(429, R"({"error":{"code":"rate_limited","message":"slow","details":{}}})",
                    {{"retry-after", "20"}});
        CHECK_THROWS_AS(client.get_task("tsk_1"), RateLimitError);
        CHECK(sleeps.sleeps->empty());
        CHECK(fake->requests().size() == 1);
    }
    SECTION("each attempt's timeout is cut to the time left") {
        fake->reply(503, "{}", {{"retry-after", "1"}}).reply(200, R"({"data":{}})");
        CHECK(client.request(Method::get, "/x").status == 200);
        REQUIRE(fake->requests().size() == 2);
        CHECK(fake->requests()[0].timeout <= 5000ms);
        CHECK(fake->requests()[0].timeout > 4000ms);
        CHECK(*sleeps.sleeps == std::vector<std::chrono::milliseconds>{1000ms});
    }
}

TEST_CASE("a redirect is a protocol error naming the location, other 4xx are not server errors",
          "[client][errors][hostile]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    fake->reply(302, "", {{"location", "https://elsewhere.example/x"}});
    try {
        client.get_task("tsk_1");
        FAIL("no exception");
    } catch (const ApiError& e) {
        CHECK(e.kind() == ErrorKind::protocol);
        CHECK(e.status() == 302);
        CHECK(e.api_message() == "redirected to https://elsewhere.example/x; not followed");
    }
    for (int status : {405, 408, 413, 414, 415, 418}) {
        fake->reply(status, "<html>no</html>");
        try {
            client.get_task("tsk_1");
            FAIL("no exception");
        } catch (const ApiError& e) {
            CHECK(e.kind() == ErrorKind::validation);
            CHECK(e.status() == status);
        }
    }
}

TEST_CASE("dot-segment ids stay one escaped segment", "[client][hostile]") {
    CHECK(detail::make_path({"tasks", "..", "start"}) == "/tasks/%2E%2E/start");
    CHECK(detail::make_path({"tasks", "."}) == "/tasks/%2E");
    CHECK(detail::make_path({"tasks", "a..b"}) == "/tasks/a..b");
}

TEST_CASE("format_bytes", "[transport]") {
    CHECK(format_bytes(0) == "0 bytes");
    CHECK(format_bytes(1) == "1 byte");
    CHECK(format_bytes(1023) == "1023 bytes");
    CHECK(format_bytes(1536) == "1.5 KiB");
    CHECK(format_bytes(std::size_t{64} << 20) == "64 MiB");
    CHECK(format_bytes(std::size_t{3} << 30) == "3 GiB");
}
