// EventStream against the scripted FakeTransport: delivery, resume, de-duplication, reconnect delays,
// errors and filters.

#include <atomic>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "agentrail/client.hpp"
#include "agentrail/errors.hpp"
#include "agentrail/events.hpp"
#include "fake_transport.hpp"

using namespace agentrail;
using namespace agentrail::test;
using namespace std::chrono_literals;

namespace {

// One SSE event as the reference server frames it. `task` goes into data.taskId.
std::string event_envelope(const std::string& id, const std::string& type,
                           const std::string& task = "tsk_A") {
    return R"({"id":")" + id + R"(","type":")" + type +
           R"(","occurredAt":"2026-05-01T03:21:04Z","sequence":1,"taskVersion":1,"traceId":null,"data":{"taskId":")" +
           task + R"(","summary":"s"}})";
}

std::string event_frame(const std::string& id, const std::string& type, const std::string& task = "tsk_A") {
    return "id: " + id + "\nevent: " + type + "\ndata: " + event_envelope(id, type, task) + "\n\n";
}

const std::string kRetry = "retry: 5000\n";
const std::string kKeepalive = ": keepalive 2026-05-01T03:25:35Z\n";

const std::string kCursorExpired =
    R"({"error":{"code":"cursor_expired","message":"The requested stream cursor is no longer available.",)"
    R"("details":{"replayWindowHours":72,"availableActions":["reconnect_without_cursor"]}}})";
const std::string kUnauthorized =
    R"({"error":{"code":"unauthorized","message":"Invalid API key","details":{}}})";
const std::string kRateLimited =
    R"({"error":{"code":"rate_limited","message":"Concurrent stream limit reached for this agent token.",)"
    R"("details":{"concurrentLimit":3,"availableActions":["retry"]}}})";
const std::string kFallback = R"({"error":{"code":"fallback_mode","message":"maintenance","details":{}}})";

struct Collected {
    std::vector<StreamEvent> events;
    std::vector<std::string> ids() const {
        std::vector<std::string> out;
        for (const auto& e : events) out.push_back(e.id);
        return out;
    }
};

// A handler that records events and stops after `stop_after` of them.
EventStream::Handler collect(Collected& into, std::size_t stop_after) {
    return [&into, stop_after](const StreamEvent& e) {
        into.events.push_back(e);
        return into.events.size() < stop_after;
    };
}

using Sleeps = std::vector<std::chrono::milliseconds>;

}  // namespace

TEST_CASE("events are delivered with their id, type and raw data", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply(
        {kRetry, event_frame("evt_1", "task.updated"), kKeepalive, event_frame("evt_2", "task.shipped")});
    auto client = make_test_client(fake);
    auto stream = client.stream_events();
    Collected got;
    stream.run(collect(got, 2));

    REQUIRE(got.ids() == std::vector<std::string>{"evt_1", "evt_2"});
    CHECK(got.events[0].type == "task.updated");
    CHECK(got.events[1].type == "task.shipped");
    CHECK(got.events[0].data == event_envelope("evt_1", "task.updated"));
    CHECK(stream.connections() == 1);
    CHECK(stream.last_event_id() == "evt_2");

    const auto& req = fake->requests().at(0);
    CHECK(req.method == Method::get);
    CHECK(req.url == "http://127.0.0.1:3000/task-events/stream");
    CHECK(header_of(req, "Accept") == "text/event-stream");
    CHECK(header_of(req, "Cache-Control") == "no-cache");
    CHECK(header_of(req, "Authorization") == "Bearer ar_test_key_123456");
    CHECK(header_of(req, "Last-Event-ID").empty());
    CHECK(req.idle_timeout == 65s);  // 3 x the default 20 s heartbeat + 5 s

    auto parsed = got.events[1].parse();
    CHECK(parsed.id == "evt_2");
    CHECK(parsed.type == "task.shipped");
    CHECK(parsed.task_id() == "tsk_A");
}

TEST_CASE("a reconnect resumes with Last-Event-ID, after the server's retry:, dropping duplicates",
          "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({kRetry + event_frame("evt_1", "task.updated"), event_frame("evt_2", "task.updated")},
                       true);
    fake->stream_reply({kRetry, event_frame("evt_2", "task.updated"), event_frame("evt_3", "task.shipped")});
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    auto stream = client.stream_events();
    std::vector<std::pair<StreamState, std::string>> states;
    stream.on_state(
        [&](StreamState s, std::string_view reason) { states.emplace_back(s, std::string(reason)); });
    Collected got;
    stream.run(collect(got, 3));

    CHECK(got.ids() == std::vector<std::string>{"evt_1", "evt_2", "evt_3"});
    REQUIRE(fake->requests().size() == 2);
    CHECK(header_of(fake->requests()[1], "Last-Event-ID") == "evt_2");
    CHECK(fake->requests()[1].url == "http://127.0.0.1:3000/task-events/stream");
    CHECK(*sleeps.sleeps == Sleeps{5000ms});
    CHECK(stream.connections() == 2);

    std::vector<StreamState> seq;
    for (const auto& s : states) seq.push_back(s.first);
    CHECK(seq == std::vector<StreamState>{StreamState::connecting, StreamState::connected,
                                          StreamState::reconnecting, StreamState::connected,
                                          StreamState::stopped});
}

TEST_CASE("the cursor goes on the first connection only, Last-Event-ID on every one", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({event_frame("evt_5", "task.updated")});  // clean end
    fake->stream_reply({event_frame("evt_6", "task.updated")});
    auto client = make_test_client(fake);
    StreamOptions options;
    options.cursor = "evt_4";
    auto stream = client.stream_events(options);
    CHECK(stream.last_event_id() == "evt_4");
    Collected got;
    stream.run(collect(got, 2));

    REQUIRE(fake->requests().size() == 2);
    CHECK(fake->requests()[0].url == "http://127.0.0.1:3000/task-events/stream?cursor=evt_4");
    CHECK(header_of(fake->requests()[0], "Last-Event-ID") == "evt_4");
    CHECK(fake->requests()[1].url == "http://127.0.0.1:3000/task-events/stream");
    CHECK(header_of(fake->requests()[1], "Last-Event-ID") == "evt_5");
}

TEST_CASE("query parameters are built and escaped", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({event_frame("evt_1", "task.updated")});
    auto client = make_test_client(fake);
    StreamOptions options;
    options.event_types = {"task.updated", "task.shipped"};
    options.task_id = "tsk_A";
    options.heartbeat_seconds = 10;
    options.extra_query = {{"x y", "a&b=c"}};
    options.cursor = "4121";
    auto stream = client.stream_events(options);
    Collected got;
    stream.run(collect(got, 1));
    CHECK(fake->last().url ==
          "http://127.0.0.1:3000/task-events/stream?eventTypes=task.updated,task.shipped&taskId=tsk_A"
          "&heartbeatSeconds=10&x%20y=a%26b%3Dc&cursor=4121");
    CHECK(fake->last().idle_timeout == 35s);  // 3 x 10 s + 5 s
}

TEST_CASE("the stall timeout follows the server's heartbeat header or the option", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({event_frame("evt_1", "task.updated")}, false,
                       {{"x-agentrail-stream-heartbeat-seconds", "30"}});
    fake->stream_reply({event_frame("evt_2", "task.updated")});
    auto client = make_test_client(fake);
    auto stream = client.stream_events();
    Collected got;
    stream.run(collect(got, 2));
    CHECK(fake->requests()[0].idle_timeout == 65s);
    CHECK(fake->requests()[1].idle_timeout == 95s);

    auto fake2 = std::make_shared<FakeTransport>();
    fake2->stream_reply({event_frame("evt_1", "task.updated")});
    auto client2 = make_test_client(fake2);
    StreamOptions options;
    options.stall_timeout = 1500ms;
    auto stream2 = client2.stream_events(options);
    Collected got2;
    stream2.run(collect(got2, 1));
    CHECK(fake2->last().idle_timeout == 1500ms);
}

TEST_CASE("without any hint reconnects back off exponentially", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->fail_network();
    fake->fail_network();
    fake->stream_reply({event_frame("evt_1", "task.updated")}, true);  // an event resets the backoff
    fake->stream_reply({event_frame("evt_2", "task.updated")});
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    auto stream = client.stream_events();
    Collected got;
    stream.run(collect(got, 2));
    CHECK(*sleeps.sleeps == Sleeps{1000ms, 2000ms, 1000ms});
    CHECK(stream.connections() == 4);
}

TEST_CASE("429 and 503 are retried after Retry-After, the larger of it and retry: wins", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({"retry: 1000\n", event_frame("evt_1", "task.updated")}, true);
    fake->reply(429, kRateLimited, {{"retry-after", "3"}});
    fake->reply(503, kFallback, {{"retry-after", "0"}, {"x-agentrail-fallback", "true"}});
    fake->reply(503, kFallback);
    fake->stream_reply({event_frame("evt_2", "task.updated")});
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    auto stream = client.stream_events();
    Collected got;
    stream.run(collect(got, 2));
    CHECK(got.ids() == std::vector<std::string>{"evt_1", "evt_2"});
    // after the cut: retry: 1000; 429: max(1000, 3 s); 503 with Retry-After 0: retry: 1000; 503 bare: retry:
    CHECK(*sleeps.sleeps == Sleeps{1000ms, 3000ms, 1000ms, 1000ms});
    CHECK(stream.connections() == 5);
}

TEST_CASE("Retry-After alone sets the delay on a first connection", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(503, kFallback, {{"retry-after", "7"}});
    fake->reply(429, R"({"error":{"code":"rate_limited","message":"m","details":{"retryAfterSeconds":15}}})");
    fake->stream_reply({event_frame("evt_1", "task.updated")});
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    auto stream = client.stream_events();
    Collected got;
    stream.run(collect(got, 1));
    CHECK(*sleeps.sleeps == Sleeps{7000ms, 15000ms});
}

TEST_CASE("410 ends the stream with CursorExpiredError", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(410, kCursorExpired);
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    StreamOptions options;
    options.cursor = "evt_old";
    auto stream = client.stream_events(options);
    try {
        stream.run([](const StreamEvent&) { return true; });
        FAIL("no exception");
    } catch (const CursorExpiredError& e) {
        CHECK(e.status() == 410);
        CHECK(e.code() == "cursor_expired");
        CHECK(e.available_actions() == std::vector<std::string>{"reconnect_without_cursor"});
    }
    CHECK(fake->requests().size() == 1);
    CHECK(sleeps.sleeps->empty());
}

TEST_CASE("410 on a reconnect also ends the stream", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({event_frame("evt_1", "task.updated")}, true);
    fake->reply(410, kCursorExpired);
    auto client = make_test_client(fake);
    auto stream = client.stream_events();
    Collected got;
    CHECK_THROWS_AS(stream.run(collect(got, 10)), CursorExpiredError);
    CHECK(got.ids() == std::vector<std::string>{"evt_1"});
    CHECK(header_of(fake->last(), "Last-Event-ID") == "evt_1");
}

TEST_CASE("401, 403, 404 and 400 are thrown at once without a reconnect", "[stream]") {
    SECTION("401") {
        auto fake = std::make_shared<FakeTransport>();
        fake->reply(401, kUnauthorized);
        SleepRecorder sleeps;
        auto client = make_test_client(fake, &sleeps);
        auto stream = client.stream_events();
        CHECK_THROWS_AS(stream.run([](const StreamEvent&) { return true; }), UnauthorizedError);
        CHECK(fake->requests().size() == 1);
        CHECK(sleeps.sleeps->empty());
        CHECK(stream.connections() == 1);
    }
    SECTION("403") {
        auto fake = std::make_shared<FakeTransport>();
        fake->reply(403, R"({"error":{"code":"insufficient_scope","message":"m","details":{}}})");
        auto client = make_test_client(fake);
        auto stream = client.stream_events();
        CHECK_THROWS_AS(stream.run([](const StreamEvent&) { return true; }), ForbiddenError);
        CHECK(fake->requests().size() == 1);
    }
    SECTION("404 after a reconnect") {
        auto fake = std::make_shared<FakeTransport>();
        fake->stream_reply({event_frame("evt_1", "task.updated")}, true);
        fake->reply(404, R"({"error":{"code":"not_found","message":"m","details":{}}})");
        auto client = make_test_client(fake);
        auto stream = client.stream_events();
        CHECK_THROWS_AS(stream.run([](const StreamEvent&) { return true; }), NotFoundError);
        CHECK(fake->requests().size() == 2);
    }
    SECTION("400") {
        auto fake = std::make_shared<FakeTransport>();
        fake->reply(400, R"({"error":{"code":"validation_error","message":"m","details":{}}})");
        auto client = make_test_client(fake);
        auto stream = client.stream_events();
        CHECK_THROWS_AS(stream.run([](const StreamEvent&) { return true; }), ValidationError);
    }
}

TEST_CASE("events are filtered by type on the client too", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({event_frame("evt_1", "task.updated"), event_frame("evt_2", "task.shipped"),
                        event_frame("evt_3", "task.ci_failed"), event_frame("evt_4", "task.shipped")});
    auto client = make_test_client(fake);
    StreamOptions options;
    options.event_types = {"task.shipped"};
    auto stream = client.stream_events(options);
    Collected got;
    stream.run(collect(got, 2));
    CHECK(got.ids() == std::vector<std::string>{"evt_2", "evt_4"});
}

TEST_CASE("events are filtered by data.taskId on the client too", "[stream]") {
    // evt_3 mentions tsk_A in its summary but belongs to tsk_B.
    std::string misleading =
        "id: evt_3\nevent: task.updated\ndata: " +
        std::string(R"({"id":"evt_3","type":"task.updated","data":{"summary":"see tsk_A",)") +
        R"("taskId":"tsk_B"}})" + "\n\n";
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply(
        {event_frame("evt_1", "task.updated", "tsk_B"), event_frame("evt_2", "task.updated", "tsk_A"),
         misleading, "id: evt_4\nevent: task.updated\ndata: not json tsk_A\n\n",
         event_frame("evt_5", "task.shipped", "tsk_AB"), event_frame("evt_6", "task.shipped", "tsk_A")});
    auto client = make_test_client(fake);
    StreamOptions options;
    options.task_id = "tsk_A";
    auto stream = client.stream_events(options);
    Collected got;
    stream.run(collect(got, 2));
    CHECK(got.ids() == std::vector<std::string>{"evt_2", "evt_6"});
    CHECK(fake->last().url == "http://127.0.0.1:3000/task-events/stream?taskId=tsk_A");
}

TEST_CASE("unknown event types are delivered with their raw data untouched", "[stream]") {
    const std::string odd =
        R"({"id":"evt_9" , "type":"task.review_approved","data":{"taskId":"tsk_A","x":1.50,"u":"\u00e9"}})";
    const std::string multi = "{\"id\":\"evt_10\",\n\"type\":\"task.ci_recovered\"}";
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({"id: evt_9\nevent: task.review_approved\ndata: " + odd + "\n\n",
                        // no event: field: the type comes from the envelope; data lines are joined with LF
                        "id: evt_10\ndata: {\"id\":\"evt_10\",\ndata: \"type\":\"task.ci_recovered\"}\n\n",
                        "id: evt_11\ndata: plain text\n\n"});
    auto client = make_test_client(fake);
    auto stream = client.stream_events();
    Collected got;
    stream.run(collect(got, 3));
    REQUIRE(got.events.size() == 3);
    CHECK(got.events[0].type == "task.review_approved");
    CHECK(got.events[0].data == odd);
    CHECK(got.events[1].type == "task.ci_recovered");
    CHECK(got.events[1].data == multi);
    CHECK(got.events[2].type == "message");
    CHECK(got.events[2].data == "plain text");
    CHECK_THROWS_AS(got.events[2].parse(), Error);
    try {
        got.events[2].parse();
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::protocol);
    }
}

TEST_CASE("a handler returning false stops at once", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({event_frame("evt_1", "task.updated") + event_frame("evt_2", "task.updated"),
                        event_frame("evt_3", "task.updated")},
                       true);
    auto client = make_test_client(fake);
    auto stream = client.stream_events();
    Collected got;
    stream.run(collect(got, 1));
    CHECK(got.ids() == std::vector<std::string>{"evt_1"});
    CHECK(stream.connections() == 1);
    CHECK(stream.last_event_id() == "evt_1");
}

TEST_CASE("setting the cancel flag ends run() normally", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({event_frame("evt_1", "task.updated"), event_frame("evt_2", "task.updated")}, true);
    auto client = make_test_client(fake);
    CallContext cancel;
    StreamOptions options;
    options.context = cancel;
    auto stream = client.stream_events(options);
    StreamState final_state = StreamState::connecting;
    stream.on_state([&](StreamState s, std::string_view) { final_state = s; });
    int seen = 0;
    stream.run([&](const StreamEvent&) {
        ++seen;
        cancel.cancel();
        return true;
    });
    CHECK(seen == 1);
    CHECK(final_state == StreamState::stopped);
    CHECK(fake->requests().size() == 1);
}

TEST_CASE("max_reconnects consecutive failures rethrow the last error", "[stream]") {
    SECTION("network errors") {
        auto fake = std::make_shared<FakeTransport>();
        fake->fail_network().fail_network().fail_network();
        SleepRecorder sleeps;
        auto client = make_test_client(fake, &sleeps);
        StreamOptions options;
        options.max_reconnects = 2;
        auto stream = client.stream_events(options);
        CHECK_THROWS_AS(stream.run([](const StreamEvent&) { return true; }), TransportError);
        CHECK(stream.connections() == 3);
        CHECK(sleeps.sleeps->size() == 2);
        CHECK(fake->pending() == 0);
    }
    SECTION("server errors") {
        auto fake = std::make_shared<FakeTransport>();
        fake->reply(503, kFallback).reply(502, "bad gateway");
        auto client = make_test_client(fake);
        StreamOptions options;
        options.max_reconnects = 1;
        auto stream = client.stream_events(options);
        try {
            stream.run([](const StreamEvent&) { return true; });
            FAIL("no exception");
        } catch (const ServerError& e) {
            CHECK(e.status() == 502);
        }
    }
    SECTION("an event resets the count") {
        auto fake = std::make_shared<FakeTransport>();
        fake->fail_network();
        fake->stream_reply({event_frame("evt_1", "task.updated")}, true);
        fake->fail_network();
        fake->stream_reply({event_frame("evt_2", "task.updated")});
        auto client = make_test_client(fake);
        StreamOptions options;
        options.max_reconnects = 1;
        auto stream = client.stream_events(options);
        CHECK_THROWS_AS(stream.run([](const StreamEvent&) { return true; }), TransportError);
        CHECK(stream.connections() == 3);  // fail, events + cut, fail: two in a row after the reset
        CHECK(fake->pending() == 1);
    }
    SECTION("streams that end without events count as failures") {
        auto fake = std::make_shared<FakeTransport>();
        fake->stream_reply({kKeepalive}).stream_reply({kRetry});
        auto client = make_test_client(fake);
        StreamOptions options;
        options.max_reconnects = 1;
        auto stream = client.stream_events(options);
        CHECK_THROWS_AS(stream.run([](const StreamEvent&) { return true; }), TransportError);
        CHECK(stream.connections() == 2);
    }
    SECTION("reconnect disabled") {
        auto fake = std::make_shared<FakeTransport>();
        fake->stream_reply({event_frame("evt_1", "task.updated")});
        auto client = make_test_client(fake);
        StreamOptions options;
        options.reconnect = false;
        auto stream = client.stream_events(options);
        Collected got;
        stream.run(collect(got, 10));  // a clean end just returns
        CHECK(got.ids() == std::vector<std::string>{"evt_1"});
        CHECK(stream.connections() == 1);
    }
    SECTION("reconnect disabled: a 503 fallback_mode is thrown after one connection, without a wait") {
        auto fake = std::make_shared<FakeTransport>();
        fake->reply(503, kFallback).reply(503, kFallback);
        SleepRecorder sleeps;
        auto client = make_test_client(fake, &sleeps);
        StreamOptions options;
        options.reconnect = false;
        auto stream = client.stream_events(options);
        CHECK_THROWS_AS(stream.run([](const StreamEvent&) { return true; }), ServerError);
        CHECK(stream.connections() == 1);
        CHECK(sleeps.sleeps->empty());
        CHECK(fake->pending() == 1);
    }
}

TEST_CASE("the de-duplication window is bounded", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({event_frame("evt_1", "task.updated"), event_frame("evt_2", "task.updated"),
                        event_frame("evt_3", "task.updated")},
                       true);
    fake->stream_reply({event_frame("evt_1", "task.updated"), event_frame("evt_3", "task.updated"),
                        event_frame("evt_4", "task.updated")});
    auto client = make_test_client(fake);
    StreamOptions options;
    options.dedupe_window = 2;
    auto stream = client.stream_events(options);
    Collected got;
    stream.run(collect(got, 5));
    // evt_1 fell out of the two-id window and comes again; evt_3 is still remembered.
    CHECK(got.ids() == std::vector<std::string>{"evt_1", "evt_2", "evt_3", "evt_1", "evt_4"});
}

TEST_CASE("ids out of order are de-duplicated too (non-sequential ids, a replay after sequential ones)",
          "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    // Sequential ids, then the server replays evt_9 and evt_10 after evt_11: dropped.
    fake->stream_reply({event_frame("evt_9", "task.updated"), event_frame("evt_10", "task.updated"),
                        event_frame("evt_11", "task.updated"), event_frame("evt_9", "task.updated"),
                        event_frame("evt_10", "task.updated"), event_frame("evt_12", "task.updated")});
    // Ids in no order at all (e.g. random): duplicates still dropped, each new one kept.
    fake->stream_reply({event_frame("b", "task.updated"), event_frame("a", "task.updated"),
                        event_frame("c", "task.updated"), event_frame("a", "task.updated"),
                        event_frame("b", "task.updated"), event_frame("d", "task.updated")});
    auto client = make_test_client(fake);
    {
        auto stream = client.stream_events();
        Collected got;
        stream.run(collect(got, 4));
        CHECK(got.ids() == std::vector<std::string>{"evt_9", "evt_10", "evt_11", "evt_12"});
    }
    {
        auto stream = client.stream_events();
        Collected got;
        stream.run(collect(got, 4));
        CHECK(got.ids() == std::vector<std::string>{"b", "a", "c", "d"});
    }
}

TEST_CASE("on_chunk_end runs after the events of each read", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({event_frame("evt_1", "task.updated") + event_frame("evt_2", "task.updated"),
                        event_frame("evt_3", "task.updated")});
    auto client = make_test_client(fake);
    StreamOptions options;
    std::vector<std::string> log;
    options.on_chunk_end = [&] { log.emplace_back("end"); };
    auto stream = client.stream_events(options);
    stream.run([&](const StreamEvent& e) {
        log.push_back(e.id);
        return e.id != "evt_3";
    });
    CHECK(log == std::vector<std::string>{"evt_1", "evt_2", "end", "evt_3", "end"});
}

TEST_CASE("many events through one stream", "[stream]") {
    std::vector<std::string> chunks;
    const int n = 20000;
    chunks.push_back(kRetry);
    for (int i = 0; i < n; ++i) chunks.push_back(event_frame("evt_" + std::to_string(i), "task.updated"));
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply(std::move(chunks));
    auto client = make_test_client(fake);
    StreamOptions options;
    options.dedupe_window = 100;
    auto stream = client.stream_events(options);
    int count = 0;
    stream.run([&](const StreamEvent&) { return ++count < n; });
    CHECK(count == n);
    CHECK(stream.last_event_id() == "evt_" + std::to_string(n - 1));
}

TEST_CASE("stream logs never carry the API key", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->fail_network();
    fake->stream_reply({event_frame("evt_1", "task.updated")});
    std::vector<std::string> lines;
    ClientOptions o;
    o.api_key = "ar_test_key_123456";
    o.transport = fake;
    o.sleep = [](std::chrono::milliseconds) {};
    o.log = [&](LogLevel, std::string_view m) { lines.emplace_back(m); };
    Client client(std::move(o));
    auto stream = client.stream_events();
    Collected got;
    stream.run(collect(got, 1));
    CHECK_FALSE(lines.empty());
    for (const auto& line : lines) CHECK(line.find("ar_test_key_123456") == std::string::npos);
}

TEST_CASE("event data with a number out of range is a protocol error", "[events]") {
    // nlohmann throws out_of_range, not parse_error, for 1e999 (found by fuzzing).
    StreamEvent event{"7", "task.updated", R"({"id":"evt_1","sequence":1e999})"};
    try {
        event.parse();
        FAIL("out-of-range data parsed");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::protocol);
    }
}

// ---- gaps, wakes and reconnect progress ----

TEST_CASE("a reconnect without a cursor reports a gap from the last byte to the new connection", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    // No event yet: only a keepalive, then the connection drops; the next one has no cursor to offer.
    fake->stream_reply({kRetry, kKeepalive}, true);
    fake->stream_reply({kRetry, event_frame("evt_1", "task.updated")});
    auto client = make_test_client(fake);
    auto stream = client.stream_events();
    std::vector<StreamGap> gaps;
    std::size_t events_at_gap = 99;
    Collected got;
    stream.on_gap([&](const StreamGap& g) {
        gaps.push_back(g);
        events_at_gap = got.events.size();
    });
    auto before = std::chrono::system_clock::now();
    stream.run(collect(got, 1));

    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].reason == "no_cursor");
    CHECK(gaps[0].last_event_id.empty());
    CHECK(gaps[0].from >= before);
    CHECK(gaps[0].from <= gaps[0].to);
    CHECK(events_at_gap == 0);  // reported before the new connection's first event
    CHECK(stream.gaps() == 1);
    CHECK(header_of(fake->last(), "Last-Event-ID").empty());
}

TEST_CASE("a reconnect that resumes from a known cursor is no gap", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({kRetry, event_frame("evt_1", "task.updated")}, true);
    fake->stream_reply({kRetry, event_frame("evt_2", "task.updated")});
    auto client = make_test_client(fake);
    auto stream = client.stream_events();
    int gaps = 0;
    stream.on_gap([&](const StreamGap&) { ++gaps; });
    Collected got;
    stream.run(collect(got, 2));
    CHECK(gaps == 0);
    CHECK(got.ids() == std::vector<std::string>{"evt_1", "evt_2"});
}

TEST_CASE("the first connection is no gap, even after failed attempts", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->fail_network();
    fake->stream_reply({kRetry, event_frame("evt_1", "task.updated")});
    auto client = make_test_client(fake);
    auto stream = client.stream_events();
    int gaps = 0;
    stream.on_gap([&](const StreamGap&) { ++gaps; });
    Collected got;
    stream.run(collect(got, 1));
    CHECK(gaps == 0);
}

TEST_CASE("410 on a reconnect with continue_after_expired_cursor: a gap, then live without a cursor",
          "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({kRetry, event_frame("evt_1", "task.updated")}, true);
    fake->reply(410, kCursorExpired);
    fake->stream_reply({kRetry, event_frame("evt_9", "task.shipped")});
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    StreamOptions options;
    options.continue_after_expired_cursor = true;
    auto stream = client.stream_events(options);
    std::vector<StreamGap> gaps;
    stream.on_gap([&](const StreamGap& g) { gaps.push_back(g); });
    Collected got;
    stream.run(collect(got, 2));

    CHECK(got.ids() == std::vector<std::string>{"evt_1", "evt_9"});
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].reason == "cursor_expired");
    CHECK(gaps[0].last_event_id == "evt_1");
    // evt_1 occurred (2026-05-01T03:21:04Z) before its bytes arrived: the gap starts there, since the
    // events the server lost came after it.
    CHECK(gaps[0].from == std::chrono::system_clock::time_point(std::chrono::seconds(1777605664)));
    REQUIRE(fake->requests().size() == 3);
    CHECK(header_of(fake->requests()[1], "Last-Event-ID") == "evt_1");
    CHECK(header_of(fake->requests()[2], "Last-Event-ID").empty());
    CHECK(sleeps.sleeps->size() == 1);  // after the cut only; the 410 reconnects at once
}

TEST_CASE("a gap starts at the last bytes when the last event claims a later time", "[stream]") {
    // A server whose clock runs ahead: its occurredAt cannot move the start of the gap later (nor can a
    // nonsense time before 1970 move it back).
    const auto when = GENERATE(as<std::string>{}, "2999-01-01T00:00:00Z", "0001-01-01T00:00:00Z");
    std::string ahead = event_envelope("evt_1", "task.updated");
    ahead.replace(ahead.find("2026-05-01T03:21:04Z"), 20, when);
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({kRetry, "id: evt_1\nevent: task.updated\ndata: " + ahead + "\n\n"}, true);
    fake->reply(410, kCursorExpired);
    fake->stream_reply({kRetry, event_frame("evt_9", "task.shipped")});
    auto client = make_test_client(fake);
    StreamOptions options;
    options.continue_after_expired_cursor = true;
    auto stream = client.stream_events(options);
    std::vector<StreamGap> gaps;
    stream.on_gap([&](const StreamGap& g) { gaps.push_back(g); });
    const auto before = std::chrono::system_clock::now();
    Collected got;
    stream.run(collect(got, 2));
    REQUIRE(gaps.size() == 1);
    CHECK(gaps[0].from >= before);
    CHECK(gaps[0].from <= gaps[0].to);
}

TEST_CASE("410 for the caller's own cursor still throws with continue_after_expired_cursor", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(410, kCursorExpired);
    auto client = make_test_client(fake);
    StreamOptions options;
    options.cursor = "evt_old";
    options.continue_after_expired_cursor = true;
    auto stream = client.stream_events(options);
    CHECK_THROWS_AS(stream.run([](const StreamEvent&) { return true; }), CursorExpiredError);
}

namespace {

// Delivers one event, then behaves as the machine would after SIGCONT: the transport's poll notices
// the wake through request.interrupt and aborts; the second connection delivers the next event.
class WakeTransport : public Transport {
public:
    HttpResponse send(const HttpRequest&) override { throw std::logic_error("not used"); }
    HttpResponse stream(const HttpRequest& request,
                        const std::function<bool(std::string_view)>& on_chunk) override {
        requests.push_back(request);
        if (requests.size() == 1) {
            interrupt_before = request.interrupt && request.interrupt();
            on_chunk(kRetry + event_frame("evt_1", "task.updated"));
            notify_process_continued();
            interrupt_after = request.interrupt && request.interrupt();
            throw TransportError("interrupted", 42);
        }
        on_chunk(kRetry + event_frame("evt_2", "task.updated"));
        return HttpResponse{200, {}, {}};
    }
    std::vector<HttpRequest> requests;
    bool interrupt_before = true;
    bool interrupt_after = false;
};

}  // namespace

TEST_CASE("after SIGCONT the stream reconnects at once and resumes from the cursor", "[stream]") {
    auto transport = std::make_shared<WakeTransport>();
    ClientOptions o;
    o.base_url = "http://127.0.0.1:3000";
    o.api_key = "ar_test_key_123456";
    o.transport = transport;
    SleepRecorder sleeps;
    o.sleep = sleeps.fn();
    Client client(std::move(o));
    auto stream = client.stream_events();
    std::vector<ReconnectInfo> reconnects;
    stream.on_reconnect([&](const ReconnectInfo& r) { reconnects.push_back(r); });
    Collected got;
    stream.run(collect(got, 2));

    CHECK_FALSE(transport->interrupt_before);
    CHECK(transport->interrupt_after);
    CHECK(got.ids() == std::vector<std::string>{"evt_1", "evt_2"});
    REQUIRE(transport->requests.size() == 2);
    CHECK(header_of(transport->requests[1], "Last-Event-ID") == "evt_1");
    CHECK(sleeps.sleeps->empty());  // not the server's retry: 5000
    REQUIRE(reconnects.size() == 1);
    CHECK(reconnects[0].delay == 0ms);
    CHECK(stream.gaps() == 0);
}

TEST_CASE("on_reconnect reports the attempt number and its delay", "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->fail_network();
    fake->fail_network();
    fake->stream_reply({kRetry, event_frame("evt_1", "task.updated")});
    auto client = make_test_client(fake);
    auto stream = client.stream_events();
    std::vector<ReconnectInfo> reconnects;
    stream.on_reconnect([&](const ReconnectInfo& r) { reconnects.push_back(r); });
    Collected got;
    stream.run(collect(got, 1));
    REQUIRE(reconnects.size() == 2);
    CHECK(reconnects[0].attempt == 1);
    CHECK(reconnects[1].attempt == 2);
    CHECK(reconnects[0].delay > 0ms);
    CHECK(reconnects[0].reason.find("connection lost") != std::string::npos);
}

TEST_CASE("a 410 for a stream that sent no cursor ends it, even with continue_after_expired_cursor",
          "[stream]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({kRetry, event_frame("evt_1", "task.updated")}, true);
    fake->reply(410, kCursorExpired);  // for evt_1: a gap, reconnect without a cursor
    fake->reply(410, kCursorExpired);  // without any cursor: nothing to drop, so it ends
    auto client = make_test_client(fake);
    StreamOptions options;
    options.continue_after_expired_cursor = true;
    auto stream = client.stream_events(options);
    Collected got;
    CHECK_THROWS_AS(stream.run(collect(got, 10)), CursorExpiredError);
    CHECK(fake->requests().size() == 3);
    CHECK(stream.last_event_id() == "evt_1");
}
