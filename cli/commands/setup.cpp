// `agentrail setup`: trusted setup helpers. `verify-task` creates (or refreshes) the deterministic smoke
// task for an agent; the agent's own key must then see it in `agentrail tasks list --status in_progress`.

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/operator_commands.hpp"
#include "commands/operator_common.hpp"
#include "commands/run.hpp"
#include "context.hpp"
#include "validate.hpp"

namespace agentrail::cli {

int run_setup_verify_task(const SetupVerifyTaskOptions& o, Context& ctx) {
    require_agent_id(o.agent, "--agent");
    SetupVerificationTaskRequest request;
    request.agent_id = o.agent;
    if (!o.source_ref.empty()) request.source_ref = o.source_ref;
    ctx.set_operation("create the setup verification task for " + o.agent);
    ctx.out();
    auto r = operator_client(ctx).create_setup_verification_task(request, ctx.mutation_options());
    const Json& data = r.raw_data();
    using T = SetupVerificationTask;
    show_object(ctx, data, r.envelope,
                {{"Task", json_path<&T::task_id>()},
                 {"Key", json_path<&T::task_identifier>()},
                 {"Agent", json_path<&T::agent_id>()},
                 {"Status", json_path<&T::status>(), Kind::status},
                 {"Source ref", json_path<&T::source_ref>()},
                 {"Created", json_path<&T::created_at>(), Kind::time},
                 {"Updated", json_path<&T::updated_at>(), Kind::time}},
                json_path<&T::task_id>());
    return exit_code::ok;
}

namespace {

void add_verify_task(CLI::App& setup, Context& ctx) {
    auto* cmd = setup.add_subcommand("verify-task",
                                     "Create or refresh the setup smoke task for an agent, assigned to it "
                                     "and in_progress (needs routing:admin)");
    auto a = std::make_shared<SetupVerifyTaskOptions>();
    cmd->add_option("--agent", a->agent, "Agent id that receives the task (agt_...)")->required();
    cmd->add_option("--source-ref", a->source_ref, "Trace reference, e.g. agentrail-cli:init");
    bind_run(cmd, ctx, a, run_setup_verify_task);
}

}  // namespace

void register_setup(CLI::App& app, Context& ctx) {
    auto* setup = app.add_subcommand("setup", "Operator: setup helpers (verification smoke task)");
    setup->require_subcommand(1);
    add_verify_task(*setup, ctx);
}

}  // namespace agentrail::cli
