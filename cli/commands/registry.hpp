#pragma once
// The command tree. Each group lives in cli/commands/<group>.cpp with one register_<group>() function;
// registry.cpp lists them.

#include <string>

namespace CLI {
class App;
}

namespace agentrail::cli {

class Context;

/// Adds every command group to the root app.
void register_all(CLI::App& app, Context& ctx);

/// Adds only the groups that a word of argv[1..] names (by name or alias), which is what a command line
/// that runs one command needs: building the whole tree costs a single call a third of a millisecond.
/// Any word may count (an option's value too): more groups than needed is harmless. Adds every group, and
/// returns false, when no word names a group or one names a group that reads the whole tree (help,
/// completion); returns true when groups were left out. A command line that the partial tree refuses is
/// refused by the whole one too; run_app() parses it again on the whole tree, so its report (suggestions,
/// help text) is the same.
bool register_named(CLI::App& app, Context& ctx, int argc, const char* const* argv);

/// "agentrail 0.1.0 (commit 1ef9306a1b2c, built 2026-12-02T16:40:00Z; libagentrail 0.1.0, libcurl/7.88.1
/// OpenSSL/3.0.11)" for --version and `version`.
std::string version_text();

}  // namespace agentrail::cli
