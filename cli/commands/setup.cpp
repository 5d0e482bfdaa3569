// `agentrail setup`: trusted setup helpers. `verify-task` creates (or refreshes) the deterministic smoke
// task for an agent; the agent's own key must then see it in `agentrail tasks list --status in_progress`.

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/operator_common.hpp"
#include "context.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

struct VerifyArgs {
    std::string agent, source_ref;
};

void add_verify_task(CLI::App& setup, Context& ctx) {
    auto* cmd = setup.add_subcommand("verify-task",
                                     "Create or refresh the setup smoke task for an agent, assigned to it "
                                     "and in_progress (needs routing:admin)");
    auto a = std::make_shared<VerifyArgs>();
    cmd->add_option("--agent", a->agent, "Agent id that receives the task (agt_...)")->required();
    cmd->add_option("--source-ref", a->source_ref, "Trace reference, e.g. agentrail-cli:init");
    cmd->callback([&ctx, a] {
        require_agent_id(a->agent, "--agent");
        SetupVerificationTaskRequest request;
        request.agent_id = a->agent;
        if (!a->source_ref.empty()) request.source_ref = a->source_ref;
        ctx.set_operation("create the setup verification task for " + a->agent);
        ctx.out();
        auto r = operator_client(ctx).create_setup_verification_task(request, ctx.mutation_options());
        const Json& data = r.raw_data();
        show_object(ctx, data, r.envelope,
                    {{"Task", "/taskId"},
                     {"Key", "/taskIdentifier"},
                     {"Agent", "/agentId"},
                     {"Status", "/status", Kind::status},
                     {"Source ref", "/sourceRef"},
                     {"Created", "/createdAt", Kind::time},
                     {"Updated", "/updatedAt", Kind::time}},
                    "/taskId");
    });
}

}  // namespace

void register_setup(CLI::App& app, Context& ctx) {
    auto* setup = app.add_subcommand("setup", "Operator: setup helpers (verification smoke task)");
    setup->require_subcommand(1);
    add_verify_task(*setup, ctx);
}

}  // namespace agentrail::cli
