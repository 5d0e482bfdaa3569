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

/// "agentrail 0.1.0 (commit 1ef9306a1b2c, built 2026-12-02T16:40:00Z; libagentrail 0.1.0, libcurl/7.88.1
/// OpenSSL/3.0.11)" for --version and `version`.
std::string version_text();

}  // namespace agentrail::cli
