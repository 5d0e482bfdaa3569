#pragma once
// The help text of every command (`--help`, `agentrail help COMMAND`), in the shape gh uses: description,
// usage with upper-case positionals, arguments, the command's own flags, the global flags that apply under
// their own heading, subcommands (grouped at the top level), examples, and where to learn more.

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace agentrail::cli {

class HelpFormatter : public CLI::Formatter {
public:
    std::string make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const override;
    std::string make_usage(const CLI::App* app, std::string name) const override;
};

/// "agentrail tasks submit": the canonical path of `app` (names, not aliases).
std::string command_path(const CLI::App* app);

/// The help text of `app` (what `--help` prints for it).
std::string help_text(const CLI::App* app);

}  // namespace agentrail::cli

namespace agentrail::cli {

class Failure;

/// The usage error for `word`, which is not a subcommand of `at`: names it, suggests the closest commands
/// ("Did you mean `tasks`?") and, as `next:` lines, the corrected command lines: `corrected(name)` is the
/// command line with `word` replaced by `name` (default: the command's path and `name`). Exit 2.
Failure unknown_command(const CLI::App* at, const std::string& word,
                        const std::function<std::string(const std::string&)>& corrected = {});

/// The command `words` name below `root` ("tasks submit", aliases allowed); throws unknown_command().
const CLI::App* find_command(const CLI::App* root, const std::vector<std::string>& words);

}  // namespace agentrail::cli
