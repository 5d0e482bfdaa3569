// Operator commands in-process (intake issue, setup verify-task, tasks source set): input files, the
// request sent, outputs in each format and error paths.

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "commands/operator_commands.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {

/// A file holding `text`, removed at the end of the test.
struct TempFile {
    std::string path;
    explicit TempFile(const std::string& text) {
        char name[] = "/tmp/agentrail-cli-input-XXXXXX";
        int fd = mkstemp(name);
        path = name;
        std::ofstream(path) << text;
        ::close(fd);
    }
    ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("intake issue: the snapshot file is sent; the decision rendered", "[cli][operator]") {
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
