// `agentrail intake`: hand a provider issue snapshot to the control plane, which routes it and applies
// the outcome (creates and assigns a task, or queues it for triage) and emits the task event.
// --dry-run evaluates the same snapshot instead (POST /operator/routing/evaluations): nothing is created.

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/operator_commands.hpp"
#include "commands/operator_common.hpp"
#include "commands/run.hpp"
#include "context.hpp"

namespace agentrail::cli {

int run_intake_issue(const IntakeIssueOptions& o, Context& ctx) {
    Json input = read_json_object(o.file);
    auto snapshot = decode_input<ProviderIssueSnapshot>(input, o.file);
    auto op = operator_client(ctx);
    ctx.out();
    if (o.dry_run) {
        ctx.set_operation("evaluate routing for " + snapshot.provider_issue_id);
        RoutingEvaluationRequest request;
        request.snapshot = snapshot;
        auto r = op.evaluate_routing(request, ctx.mutation_options());
        render_decision(ctx, r.raw_data(), r.envelope, true);
        return exit_code::ok;
    }
    ctx.set_operation("ingest " + snapshot.provider_issue_id);
    auto r = op.ingest_provider_issue(snapshot, ctx.mutation_options());
    render_decision(ctx, r.raw_data(), r.envelope, false);
    return exit_code::ok;
}

namespace {

void add_issue(CLI::App& intake, Context& ctx) {
    auto* cmd = intake.add_subcommand(
        "issue",
        "Ingest a provider issue snapshot: route it and create or triage its task (needs routing:admin)");
    auto a = std::make_shared<IntakeIssueOptions>();
    cmd->add_option("-f,--file", a->file, "Issue snapshot JSON (ProviderIssueSnapshot); '-' = stdin")
        ->required();
    cmd->add_flag("--dry-run", a->dry_run,
                  "Only evaluate where it would go (routing:evaluate); no task is created or assigned");
    bind_run(cmd, ctx, a, run_intake_issue);
}

}  // namespace

void register_intake(CLI::App& app, Context& ctx) {
    auto* intake = app.add_subcommand("intake", "Operator: ingest provider issues (routed into tasks)");
    intake->require_subcommand(1);
    add_issue(*intake, ctx);
}

}  // namespace agentrail::cli
