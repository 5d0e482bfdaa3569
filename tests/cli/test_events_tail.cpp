// `events tail` in-process on scripted SSE bodies: each output path (NDJSON verbatim, human lines, the
// renderer's json/--jq/--quiet), --count/--until, reconnects with Last-Event-ID, gaps, expired cursors,
// --no-retry/--retries, --state-file, --timeout, server errors and bad flags.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "commands/events.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {

// One event's data as the reference server sends it; `task` goes into data.taskId.
std::string tail_event_json(const std::string& id, const std::string& type, const std::string& task = "tsk_A",
                            const std::string& summary = "s") {
    return json{
        {"id", id},
        {"type", type},
        {"occurredAt", "2026-05-01T03:21:04Z"},
        {"sequence", 1},
        {"data",
         {{"taskId", task}, {"taskIdentifier", "DEMO-1"}, {"status", "in_review"}, {"summary", summary}}}}
        .dump();
}

std::string tail_frame(const std::string& id, const std::string& type, const std::string& task = "tsk_A") {
    return "id: " + id + "\nevent: " + type + "\ndata: " + tail_event_json(id, type, task) + "\n\n";
}

const std::string tail_cursor_expired =
    error_body("cursor_expired", "The requested stream cursor is no longer available.",
               {{"replayWindowHours", 72}, {"availableActions", {"reconnect_without_cursor"}}});

std::string tail_read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

/// A transport on which no connection ever gets an answer, each attempt taking a little real time (so a
/// --timeout passes while the stream keeps reconnecting).
class SilentTransport : public FakeTransport {
public:
    HttpResponse stream(const HttpRequest&, const std::function<bool(std::string_view)>&) override {
        ++attempts;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        throw TransportError("connection refused (fake)", 7);
    }
    int attempts = 0;
};

}  // namespace

TEST_CASE("events tail: the output paths", "[cli][events]") {
    CliHarness cli;
    cli.fake->stream_reply({"retry: 5000\n", tail_frame("evt_1", "task.updated"), ": keepalive\n",
                            tail_frame("evt_2", "task.shipped")});
    SECTION("piped (not a TTY): NDJSON, the server's data verbatim") {
        auto r = cli.run({"events", "tail", "--count", "2"});
        CHECK(r.exit == 0);
        CHECK(r.out == tail_event_json("evt_1", "task.updated") + "\n" +
                           tail_event_json("evt_2", "task.shipped") + "\n");
        const auto& request = cli.fake->last();
        CHECK(request.url.rfind("http://127.0.0.1:3000/task-events/stream", 0) == 0);
        CHECK(header_of(request, "Authorization") == "Bearer ar_test_key_123456");
        CHECK(r.err.empty());
    }
    SECTION("-o ndjson: the same on a terminal") {
        cli.terminal.stdout_tty = true;
        auto r = cli.run({"events", "tail", "--count", "2", "-o", "ndjson"});
        CHECK(r.exit == 0);
        REQUIRE(r.ndjson().size() == 2);
        CHECK(r.ndjson()[1]["type"] == "task.shipped");
    }
    SECTION("table on a terminal: one human line per event, 'connected' on stderr") {
        cli.terminal.stdout_tty = true;
        auto r = cli.run({"events", "tail", "--count", "2", "--no-pager"});
        CHECK(r.exit == 0);
        auto first = r.out.substr(0, r.out.find('\n'));
        CHECK(first.find("task.updated") != std::string::npos);
        CHECK(first.find("DEMO-1") != std::string::npos);
        CHECK(first.find("in_review") != std::string::npos);
        CHECK(first.substr(first.size() - 2) == " s");
        CHECK(r.out.find("task.shipped") != std::string::npos);
        CHECK(r.err.find("connected") != std::string::npos);
    }
    SECTION("-o json: each event as JSON through the renderer") {
        auto r = cli.run({"events", "tail", "--count", "2", "-o", "json"});
        CHECK(r.exit == 0);
        std::vector<json> values;  // one (indented) document per event
        std::istringstream in(r.out);
        while ((in >> std::ws).peek() != EOF) {
            json value;
            in >> value;
            values.push_back(value);
        }
        CHECK(r.out.find("\n  \"data\": {") != std::string::npos);
        REQUIRE(values.size() == 2);
        CHECK(values[0] == json::parse(tail_event_json("evt_1", "task.updated")));
    }
    SECTION("--jq, --quiet") {
        auto r = cli.run({"events", "tail", "--count", "2", "--jq", ".type"});
        CHECK(r.exit == 0);
        CHECK(r.out == "task.updated\ntask.shipped\n");
        cli.fake->stream_reply({tail_frame("evt_1", "task.updated")});
        CHECK(cli.run({"events", "tail", "--count", "1", "-q"}).out == "evt_1\n");
    }
    SECTION("the run function alone") {
        cli::EventsTailOptions o;
        o.count = 1;
        o.types = {"task.updated"};
        auto r = cli.call([&](cli::Context& ctx) { return cli::run_events_tail(o, ctx); });
        CHECK(r.exit == 0);
        CHECK(r.out == tail_event_json("evt_1", "task.updated") + "\n");
        CHECK(cli.fake->last().url.find("eventTypes=task.updated") != std::string::npos);
    }
}

TEST_CASE("events tail: --count, --until, filters and the cursor sent", "[cli][events]") {
    CliHarness cli;
    SECTION("--until TYPE:TASK stops at the first match") {
        cli.fake->stream_reply({tail_frame("evt_1", "task.shipped", "tsk_B"),
                                tail_frame("evt_2", "task.updated"), tail_frame("evt_3", "task.shipped"),
                                tail_frame("evt_4", "task.shipped")});
        auto r = cli.run({"events", "tail", "--until", "task.shipped:tsk_A"});
        CHECK(r.exit == 0);
        CHECK(r.ndjson().size() == 3);
        CHECK(r.ndjson().back()["id"] == "evt_3");
    }
    SECTION("--since goes on the first connection; --task and --heartbeat in the query") {
        cli.fake->stream_reply({tail_frame("evt_9", "task.updated")});
        auto r = cli.run({"events", "tail", "--since", "evt_8", "--task", "tsk_A", "--heartbeat", "15",
                          "--type", "task.updated", "--count", "1"});
        CHECK(r.exit == 0);
        const auto& url = cli.fake->last().url;
        CHECK(url.find("cursor=evt_8") != std::string::npos);
        CHECK(url.find("taskId=tsk_A") != std::string::npos);
        CHECK(url.find("heartbeatSeconds=15") != std::string::npos);
    }
    SECTION("--from-start asks for cursor 0") {
        cli.fake->stream_reply({tail_frame("evt_1", "task.updated")});
        CHECK(cli.run({"events", "tail", "--from-start", "--count", "1"}).exit == 0);
        CHECK(cli.fake->last().url.find("cursor=0") != std::string::npos);
    }
}

TEST_CASE("events tail: reconnects, gaps and expired cursors", "[cli][events]") {
    CliHarness cli;
    SECTION("a lost connection reconnects after the last event (Last-Event-ID), --count across both") {
        cli.fake->stream_reply({tail_frame("evt_1", "task.updated")}, /*error_after=*/true);
        cli.fake->stream_reply({tail_frame("evt_1", "task.updated"), tail_frame("evt_2", "task.updated")});
        auto r = cli.run({"events", "tail", "--count", "2"});
        CHECK(r.exit == 0);
        REQUIRE(r.ndjson().size() == 2);  // the repeated evt_1 is dropped
        CHECK(r.ndjson()[1]["id"] == "evt_2");
        REQUIRE(cli.fake->requests().size() == 2);
        CHECK(header_of(cli.fake->requests()[1], "Last-Event-ID") == "evt_1");
        CHECK(cli.sleeps.size() == 1);
        CHECK(r.err.find("event stream reconnecting: connection lost") != std::string::npos);  // logged
        CHECK(r.err.find('\r') == std::string::npos);  // not a terminal: no status line
    }
    SECTION("a 503 reconnects; on a terminal a status line says so") {
        cli.terminal.stderr_tty = true;
        cli.fake->reply(503, error_body("fallback_mode", "maintenance"));
        cli.fake->stream_reply({tail_frame("evt_1", "task.updated")});
        auto r = cli.run({"events", "tail", "--count", "1"});
        CHECK(r.exit == 0);
        CHECK(r.err.find("reconnecting (attempt 1, next in") != std::string::npos);
        CHECK(r.err.find("\r\x1b[K") != std::string::npos);  // cleared once connected
    }
    SECTION("a lost position: carries on live, the gap on stderr (text, then --errors json)") {
        for (bool json_errors : {false, true}) {
            cli.fake->stream_reply({tail_frame("evt_1", "task.updated")}, true);
            cli.fake->reply(410, tail_cursor_expired);
            cli.fake->stream_reply({tail_frame("evt_7", "task.updated")});
            std::vector<std::string> args = {"events", "tail", "--count", "2"};
            if (json_errors) args.insert(args.end(), {"--errors", "json"});
            auto r = cli.run(args);
            INFO(r.err);
            CHECK(r.exit == 0);
            CHECK(r.ndjson().size() == 2);
            CHECK(header_of(cli.fake->last(), "Last-Event-ID").empty());
            if (json_errors) {
                auto at = r.err.find("{\"gap\":");
                REQUIRE(at != std::string::npos);
                auto gap = json::parse(r.err.substr(at, r.err.find('\n', at) - at)).at("gap");
                CHECK(gap["reason"] == "cursor_expired");
                CHECK(gap["lastEventId"] == "evt_1");
                CHECK(gap["check"] == "agentrail tasks list --all");
            } else {
                CHECK(r.err.find("warning: events from ") != std::string::npos);
                CHECK(r.err.find("may be missing (the server no longer has the position after evt_1)") !=
                      std::string::npos);
            }
        }
    }
    SECTION("a clean end with no event to resume from: reconnects, the gap said") {
        cli.fake->stream_reply({": keepalive\n"});
        cli.fake->stream_reply({tail_frame("evt_1", "task.updated")});
        auto r = cli.run({"events", "tail", "--count", "1"});
        CHECK(r.exit == 0);
        CHECK(r.err.find("reconnected with no event to resume from") != std::string::npos);
    }
    SECTION("--since a cursor the server no longer has: exit 15") {
        cli.fake->reply(410, tail_cursor_expired);
        auto r = cli.run({"events", "tail", "--since", "evt_old"});
        CHECK(r.exit == 15);
        CHECK(r.err.find("the cursor evt_old is outside the server's replay window") != std::string::npos);
        cli.fake->reply(410, tail_cursor_expired);
        auto j = cli.run({"events", "tail", "--since", "evt_old", "--errors", "json"});
        CHECK(j.exit == 15);
        CHECK(j.error_json()["code"] == "cursor_expired");
    }
    SECTION("--from-start on a server that rejects cursor 0: exit 15, said so") {
        cli.fake->reply(410, tail_cursor_expired);
        auto r = cli.run({"events", "tail", "--from-start"});
        CHECK(r.exit == 15);
        CHECK(r.err.find("cannot replay from the start of its replay window") != std::string::npos);
    }
}

TEST_CASE("events tail: --no-retry, --retries, --timeout", "[cli][events]") {
    CliHarness cli;
    SECTION("--no-retry: a stream the server closed is exit 10, after printing what came") {
        cli.fake->stream_reply({tail_frame("evt_1", "task.updated")});
        auto r = cli.run({"events", "tail", "--no-retry"});
        CHECK(r.exit == 10);
        CHECK(r.out == tail_event_json("evt_1", "task.updated") + "\n");
        CHECK(
            r.err.find("the server closed the event stream after 1 events; not reconnecting (--no-retry)") !=
            std::string::npos);
        CHECK(cli.fake->requests().size() == 1);
    }
    SECTION("--no-retry: a lost connection is exit 10, nothing retried") {
        cli.fake->fail_network();
        CHECK(cli.run({"events", "tail", "--no-retry"}).exit == 10);
        CHECK(cli.fake->requests().size() == 1);
        CHECK(cli.sleeps.empty());
    }
    SECTION("--retries 2: gives up after the third failed connection") {
        cli.fake->fail_network().fail_network().fail_network();
        auto r = cli.run({"events", "tail", "--retries", "2"});
        CHECK(r.exit == 10);
        CHECK(cli.fake->requests().size() == 3);
        CHECK(cli.sleeps.size() == 2);
    }
    SECTION("--timeout while no server ever answered: exit 10, not a quiet stream") {
        auto silent = std::make_shared<SilentTransport>();
        cli.fake = silent;
        auto r = cli.run({"events", "tail", "--timeout", "100ms"});
        CHECK(r.exit == 10);
        CHECK(r.err.find("no server answered the event stream before --timeout 100ms") != std::string::npos);
        CHECK(silent->attempts >= 1);
    }
}

TEST_CASE("events tail: --state-file", "[cli][events]") {
    CliHarness cli;
    TempFile state("");
    SECTION("each printed event's id is saved; the next run resumes after it") {
        cli.fake->stream_reply({tail_frame("evt_1", "task.updated"), tail_frame("evt_2", "task.updated")});
        CHECK(cli.run({"events", "tail", "--state-file", state.path, "--count", "2"}).exit == 0);
        CHECK(tail_read(state.path).find("evt_2") != std::string::npos);
        cli.fake->stream_reply({tail_frame("evt_3", "task.updated")});
        CHECK(cli.run({"events", "tail", "--state-file", state.path, "--count", "1", "-o", "json"}).exit ==
              0);
        CHECK(cli.fake->last().url.find("cursor=evt_2") != std::string::npos);
        CHECK(tail_read(state.path).find("evt_3") != std::string::npos);
    }
    SECTION("--since wins over the saved id") {
        std::ofstream(state.path) << "evt_2\n";
        cli.fake->stream_reply({tail_frame("evt_9", "task.updated")});
        CHECK(cli.run({"events", "tail", "--state-file", state.path, "--since", "evt_8", "--count", "1"})
                  .exit == 0);
        CHECK(cli.fake->last().url.find("cursor=evt_8") != std::string::npos);
    }
    SECTION("a state file in a directory that does not exist: exit 2") {
        auto r = cli.run({"events", "tail", "--state-file", "/nonexistent/dir/state"});
        CHECK(r.exit == 2);
        CHECK(r.err.find("--state-file") != std::string::npos);
        CHECK(cli.fake->requests().empty());
    }
}

TEST_CASE("events tail: server errors and bad flags", "[cli][events]") {
    CliHarness cli;
    SECTION("401, 403, 404 end it at once with their exit codes") {
        for (auto [status, code, exit] : std::vector<std::tuple<int, std::string, int>>{
                 {401, "unauthorized", 3}, {403, "insufficient_scope", 4}, {404, "not_found", 5}}) {
            cli.fake->reply(status, error_body(code, "no"));
            auto r = cli.run({"events", "tail", "--errors", "json"});
            INFO(status);
            CHECK(r.exit == exit);
            CHECK(r.error_json()["code"] == code);
        }
        CHECK(cli.sleeps.empty());
    }
    SECTION("no API key: exit 3 before anything is sent") {
        cli.env.erase("AGENTRAIL_API_KEY");
        CHECK(cli.run({"events", "tail"}).exit == 3);
        CHECK(cli.fake->requests().empty());
    }
    SECTION("bad flags: exit 2 with the message, nothing sent") {
        for (const auto& [args, message] : std::vector<std::pair<std::vector<std::string>, std::string>>{
                 {{"--until", "task.updated:"}, "--until: expected TYPE or TYPE:TASK_ID"},
                 {{"--until", ":tsk_A"}, "--until: expected TYPE or TYPE:TASK_ID"},
                 {{"--timeout", "soon"}, "--timeout"},
                 {{"--stall-timeout", "x"}, "--stall-timeout"},
                 {{"--heartbeat", "5"}, "--heartbeat"},
                 {{"--count", "0"}, "--count"},
                 {{"--since", "evt_1", "--from-start"}, "--from-start"},
             }) {
            std::vector<std::string> full = {"events", "tail"};
            full.insert(full.end(), args.begin(), args.end());
            auto r = cli.run(full);
            INFO(args.front() + " " + r.err);
            CHECK(r.exit == 2);
            CHECK(r.err.find(message) != std::string::npos);
        }
        CHECK(cli.fake->requests().empty());
    }
}
