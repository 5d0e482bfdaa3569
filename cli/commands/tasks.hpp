#pragma once
// The `tasks` group (alias `task`): each command is an options struct, a run function that takes the
// options and the Context (whose Deps carry the transport, streams, clock, terminal and environment) and
// returns the exit code, and the CLI11 wiring in tasks.cpp that only binds flags to the options and calls
// run. Errors are thrown (agentrail::Error, Failure): run_app() / run_guarded() report them and map them to
// exit codes. tests/cli/test_tasks.cpp runs each with a fake transport.
//
// Another group can extend a `tasks` subcommand after register_tasks() ran (e.g. `task wait`, `task ci
// --watch` in wait.cpp).

#include <string>
#include <vector>

#include "render/render.hpp"

namespace agentrail::cli {

class Context;

/// `tasks list`
struct TaskListOptions {
    std::string status;  // "" = any
    int limit = 0;       // 0 = the server's default
    std::string cursor;
    bool all = false;
    std::vector<std::string> columns;  // --columns
};
int run_task_list(const TaskListOptions& options, Context& ctx);

/// A command that takes only a task: `tasks show|start|ci|review|rollback ID`.
struct TaskRefOptions {
    std::string id;  // task id (tsk_...) or key (DEMO-1)
};
int run_task_show(const TaskRefOptions& options, Context& ctx);
int run_task_start(const TaskRefOptions& options, Context& ctx);
int run_task_ci(const TaskRefOptions& options, Context& ctx);
int run_task_review(const TaskRefOptions& options, Context& ctx);
int run_task_rollback(const TaskRefOptions& options, Context& ctx);

/// `tasks block`
struct TaskBlockOptions {
    std::string id, reason, action_required, resume_instructions;
    std::string source_run_id;    // "" = run_cli_<now>
    std::string source_agent_id;  // "" = the task's assignee
};
int run_task_block(const TaskBlockOptions& options, Context& ctx);

/// `tasks resolve`
struct TaskResolveOptions {
    std::string id, summary;
};
int run_task_resolve(const TaskResolveOptions& options, Context& ctx);

/// `tasks submit`
struct TaskSubmitOptions {
    std::string id, summary, mode, notes, pr_title, pr_body;
    std::vector<std::string> artifacts;  // TYPE=URL
    std::vector<std::string> checks;     // NAME=STATUS
    bool draft = false;
    bool force = false;  // do not read the task first
};
int run_task_submit(const TaskSubmitOptions& options, Context& ctx);

/// `tasks ship`
struct TaskShipOptions {
    std::string id, mode = "merge_only", env = "staging", sha;
    bool force = false;  // do not read the task first (needs sha)
};
int run_task_ship(const TaskShipOptions& options, Context& ctx);

/// Renders a task detail (`data` of GET /tasks/{id}) with its next steps, in the selected format.
void render_task(Context& ctx, const Json& data, const Json& envelope);
/// Fetches and renders the CI status of a task (the `task ci ID` command).
void show_ci_status(Context& ctx, const std::string& task_id);

}  // namespace agentrail::cli
