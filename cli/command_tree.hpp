#pragma once
// A plain description of the CLI11 command tree, read from the real app: the single source for the shell
// completions (`agentrail completion`), the command reference (`agentrail help reference`, docs/commands.md)
// and the man page (`agentrail help man`, docs/agentrail.1). Nothing here is written by hand, so they
// cannot drift from the parser.

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace agentrail::cli {

struct OptionInfo {
    std::vector<std::string> names;  // "-o", "--output" (short names first)
    bool takes_value = false;
    std::string value_name;            // "TEXT", "INT", ... (no validator text)
    std::vector<std::string> choices;  // from an IsMember check, in order
    std::string description;
    std::string default_value;  // when the option shows its default
    bool required = false;
    bool repeatable = false;
};

struct PositionalInfo {
    std::string name;          // as registered ("id")
    std::string display_name;  // as help shows it ("TASK"; help_meta.hpp)
    std::string description;
    bool required = false;
};

struct CommandInfo {
    std::string name;  // "list"; the root is "agentrail"
    std::string path;  // "agentrail tasks list"
    std::vector<std::string> aliases;
    std::string description;
    std::string footer;
    std::vector<OptionInfo> options;  // without -h/--help (every command has it)
    std::vector<PositionalInfo> positionals;
    std::vector<CommandInfo> subcommands;  // visible ones, in registration order
    std::vector<std::string> examples;     // help_meta.hpp
    std::string group;                     // top-level commands: their help group ("Tasks")
};

/// Describes `app` and its visible subcommands (hidden ones, in group "", are left out).
CommandInfo describe_command_tree(const CLI::App& app);

/// Every command of the tree, depth first, root first.
std::vector<const CommandInfo*> flatten(const CommandInfo& root);

}  // namespace agentrail::cli
