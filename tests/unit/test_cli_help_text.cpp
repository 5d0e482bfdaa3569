// The CLI's pure help and error text: typo suggestions by edit distance, the error line and its `next:`
// commands, and the availableActions -> command map (every action the API contract documents).

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "error_text.hpp"
#include "help_meta.hpp"
#include "render/render.hpp"
#include "suggest.hpp"

using namespace agentrail::cli;

TEST_CASE("edit_distance counts insertions, deletions, substitutions and swaps", "[cli][suggest]") {
    CHECK(edit_distance("tasks", "tasks") == 0);
    CHECK(edit_distance("taks", "tasks") == 1);
    CHECK(edit_distance("lst", "list") == 1);
    CHECK(edit_distance("lsit", "list") == 1);  // a swap is one edit
    CHECK(edit_distance("event", "events") == 1);
    CHECK(edit_distance("TASKS", "tasks") == 0);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("suggest names the closest commands, best first", "[cli][suggest]") {
    const std::vector<std::string> top = {"tasks",      "task",   "keys",    "subscriptions", "subs",
                                          "api",        "health", "config",  "version",       "help",
                                          "exit-codes", "events", "webhook", "doctor",        "completion"};
    CHECK(suggest("taks", top) == std::vector<std::string>{"tasks", "task"});
    CHECK(suggest("event", top) == std::vector<std::string>{"events"});
    CHECK(suggest("hlep", top) == std::vector<std::string>{"help"});
    CHECK(suggest("comp", top) == std::vector<std::string>{"completion"});
    CHECK(suggest("frobnicate", top).empty());
    CHECK(suggest("", top).empty());
    // Short words only match at distance 1: "ap" is not "help".
    CHECK(suggest("ap", top) == std::vector<std::string>{"api"});
    const std::vector<std::string> config = {"explain", "set", "unset", "get", "list", "use-profile", "path"};
    CHECK(suggest("show", config) == std::vector<std::string>{"get", "explain"});  // synonyms
    CHECK(suggest("lst", config) == std::vector<std::string>{"list"});
    CHECK(suggest("ls", {"list", "show"}) == std::vector<std::string>{"list"});
    CHECK(suggest("rm", {"list", "delete"}) == std::vector<std::string>{"delete"});
}

TEST_CASE("quote_alternatives", "[cli][suggest]") {
    CHECK(quote_alternatives({"tasks"}) == "`tasks`");
    CHECK(quote_alternatives({"get", "explain"}) == "`get` or `explain`");
    CHECK(quote_alternatives({"a", "b", "c"}) == "`a`, `b` or `c`");
}

TEST_CASE("join_clauses never doubles punctuation", "[cli][errors]") {
    CHECK(join_clauses({"Resource not found.", "request id: r1"}) == "Resource not found; request id: r1");
    CHECK(join_clauses({"a;", "", "b.", "c"}) == "a; b; c");
    CHECK(join_clauses({"cut off...", "x"}) == "cut off...; x");
    CHECK(join_clauses({"Invalid request payload.  "}) == "Invalid request payload");
}

TEST_CASE("format_error: one line, then one next: line per command", "[cli][errors]") {
    ErrorText e;
    e.operation = "submit task tsk_1";
    e.code = "action_not_available";
    e.message = "task is todo and does not offer submit; pass --force to send it anyway";
    e.next = {"agentrail task start tsk_1", "agentrail task show tsk_1", "agentrail task start tsk_1", ""};
    CHECK(format_error(e) == std::vector<std::string>{
                                 "error: submit task tsk_1: action_not_available: task is todo and does not "
                                 "offer submit; pass --force to send it anyway",
                                 "next: agentrail task start tsk_1", "next: agentrail task show tsk_1"});

    ErrorText api;
    api.operation = "show task tsk_2";
    api.code = "forbidden";
    api.message = "Agent API key does not grant the required scope.";
    api.extra = {"required scope: tasks:write (key has: tasks:read)"};
    api.idempotency_key = "k1";
    api.request_id = "req_9";
    auto lines = format_error(api);
    REQUIRE(lines.size() == 1);
    CHECK(
        lines[0] ==
        "error: show task tsk_2: forbidden: Agent API key does not grant the required scope; required scope: "
        "tasks:write (key has: tasks:read); idempotency key: k1; request id: req_9");
    CHECK(lines[0].find(" | ") == std::string::npos);
    CHECK(lines[0].find(".;") == std::string::npos);

    ErrorText bare;
    bare.code = "usage";
    bare.message = "--limit: Value 0 not in range 1 to 100";
    CHECK(format_error(bare)[0] == "error: usage: --limit: Value 0 not in range 1 to 100");
}

TEST_CASE("drop_repeated_detail shortens curl's doubled messages only", "[cli][errors]") {
    CHECK(drop_repeated_detail(
              "GET http://127.0.0.1:1/tasks/mine failed: Couldn't connect to server (Failed to "
              "connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server)") ==
          "GET http://127.0.0.1:1/tasks/mine failed: Couldn't connect to server");
    CHECK(drop_repeated_detail("GET u failed: Timeout was reached (Operation timed out after 300 ms)") ==
          "GET u failed: Timeout was reached (Operation timed out after 300 ms)");
    CHECK(drop_repeated_detail("plain") == "plain");
    CHECK(drop_repeated_detail("a (b)") == "a (b)");
}

TEST_CASE("every availableActions entry of the contract becomes an agentrail command", "[cli][actions]") {
    // Every action the contract (task-lifecycle.openapi.yaml) documents, plus the ones servers send.
    const std::vector<std::string> documented = {"create",
                                                 "deactivate",
                                                 "fetch_next_page",
                                                 "fix",
                                                 "get_task",
                                                 "list_my_tasks",
                                                 "reauthenticate",
                                                 "reconnect_without_cursor",
                                                 "request_scope",
                                                 "resolve_blocker",
                                                 "retry_failed_checks",
                                                 "rotate",
                                                 "start",
                                                 "submit",
                                                 "view_ci_status",
                                                 "view_logs",
                                                 "view_review_feedback",
                                                 "view_usage",
                                                 "ship",
                                                 "rollback",
                                                 "block",
                                                 "mark_blocked",
                                                 "block_awaiting_user",
                                                 "view_task"};
    for (const auto& action : documented) {
        auto command = describe_action(action, "tsk_1");
        CAPTURE(action, command);
        CHECK(command.rfind("agentrail ", 0) == 0);
        // A raw API name (list_my_tasks, view_ci_status) never shows through; one-word actions (start,
        // ship) are the command's own name.
        if (action.find('_') != std::string::npos) CHECK(command.find(action) == std::string::npos);
    }
    CHECK(describe_action("list_my_tasks", "") == "agentrail tasks list");
    CHECK(describe_action("request_scope", "") == "agentrail doctor");
    CHECK(describe_action("reconnect_without_cursor", "") == "agentrail events tail");
    CHECK(describe_action("view_ci_status", "tsk_1") == "agentrail task ci tsk_1");
    CHECK(describe_action("fix", "tsk_1") == "agentrail task submit tsk_1 --summary TEXT");
    CHECK(describe_action("fetch_next_page", "cur_1") == "agentrail tasks list --cursor cur_1");
    CHECK(describe_action("rotate", "") == "agentrail keys rotate KEY_ID");
    // `retry` is the failed command itself (main.cpp writes it out): nothing to print without it.
    CHECK(describe_action("retry", "tsk_1").empty());
}

TEST_CASE("positionals are shown in upper case, named for what they hold", "[cli][help]") {
    CHECK(positional_display_name("tasks", "id") == "TASK");
    CHECK(positional_display_name("subscriptions", "id") == "SUBSCRIPTION_ID");
    CHECK(positional_display_name("keys", "key_id") == "KEY_ID");
    CHECK(positional_display_name("", "shell") == "SHELL");
    CHECK(positional_display_name("config", "use-profile") == "USE_PROFILE");
}

TEST_CASE("help groups: every group has a title and commands, no command is in two", "[cli][help]") {
    std::vector<std::string> seen;
    for (const auto& g : command_groups()) {
        CHECK(!g.title.empty());
        CHECK(!g.commands.empty());
        for (const auto& c : g.commands) {
            CHECK(std::find(seen.begin(), seen.end(), c) == seen.end());
            seen.push_back(c);
        }
    }
    CHECK(group_of("tasks") == "Tasks");
    CHECK(group_of("routing") == "Operators");
    CHECK(group_of("nope").empty());
}

TEST_CASE("examples: 1 to 3 per command, each starts with the command", "[cli][help]") {
    for (const auto& path : paths_with_examples()) {
        const auto& list = examples_for(path);
        CAPTURE(path);
        CHECK(!list.empty());
        CHECK(list.size() <= 3);
    }
    CHECK(examples_for("agentrail nothing").empty());
}
