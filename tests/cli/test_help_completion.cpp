// `help`, `exit-codes`, `help reference|man`, `completion` and the hidden `__complete` in-process.

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "commands/completion.hpp"
#include "commands/help.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

TEST_CASE("help COMMAND prints that command's help", "[cli][help]") {
    CliHarness cli;
    SECTION("a nested command, and the root without words") {
        auto r = cli.run({"help", "tasks", "list"});
        CHECK(r.exit == 0);
        CHECK(r.out.rfind("List the tasks", 0) != std::string::npos);
        CHECK(r.out.find("agentrail tasks list") != std::string::npos);
        CHECK(r.out.find("--status") != std::string::npos);
        auto root = cli.run({"help"});
        CHECK(root.exit == 0);
        CHECK(root.out.find("agentrail COMMAND") != std::string::npos);
        CHECK(cli.fake->requests().empty());
    }
    SECTION("the same text as --help") {
        auto help = cli.run({"help", "keys", "rotate"});
        auto flag = cli.run({"keys", "rotate", "--help"});
        CHECK(help.exit == 0);
        CHECK(flag.exit == 0);
        CHECK(help.out == flag.out);
    }
    SECTION("an unknown command: exit 2 with a suggestion") {
        auto r = cli.run({"help", "taks"});
        CHECK(r.exit == 2);
        CHECK(r.err.find("taks") != std::string::npos);
        auto j = cli.run({"help", "taks", "--errors", "json"});
        CHECK(j.exit == 2);
        CHECK(j.error_json()["code"] == "unknown_command");
    }
}

TEST_CASE("exit-codes in each format", "[cli][help]") {
    CliHarness cli;
    auto table = cli.run({"exit-codes"});
    CHECK(table.exit == 0);
    CHECK(table.out.find("CODE") != std::string::npos);
    CHECK(table.out.find("cursor_expired") != std::string::npos);
    CHECK(cli.run({"help", "exit-codes"}).out == table.out);
    auto j = cli.run({"exit-codes", "-o", "json"}).json();
    REQUIRE(j.is_array());
    CHECK(j[0] == json({{"code", 0}, {"name", "ok"}, {"meaning", "Success."}}));
    auto nd = cli.run({"exit-codes", "-o", "ndjson"}).ndjson();
    CHECK(nd.size() == j.size());
    auto quiet = cli.run({"exit-codes", "-q"}).out;
    CHECK(quiet.rfind("0\n1\n2\n", 0) == 0);
    CHECK(cli.run({"exit-codes", "--jq", ".[] | select(.code == 15) | .name"}).out == "cursor_expired\n");
    SECTION("the run function alone") {
        auto r = cli.call([](cli::Context& ctx) { return cli::run_exit_codes({}, ctx); },
                          [](cli::GlobalOptions& g) { g.output = "json"; });
        CHECK(r.exit == 0);
        CHECK(r.json() == j);
    }
}

TEST_CASE("help reference and help man: generated from the command tree", "[cli][help]") {
    CliHarness cli;
    auto md = cli.run({"help", "reference"});
    CHECK(md.exit == 0);
    CHECK(md.out.find("## agentrail events tail") != std::string::npos);
    CHECK(md.out.find("`--state-file TEXT`") != std::string::npos);
    auto man = cli.run({"help", "man"});
    CHECK(man.exit == 0);
    CHECK(man.out.find("\n.TH AGENTRAIL 1 ") != std::string::npos);
    CHECK(man.out.find("events tail") != std::string::npos);
}

TEST_CASE("completion scripts for each shell", "[cli][completion]") {
    CliHarness cli;
    auto bash = cli.run({"completion", "bash"});
    CHECK(bash.exit == 0);
    CHECK(bash.out.find("complete -F _agentrail agentrail") != std::string::npos);
    CHECK(bash.out.find("subscriptions") != std::string::npos);
    auto zsh = cli.run({"completion", "zsh"});
    CHECK(zsh.exit == 0);
    CHECK(zsh.out.rfind("#compdef agentrail\n", 0) == 0);
    auto fish = cli.run({"completion", "fish"});
    CHECK(fish.exit == 0);
    CHECK(fish.out.find("complete -c agentrail -f -a '(__agentrail_complete)'") != std::string::npos);
    // Each script names the commands it completes, and asks __complete for task ids.
    for (const auto& script : {bash.out, zsh.out, fish.out}) {
        CHECK(script.find("__complete tasks") != std::string::npos);
        CHECK(script.find("use-profile") != std::string::npos);
    }
    SECTION("an unknown shell: exit 2, nothing printed") {
        auto r = cli.run({"completion", "tcsh"});
        CHECK(r.exit == 2);
        CHECK(r.out.empty());
        CHECK(r.err.find("tcsh") != std::string::npos);
        CHECK(cli.run({"completion"}).exit == 2);
    }
    SECTION("the run function needs only the command tree") {
        CLI::App app("agentrail");
        app.add_subcommand("hello", "Say hello");
        cli::CompletionOptions o;
        o.shell = "bash";
        o.root = &app;
        auto r = cli.call([&](cli::Context& ctx) { return cli::run_completion(o, ctx); });
        CHECK(r.exit == 0);
        CHECK(r.out.find("hello") != std::string::npos);
        CHECK(r.out.find("subscriptions") == std::string::npos);
    }
}

TEST_CASE("__complete tasks: candidates from the first page, silence on any failure", "[cli][completion]") {
    CliHarness cli;
    json page = example("GET /tasks/mine 200 default");
    page["data"][0]["id"] = "tsk_01AAA";
    page["data"][0]["identifier"] = "DEMO-1";
    page["data"][0]["title"] = "Fix\tthe\x1b[31m build";
    page["data"][1]["id"] = "tsk_01BBB";
    page["data"][1]["identifier"] = "OPS-7";
    page["data"][1]["title"] = "Rotate keys";
    SECTION("keys and ids that start with the prefix (keys case-insensitively), tabs and escapes cleaned") {
        cli.fake->reply(200, page.dump());
        auto r = cli.run({"__complete", "tasks", "demo"});
        CHECK(r.exit == 0);
        // The title's tab and escape sequence come out as text: one tab per line, nothing for the terminal.
        CHECK(r.out == "DEMO-1\tFix\\x09the\\x1b[31m build\n");
        CHECK(r.out.find("OPS-7") == std::string::npos);
        CHECK(r.out.find('\x1b') == std::string::npos);
        CHECK(cli.fake->last().url.find("limit=100") != std::string::npos);
        cli.fake->reply(200, page.dump());
        auto ids = cli.run({"__complete", "tasks", "tsk_01B"});
        CHECK(ids.out == "tsk_01BBB\tOPS-7: Rotate keys\n");
        cli.fake->reply(200, page.dump());
        auto all = cli.run({"__complete", "tasks"});
        CHECK(all.out.find("DEMO-1\t") != std::string::npos);
        CHECK(all.out.find("tsk_01AAA\tDEMO-1: ") != std::string::npos);
        CHECK(all.out.find("OPS-7\tRotate keys\n") != std::string::npos);
    }
    SECTION("a server error, no server, no key: nothing printed, exit 0, no retry") {
        cli.fake->reply(500, error_body("internal", "boom"));
        auto r = cli.run({"__complete", "tasks"});
        CHECK(r.exit == 0);
        CHECK(r.out.empty());
        CHECK(cli.fake->requests().size() == 1);
        cli.fake->fail_network();
        CHECK(cli.run({"__complete", "tasks"}).out.empty());
        cli.env.erase("AGENTRAIL_API_KEY");
        auto nokey = cli.run({"__complete", "tasks"});
        CHECK(nokey.exit == 0);
        CHECK(nokey.out.empty());
        CHECK(cli.fake->requests().size() == 2);
    }
    SECTION("anything but tasks: exit 2") {
        CHECK(cli.run({"__complete", "profiles"}).exit == 2);
    }
    SECTION("the run function alone") {
        cli.fake->reply(200, page.dump());
        cli::CompleteOptions o;
        o.what = "tasks";
        o.prefix = "OPS";
        auto r = cli.call([&](cli::Context& ctx) { return cli::run_complete(o, ctx); });
        CHECK(r.exit == 0);
        CHECK(r.out == "OPS-7\tRotate keys\n");
    }
}
