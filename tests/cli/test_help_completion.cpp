// `help`, `exit-codes`, `help reference|man`, `completion` and the hidden `__complete` in-process.

#include <algorithm>

#include <CLI/CLI.hpp>
#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "commands/completion.hpp"
#include "commands/help.hpp"
#include "commands/registry.hpp"

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

namespace {

/// The visible top-level commands of `app`.
std::vector<std::string> top_level(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); }))
        names.push_back(sub->get_name());
    return names;
}

/// register_named() on a fresh root for `words` (after the program name): whether it left groups out, and
/// the top-level commands it added. `tasks_subcommands` gets the tasks group's commands when it is there.
std::pair<bool, std::vector<std::string>> named_tree(CliHarness& cli, std::vector<std::string> words,
                                                     std::vector<std::string>* tasks_subcommands = nullptr) {
    words.insert(words.begin(), "agentrail");
    std::vector<const char*> argv;
    for (const auto& w : words) argv.push_back(w.c_str());
    CapturedStream out, err;
    cli::Context ctx(cli.deps(out.file(), err.file()));
    CLI::App app{"test", "agentrail"};
    const bool partial = cli::register_named(app, ctx, static_cast<int>(argv.size()), argv.data());
    if (tasks_subcommands != nullptr)
        for (const CLI::App* sub : app.get_subcommand("tasks")->get_subcommands({}))
            tasks_subcommands->push_back(sub->get_name());
    return {partial, top_level(app)};
}

}  // namespace

TEST_CASE("a command line builds only the groups it names, and the whole tree reports what it refuses",
          "[cli][help]") {
    CliHarness cli;
    SECTION("the groups a word names, by name or alias, with the commands that extend them") {
        std::vector<std::string> tasks_commands;
        auto [partial, groups] = named_tree(cli, {"-o", "json", "task", "show", "tsk_1"}, &tasks_commands);
        CHECK(partial);
        CHECK(groups == std::vector<std::string>{"tasks"});
        // register_wait and register_task_source extend the tasks group.
        CHECK(std::count(tasks_commands.begin(), tasks_commands.end(), "wait") == 1);
        CHECK(std::count(tasks_commands.begin(), tasks_commands.end(), "source") == 1);
        // An option's value that names a group adds it too: more than needed, never less.
        auto [partial2, groups2] = named_tree(cli, {"--profile", "keys", "subs", "list"});
        CHECK(partial2);
        CHECK(groups2 == std::vector<std::string>{"keys", "subscriptions"});
        // --help on a partial tree: run_app() parses it again on the whole one (the last section).
        CHECK(named_tree(cli, {"tasks", "--help"}).first);
    }
    SECTION("the whole tree when no word names a group, or one names help or completion") {
        const auto whole = named_tree(cli, {"--version"});
        CHECK_FALSE(whole.first);
        CHECK(whole.second.size() >= 17);
        CHECK(std::count(whole.second.begin(), whole.second.end(), "events") == 1);
        for (std::vector<std::string> words : std::vector<std::vector<std::string>>{
                 {"help", "tasks", "list"}, {"completion", "bash"}, {"__complete", "tasks"}}) {
            INFO(words.front());
            const auto tree = named_tree(cli, words);
            CHECK_FALSE(tree.first);
            CHECK(tree.second == whole.second);
        }
    }
    SECTION("a refused command line gets the whole tree's suggestions and listings") {
        // Only `keys` is named; the suggestion for `tsks` comes from the whole tree.
        auto r = cli.run({"tsks", "list", "--profile", "keys"});
        CHECK(r.exit == 2);
        CHECK(r.err.find("Did you mean `tasks`?") != std::string::npos);
        // The root's help lists every group, though only `tasks` is named (as --profile's value).
        auto help = cli.run({"--profile", "tasks", "--help"});
        CHECK(help.exit == 0);
        CHECK(help.out.find("webhook") != std::string::npos);
        CHECK(help.out.find("events") != std::string::npos);
        CHECK(cli.fake->requests().empty());
    }
}
