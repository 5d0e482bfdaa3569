// `agentrail tasks` (alias `task`): list, show and drive tasks through their lifecycle.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands/list_all.hpp"
#include "commands/run.hpp"
#include "commands/tasks.hpp"
#include "commands/wait.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "task_ref.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

std::vector<Column> task_columns() {
    // Minimum widths (used by piped --all tables) fit the values the API produces: a task id, keys up to
    // ABCD-123456, the longest status and priority, a millisecond RFC 3339 time, the longest action list.
    // On a terminal, narrow widths drop UPDATED, then PRIORITY, then ID (cut in the middle first: a key
    // names the task as well), then NEXT; TITLE is the last to go. DUE is shown with -o wide / --columns.
    using T = TaskSummary;
    return {{"ID", json_path<&T::id>(), Kind::text, false, 30, 60, true, 12, true},
            {"KEY", json_path<&T::identifier>(), Kind::text, false, 11, 90, true},
            {"STATUS", json_path<&T::status>(), Kind::status, false, 11, 80, true},
            {"PRIORITY", json_path<&T::priority>(), Kind::text, false, 8, 50, true},
            {"UPDATED", json_path<&T::updated_at>(), Kind::time, false, 24, 40, true},
            {"DUE", json_path<&T::due_at>(), Kind::time, false, 24, 30, true, 0, false, true},
            {"NEXT", json_path<&T::available_actions>(), Kind::actions, true, 42, 70, true, 8},
            {"TITLE", json_path<&T::title>(), Kind::text, true, 0, 100, true, 30}};
}

}  // namespace

void render_task(Context& ctx, const Json& data, const Json& envelope) {
    using T = TaskDetail;
    std::vector<Field> fields = {{"ID", json_path<&T::id>()},
                                 {"Key", json_path<&T::identifier>()},
                                 {"Title", json_path<&T::title>()},
                                 {"Status", json_path<&T::status>(), Kind::status},
                                 {"Priority", json_path<&T::priority>()},
                                 {"Assignee", json_path<&T::assignee, &TaskAssignee::name>()},
                                 {"Updated", json_path<&T::updated_at>(), Kind::time}};
    // A due date is a member of the list's summary; a detail that has one carries it as an extra.
    if (data.contains(json_name<&TaskSummary::due_at>()))
        fields.push_back({"Due", json_path<&TaskSummary::due_at>(), Kind::time});
    fields.insert(fields.end(), {{"Issue", json_path<&T::links, json_key{"issue"}>()},
                                 {"PR", json_path<&T::pr_url>()},
                                 {"Branch", json_path<&T::branch>()},
                                 {"Head SHA", json_path<&T::head_sha>()},
                                 {"Submission", json_path<&T::submission_id>()}});
    if (!at_pointer(data, json_path<&T::blocker>()).is_null()) {
        fields.insert(fields.end(),
                      {{"Blocked by", json_path<&T::blocker, &TaskBlocker::reason>()},
                       {"Action required", json_path<&T::blocker, &TaskBlocker::action_required>()},
                       {"Then", json_path<&T::blocker, &TaskBlocker::resume_instructions>()}});
    }
    if (data.contains(json_name<&T::acceptance_criteria>()))
        fields.push_back({"Acceptance", json_path<&T::acceptance_criteria>(), Kind::lines});
    if (data.contains(json_name<&T::description>()))
        fields.push_back({"Description", json_path<&T::description>()});
    auto id = at_pointer(data, json_path<&T::id>());
    ctx.out().object(data, envelope, fields, json_path<&T::id>(),
                     id.is_string() ? id.get<std::string>() : std::string{});
}

namespace {

/// Key/value rows for every member of an object whose shape the CLI does not know in advance.
std::vector<Field> generic_fields(const Json& object) {
    std::vector<Field> fields;
    if (!object.is_object()) return fields;
    for (const auto& [key, value] : object.items()) {
        if (key == "availableActions") continue;
        bool is_time = key.size() > 2 && key.compare(key.size() - 2, 2, "At") == 0;
        fields.push_back({key, "/" + key,
                          key == "status" ? Kind::status
                          : is_time       ? Kind::time
                                          : Kind::text});
    }
    return fields;
}

/// Fetches the task and fails with exit 6 unless `action` is among its available actions. Not called
/// with --force, which sends the mutation without reading the task first (the read may be refused
/// where the mutation is allowed, e.g. an auth:admin key on another agent's task).
Response<TaskDetail> require_action(Context& ctx, const std::string& id, const std::string& action) {
    auto task = ctx.client().get_task(id);
    auto actions = actions_of(task.envelope);
    if (std::find(actions.begin(), actions.end(), action) != actions.end()) return task;
    // The actions it does offer become the error's `next:` commands (never raw action names here).
    const auto& status = at_pointer(task.raw_data(), json_path<&TaskDetail::status>());
    throw Failure(exit_code::conflict, "action_not_available",
                  "task is " +
                      (status.is_string() ? status.get<std::string>() : std::string("in another state")) +
                      " and does not offer " + action + "; pass --force to send it anyway",
                  actions, {{"taskId", id}, {"action", action}, {"availableActions", actions}});
}

std::pair<std::string, std::string> split_pair(const std::string& text, char sep, const std::string& what) {
    auto pos = text.find(sep);
    if (pos == std::string::npos || pos == 0 || pos + 1 == text.size())
        throw usage_error(what + ": expected " + (sep == '=' ? "KEY=VALUE" : "A:B") + ", got '" + text + "'");
    return {text.substr(0, pos), text.substr(pos + 1)};
}

}  // namespace

int run_task_list(const TaskListOptions& o, Context& ctx) {
    ctx.choose_columns(o.columns);
    ListTasksOptions options;
    if (!o.status.empty()) options.status = o.status;
    if (o.limit > 0) options.limit = o.limit;
    if (!o.cursor.empty()) options.cursor = o.cursor;
    ctx.set_operation("list tasks");
    auto& out = ctx.out();
    out.page_output();
    if (!o.all) {
        if (print_raw_task_page(ctx, options)) return exit_code::ok;  // -o ndjson|json: the server's bytes
        auto page = ctx.client().list_my_tasks(options);
        out.list(page.raw_data(), page.envelope, task_columns(), json_path<&TaskSummary::id>());
        return exit_code::ok;
    }
    list_all_tasks(ctx, options, task_columns(),
                   json_path<&TaskSummary::id>());  // Ctrl-C stops after the page in flight
    return exit_code::ok;
}

int run_task_show(const TaskRefOptions& o, Context& ctx) {
    const auto id = resolve_task(ctx, o.id);
    ctx.set_operation("show task " + id, id);
    ctx.out().page_output();
    auto r = ctx.client().get_task(id);
    render_task(ctx, r.raw_data(), r.envelope);
    return exit_code::ok;
}

int run_task_start(const TaskRefOptions& o, Context& ctx) {
    const auto id = resolve_task(ctx, o.id);
    ctx.set_operation("start task " + id, id);
    ctx.out();
    auto r = ctx.client().start_task(id, ctx.mutation_options());
    render_task(ctx, r.raw_data(), r.envelope);
    return exit_code::ok;
}

int run_task_block(const TaskBlockOptions& o, Context& ctx) {
    const auto id = resolve_task(ctx, o.id);
    require_length(o.reason, 1, 500, "--reason");
    require_length(o.action_required, 1, 2000, "--action-required");
    require_length(o.resume_instructions, 1, 2000, "--resume-instructions");
    if (!o.source_run_id.empty()) require_run_id(o.source_run_id, "--source-run-id");
    if (!o.source_agent_id.empty()) require_agent_id(o.source_agent_id, "--source-agent-id");
    ctx.set_operation("block task " + id, id);
    ctx.out();
    TaskBlockerRequest request;
    request.reason = o.reason;
    request.action_required = o.action_required;
    request.resume_instructions = o.resume_instructions;
    request.source_run_id = o.source_run_id;
    if (request.source_run_id.empty()) {
        auto now =
            std::chrono::duration_cast<std::chrono::seconds>(ctx.deps().clock().time_since_epoch()).count();
        request.source_run_id = "run_cli_" + std::to_string(now);
    }
    request.source_agent_id = o.source_agent_id;
    if (request.source_agent_id.empty()) {
        auto task = ctx.client().get_task(id);
        for (std::string_view pointer : {json_pointer<&TaskDetail::assignee_agent_id>(),
                                         json_pointer<&TaskDetail::assignee, &TaskAssignee::id>()}) {
            const auto& v = at_pointer(task.raw_data(), pointer);
            if (v.is_string() && matches_id(v.get<std::string>(), "agt_", true)) {
                request.source_agent_id = v.get<std::string>();
                break;
            }
        }
        if (request.source_agent_id.empty())
            throw usage_error("the task has no assignee agent id; pass --source-agent-id agt_...");
    }
    auto r = ctx.client().block_task(id, request, ctx.mutation_options());
    render_task(ctx, r.raw_data(), r.envelope);
    return exit_code::ok;
}

int run_task_resolve(const TaskResolveOptions& o, Context& ctx) {
    const auto id = resolve_task(ctx, o.id);
    require_length(o.summary, 1, 2000, "--summary");
    ctx.set_operation("resolve blocker of task " + id, id);
    ctx.out();
    ResolveBlockerRequest request;
    request.resolution_summary = o.summary;
    auto r = ctx.client().resolve_blocker(id, request, ctx.mutation_options());
    render_task(ctx, r.raw_data(), r.envelope);
    return exit_code::ok;
}

int run_task_submit(const TaskSubmitOptions& o, Context& ctx) {
    const auto id = resolve_task(ctx, o.id);
    require_length(o.summary, 1, 2000, "--summary");
    if (o.notes.size() > 2000) require_length(o.notes, 0, 2000, "--notes");
    if (o.pr_title.size() > 300) require_length(o.pr_title, 0, 300, "--pr-title");
    if (o.pr_body.size() > 10000) require_length(o.pr_body, 0, 10000, "--pr-body");
    if (o.artifacts.size() > 20) throw usage_error("--artifact: at most 20");
    if (o.checks.size() > 20) throw usage_error("--check: at most 20");
    TaskSubmitRequest request;
    request.summary = o.summary;
    if (!o.mode.empty()) request.mode = o.mode;
    for (const auto& text : o.artifacts) {
        auto [type, url] = split_pair(text, '=', "--artifact");
        require_one_of(type, {"pull_request", "commit", "doc", "ci_run", "other"}, "--artifact type");
        require_http_url(url, "--artifact url");
        SubmitArtifact artifact;
        artifact.type = type;
        artifact.url = url;
        request.artifacts.push_back(std::move(artifact));
    }
    for (const auto& text : o.checks) {
        auto [name, status] = split_pair(text, '=', "--check");
        require_one_of(status, {"passed", "failed", "running", "skipped"}, "--check status");
        SubmitCheck check;
        check.name = name;
        check.status = status;
        request.checks.push_back(std::move(check));
    }
    if (o.mode == "artifact" && request.artifacts.empty())
        throw usage_error("--mode artifact needs at least one --artifact TYPE=URL");
    if (!o.pr_title.empty() || !o.pr_body.empty() || o.draft) {
        PullRequestOptions pr;
        if (!o.pr_title.empty()) pr.title = o.pr_title;
        if (!o.pr_body.empty()) pr.body = o.pr_body;
        if (o.draft) pr.draft = true;
        request.pull_request = std::move(pr);
    }
    if (!o.notes.empty()) request.notes = o.notes;

    ctx.set_operation("submit task " + id, id);
    ctx.out();
    if (!o.force) require_action(ctx, id, "submit");
    auto r = ctx.client().submit_task(id, request, ctx.mutation_options());
    using S = TaskSubmission;
    ctx.out().object(r.raw_data(), r.envelope,
                     {{"Submission", json_path<&S::submission_id>()},
                      {"Task", json_path<&S::task_id>()},
                      {"Status", json_path<&S::status>(), Kind::status},
                      {"Action", json_path<&S::action>()},
                      {"PR", json_path<&S::pr_url>()},
                      {"Branch", json_path<&S::head>()},
                      {"Base", json_path<&S::base>()},
                      {"Head SHA", json_path<&S::head_sha>()},
                      {"Accepted", json_path<&S::accepted_at>(), Kind::time},
                      {"Idempotency key", json_path<&S::idempotency_key>()}},
                     json_path<&S::submission_id>(), id);
    return exit_code::ok;
}

namespace {

// What the CI view adds to the server's CI status (for the table view only).
#define AGENTRAIL_FIELDS_CiStatusView(X) \
    X(opt, std::string, counts, "counts") /* "3 passed, 1 failed (4 total)" */
struct CiStatusView {
    AGENTRAIL_FIELD_MEMBERS(CiStatusView)
};

std::string ci_counts(const Json& summary) {
    using C = CiCounts;
    std::string out;
    for (auto [k, pointer] : {std::pair{json_name<&C::passed>(), json_pointer<&C::passed>()},
                              std::pair{json_name<&C::failed>(), json_pointer<&C::failed>()},
                              std::pair{json_name<&C::running>(), json_pointer<&C::running>()},
                              std::pair{json_name<&C::queued>(), json_pointer<&C::queued>()},
                              std::pair{json_name<&C::cancelled>(), json_pointer<&C::cancelled>()},
                              std::pair{json_name<&C::skipped>(), json_pointer<&C::skipped>()}}) {
        const auto& v = at_pointer(summary, pointer);
        if (v.is_number() && v.get<long long>() > 0)
            out += (out.empty() ? "" : ", ") + v.dump() + " " + std::string(k);
    }
    const auto& total = at_pointer(summary, json_path<&C::total>());
    if (total.is_number()) out += (out.empty() ? "" : " ") + std::string("(") + total.dump() + " total)";
    return out.empty() ? "-" : out;
}

}  // namespace

void show_ci_status(Context& ctx, const std::string& task) {
    const auto task_id = resolve_task(ctx, task);
    ctx.set_operation("get CI status of task " + task_id, task_id);
    auto& out = ctx.out();
    out.page_output();
    auto r = ctx.client().get_task_ci_status(task_id);
    const auto& data = r.raw_data();
    using C = CiStatus;
    const auto& overall = at_pointer(data, json_path<&C::overall_status>());
    out.result(data, r.envelope, overall.is_string() ? overall.get<std::string>() : std::string{}, [&] {
        Json view = {
            {json_name<&C::task_id>(), at_pointer(data, json_path<&C::task_id>())},
            {json_name<&C::submission_id>(), at_pointer(data, json_path<&C::submission_id>())},
            {json_name<&C::overall_status>(), overall},
            {json_name<&CiStatusView::counts>(), ci_counts(at_pointer(data, json_path<&C::summary>()))},
            {json_name<&C::updated_at>(), at_pointer(data, json_path<&C::updated_at>())}};
        out.fields(view, {{"Task", json_path<&C::task_id>()},
                          {"Submission", json_path<&C::submission_id>()},
                          {"Overall", json_path<&C::overall_status>(), Kind::status},
                          {"Checks", json_path<&CiStatusView::counts>()},
                          {"Updated", json_path<&C::updated_at>(), Kind::time}});
        out.line("");
        out.table(at_pointer(data, json_path<&C::checks>()),
                  {{"CHECK", json_path<&CiCheck::name>()},
                   {"WORKFLOW", json_path<&CiCheck::workflow>()},
                   {"STATUS", json_path<&CiCheck::status>(), Kind::status},
                   {"SECONDS", json_path<&CiCheck::duration_seconds>()},
                   {"URL", json_path<&CiCheck::url>(), Kind::text, true}});
        const auto& failures = at_pointer(data, json_path<&C::failure_summaries>());
        if (failures.is_array() && !failures.empty()) {
            out.line("");
            out.heading("Failures");
            using F = CiFailureSummary;
            out.table(failures, {{"CHECK", json_path<&F::check_name>()},
                                 {"TEST", json_path<&F::test_name>()},
                                 {"FILE", json_path<&F::file>()},
                                 {"LINE", json_path<&F::line>()},
                                 {"MESSAGE", json_path<&F::message>(), Kind::text, true}});
        }
        out.next_steps(actions_of(r.envelope), task_id);
    });
}

int run_task_ci(const TaskRefOptions& o, Context& ctx) {
    show_ci_status(ctx, o.id);
    return exit_code::ok;
}

int run_task_review(const TaskRefOptions& o, Context& ctx) {
    const auto id = resolve_task(ctx, o.id);
    ctx.set_operation("get review feedback of task " + id, id);
    auto& out = ctx.out();
    out.page_output();
    auto r = ctx.client().get_task_review_feedback(id);
    const auto& data = r.raw_data();
    using R = ReviewFeedback;
    using D = ReviewDecision;
    const auto& outcome = at_pointer(data, json_path<&R::latest_decision, &D::outcome>());
    out.result(data, r.envelope, outcome.is_string() ? outcome.get<std::string>() : std::string{}, [&] {
        out.fields(data, {{"Task", json_path<&R::task_id>()},
                          {"Outcome", json_path<&R::latest_decision, &D::outcome>(), Kind::status},
                          {"Reviewer", json_path<&R::latest_decision, &D::reviewer, &Reviewer::id>()},
                          {"Role", json_path<&R::latest_decision, &D::reviewer, &Reviewer::role>()},
                          {"When", json_path<&R::latest_decision, &D::created_at>(), Kind::time},
                          {"Head SHA", json_path<&R::latest_decision, &D::head_sha>()},
                          {"Summary", json_path<&R::latest_decision, &D::summary>()}});
        out.line("");
        out.table(at_pointer(data, json_path<&R::comments>()),
                  {{"SEVERITY", json_path<&ReviewComment::severity>(), Kind::status},
                   {"AUTHOR", json_path<&ReviewComment::author_role>()},
                   {"FILE", json_path<&ReviewComment::file>()},
                   {"LINE", json_path<&ReviewComment::line>()},
                   {"COMMENT", json_path<&ReviewComment::body>(), Kind::text, true}});
        out.next_steps(actions_of(r.envelope), id);
    });
    return exit_code::ok;
}

int run_task_ship(const TaskShipOptions& o, Context& ctx) {
    const auto id = resolve_task(ctx, o.id);
    if (!o.sha.empty()) require_sha(o.sha, "--expected-head-sha");
    ctx.set_operation("ship task " + id, id);
    ctx.out();
    if (o.force && o.sha.empty())
        throw usage_error("--force does not read the task, so it needs --expected-head-sha SHA");
    std::optional<Response<TaskDetail>> task;
    if (!o.force) task = require_action(ctx, id, "ship");
    TaskShipRequest request;
    request.mode = o.mode;
    request.target_environment = o.env;
    request.expected_head_sha = o.sha;
    if (request.expected_head_sha.empty()) {
        const auto& head = at_pointer(task->raw_data(), json_path<&TaskDetail::head_sha>());
        if (!head.is_string()) throw usage_error("the task has no headSha yet; pass --expected-head-sha SHA");
        request.expected_head_sha = head.get<std::string>();
        require_sha(request.expected_head_sha, "the task's headSha");
    }
    auto r = ctx.client().ship_task(id, request, ctx.mutation_options());
    ctx.out().object(r.raw_data(), r.envelope,
                     {{"Task", json_path<&ShipResult::task_id>()},
                      {"Operation", json_path<&ShipResult::operation_id>()},
                      {"Status", json_path<&ShipResult::status>(), Kind::status},
                      {"Queued", json_path<&ShipResult::queued_at>(), Kind::time}},
                     json_path<&ShipResult::operation_id>(), id);
    return exit_code::ok;
}

int run_task_rollback(const TaskRefOptions& o, Context& ctx) {
    const auto id = resolve_task(ctx, o.id);
    ctx.set_operation("roll back task " + id, id);
    ctx.out();
    auto r = ctx.client().rollback_task(id, ctx.mutation_options());
    const auto& data = r.raw_data();
    const char* quiet = data.contains("status") ? "/status" : "/taskId";
    ctx.out().object(data, r.envelope, generic_fields(data), quiet, id);
    return exit_code::ok;
}

// ---- wiring: flags bound to the options, the callback calls run ------------------------------------------

namespace {

CLI::Option* add_task_id(CLI::App* cmd, std::string& id) {
    return cmd->add_option("id", id, "Task id (tsk_...) or key (DEMO-1)")->required();
}

void add_task_list(CLI::App& tasks, Context& ctx) {
    auto* cmd = tasks.add_subcommand("list", "List the tasks assigned to you");
    auto o = std::make_shared<TaskListOptions>();
    cmd->add_option("--status", o->status, "Only tasks in this status")
        ->check(CLI::IsMember({"todo", "in_progress", "in_review", "blocked"}));
    cmd->add_option("--limit", o->limit, "Tasks per page, 1 to 100 (server default 25)")
        ->check(CLI::Range(1, 100));
    cmd->add_option("--cursor", o->cursor, "Start at this page cursor (from a previous page)");
    cmd->add_flag("--all", o->all, "Follow every page, printing rows as pages arrive (-o json: one array)");
    cmd->add_option("--columns", o->columns,
                    "Table columns to show, in order, e.g. key,status,title (id, key, status, priority, "
                    "updated, due, next, title)")
        ->delimiter(',');
    bind_run(cmd, ctx, o, run_task_list);
}

void add_task_ref_command(CLI::App& tasks, Context& ctx, const char* name, const char* description,
                          int (*run)(const TaskRefOptions&, Context&)) {
    auto* cmd = tasks.add_subcommand(name, description);
    auto o = std::make_shared<TaskRefOptions>();
    add_task_id(cmd, o->id);
    bind_run(cmd, ctx, o, run);
}

void add_task_block(CLI::App& tasks, Context& ctx) {
    auto* cmd = tasks.add_subcommand("block", "Mark a task blocked until the user acts");
    auto o = std::make_shared<TaskBlockOptions>();
    add_task_id(cmd, o->id);
    cmd->add_option("--reason", o->reason, "Why the task cannot continue (1-500 characters)")->required();
    cmd->add_option("--action-required", o->action_required, "What the user must do (1-2000 characters)")
        ->required();
    cmd->add_option("--resume-instructions", o->resume_instructions,
                    "How work resumes once resolved (1-2000 characters)")
        ->required();
    cmd->add_option("--source-run-id", o->source_run_id,
                    "Run that hit the blocker (run_...; default: generated)");
    cmd->add_option("--source-agent-id", o->source_agent_id,
                    "Agent that hit it (agt_...; default: the assignee)");
    bind_run(cmd, ctx, o, run_task_block);
}

void add_task_resolve(CLI::App& tasks, Context& ctx) {
    auto* cmd = tasks.add_subcommand("resolve", "Resolve a task's blocker (blocked -> todo)");
    auto o = std::make_shared<TaskResolveOptions>();
    add_task_id(cmd, o->id);
    cmd->add_option("--summary", o->summary, "What the user did (1-2000 characters)")->required();
    bind_run(cmd, ctx, o, run_task_resolve);
}

void add_task_submit(CLI::App& tasks, Context& ctx) {
    auto* cmd = tasks.add_subcommand("submit", "Submit the task's work for review");
    auto o = std::make_shared<TaskSubmitOptions>();
    add_task_id(cmd, o->id);
    cmd->add_option("--summary", o->summary, "What was done (up to 2000 characters)")->required();
    cmd->add_option("--mode", o->mode, "adapter_managed (server default) or artifact")
        ->check(CLI::IsMember({"adapter_managed", "artifact"}));
    cmd->add_option("--artifact", o->artifacts,
                    "TYPE=URL, repeatable; TYPE: pull_request, commit, doc, ci_run, other");
    cmd->add_option("--check", o->checks,
                    "NAME=STATUS, repeatable; STATUS: passed, failed, running, skipped");
    cmd->add_option("--notes", o->notes, "Notes for the reviewer (up to 2000 characters)");
    cmd->add_option("--pr-title", o->pr_title, "Pull request title (adapter_managed)");
    cmd->add_option("--pr-body", o->pr_body, "Pull request body (adapter_managed)");
    cmd->add_flag("--draft", o->draft, "Open the pull request as a draft");
    cmd->add_flag("--force", o->force,
                  "Send the submit without reading the task first (even when it does not offer 'submit')");
    bind_run(cmd, ctx, o, run_task_submit);
}

void add_task_ci(CLI::App& tasks, Context& ctx) {
    auto* cmd = tasks.add_subcommand("ci", "Show the CI status of the task's latest submission");
    auto id = std::make_shared<std::string>();
    add_task_id(cmd, *id);
    add_ci_watch(*cmd, ctx, id);  // --watch (wait.cpp); without it: run_task_ci
}

void add_task_ship(CLI::App& tasks, Context& ctx) {
    auto* cmd = tasks.add_subcommand("ship", "Merge (and deploy) the task's approved work");
    auto o = std::make_shared<TaskShipOptions>();
    add_task_id(cmd, o->id);
    cmd->add_option("--mode", o->mode, "merge_only or merge_and_deploy")
        ->check(CLI::IsMember({"merge_only", "merge_and_deploy"}))
        ->capture_default_str();
    cmd->add_option("--env", o->env, "Target environment: staging or production")
        ->check(CLI::IsMember({"staging", "production"}))
        ->capture_default_str();
    cmd->add_option("--expected-head-sha", o->sha,
                    "Ship only if the head is this SHA (default: the task's headSha)");
    cmd->add_flag("--force", o->force,
                  "Send the ship without reading the task first (needs --expected-head-sha)");
    bind_run(cmd, ctx, o, run_task_ship);
}

}  // namespace

void register_tasks(CLI::App& app, Context& ctx) {
    auto* tasks = app.add_subcommand("tasks", "List and drive the tasks assigned to you (alias: task)");
    tasks->alias("task");
    tasks->require_subcommand(1);
    add_task_list(*tasks, ctx);
    add_task_ref_command(*tasks, ctx, "show", "Show one task in full", run_task_show);
    add_task_ref_command(*tasks, ctx, "start", "Start a task (todo -> in_progress)", run_task_start);
    add_task_block(*tasks, ctx);
    add_task_resolve(*tasks, ctx);
    add_task_submit(*tasks, ctx);
    add_task_ci(*tasks, ctx);
    add_task_ref_command(*tasks, ctx, "review", "Show the review feedback of the task", run_task_review);
    add_task_ship(*tasks, ctx);
    add_task_ref_command(*tasks, ctx, "rollback", "Roll back a shipped task", run_task_rollback);
}

}  // namespace agentrail::cli
