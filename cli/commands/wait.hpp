#pragma once
// `task wait` and `task ci --watch`: options and run functions on top of the library's wait_until()
// (agentrail/wait.hpp); the wiring is in wait.cpp. tasks.cpp hands its `ci` command over to add_ci_watch().

#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace agentrail::cli {

class Context;

/// `task wait ID --until CONDITION`
struct TaskWaitOptions {
    std::string id;                    // task id (tsk_...) or key (DEMO-1)
    std::string until;                 // ci=passed|failed|finished, review=..., status=..., action=...
    std::string timeout;               // duration text; empty: no limit
    std::string poll_interval = "5s";  // when the event stream is unavailable
};
/// Exit 0 when reached, 13 (wait_failed) when it cannot be, 14 (wait_timeout) at the timeout; the final
/// state is printed in each case.
int run_task_wait(const TaskWaitOptions& options, Context& ctx);

/// `task ci ID --watch`
struct CiWatchOptions {
    std::string id;
    std::string timeout;  // duration text; empty: no limit
};
/// The live CI view until CI finishes: exit 0 when it passed, 13 (ci_failed) otherwise, 14 at the timeout.
int run_ci_watch(const CiWatchOptions& options, Context& ctx);

/// Adds --watch and --timeout to the `task ci` command and sets its callback: run_ci_watch() with
/// --watch, else run_task_ci(). `id` is the string the command's positional writes into (kept alive).
void add_ci_watch(CLI::App& ci, Context& ctx, std::shared_ptr<std::string> id);

}  // namespace agentrail::cli
