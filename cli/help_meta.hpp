#pragma once
// What help shows beyond the parser's own facts, as tables: how the top-level commands are grouped, the
// examples of each command, the upper-case names of positionals, and which commands take the output
// flags. The help formatter (help_format.cpp), `agentrail help reference` (docs/commands.md) and the man
// page all read these, so they say the same thing. Adding a command: add its examples here (a test checks
// that every leaf command has 1 to 3), and put a new top-level command into a group.

#include <string>
#include <string_view>
#include <vector>

namespace agentrail::cli {

struct CommandGroup {
    std::string title;                  // "Tasks"
    std::vector<std::string> commands;  // top-level command names, in the order shown
};

/// The groups of the top-level help, in order. Commands of no group are shown under "Other commands".
const std::vector<CommandGroup>& command_groups();

/// The title of the group of top-level command `name` ("" when it has none).
std::string group_of(std::string_view name);

/// Examples of the command at `path` ("agentrail tasks submit", canonical names), one shell command line
/// each (continuation lines start with spaces), or an empty list.
const std::vector<std::string>& examples_for(std::string_view path);

/// Every path that has examples (for the test that no entry is stale).
std::vector<std::string> paths_with_examples();

/// The name a positional is shown with: "TASK" for a task id, "KEY_ID", "SHELL" (upper case).
/// `parent` is the name of the group the command belongs to ("tasks", "keys"; "" at the top level).
std::string positional_display_name(std::string_view parent, std::string_view name);

/// True when the global output flags (-o, --json, --jq, --raw, -q) apply to the command at `path`.
bool takes_output_flags(std::string_view path);

}  // namespace agentrail::cli
