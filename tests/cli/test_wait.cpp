// `task wait` and `task ci --watch` in-process on the fake transport: the result in each format, the
// progress on stderr, the exit codes of a condition reached, unreachable or timed out, the polling
// fallback, usage errors and the errors that end a wait at once.

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "commands/wait.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {

const std::string T = "tsk_1";

/// GET /tasks/{id}: the contract's task in `status` with a submission (or none) and these actions.
std::string task_reply(const std::string& status, const json& submission = "sub_1",
                       const std::vector<std::string>& actions = {"view_task"}) {
    json t = example("GET /tasks/{id} 200 default")["data"];
    t["id"] = T;
    t["status"] = status;
    t["submissionId"] = submission;
    t["availableActions"] = actions;
    return envelope(t, actions);
}

/// GET /tasks/{id}/ci-status: `overall`, with `done` of 2 checks finished (passed).
std::string ci_reply(const std::string& overall, int done) {
    json ci = example("GET /tasks/{id}/ci-status 200 green")["data"];
    ci["taskId"] = T;
    ci["overallStatus"] = overall;
    ci["summary"] = {{"total", 2},
                     {"passed", overall == "failed" ? done - 1 : done},
                     {"failed", overall == "failed" ? 1 : 0},
                     {"running", 2 - done},
                     {"queued", 0},
                     {"cancelled", 0},
                     {"skipped", 0}};
    return envelope(ci, {"view_task"});
}

std::string review_reply(const std::string& outcome) {
    json review = example("GET /tasks/{id}/review-feedback 200 changes_requested")["data"];
    review["taskId"] = T;
    if (outcome.empty())
        review["latestDecision"] = nullptr;
    else
        review["latestDecision"]["outcome"] = outcome;
    return envelope(review);
}

std::string event_frame(const std::string& id) {
    json data = {{"id", id},      {"type", "task.updated"}, {"occurredAt", "2026-05-28T20:00:00Z"},
                 {"sequence", 1}, {"taskVersion", 1},       {"data", {{"taskId", T}, {"summary", "s"}}}};
    return "id: " + id + "\nevent: task.updated\ndata: " + data.dump() + "\n\n";
}

/// The stream connects, then an event for the task arrives: two looks (CI running, then passed).
void script_ci_passes(FakeTransport& fake) {
    fake.stream_reply({": connected\n", event_frame("evt_1")});
    fake.reply(200, task_reply("in_review")).reply(200, ci_reply("running", 1));
    fake.reply(200, task_reply("in_review", "sub_1", {"ship"})).reply(200, ci_reply("passed", 2));
}

/// The stream is refused (no events:read scope): the state is polled.
void refuse_stream(FakeTransport& fake) {
    fake.reply(403, error_body("insufficient_scope", "The events:read scope is required."));
}

std::vector<std::string> wait_args(std::initializer_list<std::string> more) {
    std::vector<std::string> args = {"task", "wait", T};
    args.insert(args.end(), more);
    return args;
}

}  // namespace

TEST_CASE("task wait: reached after an event, in each format", "[cli][wait]") {
    CliHarness cli;
    script_ci_passes(*cli.fake);
    SECTION("json: the result object, no progress on stderr") {
        auto r = cli.run(wait_args({"--until", "ci=passed", "--json"}));
        CHECK(r.exit == 0);
        auto j = r.json();
        CHECK(j["taskId"] == T);
        CHECK(j["until"] == "ci=passed");
        CHECK(j["outcome"] == "reached");
        CHECK(j["detail"] == "CI passed");
        CHECK(j["status"] == "in_review");
        CHECK(j["availableActions"] == json::array({"ship"}));
        CHECK(j["ci"]["overallStatus"] == "passed");
        CHECK(j["task"]["id"] == T);
        CHECK(j["waitedSeconds"].is_number());
        CHECK_FALSE(j.contains("review"));
        CHECK(r.err.empty());
        CHECK(cli.fake->pending() == 0);
        CHECK(cli.fake->requests()[0].url.find("/task-events/stream?") != std::string::npos);
    }
    SECTION("table: the fields; one progress line per change on stderr") {
        auto r = cli.run(wait_args({"--until", "ci=passed"}));
        CHECK(r.exit == 0);
        CHECK(r.out.find("reached") != std::string::npos);
        CHECK(r.out.find("CI passed") != std::string::npos);
        CHECK(r.out.find("Waited (s)") != std::string::npos);
        CHECK(r.err.find("tsk_1: waiting for ci=passed\n") != std::string::npos);
        CHECK(r.err.find("tsk_1: waiting for ci=passed: task in_review, CI running 1/2\n") !=
              std::string::npos);
        CHECK(r.err.find("tsk_1: task in_review, CI passed 2/2\n") != std::string::npos);
        CHECK(r.err.find('\x1b') == std::string::npos);
    }
    SECTION("-q: the outcome alone, no progress") {
        auto r = cli.run(wait_args({"--until", "ci=passed", "-q"}));
        CHECK(r.exit == 0);
        CHECK(r.out == "reached\n");
        CHECK(r.err.empty());
    }
    SECTION("ndjson: one line") {
        auto r = cli.run(wait_args({"--until", "ci=passed", "-o", "ndjson"}));
        CHECK(r.exit == 0);
        auto lines = r.ndjson();
        REQUIRE(lines.size() == 1);
        CHECK(lines[0]["outcome"] == "reached");
    }
}

TEST_CASE("task wait: the run function on its options", "[cli][wait]") {
    CliHarness cli;
    cli.fake->stream_reply({": connected\n"});
    cli.fake->reply(200, task_reply("in_review", "sub_1", {"ship"}));
    cli::TaskWaitOptions o;
    o.id = T;
    o.until = "action=ship";
    auto r = cli.call([&](cli::Context& ctx) { return cli::run_task_wait(o, ctx); },
                      [](cli::GlobalOptions& g) { g.json = true; });
    CHECK(r.exit == 0);
    CHECK(r.json()["detail"] == "task offers ship");
}

TEST_CASE("task wait: a condition that can no longer be reached exits 13", "[cli][wait]") {
    CliHarness cli;
    SECTION("CI failed while waiting for it to pass") {
        cli.fake->stream_reply({": connected\n"});
        cli.fake->reply(200, task_reply("in_review")).reply(200, ci_reply("failed", 2));
        auto r = cli.run(wait_args({"--until", "ci=passed", "--json"}));
        CHECK(r.exit == 13);
        CHECK(r.json()["outcome"] == "failed");
        CHECK(r.json()["ci"]["overallStatus"] == "failed");
        CHECK(r.err.find("wait_failed: ci=passed cannot be reached: CI failed") != std::string::npos);
    }
    SECTION("changes requested while waiting for approval") {
        cli.fake->stream_reply({": connected\n"});
        cli.fake->reply(200, task_reply("in_review")).reply(200, review_reply("changes_requested"));
        auto r = cli.run(wait_args({"--until", "review=approved", "--errors", "json"}));
        CHECK(r.exit == 13);
        CHECK(r.out.find("changes_requested") != std::string::npos);
        auto e = json::parse(r.err.substr(r.err.find("{\"error\"")))["error"];
        CHECK(e["code"] == "wait_failed");
        CHECK(e["message"] == "review=approved cannot be reached: review changes_requested");
    }
    SECTION("a done task cannot reach another status") {
        cli.fake->stream_reply({": connected\n"});
        cli.fake->reply(200, task_reply("done"));
        auto r = cli.run(wait_args({"--until", "status=in_review", "-q"}));
        CHECK(r.exit == 13);
        CHECK(r.out == "failed\n");
        CHECK(r.err.find("task is done and can no longer reach status=in_review") != std::string::npos);
    }
}

TEST_CASE("task wait: the timeout exits 14 with the state at the end", "[cli][wait]") {
    CliHarness cli;
    refuse_stream(*cli.fake);
    cli.fake->reply(200, task_reply("in_progress"));
    auto r = cli.run(wait_args({"--until", "status=done", "--timeout", "100ms", "--poll-interval", "10s"}));
    CHECK(r.exit == 14);
    CHECK(r.out.find("timeout") != std::string::npos);
    CHECK(r.err.find(
              "error: wait for task tsk_1 until status=done: wait_timeout: timed out after 100ms waiting "
              "for status=done (task is in_progress)") != std::string::npos);
}

TEST_CASE("task wait: polls when the event stream is refused", "[cli][wait]") {
    CliHarness cli;
    refuse_stream(*cli.fake);
    cli.fake->reply(200, task_reply("in_progress"));
    cli.fake->reply(200, task_reply("done"));
    auto r = cli.run(wait_args({"--until", "status=done", "--poll-interval", "1ms", "-v", "--json"}));
    CHECK(r.exit == 0);
    CHECK(r.json()["outcome"] == "reached");
    CHECK(r.err.find("event stream unavailable (") != std::string::npos);
    CHECK(r.err.find("polling every 1 ms") != std::string::npos);
    CHECK(cli.fake->pending() == 0);
}

TEST_CASE("task wait: usage errors exit 2 before anything is sent", "[cli][wait]") {
    CliHarness cli;
    for (const char* until : {"ci=green", "colour=red", "status", "review=maybe", "action=Ship", "=x"}) {
        CAPTURE(until);
        auto r = cli.run(wait_args({"--until", until}));
        CHECK(r.exit == 2);
        CHECK(r.err.find("--until") != std::string::npos);
    }
    CHECK(cli.run(wait_args({"--until", "ci=passed", "--poll-interval", "soon"})).exit == 2);
    CHECK(cli.run(wait_args({"--until", "ci=passed", "--timeout", "-1s"})).exit == 2);
    CHECK(cli.run({"task", "wait", "not a task", "--until", "ci=passed"}).exit == 2);
    CHECK(cli.fake->requests().empty());
}

TEST_CASE("task wait: errors that will not clear end it at once with their exit code", "[cli][wait]") {
    CliHarness cli;
    cli.fake->stream_reply({": connected\n"});
    SECTION("404 on the task: exit 5") {
        cli.fake->reply(404, error_body("not_found", "Task not found."));
        auto r = cli.run(wait_args({"--until", "ci=passed"}));
        CHECK(r.exit == 5);
        CHECK(r.err.find("error: wait for task tsk_1 until ci=passed: not_found: Task not found") !=
              std::string::npos);
    }
    SECTION("404 'CI source not found' once submitted: exit 5") {
        cli.fake->reply(200, task_reply("in_review"));
        cli.fake->reply(404, error_body("not_found", "CI source not found for task."));
        auto r = cli.run(wait_args({"--until", "ci=passed", "--timeout", "20s"}));
        CHECK(r.exit == 5);
        CHECK(r.err.find("CI source not found") != std::string::npos);
    }
    SECTION("403 on the review feedback: exit 4") {
        cli.fake->reply(200, task_reply("in_review"));
        cli.fake->reply(403, error_body("forbidden", "Task is not assigned to this agent."));
        auto r = cli.run(wait_args({"--until", "review=approved"}));
        CHECK(r.exit == 4);
    }
    CHECK(cli.fake->pending() == 0);
}

TEST_CASE("task ci --watch: plain lines when piped, the final status, exit codes", "[cli][wait]") {
    CliHarness cli;
    SECTION("piped table: one line per change; CI failed exits 13") {
        cli.fake->stream_reply({": connected\n", event_frame("evt_1")});
        cli.fake->reply(200, task_reply("in_review")).reply(200, ci_reply("running", 1));
        cli.fake->reply(200, task_reply("in_review")).reply(200, ci_reply("failed", 2));
        auto r = cli.run({"task", "ci", T, "--watch", "--timeout", "20s", "-o", "table"});
        CHECK(r.exit == 13);
        CHECK(r.out.find("tsk_1: CI running (1 passed, 1 running)\n") != std::string::npos);
        CHECK(r.out.find("tsk_1: CI failed (1 passed, 1 failed)\n") != std::string::npos);
        CHECK(r.out.find('\x1b') == std::string::npos);
        CHECK(r.err.find("ci_failed: CI failed") != std::string::npos);
    }
    SECTION("--json: the final CI status") {
        script_ci_passes(*cli.fake);
        auto r = cli.run({"task", "ci", T, "--watch", "--json"});
        CHECK(r.exit == 0);
        CHECK(r.json()["overallStatus"] == "passed");
        CHECK(r.json()["taskId"] == T);
    }
    SECTION("the run function: the timeout exits 14") {
        refuse_stream(*cli.fake);
        cli.fake->reply(200, task_reply("in_review")).reply(200, ci_reply("running", 1));
        cli::CiWatchOptions o{T, "100ms"};
        auto r = cli.call([&](cli::Context& ctx) { return cli::run_ci_watch(o, ctx); });
        CHECK(r.exit == 14);
        CHECK(r.err.find("wait_timeout: timed out after 100ms (task is in_review)") != std::string::npos);
    }
    SECTION("no submission yet, then the timeout: no CI request") {
        refuse_stream(*cli.fake);
        cli.fake->reply(200, task_reply("todo", nullptr));
        auto r = cli.run({"task", "ci", T, "--watch", "--timeout", "100ms", "-q"});
        CHECK(r.exit == 14);
        CHECK(cli.fake->requests().size() == 2);
    }
    SECTION("--timeout without --watch is a usage error") {
        auto r = cli.run({"task", "ci", T, "--timeout", "1s"});
        CHECK(r.exit == 2);
        CHECK(r.err.find("needs --watch") != std::string::npos);
        CHECK(cli.fake->requests().empty());
    }
    SECTION("without --watch: the CI status once") {
        cli.fake->reply(200, ci_reply("passed", 2));
        auto r = cli.run({"task", "ci", T, "--json"});
        CHECK(r.exit == 0);
        CHECK(r.json()["overallStatus"] == "passed");
        CHECK(cli.fake->requests().size() == 1);
    }
    CHECK(cli.fake->pending() == 0);
}

TEST_CASE("task wait and task ci --watch on a terminal: redrawn in place", "[cli][wait]") {
    CliHarness cli;
    script_ci_passes(*cli.fake);
    SECTION("task wait: the status line on stderr is redrawn and erased before the result") {
        cli.terminal.stderr_tty = true;
        cli.terminal.width = 100;
        auto r = cli.run(wait_args({"--until", "ci=passed"}));
        CHECK(r.exit == 0);
        CHECK(r.err.find("\r\x1b[K") != std::string::npos);
        CHECK(r.err.find("tsk_1: ") != std::string::npos);
        CHECK(r.err.substr(r.err.rfind('\r')) == "\r\x1b[K");  // nothing left on the line
        CHECK(r.out.find("reached") != std::string::npos);
    }
    SECTION("task ci --watch: the checks block on stdout, then next steps") {
        cli.terminal.stdout_tty = true;
        cli.terminal.width = 100;
        auto r = cli.run({"task", "ci", T, "--watch", "--no-pager"});
        CHECK(r.exit == 0);
        CHECK(r.out.find("\x1b[") != std::string::npos);
        CHECK(r.out.find("unit-tests") != std::string::npos);  // a check of the CI run, by name
        CHECK(r.out.find("passed") != std::string::npos);
    }
}
