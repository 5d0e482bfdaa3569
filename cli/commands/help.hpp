#pragma once
// `agentrail help [COMMAND...]`, `agentrail exit-codes` (also `help exit-codes`) and the hidden
// `help reference` / `help man`: options and run functions; the wiring is in help.cpp and reference.cpp.

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace agentrail::cli {

class Context;

/// `help [COMMAND...]`: the --help text of that command (the root's without words).
struct HelpOptions {
    std::vector<std::string> command;  // e.g. {"task", "submit"}
    const CLI::App* root = nullptr;    // the whole command line (set by the wiring)
};
int run_help(const HelpOptions& options, Context& ctx);

/// `exit-codes`: the table of exit codes (json/ndjson/--jq as any list; --quiet the codes).
struct ExitCodesOptions {};
int run_exit_codes(const ExitCodesOptions& options, Context& ctx);

/// `help reference` (Markdown, docs/commands.md) and `help man` (roff, docs/agentrail.1).
struct ReferenceOptions {
    const CLI::App* root = nullptr;  // the whole command line (set by the wiring)
};
int run_help_reference(const ReferenceOptions& options, Context& ctx);
int run_help_man(const ReferenceOptions& options, Context& ctx);

}  // namespace agentrail::cli
