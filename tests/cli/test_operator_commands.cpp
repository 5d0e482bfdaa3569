// Operator commands in-process (intake issue, setup verify-task, tasks source set): input files, the
// request sent, outputs in each format and error paths.

#include <cstdio>
#include <fstream>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "commands/operator_commands.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

TEST_CASE("intake issue: the snapshot file is sent, the decision rendered", "[cli][operator]") {
    CliHarness cli;
    const auto& snapshot = example("REQUEST POST /operator/intake/provider-issues github_issue");
    TempFile file(snapshot.dump());
    SECTION("json") {
        cli.fake->reply(202, example("POST /operator/intake/provider-issues 202 assigned").dump());
        auto r = cli.run({"intake", "issue", "-f", file.path, "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(r.json()["outcome"] == "assigned");
        CHECK(cli.fake->last().url == "http://127.0.0.1:3000/operator/intake/provider-issues");
        CHECK(json::parse(cli.fake->last().body)["providerIssueId"] == "github:oxnw/agentrail:issues/95");
    }
    SECTION("table") {
        cli.fake->reply(202, example("POST /operator/intake/provider-issues 202 assigned").dump());
        auto r = cli.run({"intake", "issue", "-f", file.path});
        CHECK(r.exit == 0);
        CHECK(r.out.find("agt_cto") != std::string::npos);
        CHECK(r.out.find("rule_architecture_to_cto") != std::string::npos);
    }
    SECTION("--dry-run evaluates instead") {
        cli.fake->reply(200, example("POST /operator/routing/evaluations 200 dry_run_no_route").dump());
        auto r = cli.run({"intake", "issue", "-f", file.path, "--dry-run", "--jq", ".outcome"});
        CHECK(r.exit == 0);
        CHECK(r.out == "no_route\n");
        CHECK(cli.fake->last().url == "http://127.0.0.1:3000/operator/routing/evaluations");
    }
    SECTION("a file that is not a snapshot: exit 2, nothing sent") {
        TempFile bad(R"({"provider":"github"})");
        auto r = cli.run({"intake", "issue", "-f", bad.path});
        CHECK(r.exit == 2);
        CHECK(r.err.find(bad.path) != std::string::npos);
        CHECK(cli.run({"intake", "issue", "-f", "/nonexistent/snapshot.json"}).exit == 2);
        CHECK(cli.fake->requests().empty());
    }
    SECTION("a key without routing:admin: exit 4") {
        cli.fake->reply(403, error_body("insufficient_scope", "needs routing:admin"));
        CHECK(cli.run({"intake", "issue", "-f", file.path}).exit == 4);
    }
}

TEST_CASE("setup verify-task", "[cli][operator]") {
    CliHarness cli;
    const auto& created = example("POST /operator/setup/verification-task 201 created");
    SECTION("the request and each format") {
        cli.fake->reply(201, created.dump());
        auto r = cli.run({"setup", "verify-task", "--agent", "agt_setup", "--source-ref",
                          "agentrail-cli:init", "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(r.json() == created["data"]);
        CHECK(json::parse(cli.fake->last().body) ==
              json({{"agentId", "agt_setup"}, {"sourceRef", "agentrail-cli:init"}}));
        cli.fake->reply(201, created.dump());
        CHECK(cli.run({"setup", "verify-task", "--agent", "agt_setup", "-q"}).out ==
              "tsk_01JZSETUP0000000000000001\n");
        cli.fake->reply(201, created.dump());
        auto table = cli.run({"setup", "verify-task", "--agent", "agt_setup"});
        CHECK(table.out.find("LOCAL-SETUP-AGT-SETUP") != std::string::npos);
    }
    SECTION("a bad agent id: exit 2") {
        CHECK(cli.run({"setup", "verify-task", "--agent", "setup"}).exit == 2);
        CHECK(cli.fake->requests().empty());
    }
}

TEST_CASE("tasks source set", "[cli][operator]") {
    CliHarness cli;
    const json change = {{"sourceRef", "ops:fix-1"},
                         {"changeReason", "repository moved"},
                         {"source", {{"owner", "oxnw"}, {"repo", "agentrail2"}}}};
    SECTION("PATCH with the file's body") {
        TempFile file(change.dump());
        const json answer = {
            {"data",
             {{"taskId", "tsk_1"},
              {"taskIdentifier", "DEMO-1"},
              {"source", {{"provider", "github"}, {"owner", "oxnw"}, {"repo", "agentrail2"}}}}}};
        cli.fake->reply(200, answer.dump());
        auto r = cli.run({"tasks", "source", "set", "tsk_1", "-f", file.path, "-q"});
        CHECK(r.exit == 0);
        CHECK(r.out == "tsk_1\n");
        CHECK(cli.fake->last().method == Method::patch);
        CHECK(cli.fake->last().url == "http://127.0.0.1:3000/operator/tasks/tsk_1/source");
        CHECK(json::parse(cli.fake->last().body) == change);
    }
    SECTION("incomplete changes: exit 2, nothing sent") {
        for (const auto& body :
             {json{{"changeReason", "x"}, {"source", {{"branch", "b"}}}},
              json{{"sourceRef", "r"}, {"changeReason", " "}, {"source", {{"branch", "b"}}}},
              json{{"sourceRef", "r"}, {"changeReason", "x"}, {"source", json::object()}},
              json{{"sourceRef", "r"}, {"changeReason", "x"}, {"source", {{"owner", "o"}}}}}) {
            TempFile file(body.dump());
            INFO(body.dump());
            CHECK(cli.run({"tasks", "source", "set", "tsk_1", "-f", file.path}).exit == 2);
        }
        CHECK(cli.run({"tasks", "source", "set", "DEMO-1", "-f", "/dev/null"}).exit == 2);
        CHECK(cli.fake->requests().empty());
    }
    SECTION("an unknown task: exit 5") {
        TempFile file(change.dump());
        cli.fake->reply(404, error_body("not_found", "no such task"));
        CHECK(cli.run({"tasks", "source", "set", "tsk_nope", "-f", file.path}).exit == 5);
    }
}

namespace {

json run(const std::string& id, const std::string& status) {
    return {{"runId", id},
            {"agentId", "agt_cto"},
            {"taskId", "tsk_01ABC"},
            {"taskIdentifier", "AGEA-95"},
            {"status", status},
            {"runner", "managed"},
            {"updatedAt", "2026-05-05T12:00:00Z"},
            {"summary", "working on it"},
            {"reports", json::array({{{"status", "progress"}, {"summary", "half done"}}})}};
}

}  // namespace

TEST_CASE("runs list and show", "[cli][operator][runs]") {
    CliHarness cli;
    const json runs = json::array({run("run_01A", "running"), run("run_01B", "failed")});
    SECTION("list: filters become the query; each format") {
        cli.fake->reply(200, envelope(runs));
        auto r = cli.run({"runs", "list", "--agent", "agt_cto", "--status", "running", "--limit", "5"});
        CHECK(r.exit == 0);
        CHECK(cli.fake->last().url ==
              "http://127.0.0.1:3000/operator/agent-runs?agentId=agt_cto&status=running&limit=5");
        CHECK(r.out.rfind("RUN", 0) == 0);
        CHECK(r.out.find("run_01B") != std::string::npos);
        cli.fake->reply(200, envelope(runs));
        CHECK(cli.run({"runs", "list", "-o", "json"}).json() == runs);
        cli.fake->reply(200, envelope(runs));
        CHECK(cli.run({"runs", "list", "-q"}).out == "run_01A\nrun_01B\n");
    }
    SECTION("show: reports as lines in the table; json as sent") {
        cli.fake->reply(200, envelope(run("run_01A", "running")));
        auto r = cli.run({"runs", "show", "run_01A"});
        CHECK(r.exit == 0);
        CHECK(r.out.find("progress: half done") != std::string::npos);
        cli.fake->reply(200, envelope(run("run_01A", "running")));
        CHECK(cli.run({"runs", "show", "run_01A", "-o", "json"}).json() == run("run_01A", "running"));
    }
    SECTION("bad ids and filters: exit 2; unknown run: exit 5") {
        CHECK(cli.run({"runs", "show", "r1"}).exit == 2);
        CHECK(cli.run({"runs", "list", "--agent", "cto"}).exit == 2);
        CHECK(cli.run({"runs", "list", "--status", "sleeping"}).exit == 2);
        CHECK(cli.fake->requests().empty());
        cli.fake->reply(404, error_body("not_found", "no such run"));
        CHECK(cli.run({"runs", "show", "run_nope"}).exit == 5);
    }
}

TEST_CASE("runs context and report", "[cli][operator][runs]") {
    CliHarness cli;
    TempFile token("arrun_abcdefghijklmnopqrstuvwxyz012345\n");
    SECTION("context: read with the run's token, not the API key") {
        json context = {
            {"run",
             {{"runId", "run_01A"}, {"agentId", "agt_cto"}, {"taskId", "tsk_01ABC"}, {"status", "running"}}},
            {"task",
             {{"id", "tsk_01ABC"},
              {"identifier", "AGEA-95"},
              {"title", "Define routing"},
              {"status", "in_progress"},
              {"acceptanceCriteria", {"works"}},
              {"availableActions", {"submit"}}}},
            {"nextActions", {{{"id", "submit"}, {"label", "Finish and report."}}}}};
        cli.fake->reply(200, envelope(context));
        auto r = cli.run({"runs", "context", "run_01A", "--run-token-file", token.path});
        CHECK(r.exit == 0);
        CHECK(header_of(cli.fake->last(), "authorization") ==
              "Bearer arrun_abcdefghijklmnopqrstuvwxyz012345");
        CHECK(r.out.find("submit: Finish and report.") != std::string::npos);
        cli.fake->reply(200, envelope(context));
        CHECK(cli.run({"runs", "context", "run_01A", "--run-token-file", token.path, "-q"}).out ==
              "run_01A\n");
    }
    SECTION("context: an empty token file is exit 2") {
        TempFile empty("\n");
        CHECK(cli.run({"runs", "context", "run_01A", "--run-token-file", empty.path}).exit == 2);
        CHECK(cli.fake->requests().empty());
    }
    SECTION("report: the file's body posted; the run shown") {
        TempFile report(R"({"status":"completed","summary":"all done"})");
        cli.fake->reply(200, envelope(run("run_01A", "succeeded")));
        auto r = cli.run({"runs", "report", "run_01A", "-f", report.path, "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(r.json()["status"] == "succeeded");
        CHECK(json::parse(cli.fake->last().body) == json({{"status", "completed"}, {"summary", "all done"}}));
        CHECK(header_of(cli.fake->last(), "authorization") == "Bearer ar_test_key_123456");
    }
    SECTION("report: an empty summary is exit 2; a rejected status exit 7") {
        TempFile bad(R"({"status":"completed","summary":" "})");
        CHECK(cli.run({"runs", "report", "run_01A", "-f", bad.path}).exit == 2);
        CHECK(cli.fake->requests().empty());
        TempFile odd(R"({"status":"exploded","summary":"x"})");
        cli.fake->reply(400, error_body("validation_failed", "status is not allowed"));
        CHECK(cli.run({"runs", "report", "run_01A", "-f", odd.path}).exit == 7);
    }
}

TEST_CASE("routing rules and profile: show, and set with a preview", "[cli][operator][routing]") {
    CliHarness cli;
    SECTION("rules show: table and json") {
        const auto& current = example("GET /operator/routing/rule-sets/current 200 current");
        cli.fake->reply(200, current.dump());
        auto r = cli.run({"routing", "rules", "show"});
        CHECK(r.exit == 0);
        CHECK(r.out.find("rset_01JZROUTE0000000000000100") != std::string::npos);
        CHECK(r.out.find("rule_architecture_to_cto") != std::string::npos);
        cli.fake->reply(200, current.dump());
        CHECK(cli.run({"routing", "rules", "show", "-o", "json"}).json() == current["data"]);
        cli.fake->reply(200, current.dump());
        CHECK(cli.run({"routing", "rules", "show", "-q"}).out == "rset_01JZROUTE0000000000000100\n");
    }
    SECTION("rules set --dry-run: the changes, nothing replaced") {
        TempFile file(example("REQUEST PUT /operator/routing/rule-sets/current replace").dump());
        cli.fake->reply(200, example("GET /operator/routing/rule-sets/current 200 current").dump());
        auto r = cli.run({"routing", "rules", "set", "-f", file.path, "--dry-run", "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(r.json().is_array());
        CHECK(cli.fake->requests().size() == 1);  // the read only
    }
    SECTION("rules set without --yes and no terminal: exit 2, nothing replaced") {
        TempFile file(example("REQUEST PUT /operator/routing/rule-sets/current replace").dump());
        cli.fake->reply(200, example("GET /operator/routing/rule-sets/current 200 current").dump());
        auto r = cli.run({"routing", "rules", "set", "-f", file.path, "--errors", "json"});
        CHECK(r.exit == 2);
        CHECK(r.err.rfind("Changes to the routing rule set:\n", 0) == 0);  // the preview, then the error
        const auto last = r.err.substr(r.err.rfind('\n', r.err.size() - 2) + 1);
        CHECK(json::parse(last)["error"]["code"] == "confirmation_required");
        CHECK(cli.fake->requests().size() == 1);
    }
    SECTION("rules set --yes: the changes on stderr, the new revision shown") {
        TempFile file(example("REQUEST PUT /operator/routing/rule-sets/current replace").dump());
        cli.fake->reply(200, example("GET /operator/routing/rule-sets/current 200 current").dump());
        cli.fake->reply(201, example("PUT /operator/routing/rule-sets/current 201 created").dump());
        auto r = cli.run({"routing", "rules", "set", "-f", file.path, "--yes", "-q"});
        CHECK(r.exit == 0);
        CHECK(r.out == "rset_01JZROUTE0000000000000102\n");
        CHECK(cli.fake->last().method == Method::put);
    }
    SECTION("profile set: a profile the key may not read is previewed whole") {
        TempFile file(example("REQUEST PUT /operator/routing/agent-profiles/{agentId} cto_profile").dump());
        cli.fake->reply(403, error_body("insufficient_scope", "needs routing:read"));
        cli.fake->reply(200, example("PUT /operator/routing/agent-profiles/{agentId} 200 updated").dump());
        auto r = cli.run({"routing", "profile", "set", "agt_cto", "-f", file.path, "-y", "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(r.err.find("warning: cannot read the current profile (needs routing:read)") !=
              std::string::npos);
        CHECK(r.err.find("+ /displayName") != std::string::npos);
        CHECK(r.json()["agentId"] == "agt_cto");
        CHECK(cli.fake->last().url == "http://127.0.0.1:3000/operator/routing/agent-profiles/agt_cto");
    }
    SECTION("profile show; bad input is exit 2") {
        cli.fake->reply(200,
                        example("GET /operator/routing/agent-profiles/{agentId} 200 cto_profile").dump());
        auto r = cli.run({"routing", "profile", "show", "agt_cto"});
        CHECK(r.exit == 0);
        CHECK(r.out.find("security-review") != std::string::npos);
        CHECK(cli.run({"routing", "profile", "show", "cto"}).exit == 2);
        TempFile bad(
            R"({"displayName":"x","role":"r","status":"sleeping","maxConcurrentTasks":1,"changeReason":"c"})");
        CHECK(cli.run({"routing", "profile", "set", "agt_cto", "-f", bad.path, "-y"}).exit == 2);
        CHECK(cli.fake->requests().size() == 1);
    }
}

TEST_CASE("routing evaluate and audit", "[cli][operator][routing]") {
    CliHarness cli;
    SECTION("evaluate: {ruleSetVersion, snapshot}; --rule-set-version overrides") {
        TempFile file(example("REQUEST POST /operator/routing/evaluations dry_run").dump());
        cli.fake->reply(200, example("POST /operator/routing/evaluations 200 dry_run_no_route").dump());
        auto r =
            cli.run({"routing", "evaluate", "-f", file.path, "--rule-set-version", "9", "--jq", ".outcome"});
        CHECK(r.exit == 0);
        CHECK(r.out == "no_route\n");
        CHECK(json::parse(cli.fake->last().body)["ruleSetVersion"] == 9);
    }
    SECTION("evaluate: a superseded version is exit 6") {
        TempFile file(example("REQUEST POST /operator/routing/evaluations dry_run").dump());
        cli.fake->reply(409, error_body("conflict", "rule set version 8 is stale"));
        CHECK(cli.run({"routing", "evaluate", "-f", file.path}).exit == 6);
    }
    SECTION("audit: table, json, --quiet; a bad id is exit 2") {
        const auto& audit = example("GET /operator/routing/audit/{decisionId} 200 audit");
        const std::string id = "rdec_01JZROUTE0000000000000001";
        cli.fake->reply(200, audit.dump());
        auto r = cli.run({"routing", "audit", id});
        CHECK(r.exit == 0);
        CHECK(r.out.find("rule_architecture_to_cto") != std::string::npos);
        cli.fake->reply(200, audit.dump());
        CHECK(cli.run({"routing", "audit", id, "-o", "json"}).json() == audit["data"]);
        cli.fake->reply(200, audit.dump());
        CHECK(cli.run({"routing", "audit", id, "-q"}).out == id + "\n");
        CHECK(cli.run({"routing", "audit", "dec_1"}).exit == 2);
        CHECK(cli.fake->requests().size() == 3);
    }
}
