// The `tasks` group in-process: every command's output in each format, its requests, and its error paths
// mapped to exit codes by run_app() (the one place that decides them).

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "commands/tasks.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {

/// The contract's task detail example, renamed and moved to `status`.
json task(const std::string& id, const std::string& key, const std::string& status,
          const std::string& title = "Fix the login bug") {
    json t = example("GET /tasks/{id} 200 default")["data"];
    t["id"] = id;
    t["identifier"] = key;
    t["title"] = title;
    t["status"] = status;
    t["updatedAt"] = "2026-05-28T20:00:00Z";
    t["assignee"] = {{"id", "agt_7"}, {"name", "Ada"}};
    t["assigneeAgentId"] = "agt_7";
    t["headSha"] = "0123456789abcdef0123456789abcdef01234567";
    t["availableActions"] = json::array({"start", "view_task"});
    return t;
}

std::string page(const json& items, bool has_more = false, const std::string& next = "") {
    json p = {{"hasMore", has_more}};
    if (!next.empty()) p["nextCursor"] = next;
    return json{{"data", items}, {"page", p}}.dump();
}

const json two_tasks = json::array({task("tsk_1", "DEMO-1", "todo"), task("tsk_2", "DEMO-2", "in_progress")});

}  // namespace

TEST_CASE("tasks list: a table when piped, one row per task, nothing on stderr", "[cli][tasks]") {
    CliHarness cli;
    cli.fake->reply(200, page(two_tasks));
    auto r = cli.run({"tasks", "list"});
    CHECK(r.exit == 0);
    CHECK(r.err.empty());
    CHECK(cli.fake->last().url == "http://127.0.0.1:3000/tasks/mine");
    CHECK(header_of(cli.fake->last(), "authorization") == "Bearer ar_test_key_123456");
    REQUIRE(r.out.find('\n') != std::string::npos);
    const auto header = r.out.substr(0, r.out.find('\n'));
    for (const char* column : {"ID", "KEY", "STATUS", "PRIORITY", "UPDATED", "NEXT", "TITLE"})
        CHECK(header.find(column) != std::string::npos);
    CHECK(header.find("DUE") == std::string::npos);  // wide-only
    CHECK(r.out.find("tsk_1") != std::string::npos);
    CHECK(r.out.find("DEMO-2") != std::string::npos);
    CHECK(r.out.find("in_progress") != std::string::npos);
    CHECK(r.out.find("2026-05-28T20:00:00Z") != std::string::npos);  // piped: times as sent
    CHECK(r.out.find("Fix the login bug") != std::string::npos);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 3);
}

TEST_CASE("tasks list: --status, --limit and --cursor become the query", "[cli][tasks]") {
    CliHarness cli;
    cli.fake->reply(200, page(json::array()));
    auto r = cli.run({"tasks", "list", "--status", "todo", "--limit", "5", "--cursor", "c1", "-o", "json"});
    CHECK(r.exit == 0);
    CHECK(cli.fake->last().url == "http://127.0.0.1:3000/tasks/mine?status=todo&limit=5&cursor=c1");
    CHECK(r.json() == json::array());
}

TEST_CASE("tasks list: -o json, --json, -o ndjson, --jq, --quiet, --raw", "[cli][tasks]") {
    CliHarness cli;
    SECTION("-o json prints data as an array") {
        cli.fake->reply(200, page(two_tasks));
        auto r = cli.run({"tasks", "list", "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(r.json() == two_tasks);
    }
    SECTION("--json is -o json") {
        cli.fake->reply(200, page(two_tasks));
        auto r = cli.run({"tasks", "list", "--json"});
        CHECK(r.json() == two_tasks);
    }
    SECTION("-o ndjson prints one task per line") {
        cli.fake->reply(200, page(two_tasks));
        auto r = cli.run({"tasks", "list", "-o", "ndjson"});
        CHECK(r.exit == 0);
        auto lines = r.ndjson();
        REQUIRE(lines.size() == 2);
        CHECK(lines[0] == two_tasks[0]);
        CHECK(lines[1] == two_tasks[1]);
    }
    SECTION("--jq runs over the array, strings raw") {
        cli.fake->reply(200, page(two_tasks));
        auto r = cli.run({"tasks", "list", "--jq", ".[].identifier"});
        CHECK(r.exit == 0);
        CHECK(r.out == "DEMO-1\nDEMO-2\n");
    }
    SECTION("--quiet prints the ids") {
        cli.fake->reply(200, page(two_tasks));
        auto r = cli.run({"tasks", "list", "--quiet"});
        CHECK(r.out == "tsk_1\ntsk_2\n");
    }
    SECTION("--raw -o json prints the envelope") {
        cli.fake->reply(200, page(two_tasks, true, "next1"));
        auto r = cli.run({"tasks", "list", "--raw", "-o", "json"});
        CHECK(r.json()["page"]["nextCursor"] == "next1");
        CHECK(r.json()["data"] == two_tasks);
    }
    SECTION("--columns chooses and orders the table's columns") {
        cli.fake->reply(200, page(two_tasks));
        auto r = cli.run({"tasks", "list", "--columns", "key,status"});
        CHECK(r.exit == 0);
        CHECK(r.out.substr(0, r.out.find('\n')).find("KEY") == 0);
        CHECK(r.out.find("tsk_1") == std::string::npos);
        CHECK(r.out.find("Fix the login bug") == std::string::npos);
    }
    SECTION("an unknown --columns name is a usage error naming the choices") {
        cli.fake->reply(200, page(two_tasks));
        auto r = cli.run({"tasks", "list", "--columns", "nope"});
        CHECK(r.exit == 2);
        CHECK(r.err.find("nope") != std::string::npos);
    }
}

TEST_CASE("tasks list --all follows every page into one document", "[cli][tasks]") {
    CliHarness cli;
    cli.fake->reply(200, page(json::array({two_tasks[0]}), true, "p2"));
    cli.fake->reply(200, page(json::array({two_tasks[1]})));
    SECTION("json: one array") {
        auto r = cli.run({"tasks", "list", "--all", "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(r.json() == two_tasks);
    }
    SECTION("ndjson: one line per task") {
        auto r = cli.run({"tasks", "list", "--all", "-o", "ndjson"});
        CHECK(r.ndjson().size() == 2);
    }
    SECTION("--jq: the program sees the whole array once") {
        auto r = cli.run({"tasks", "list", "--all", "--jq", "length"});
        CHECK(r.out == "2\n");
    }
    SECTION("table: both pages' rows under one header") {
        auto r = cli.run({"tasks", "list", "--all"});
        CHECK(r.exit == 0);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 3);
    }
    REQUIRE(cli.fake->requests().size() == 2);
    CHECK(cli.fake->requests()[1].url.find("cursor=p2") != std::string::npos);
}

TEST_CASE("tasks list: usage errors are exit 2 and send nothing", "[cli][tasks][errors]") {
    CliHarness cli;
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"tasks", "list", "--limit", "0"},
             {"tasks", "list", "--status", "done"},
             {"tasks", "list", "--json", "-o", "ndjson"},
             {"tasks", "list", "--bogus"},
         }) {
        auto r = cli.run(args);
        INFO(args.back());
        CHECK(r.exit == 2);
        CHECK(r.out.empty());
        CHECK(r.err.rfind("error", 0) == 0);
    }
    CHECK(cli.fake->requests().empty());
}

TEST_CASE("tasks list: no API key is exit 3 before anything is sent", "[cli][tasks][errors]") {
    CliHarness cli;
    cli.env.erase("AGENTRAIL_API_KEY");
    auto r = cli.run({"tasks", "list"});
    CHECK(r.exit == 3);
    CHECK(r.err.find("AGENTRAIL_API_KEY") != std::string::npos);
    CHECK(cli.fake->requests().empty());
}

TEST_CASE("server errors map to their exit codes", "[cli][tasks][errors]") {
    struct Case {
        int status;
        std::string code;
        int exit;
    };
    for (const auto& c : std::vector<Case>{{400, "validation_failed", 7},
                                           {401, "unauthorized", 3},
                                           {403, "forbidden", 4},
                                           {404, "not_found", 5},
                                           {409, "conflict", 6},
                                           {422, "unprocessable", 7}}) {
        CliHarness cli;
        cli.fake->reply(c.status, error_body(c.code, "the server says no"));
        auto r = cli.run({"tasks", "show", "tsk_1"});
        INFO(c.status);
        CHECK(r.exit == c.exit);
        CHECK(r.out.empty());
        CHECK(r.err.find("show task tsk_1") != std::string::npos);
        CHECK(r.err.find("the server says no") != std::string::npos);
        CHECK(cli.fake->requests().size() == 1);  // 4xx is not retried
    }
}

TEST_CASE("429 and 5xx are retried, then exit 8 and 9 with a retry hint", "[cli][tasks][errors]") {
    CliHarness cli;
    SECTION("429") {
        for (int i = 0; i < 4; ++i)
            cli.fake->reply(429, error_body("rate_limited", "slow down"), {{"retry-after", "2"}});
        auto r = cli.run({"tasks", "show", "tsk_1", "--retries", "3"});
        CHECK(r.exit == 8);
        CHECK(cli.fake->requests().size() == 4);
        CHECK(cli.sleeps.size() == 3);
        CHECK(r.err.find("retry after: 2s") != std::string::npos);
    }
    SECTION("503") {
        for (int i = 0; i < 2; ++i) cli.fake->reply(503, error_body("unavailable", "maintenance"));
        auto r = cli.run({"tasks", "show", "tsk_1", "--retries", "1", "--errors", "json"});
        CHECK(r.exit == 9);
        CHECK(cli.fake->requests().size() == 2);
        auto e = r.error_json();
        CHECK(e["exitCode"] == 9);
        CHECK(e["status"] == 503);
        CHECK(e["operation"] == "show task tsk_1");
    }
    SECTION("a 5xx that then succeeds prints the task") {
        cli.fake->reply(500, error_body("internal", "oops"));
        cli.fake->reply(200, envelope(task("tsk_1", "DEMO-1", "todo")));
        auto r = cli.run({"tasks", "show", "tsk_1", "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(r.json()["id"] == "tsk_1");
    }
}

TEST_CASE("no answer is exit 10 naming the server, garbage is exit 11", "[cli][tasks][errors]") {
    CliHarness cli;
    SECTION("network") {
        cli.fake->fail_network();
        auto r = cli.run({"tasks", "show", "tsk_1", "--no-retry"});
        CHECK(r.exit == 10);
        CHECK(r.err.find("is the server running at http://127.0.0.1:3000?") != std::string::npos);
        CHECK(r.err.find("agentrail doctor") != std::string::npos);
    }
    SECTION("protocol") {
        cli.fake->reply(200, "<html>not json</html>");
        auto r = cli.run({"tasks", "show", "tsk_1"});
        CHECK(r.exit == 11);
    }
}

TEST_CASE("tasks show: json is the server's data, the table shows the fields", "[cli][tasks]") {
    CliHarness cli;
    auto data = task("tsk_1", "DEMO-1", "blocked");
    data["blocker"] = example("POST /tasks/{id}/blocker 202 blocked")["data"]["blocker"];
    data["blocker"]["reason"] = "needs creds";
    data["blocker"]["actionRequired"] = "add a secret";
    data["unknownField"] = {{"kept", true}};
    SECTION("json keeps unknown fields") {
        cli.fake->reply(200, envelope(data, {"resolve_blocker"}));
        auto r = cli.run({"tasks", "show", "tsk_1", "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(r.json() == data);
        CHECK(cli.fake->last().url == "http://127.0.0.1:3000/tasks/tsk_1");
    }
    SECTION("ndjson: one compact line") {
        cli.fake->reply(200, envelope(data));
        auto r = cli.run({"tasks", "show", "tsk_1", "-o", "ndjson"});
        CHECK(r.out == data.dump() + "\n");
    }
    SECTION("--jq") {
        cli.fake->reply(200, envelope(data));
        auto r = cli.run({"tasks", "show", "tsk_1", "--jq", ".blocker.reason"});
        CHECK(r.out == "needs creds\n");
    }
    SECTION("--quiet: the id") {
        cli.fake->reply(200, envelope(data));
        auto r = cli.run({"tasks", "show", "tsk_1", "-q"});
        CHECK(r.out == "tsk_1\n");
    }
    SECTION("table") {
        cli.fake->reply(200, envelope(data, {"resolve_blocker"}));
        auto r = cli.run({"tasks", "show", "tsk_1"});
        CHECK(r.exit == 0);
        for (const char* text : {"ID", "tsk_1", "Key", "DEMO-1", "Title", "Status", "blocked", "Assignee",
                                 "Ada", "Blocked by", "needs creds", "Action required", "add a secret"})
            CHECK(r.out.find(text) != std::string::npos);
        CHECK(r.out.find("Due") == std::string::npos);  // only when the task has one
        CHECK(r.err.empty());                           // next steps only on a terminal
    }
    SECTION("on a terminal: relative times, next steps on stderr") {
        cli.terminal = {false, true, true, 120, 0};
        cli.fake->reply(200, envelope(data, {"resolve_blocker"}));
        auto r = cli.run({"tasks", "show", "tsk_1"});
        CHECK(r.exit == 0);
        CHECK(r.out.find("26m ago") != std::string::npos);  // 20:00:00 seen at 20:26:40
        CHECK(r.err.find("Next steps:") != std::string::npos);
        CHECK(r.err.find("agentrail task resolve tsk_1") != std::string::npos);
    }
}

TEST_CASE("a task key is looked up in the caller's tasks first", "[cli][tasks]") {
    CliHarness cli;
    cli.fake->reply(200, page(two_tasks));
    cli.fake->reply(200, envelope(two_tasks[1]));
    auto r = cli.run({"tasks", "show", "DEMO-2", "-o", "json"});
    CHECK(r.exit == 0);
    CHECK(r.json()["id"] == "tsk_2");
    REQUIRE(cli.fake->requests().size() == 2);
    CHECK(cli.fake->requests()[1].url == "http://127.0.0.1:3000/tasks/tsk_2");
    SECTION("an unknown key is exit 5") {
        cli.fake->reply(200, page(two_tasks));
        auto unknown = cli.run({"tasks", "show", "NOPE-9"});
        CHECK(unknown.exit == 5);
    }
}

TEST_CASE("tasks start posts with the idempotency key given", "[cli][tasks]") {
    CliHarness cli;
    cli.fake->reply(200, envelope(task("tsk_1", "DEMO-1", "in_progress")));
    auto r = cli.run({"tasks", "start", "tsk_1", "--idempotency-key", "start-key-0001", "-o", "json"});
    CHECK(r.exit == 0);
    CHECK(r.json()["status"] == "in_progress");
    CHECK(cli.fake->last().method == Method::post);
    CHECK(cli.fake->last().url == "http://127.0.0.1:3000/tasks/tsk_1/start");
    CHECK(header_of(cli.fake->last(), "idempotency-key") == "start-key-0001");
}

TEST_CASE("tasks submit: reads the task, refuses an action it does not offer", "[cli][tasks]") {
    CliHarness cli;
    const json submission = example("POST /tasks/{id}/submit 202 default")["data"];
    SECTION("offered: the request carries the flags") {
        auto t = task("tsk_1", "DEMO-1", "in_progress");
        cli.fake->reply(200, envelope(t, {"submit"}));
        cli.fake->reply(202, envelope(submission));
        auto r = cli.run({"tasks", "submit", "tsk_1", "--summary", "done it", "--artifact",
                          "pull_request=https://git.example/pr/1", "--check", "unit=passed", "--draft", "-o",
                          "json"});
        CHECK(r.exit == 0);
        CHECK(r.json() == submission);
        REQUIRE(cli.fake->requests().size() == 2);
        auto body = json::parse(cli.fake->last().body);
        CHECK(body["summary"] == "done it");
        CHECK(body["artifacts"][0]["type"] == "pull_request");
        CHECK(body["artifacts"][0]["url"] == "https://git.example/pr/1");
        CHECK(body["checks"][0] == json({{"name", "unit"}, {"status", "passed"}}));
        CHECK(body["pullRequest"]["draft"] == true);
    }
    SECTION("--quiet prints the submission id") {
        cli.fake->reply(200, envelope(task("tsk_1", "DEMO-1", "in_progress"), {"submit"}));
        cli.fake->reply(202, envelope(submission));
        auto r = cli.run({"tasks", "submit", "tsk_1", "--summary", "s", "-q"});
        CHECK(r.out == "sub_01JY4Y4A9P10G6EM7Q3JJ2M1A2\n");
    }
    SECTION("not offered: exit 6 naming what it offers; nothing is posted") {
        cli.fake->reply(200, envelope(task("tsk_1", "DEMO-1", "todo"), {"start"}));
        auto r = cli.run({"tasks", "submit", "tsk_1", "--summary", "s", "--errors", "json"});
        CHECK(r.exit == 6);
        auto e = r.error_json();
        CHECK(e["code"] == "action_not_available");
        CHECK(e["details"]["availableActions"] == json::array({"start", "view_task"}));
        CHECK(cli.fake->requests().size() == 1);
    }
    SECTION("--force posts without reading") {
        cli.fake->reply(202, envelope(submission));
        auto r = cli.run({"tasks", "submit", "tsk_1", "--summary", "s", "--force", "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(cli.fake->requests().size() == 1);
    }
    SECTION("bad local input: exit 2, nothing sent") {
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {"tasks", "submit", "tsk_1"},
                 {"tasks", "submit", "tsk_1", "--summary", ""},
                 {"tasks", "submit", "tsk_1", "--summary", "s", "--artifact", "nonsense"},
                 {"tasks", "submit", "tsk_1", "--summary", "s", "--artifact", "blog=https://x.example"},
                 {"tasks", "submit", "tsk_1", "--summary", "s", "--check", "unit=green"},
                 {"tasks", "submit", "tsk_1", "--summary", "s", "--mode", "artifact"},
             }) {
            auto r = cli.run(args);
            INFO(args.back());
            CHECK(r.exit == 2);
        }
        CHECK(cli.fake->requests().empty());
    }
}

TEST_CASE("tasks ship: the task's headSha is the expected head", "[cli][tasks]") {
    CliHarness cli;
    const json shipped = example("POST /tasks/{id}/ship 202 default")["data"];
    SECTION("from the task") {
        cli.fake->reply(200, envelope(task("tsk_1", "DEMO-1", "in_review"), {"ship"}));
        cli.fake->reply(202, envelope(shipped));
        auto r = cli.run({"tasks", "ship", "tsk_1", "--env", "production", "-q"});
        CHECK(r.exit == 0);
        CHECK(r.out == "shp_01JY4YP2N9PTDP8PHV7ZV8B7XS\n");
        auto body = json::parse(cli.fake->last().body);
        CHECK(body["expectedHeadSha"] == "0123456789abcdef0123456789abcdef01234567");
        CHECK(body["targetEnvironment"] == "production");
        CHECK(body["mode"] == "merge_only");
    }
    SECTION("--force needs --expected-head-sha") {
        auto r = cli.run({"tasks", "ship", "tsk_1", "--force"});
        CHECK(r.exit == 2);
        CHECK(r.err.find("--expected-head-sha") != std::string::npos);
        CHECK(cli.fake->requests().empty());
    }
    SECTION("a ship the task does not offer is exit 6") {
        cli.fake->reply(200, envelope(task("tsk_1", "DEMO-1", "todo"), {"start"}));
        auto r = cli.run({"tasks", "ship", "tsk_1"});
        CHECK(r.exit == 6);
    }
}

TEST_CASE("tasks block: run id from the clock, agent from the assignee", "[cli][tasks]") {
    CliHarness cli;
    cli.fake->reply(200, envelope(task("tsk_1", "DEMO-1", "in_progress")));
    cli.fake->reply(200, envelope(task("tsk_1", "DEMO-1", "blocked")));
    auto r = cli.run({"tasks", "block", "tsk_1", "--reason", "r", "--action-required", "a",
                      "--resume-instructions", "i", "-q"});
    CHECK(r.exit == 0);
    CHECK(r.out == "tsk_1\n");
    auto body = json::parse(cli.fake->last().body);
    CHECK(body["sourceRunId"] == "run_cli_1780000000");
    CHECK(body["sourceAgentId"] == "agt_7");
    CHECK(body["reason"] == "r");
}

TEST_CASE("tasks resolve, review, ci and rollback", "[cli][tasks]") {
    CliHarness cli;
    SECTION("resolve posts the summary") {
        cli.fake->reply(202, example("POST /tasks/{id}/resolve-blocker 202 resolved").dump());
        auto r = cli.run({"tasks", "resolve", "tsk_1", "--summary", "added the secret", "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(json::parse(cli.fake->last().body)["resolutionSummary"] == "added the secret");
    }
    SECTION("review: outcome, comments table; --quiet the outcome") {
        const auto& feedback = example("GET /tasks/{id}/review-feedback 200 changes_requested");
        cli.fake->reply(200, feedback.dump());
        auto table = cli.run({"tasks", "review", "tsk_1"});
        CHECK(table.exit == 0);
        CHECK(table.out.find("changes_requested") != std::string::npos);
        CHECK(table.out.find("SEVERITY") != std::string::npos);
        CHECK(table.out.find("Include 409 behavior when ship is called before CI green.") !=
              std::string::npos);
        cli.fake->reply(200, feedback.dump());
        CHECK(cli.run({"tasks", "review", "tsk_1", "-q"}).out == "changes_requested\n");
        cli.fake->reply(200, feedback.dump());
        CHECK(cli.run({"tasks", "review", "tsk_1", "-o", "json"}).json() == feedback["data"]);
    }
    SECTION("ci: counts, checks and failures") {
        const auto& ci = example("GET /tasks/{id}/ci-status 200 failed");
        cli.fake->reply(200, ci.dump());
        auto r = cli.run({"tasks", "ci", "tsk_1"});
        CHECK(r.exit == 0);
        CHECK(r.out.find("1 passed, 1 failed, 1 running (3 total)") != std::string::npos);
        CHECK(r.out.find("contract-tests") != std::string::npos);
        CHECK(r.out.find("Expected status 200 but received 500") != std::string::npos);
        cli.fake->reply(200, ci.dump());
        CHECK(cli.run({"tasks", "ci", "tsk_1", "-o", "json"}).json() == ci["data"]);
        CHECK(cli.fake->last().url == "http://127.0.0.1:3000/tasks/tsk_1/ci-status");
        cli.fake->reply(200, ci.dump());
        CHECK(cli.run({"tasks", "ci", "tsk_1", "-q"}).out == "failed\n");
    }
    SECTION("ci: the contract's 502 is exit 9 after the retries") {
        for (int i = 0; i < 4; ++i)
            cli.fake->reply(502, example("GET /tasks/{id}/ci-status 502 github_auth_failed").dump());
        auto r = cli.run({"tasks", "ci", "tsk_1"});
        CHECK(r.exit == 9);
        CHECK(r.err.find("ci_source_auth_failed") != std::string::npos);
    }
    SECTION("rollback: any fields, --quiet the status") {
        cli.fake->reply(202, envelope({{"taskId", "tsk_1"}, {"status", "rolling_back"}}));
        auto r = cli.run({"tasks", "rollback", "tsk_1", "-q"});
        CHECK(r.exit == 0);
        CHECK(r.out == "rolling_back\n");
    }
}

TEST_CASE("run functions are called directly with options, no command line", "[cli][tasks]") {
    CliHarness cli;
    cli.fake->reply(200, envelope(task("tsk_1", "DEMO-1", "todo")));
    cli::TaskRefOptions show;
    show.id = "tsk_1";
    auto r = cli.call([&](cli::Context& ctx) { return cli::run_task_show(show, ctx); },
                      [](cli::GlobalOptions& g) { g.output = "json"; });
    CHECK(r.exit == 0);
    CHECK(r.json()["identifier"] == "DEMO-1");

    cli::TaskListOptions list;
    list.status = "todo";
    cli.fake->reply(404, error_body("not_found", "no such route"));
    auto missing = cli.call([&](cli::Context& ctx) { return cli::run_task_list(list, ctx); });
    CHECK(missing.exit == 5);
    CHECK(missing.err.find("list tasks") != std::string::npos);

    list.limit = 500;  // past the wiring's range check, the library still refuses it before sending
    const auto sent = cli.fake->requests().size();
    auto refused = cli.call([&](cli::Context& ctx) { return cli::run_task_list(list, ctx); });
    CHECK(refused.exit == 2);
    CHECK(cli.fake->requests().size() == sent);
}
