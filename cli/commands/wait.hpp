#pragma once
// `task ci --watch` lives in wait.cpp (it is a wait on CI); tasks.cpp hands its `ci` command over to it.

#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace agentrail::cli {

class Context;

/// Adds --watch and --timeout to the `task ci` command and sets its callback: the live CI view with
/// --watch, else show_ci_status(). `id` is the string the command's positional writes into (kept alive).
void add_ci_watch(CLI::App& ci, Context& ctx, std::shared_ptr<std::string> id);

}  // namespace agentrail::cli
