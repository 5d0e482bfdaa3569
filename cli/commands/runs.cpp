// `agentrail runs`: managed-runner runs of the reference server. These routes are not in either published
// contract (see agentrail/operator.hpp). `list` and `show` need usage:read; `context` is read with the
// run's own run-context token (--run-token-file), not the API key; `report` needs tasks:write (the run's
// agent, or auth:admin).

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/operator_commands.hpp"
#include "commands/operator_common.hpp"
#include "commands/run.hpp"
#include "context.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

/// Where a run's id is: `runId` on the reference server, `id` on servers that name it so. (AgentRun reads
/// it from either, so it is a plain member, not in the field list: these two names are written out here.)
std::string id_pointer(const Json& run) {
    return run.is_object() && !run.contains("runId") && run.contains("id") ? "/id" : "/runId";
}

std::vector<Column> run_columns(const Json& items) {
    using R = AgentRun;
    return {{"RUN", id_pointer(items.is_array() && !items.empty() ? items[0] : Json())},
            {"AGENT", json_path<&R::agent_id>()},
            {"TASK", json_path<&R::task_identifier>()},
            {"STATUS", json_path<&R::status>(), Kind::status},
            {"RUNNER", json_path<&R::runner>()},
            {"UPDATED", json_path<&R::updated_at>(), Kind::time},
            {"SUMMARY", json_path<&R::summary>(), Kind::text, true}};
}

// What the run views add to the server's data (for the table view only).
#define AGENTRAIL_FIELDS_RunView(X)                                                                \
    X(opt, std::vector<std::string>, report_text, "reportText") /* "status: summary" per report */ \
    X(opt, std::vector<std::string>, next_text, "nextText")     /* "id: label" per next action */
struct RunView {
    AGENTRAIL_FIELD_MEMBERS(RunView)
};

/// Adds "reportText" (one line per report) for the table view only; machine formats print `data` as sent.
Json run_view(const Json& data) {
    Json view = data;
    Json lines = Json::array();
    for (const auto& r : at_pointer(data, json_path<&AgentRun::reports>()))
        lines.push_back(r.value(std::string(json_name<&AgentRunReport::status>()), "?") + ": " +
                        r.value(std::string(json_name<&AgentRunReport::summary>()), ""));
    if (!lines.empty()) view[json_name<&RunView::report_text>()] = lines;
    return view;
}

void render_run(Context& ctx, const Json& data, const Json& envelope) {
    using R = AgentRun;
    show_object(ctx, data, envelope,
                {{"Run", id_pointer(data)},
                 {"Agent", json_path<&R::agent_id>()},
                 {"Task", json_path<&R::task_id>()},
                 {"Task key", json_path<&R::task_identifier>()},
                 {"Status", json_path<&R::status>(), Kind::status},
                 {"Runner", json_path<&R::runner>()},
                 {"Branch", json_path<&R::branch_name>()},
                 {"Created", json_path<&R::created_at>(), Kind::time},
                 {"Started", json_path<&R::started_at>(), Kind::time},
                 {"Finished", json_path<&R::finished_at>(), Kind::time},
                 {"Updated", json_path<&R::updated_at>(), Kind::time},
                 {"Exit code", json_path<&R::exit_code>()},
                 {"Summary", json_path<&R::summary>()},
                 {"Report", "/report/summary"},  // a latest report some servers send: not in AgentRun
                 {"Reports", json_path<&RunView::report_text>(), Kind::lines}},
                id_pointer(data), run_view(data));
}

}  // namespace

int run_runs_list(const RunListOptions& o, Context& ctx) {
    ListAgentRunsOptions options;
    if (!o.agent.empty()) {
        require_agent_id(o.agent, "--agent");
        options.agent_id = o.agent;
    }
    if (!o.status.empty()) options.status = o.status;
    if (o.limit > 0) options.limit = o.limit;
    ctx.set_operation("list runs");
    ctx.out();
    auto r = operator_client(ctx).list_agent_runs(options);
    const Json& items = r.raw_data();
    ctx.out().list(items, r.envelope, run_columns(items),
                   id_pointer(items.is_array() && !items.empty() ? items[0] : Json()));
    return exit_code::ok;
}

int run_runs_show(const RunShowOptions& o, Context& ctx) {
    require_run_id(o.id, "run");
    ctx.set_operation("show run " + o.id, o.id);
    ctx.out();
    auto r = operator_client(ctx).get_agent_run(o.id);
    render_run(ctx, r.raw_data(), r.envelope);
    return exit_code::ok;
}

int run_runs_context(const RunContextOptions& o, Context& ctx) {
    require_run_id(o.id, "run");
    std::string token = trim(read_small_file(o.token_file, "--run-token-file"));
    if (token.empty()) throw usage_error("--run-token-file " + o.token_file + ": the file is empty");
    ctx.set_operation("read the context of run " + o.id, o.id);
    auto& out = ctx.out();
    auto r = operator_client(ctx).get_run_context(o.id, token);
    const Json& data = r.raw_data();
    out.result(data, r.envelope, o.id, [&] {
        using C = RunContext;
        using Run = RunContextRun;
        using Task = RunContextTask;
        Json view = data;
        // Servers that put the run's fields at the top level (runId, status, agent) instead of `run`: a
        // shape RunContext does not model (kept in its `extra`), so those names are written out here.
        const std::string run_key(json_name<&C::run>());
        const std::string run_id_key(json_name<&Run::run_id>());
        if (!view.contains(run_key) && view.contains(run_id_key))
            view[run_key] = {{run_id_key, view[run_id_key]},
                             {json_name<&Run::status>(), at_pointer(data, "/status")},
                             {json_name<&Run::agent_id>(), at_pointer(data, "/agent/id")}};
        Json next = Json::array();
        for (const auto& n : at_pointer(data, json_path<&C::next_actions>()))
            next.push_back(n.value(std::string(json_name<&RunContextAction::id>()), "?") + ": " +
                           n.value(std::string(json_name<&RunContextAction::label>()), ""));
        if (next.empty() && data.contains("instructions")) next.push_back(data["instructions"]);
        view[json_name<&RunView::next_text>()] = next;
        out.fields(view, {{"Run", json_path<&C::run, &Run::run_id>()},
                          {"Agent", json_path<&C::run, &Run::agent_id>()},
                          {"Run status", json_path<&C::run, &Run::status>(), Kind::status},
                          {"Branch", json_path<&C::run, &Run::branch_name>()},
                          {"Task", json_path<&C::task, &Task::id>()},
                          {"Task key", json_path<&C::task, &Task::identifier>()},
                          {"Title", json_path<&C::task, &Task::title>()},
                          {"Task status", json_path<&C::task, &Task::status>(), Kind::status},
                          {"Priority", json_path<&C::task, &Task::priority>()},
                          {"Acceptance", json_path<&C::task, &Task::acceptance_criteria>(), Kind::lines},
                          {"Description", json_path<&C::task, &Task::description>()},
                          {"Next", json_path<&RunView::next_text>(), Kind::lines}});
    });
    return exit_code::ok;
}

int run_runs_report(const RunReportOptions& o, Context& ctx) {
    require_run_id(o.id, "run");
    Json input = read_json_object(o.file);
    auto request = decode_input<AgentRunReportRequest>(input, o.file);
    std::string where = "-f " + o.file + ": ";
    // Statuses and required members differ between servers: the server checks them (exit 7).
    if (trim(request.status).empty()) throw usage_error(where + "status: must not be empty");
    if (trim(request.summary).empty()) throw usage_error(where + "summary: must not be empty");
    if (!request.handoff.is_null() && !request.handoff.is_object())
        throw usage_error(where + "handoff: expected an object or null");
    std::optional<std::string> token;
    if (!o.token_file.empty()) {
        token = trim(read_small_file(o.token_file, "--run-token-file"));
        if (token->empty()) throw usage_error("--run-token-file " + o.token_file + ": the file is empty");
    }
    ctx.set_operation("report on run " + o.id, o.id);
    ctx.out();
    auto r = operator_client(ctx).report_agent_run(o.id, request, token);
    render_run(ctx, r.raw_data(), r.envelope);
    return exit_code::ok;
}

// ---- wiring: flags bound to the options, the callback calls run ---------------------------------------

namespace {

void add_runs_list(CLI::App& runs, Context& ctx) {
    auto* cmd = runs.add_subcommand("list", "List managed runs, newest first (needs usage:read)");
    auto a = std::make_shared<RunListOptions>();
    cmd->add_option("--agent", a->agent, "Only runs of this agent (agt_...)");
    cmd->add_option("--status", a->status, "Only runs in this status")
        ->check(CLI::IsMember({"starting", "running", "succeeded", "failed", "awaiting_user", "cancelled"}));
    cmd->add_option("--limit", a->limit, "At most this many runs, 1 to 100")->check(CLI::Range(1, 100));
    bind_run(cmd, ctx, a, run_runs_list);
}

void add_runs_show(CLI::App& runs, Context& ctx) {
    auto* cmd = runs.add_subcommand("show", "Show one managed run (needs usage:read)");
    auto a = std::make_shared<RunShowOptions>();
    cmd->add_option("run", a->id, "Run id (run_...)")->required();
    bind_run(cmd, ctx, a, run_runs_show);
}

void add_runs_context(CLI::App& runs, Context& ctx) {
    auto* cmd = runs.add_subcommand(
        "context", "Show a run's task card, read with the run's run-context token (not the API key)");
    auto a = std::make_shared<RunContextOptions>();
    cmd->add_option("run", a->id, "Run id (run_...)")->required();
    cmd->add_option("--run-token-file", a->token_file,
                    "File holding the run-context token (arrun_...); '-' = stdin")
        ->required();
    bind_run(cmd, ctx, a, run_runs_context);
}

void add_runs_report(CLI::App& runs, Context& ctx) {
    auto* cmd = runs.add_subcommand(
        "report",
        "Report a run's progress, blocker or outcome (API key with tasks:write, or --run-token-file)");
    auto a = std::make_shared<RunReportOptions>();
    cmd->add_option("run", a->id, "Run id (run_...)")->required();
    cmd->add_option(
           "-f,--file", a->file,
           "Report JSON {status, summary, ...} (reference server: status progress|blocked|completed; "
           "blocked also reason, actionRequired, resumeInstructions); '-' = stdin")
        ->required();
    cmd->add_option("--run-token-file", a->token_file,
                    "Authenticate with the run's run-context token from this file instead of the API key");
    bind_run(cmd, ctx, a, run_runs_report);
}

}  // namespace

void register_runs(CLI::App& app, Context& ctx) {
    auto* runs = app.add_subcommand(
        "runs", "Operator: managed-runner runs (reference server routes, not in the published contracts)");
    runs->require_subcommand(1);
    add_runs_list(*runs, ctx);
    add_runs_show(*runs, ctx);
    add_runs_context(*runs, ctx);
    add_runs_report(*runs, ctx);
}

}  // namespace agentrail::cli
