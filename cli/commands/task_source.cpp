// `agentrail task source set TASK -f SOURCE.json`: change where a task comes from (repository, issue,
// branch, ...) with PATCH /operator/tasks/{taskId}/source. A route of the reference server, not in either
// published contract; needs routing:admin. Extends the `tasks` group after register_tasks().

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/operator_commands.hpp"
#include "commands/operator_common.hpp"
#include "commands/run.hpp"
#include "context.hpp"
#include "validate.hpp"

namespace agentrail::cli {

int run_task_source_set(const TaskSourceSetOptions& o, Context& ctx) {
    require_task_id(o.id);
    Json input = read_json_object(o.file);
    auto request = decode_input<TaskSourceRepairRequest>(input, o.file);
    std::string where = "-f " + o.file + ": ";
    if (!request.source_ref || trim(*request.source_ref).empty())
        throw usage_error(where + "sourceRef: must not be empty");
    if (!request.change_reason || trim(*request.change_reason).empty())
        throw usage_error(where + "changeReason: must not be empty");
    if (!request.source.is_object() || request.source.empty())
        throw usage_error(where + "source: give at least one field to change");
    if (request.source.contains("owner") != request.source.contains("repo"))
        throw usage_error(where + "source: owner and repo go together");
    ctx.set_operation("change the source of task " + o.id, o.id);
    ctx.out();
    auto r = operator_client(ctx).set_task_source(o.id, request, ctx.mutation_options());
    const Json& data = r.raw_data();
    const bool named = data.contains("taskId");  // {taskId, taskIdentifier, source} or a task record
    show_object(ctx, data, r.envelope,
                {{"ID", named ? "/taskId" : "/id"},
                 {"Key", named ? "/taskIdentifier" : "/identifier"},
                 {"Status", "/status", Kind::status},
                 {"Provider", "/source/provider"},
                 {"Source", "/source"},
                 {"Version", "/version"},
                 {"Updated", "/updatedAt", Kind::time}},
                named ? "/taskId" : "/id");
    return exit_code::ok;
}

void register_task_source(CLI::App& app, Context& ctx) {
    auto* tasks = app.get_subcommand("tasks");
    auto* source = tasks->add_subcommand("source", "Operator: change a task's source (needs routing:admin)");
    source->require_subcommand(1);
    auto* set = source->add_subcommand("set",
                                       "Change fields of a task's source from a JSON file (reference server: "
                                       "{sourceRef, changeReason, source})");
    auto a = std::make_shared<TaskSourceSetOptions>();
    set->add_option("id", a->id, "Task id (tsk_...)")->required();
    set->add_option(
           "-f,--file", a->file,
           "JSON {sourceRef, changeReason, source: {provider, owner, repo, issueNumber, branch, baseBranch, "
           "headSha, prUrl, labels, ...}}; a null field is removed; '-' = stdin")
        ->required();
    bind_run(set, ctx, a, run_task_source_set);
}

}  // namespace agentrail::cli
