// Operator API (intake-routing-admin.openapi.yaml): routing rule sets, agent profiles, evaluations,
// audit, provider issue intake, setup verification tasks; plus the reference server's managed-runner
// routes (agent runs, run context, run report) and task-source route, which neither contract has.
#include <algorithm>
#include <cctype>
#include <regex>

#include "lifecycle.hpp"
#include "render.hpp"
#include "routes_common.hpp"

namespace mock {

namespace {

const std::set<std::string> kRunStatuses{"starting", "running",       "succeeded",
                                         "failed",   "awaiting_user", "cancelled"};

OperatorState& state(Ctx& ctx) {
    return ctx.app.store.operator_state;
}

// The operator document's success envelope: {data, availableActions, meta: {requestId}}.
void send_data(Ctx& ctx, int status, Json data, Json actions) {
    send_json(ctx.res, status,
              Json{{"data", std::move(data)},
                   {"availableActions", std::move(actions)},
                   {"meta", Json{{"requestId", make_id("req_")}}}});
}

// 400 with the mock's details.fieldErrors and, as in the operator document's example, details.field.
void send_field_errors(Ctx& ctx, const FieldErrors& errors) {
    const Json& list = errors.json();
    send_error(ctx.res, 400, "validation_error", "Request body did not match the routing contract.",
               Json{{"field", list.front()["field"]}, {"fieldErrors", list}}, Json{"fix_request"});
}

void send_field_error(Ctx& ctx, const std::string& field, const std::string& reason) {
    FieldErrors errors;
    errors.add(field, reason);
    send_field_errors(ctx, errors);
}

bool non_empty(const Json& obj, const char* name) {
    auto it = obj.find(name);
    return it != obj.end() && it->is_string() && !trim(it->get<std::string>()).empty();
}

void not_found(Ctx& ctx, const std::string& message) {
    send_error(ctx.res, 404, "not_found", message, Json::object(), Json{"check_id"});
}

struct Request {
    Json body;
    std::optional<IdempotencyScope> scope;  // set when the request carries an Idempotency-Key
};

// Key, body, validation and replay, in the order the task mutations use. An Idempotency-Key is
// required on the document's operations and on source repairs, and optional (but honoured) on run
// reports. Returns nullopt when the request has been answered.
template <typename Check>
std::optional<Request> begin(Ctx& ctx, const std::string& resource, bool key_required, Check check) {
    std::optional<std::string> key;
    if (key_required || ctx.req.has_header("Idempotency-Key")) {
        key = require_idempotency_key(ctx);
        if (!key) return std::nullopt;
    }
    auto body = body_object(ctx, false);
    if (!body) return std::nullopt;
    FieldErrors errors;
    check(*body, errors);
    if (!errors.empty()) {
        send_field_errors(ctx, errors);
        return std::nullopt;
    }
    Request r{std::move(*body), std::nullopt};
    if (key) {
        r.scope = idempotency_scope(ctx, resource, *key);
        if (idempotency_replay(ctx, *r.scope, *key)) return std::nullopt;
    }
    return r;
}

void finish(Ctx& ctx, const Request& r) {
    if (r.scope) idempotency_record(ctx, *r.scope);
}

Actor operator_actor(const Ctx& ctx) {
    return actor_for_key_agent(ctx.key->agent);
}

// ---- rule sets and profiles ----

void get_rule_set(Ctx& ctx) {
    send_data(ctx, 200, state(ctx).active_rule_set(), Json{"update", "evaluate"});
}

void put_rule_set(Ctx& ctx) {
    auto r = begin(ctx, "", true, check_rule_set_request);
    if (!r) return;
    send_data(ctx, 201, state(ctx).replace_rule_set(r->body, caller_agent(ctx)), Json{"evaluate"});
    finish(ctx, *r);
}

void get_profile(Ctx& ctx) {
    auto& profiles = state(ctx).profiles;
    auto it = profiles.find(ctx.ids.at(0));
    if (it == profiles.end()) return not_found(ctx, "Agent routing profile was not found.");
    send_data(ctx, 200, it->second, Json{"update", "view_audit"});
}

void put_profile(Ctx& ctx) {
    const auto& agent_id = ctx.ids.at(0);
    auto r = begin(ctx, agent_id, true, check_profile_request);
    if (!r) return;
    const Json& b = r->body;
    Json profile{{"agentId", agent_id},
                 {"displayName", b["displayName"]},
                 {"role", b["role"]},
                 {"status", b["status"]},
                 {"capabilityTags", b["capabilityTags"]},
                 {"ownershipTags", b["ownershipTags"]},
                 {"repoAllowlist", b["repoAllowlist"]},
                 {"maxConcurrentTasks", b["maxConcurrentTasks"]},
                 {"source", "operator_admin"},
                 {"sourceRef", b["sourceRef"]},
                 {"changeReason", b["changeReason"]},
                 {"updatedBy", caller_agent(ctx)},
                 {"updatedAt", iso_now()}};
    auto& agents = ctx.app.store.agents;
    if (!agents.count(agent_id)) {
        Agent agent;
        agent.id = agent_id;
        agent.display_name = b["displayName"].get<std::string>();
        agent.role = b["role"].get<std::string>();
        agents[agent_id] = agent;
    }
    state(ctx).profiles[agent_id] = profile;
    send_data(ctx, 200, profile, Json{"evaluate", "view_audit"});
    finish(ctx, *r);
}

// ---- evaluations, audit, intake ----

Json audit_actions(const Json& decision) {
    return decision["taskId"].is_null() ? Json{"view_rule_set"} : Json{"view_task", "view_rule_set"};
}

// Stores the audit record of a decision (taskId already set).
void write_audit(Ctx& ctx, const Json& decision, const Json& snapshot, const Json& rule_set) {
    Json recorded = decision;
    recorded["availableActions"] = audit_actions(decision);
    state(ctx).audits[decision["id"].get<std::string>()] =
        Json{{"decision", std::move(recorded)},
             {"inputDigest", snapshot_digest(snapshot)},
             {"ruleSet", Json{{"id", rule_set["id"]}, {"version", rule_set["version"]}}},
             {"createdAt", iso_now()}};
}

void check_evaluation(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"ruleSetVersion", "snapshot"});
    if (c.has("ruleSetVersion")) c.integer("ruleSetVersion", false, 1, std::numeric_limits<long long>::max());
    if (const Json* snapshot = c.object("snapshot", true)) check_snapshot(*snapshot, errors, "snapshot");
}

void evaluate(Ctx& ctx) {
    auto r = begin(ctx, "", true, check_evaluation);
    if (!r) return;
    const Json& rule_set = state(ctx).active_rule_set();
    // As on the reference server, ruleSetVersion guards against a stale view: it must be the active one.
    if (auto v = r->body.value("ruleSetVersion", Json()); v.is_number_integer() && v != rule_set["version"]) {
        send_error(ctx.res, 409, "conflict", "Requested routing rule set version is stale.",
                   Json{{"ruleSetVersion", v}, {"currentRuleSetVersion", rule_set["version"]}},
                   Json{"retry"});
        return;
    }
    const Json& snapshot = r->body["snapshot"];
    Json decision = evaluate_routing(ctx.app.store, rule_set, snapshot, make_id("rdec_"));
    // A dry run assigns nothing.
    decision["assignment"]["assignedAt"] = nullptr;
    decision["availableActions"] = Json{"view_audit"};
    write_audit(ctx, decision, snapshot, rule_set);
    send_data(ctx, 200, decision, Json{"view_audit"});
    finish(ctx, *r);
}

void get_audit(Ctx& ctx) {
    auto& audits = state(ctx).audits;
    auto it = audits.find(ctx.ids.at(0));
    if (it == audits.end()) return not_found(ctx, "Routing decision was not found.");
    send_data(ctx, 200, it->second, audit_actions(it->second["decision"]));
}

void check_intake(const Json& body, FieldErrors& errors) {
    check_snapshot(body, errors, "");
}

void assign(Store& store, Task& task, const std::string& agent_id) {
    if (task.assignee_agent_id == agent_id) return;
    auto& old = store.tasks_by_agent[task.assignee_agent_id];
    old.erase(std::remove(old.begin(), old.end(), &task), old.end());
    task.assignee_agent_id = agent_id;
    store.tasks_by_agent[agent_id].push_back(&task);
}

// Applies a decision's assignment to the task.
void apply_decision(Store& store, Task& task, const Json& decision) {
    const Json& a = decision["assignment"];
    assign(store, task, a["assigneeAgentId"].is_string() ? a["assigneeAgentId"].get<std::string>() : "");
    if (!task.assignee_agent_id.empty()) store.agent_or_placeholder(task.assignee_agent_id);
    task.triage_queue_id =
        a["triageQueueId"].is_string() ? std::optional(a["triageQueueId"].get<std::string>()) : std::nullopt;
    task.assignment_source = a["assignmentSource"].get<std::string>();
    task.routing_decision_id = decision["id"].get<std::string>();
    task.routing_reason = decision["routingReason"];
    task.routing_confidence = decision["confidence"].get<double>();
}

std::string routed_to(const Task& task) {
    return task.assignee_agent_id.empty() ? "waits in triage queue " + task.triage_queue_id.value_or("")
                                          : "is assigned to " + task.assignee_agent_id;
}

// The task fields a snapshot sets, as the reference server's intake sets them.
void apply_snapshot(Task& task, const Json& snapshot) {
    const Json& repo = snapshot["repository"];
    std::string issue_id = snapshot["providerIssueId"].get<std::string>();
    std::string repo_key = repo["owner"].get<std::string>() + "/" + repo["name"].get<std::string>();
    task.title = snapshot["title"].get<std::string>();
    task.description =
        "Provider snapshot " + issue_id + "\nBody digest: " + snapshot["bodyDigest"].get<std::string>();
    task.priority = snapshot["priority"].get<std::string>();
    task.issue_url = snapshot["links"]["providerIssue"].get<std::string>();
    auto project = snapshot.value("project", Json());
    task.project = project.is_string() ? project.get<std::string>() : repo_key;
    task.goal = "Provider issue intake: " + issue_id;
    Json source{{"provider", repo["provider"]}, {"owner", repo["owner"]},
                {"repo", repo["name"]},         {"baseBranch", repo["defaultBranch"]},
                {"labels", snapshot["labels"]}, {"deliveryId", snapshot["sourceVersion"]},
                {"receivedAt", iso_now()}};
    static const std::regex issue_number(R"((?:issues/|issue:)(\d+)$)", std::regex::icase);
    std::smatch m;
    if (std::regex_search(issue_id, m, issue_number))
        if (auto n = parse_int(m[1].str()); n && *n > 0) source["issueNumber"] = *n;
    task.source = std::move(source);
}

void ingest(Ctx& ctx) {
    auto r = begin(ctx, "", true, check_intake);
    if (!r) return;
    auto& store = ctx.app.store;
    auto& st = state(ctx);
    const Json& snapshot = r->body;
    std::string issue_id = snapshot["providerIssueId"].get<std::string>();
    Task* task = nullptr;
    if (auto it = st.intake.find(issue_id); it != st.intake.end()) task = store.find_task(it->second);

    const Json& rule_set = st.active_rule_set();
    Json decision = evaluate_routing(store, rule_set, snapshot, make_id("rdec_"), task ? task->id : "");
    if (!task) {
        // The task's identifier is the provider issue id, as on the reference server.
        Task t;
        t.id = make_id("tsk_");
        t.identifier = issue_id;
        t.status = "todo";
        t.updated_at = iso_now();
        apply_snapshot(t, snapshot);
        task = &store.add_task(std::move(t));
        st.intake[issue_id] = task->id;
        apply_decision(store, *task, decision);
        lifecycle::emit_updated(ctx.app, *task, std::nullopt, {"status", "assignee", "availableActions"},
                                operator_actor(ctx),
                                "Task created from " + issue_id + "; it " + routed_to(*task) + ".");
    } else {
        // A snapshot of a known issue updates its task and routes it again.
        auto previous_assignee = task->assignee_agent_id;
        apply_snapshot(*task, snapshot);
        apply_decision(store, *task, decision);
        lifecycle::touch(*task);
        std::vector<std::string> changed{"title", "priority", "links", "routingDecisionId", "updatedAt"};
        if (task->assignee_agent_id != previous_assignee) changed.emplace_back("assignee");
        lifecycle::emit_updated(ctx.app, *task, task->status, changed, operator_actor(ctx),
                                "Task updated from " + issue_id + "; it " + routed_to(*task) + ".");
    }
    decision["taskId"] = task->id;
    decision["taskIdentifier"] = task->identifier;
    if (decision["outcome"] == "assigned") st.start_run(*task);
    write_audit(ctx, decision, snapshot, rule_set);
    send_data(ctx, 202, decision, Json{"view_task", "view_audit"});
    finish(ctx, *r);
}

// ---- setup verification ----

void check_setup(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"agentId", "sourceRef"});
    if (auto id = c.string("agentId", true, 1); id && !starts_with(trim(*id), "agt_"))
        errors.add("agentId", "must start with agt_");
    c.string("sourceRef", false);
}

// As the reference server: the agent needs an active routing profile; the task is created once per
// agent (identifier LOCAL-SETUP-<AGENT>) and refreshed by later calls.
void setup_verification(Ctx& ctx) {
    auto r = begin(ctx, "", true, check_setup);
    if (!r) return;
    auto& store = ctx.app.store;
    auto& st = state(ctx);
    std::string agent_id = trim(r->body["agentId"].get<std::string>());
    auto profile_it = st.profiles.find(agent_id);
    if (profile_it == st.profiles.end()) {
        send_error(ctx.res, 404, "not_found", "Routing agent profile not found.", Json::object(),
                   Json{"create_profile"});
        return;
    }
    const Json& profile = profile_it->second;
    if (profile["status"] != "active") {
        send_error(ctx.res, 409, "conflict",
                   "Setup verification task requires an active routing agent profile.",
                   Json{{"agentId", agent_id}, {"profileStatus", profile["status"]}}, Json{"update_profile"});
        return;
    }
    std::string source_ref = trim(r->body.value("sourceRef", std::string()));
    if (source_ref.empty()) source_ref = "operator_setup_verification";
    std::string display_name = profile["displayName"].get<std::string>();

    std::string upper;
    for (unsigned char ch : agent_id) upper += std::isalnum(ch) ? static_cast<char>(std::toupper(ch)) : '-';
    std::string identifier = "LOCAL-SETUP-" + upper;
    auto apply = [&](Task& t) {
        t.description = "Setup verification smoke task for " + display_name + " (" + agent_id +
                        ").\n\nUse the generated AgentRail API key and confirm `GET "
                        "/tasks/mine?status=in_progress&limit=1` returns this task.\nSource ref: " +
                        source_ref;
        t.status = "in_progress";
        t.priority = "medium";
        t.blocker.reset();
        t.acceptance_criteria = {
            "GET /tasks/mine?status=in_progress&limit=1 returns " + identifier + ".",
            "The task remains assigned to " + agent_id + ".",
            "The setup runner can read the task without additional operator intervention."};
        t.issue_url = "agentrail://setup-verification/" + agent_id;
        auto allow = profile["repoAllowlist"];
        std::string repo_key = allow.empty() ? "" : allow[0].get<std::string>();
        t.project = repo_key.empty() ? std::nullopt : std::optional(repo_key);
        t.goal = "Verify AgentRail setup for " + agent_id;
        t.assignment_source.reset();
        Json source{{"provider", "agentrail_setup"}};
        if (auto slash = repo_key.find('/'); slash != std::string::npos) {
            source["owner"] = repo_key.substr(0, slash);
            source["repo"] = repo_key.substr(slash + 1);
        }
        source["labels"] = Json{"setup", "verification"};
        source["deliveryId"] = source_ref;
        source["receivedAt"] = iso_now();
        t.source = std::move(source);
    };
    Task* task = nullptr;
    if (auto it = st.setup_tasks.find(agent_id); it != st.setup_tasks.end())
        task = store.find_task(it->second.task_id);
    if (task) {
        std::optional<std::string> previous;
        if (task->status != "in_progress") previous = task->status;
        apply(*task);
        lifecycle::touch(*task);
        lifecycle::emit_updated(ctx.app, *task, previous, {"status", "availableActions", "updatedAt"},
                                operator_actor(ctx), "Setup verification task refreshed.");
    } else {
        Task t;
        t.id = make_id("tsk_");
        t.identifier = identifier;
        t.title = "Verify AgentRail setup for " + display_name;
        t.assignee_agent_id = agent_id;
        t.updated_at = iso_now();
        apply(t);
        if (!store.agents.count(agent_id)) {
            Agent agent;
            agent.id = agent_id;
            agent.display_name = display_name;
            agent.role = profile["role"].get<std::string>();
            store.agents[agent_id] = agent;
        }
        task = &store.add_task(std::move(t));
        st.setup_tasks[agent_id] = OperatorState::SetupRecord{task->id, task->updated_at};
        lifecycle::emit_updated(ctx.app, *task, std::nullopt, {"status", "assignee", "availableActions"},
                                operator_actor(ctx), "Setup verification task created.");
    }
    st.start_run(*task);
    send_data(ctx, 201,
              Json{{"taskId", task->id},
                   {"taskIdentifier", task->identifier},
                   {"agentId", agent_id},
                   {"sourceRef", source_ref},
                   {"status", task->status},
                   {"createdAt", st.setup_tasks[agent_id].created_at},
                   {"updatedAt", task->updated_at}},
              task_actions(*task));
    finish(ctx, *r);
}

// ---- managed runs (reference server only) ----

void list_runs(Ctx& ctx) {
    const auto& req = ctx.req;
    std::string agent = req.get_param_value("agentId");
    std::string status = req.get_param_value("status");
    if (req.has_param("status") && !kRunStatuses.count(status))
        return send_field_error(
            ctx, "status", "must be one of starting, running, succeeded, failed, awaiting_user, cancelled");
    std::size_t limit = std::numeric_limits<std::size_t>::max();
    if (req.has_param("limit")) {
        auto text = req.get_param_value("limit");
        auto parsed = all_digits(text) ? parse_int(text) : std::nullopt;
        if (!parsed || *parsed < 1 || *parsed > 100)
            return send_field_error(ctx, "limit", "must be between 1 and 100");
        limit = static_cast<std::size_t>(*parsed);
    }
    // Most recently updated first, like the reference server (no pages: `limit` cuts the list).
    std::vector<const AgentRun*> runs;
    for (const auto& run : state(ctx).runs)
        if ((agent.empty() || run.agent_id == agent) && (status.empty() || run.status == status))
            runs.push_back(&run);
    std::stable_sort(runs.begin(), runs.end(),
                     [](const AgentRun* a, const AgentRun* b) { return a->updated_at > b->updated_at; });
    Json data = Json::array();
    for (std::size_t i = 0; i < runs.size() && i < limit; ++i) data.push_back(agent_run_json(*runs[i]));
    send_data(ctx, 200, std::move(data), Json::array());
}

void run_not_found(Ctx& ctx) {
    send_error(ctx.res, 404, "not_found", "Agent run not found.", Json::object(), Json{"list_agent_runs"});
}

void get_run(Ctx& ctx) {
    AgentRun* run = state(ctx).find_run(ctx.ids.at(0));
    if (!run) return run_not_found(ctx);
    send_data(ctx, 200, agent_run_json(*run), Json::array());
}

std::string bearer_token(const httplib::Request& req) {
    auto header = req.get_header_value("Authorization");
    if (header.size() <= 7) return "";
    std::string scheme = header.substr(0, 7);
    for (auto& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return scheme == "bearer " ? trim(header.substr(7)) : "";
}

Json next_action(const std::string& action) {
    static const std::map<std::string, std::string> labels{
        {"start", "The run has started the task; carry on with it."},
        {"submit", "Finish and commit the change, write the handoff, then report completion."},
        {"block", "If you need the user, report the run as blocked with the action required."},
        {"resolve_blocker", "Report what blocks the task and what the user must do."},
    };
    auto it = labels.find(action);
    return Json{{"id", action},
                {"label", it != labels.end() ? it->second : "Follow the AgentRail action " + action + "."}};
}

// GET /agent-runs/{runId}/context: authenticated by the run's run-context token, never an API key.
void run_context(Ctx& ctx) {
    AgentRun* run = state(ctx).find_run(ctx.ids.at(0));
    auto token = bearer_token(ctx.req);
    if (!run || token.empty() || token != run->token) {
        send_error(ctx.res, 401, "unauthorized", "A valid run-context token for this run is required.",
                   Json::object(), Json{"reauthenticate"});
        return;
    }
    Task* task = ctx.app.store.find_task(run->task_id);
    if (!task) return not_found(ctx, "The run's task no longer exists.");
    if (run->status == "starting") {
        // The mock's stand-in for the runner process: reading the context is the run getting going.
        run->status = "running";
        run->started_at = iso_now();
        run->updated_at = *run->started_at;
    }
    auto actions = task_actions(*task);
    Json next = Json::array();
    for (const auto& a : actions) next.push_back(next_action(a));
    Json run_json{{"runId", run->id},
                  {"agentId", run->agent_id},
                  {"runner", "agentrail-mock"},
                  {"taskId", run->task_id},
                  {"taskIdentifier", run->task_identifier},
                  {"status", run->status},
                  {"worktreePath", "/var/lib/agentrail-mock/runs/" + run->id + "/worktree"},
                  {"branchName", run->branch_name}};
    Json task_json{{"id", task->id},
                   {"identifier", task->identifier},
                   {"title", task->title},
                   {"description", task->description},
                   {"status", task->status},
                   {"priority", task->priority},
                   {"acceptanceCriteria", task->acceptance_criteria},
                   {"context", Json{{"project", task->project ? Json(*task->project) : Json(nullptr)},
                                    {"goal", task->goal}}},
                   {"availableActions", actions}};
    send_data(
        ctx, 200,
        Json{{"run", std::move(run_json)}, {"task", std::move(task_json)}, {"nextActions", std::move(next)}},
        actions);
}

void check_report(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"status", "summary", "reason", "actionRequired", "resumeInstructions", "handoff"});
    auto status = c.enum_string("status", true, {"progress", "blocked", "completed"});
    if (auto summary = c.string("summary", true, 0, 2000); summary && trim(*summary).empty())
        errors.add("summary", "must not be empty");
    for (const char* name : {"reason", "actionRequired", "resumeInstructions"}) {
        auto v = c.string(name, status == "blocked", 0, 2000);
        if (v && trim(*v).empty()) errors.add(name, "must not be empty");
    }
    c.object("handoff", false, true);
}

// POST /agent-runs/{runId}/report: an API key (tasks:write) of the run's agent, or an auth:admin key.
void run_report(Ctx& ctx) {
    AgentRun* run = state(ctx).find_run(ctx.ids.at(0));
    if (!run) return run_not_found(ctx);
    if (!ctx.key->is_admin() && ctx.key->agent.id != run->agent_id) {
        ctx.deny();
        send_error(ctx.res, 403, "forbidden", "Agent run is not assigned to this agent.", Json::object(),
                   Json::array());
        return;
    }
    auto r = begin(ctx, run->id, false, check_report);
    if (!r) return;
    const Json& b = r->body;
    std::string status = b["status"].get<std::string>();
    auto now = iso_now();
    if (status == "blocked") {
        // Like the reference server, a blocked report puts the task into awaiting-user.
        Task* task = ctx.app.store.find_task(run->task_id);
        if (!task) return not_found(ctx, "The run's task no longer exists.");
        if (task->status != "todo" && task->status != "in_progress") {
            send_error(ctx.res, 409, "conflict", "Only a task in todo or in_progress can be blocked.",
                       Json{{"currentStatus", task->status}}, task_actions(*task));
            return;
        }
        task->blocker = Blocker{run->id,
                                run->agent_id,
                                trim(b["reason"].get<std::string>()),
                                trim(b["actionRequired"].get<std::string>()),
                                trim(b["resumeInstructions"].get<std::string>()),
                                now};
        auto previous = task->status;
        task->status = "blocked";
        lifecycle::touch(*task);
        lifecycle::emit_awaiting_user(ctx.app, *task, previous,
                                      actor_for_key_agent(ctx.app.store.agent_or_placeholder(run->agent_id)));
        run->status = "awaiting_user";
        run->finished_at = now;
        run->user_action = Json{{"kind", "awaiting_user"},
                                {"taskId", task->id},
                                {"reason", task->blocker->reason},
                                {"actionRequired", task->blocker->action_required},
                                {"resumeInstructions", task->blocker->resume_instructions},
                                {"createdAt", now}};
    } else if (status == "completed") {
        // The mock's runner process exits successfully once it reported completion.
        if (run->active()) {
            run->status = "succeeded";
            run->exit_code = 0;
            run->finished_at = now;
        }
    } else if (run->status == "starting") {
        run->status = "running";
    }
    if (!run->started_at) run->started_at = now;
    Json handoff = b.value("handoff", Json());
    run->summary = trim(b["summary"].get<std::string>());
    run->reports.push_back(
        Json{{"status", status}, {"summary", *run->summary}, {"createdAt", now}, {"handoff", handoff}});
    if (b.contains("handoff")) run->reported_handoff = handoff;
    run->updated_at = now;
    send_data(ctx, 202, agent_run_json(*run), Json::array());
    finish(ctx, *r);
}

// ---- task source (reference server only) ----

void patch_source(Ctx& ctx) {
    auto r = begin(ctx, ctx.ids.at(0), true, check_source_repair);
    if (!r) return;
    Task* task = ctx.app.store.find_task(ctx.ids.at(0));
    if (!task) return not_found(ctx, "Task not found.");
    const Json& body = r->body;

    // Merge: given fields replace, null removes.
    Json source = task_source_json(*task);
    const Json& patch = body["source"];
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it->is_null())
            source.erase(it.key());
        else
            source[it.key()] = *it;
    }
    if (!non_empty(source, "provider"))
        return send_field_error(ctx, "source.provider", "the repaired source needs a provider");
    if (source.contains("owner") != source.contains("repo"))
        return send_field_error(ctx, "source", "the repaired source needs owner and repo together");
    task->source = source;
    // A GitHub issue source names the task's issue.
    if (source["provider"] == "github" && source.contains("owner") && source.contains("issueNumber"))
        task->issue_url = "https://github.com/" + source["owner"].get<std::string>() + "/" +
                          source["repo"].get<std::string>() + "/issues/" +
                          std::to_string(source["issueNumber"].get<long long>());
    lifecycle::touch(*task);
    send_data(ctx, 200,
              Json{{"taskId", task->id},
                   {"source", task->source},
                   {"sourceAudit", Json{{"sourceRef", trim(body["sourceRef"].get<std::string>())},
                                        {"changeReason", trim(body["changeReason"].get<std::string>())},
                                        {"updatedBy", caller_agent(ctx)},
                                        {"updatedAt", task->updated_at}}},
                   {"updatedAt", task->updated_at},
                   {"version", task->version}},
              Json{"get_task"});
    finish(ctx, *r);
}

// ---- control ----

void control_run_token(Ctx& ctx) {
    std::lock_guard lock(ctx.app.store.mutex);
    AgentRun* run = state(ctx).find_run(ctx.ids.at(0));
    if (!run) return run_not_found(ctx);
    send_json(ctx.res, 200,
              Json{{"data", Json{{"runId", run->id},
                                 {"agentId", run->agent_id},
                                 {"taskId", run->task_id},
                                 {"token", run->token}}}});
}

void control_create_run(Ctx& ctx) {
    auto body = body_object(ctx, false);
    if (!body) return;
    FieldErrors errors;
    ObjectChecker c(*body, errors);
    c.only({"taskId"});
    auto task_id = c.string("taskId", true, 1);
    if (!errors.empty()) return send_validation_error(ctx.res, errors.json());
    std::lock_guard lock(ctx.app.store.mutex);
    Task* task = ctx.app.store.find_task(*task_id);
    if (!task || task->assignee_agent_id.empty())
        return send_validation_error(ctx.res, "taskId", "no assigned task has this id");
    AgentRun& run = state(ctx).start_run(*task);
    Json data = agent_run_json(run);
    data["token"] = run.token;
    send_json(ctx.res, 201, Json{{"data", data}});
}

}  // namespace

void register_operator_routes(Router& router) {
    const auto required = AuthMode::required;
    router.add(Route{"GET",
                     {"operator", "routing", "rule-sets", "current"},
                     "get_current_routing_rule_set",
                     "routing:read",
                     required,
                     get_rule_set});
    router.add(Route{"PUT",
                     {"operator", "routing", "rule-sets", "current"},
                     "replace_current_routing_rule_set",
                     "routing:admin",
                     required,
                     put_rule_set});
    router.add(Route{"GET",
                     {"operator", "routing", "agent-profiles", "{agent}"},
                     "get_routing_agent_profile",
                     "routing:read",
                     required,
                     get_profile});
    router.add(Route{"PUT",
                     {"operator", "routing", "agent-profiles", "{agent}"},
                     "replace_routing_agent_profile",
                     "routing:admin",
                     required,
                     put_profile});
    router.add(Route{"POST",
                     {"operator", "routing", "evaluations"},
                     "evaluate_routing",
                     "routing:evaluate",
                     required,
                     evaluate});
    router.add(Route{"GET",
                     {"operator", "routing", "audit", "{decision}"},
                     "get_routing_decision_audit",
                     "routing:read",
                     required,
                     get_audit});
    router.add(Route{"POST",
                     {"operator", "intake", "provider-issues"},
                     "ingest_provider_issue",
                     "routing:admin",
                     required,
                     ingest});
    router.add(Route{"POST",
                     {"operator", "setup", "verification-task"},
                     "create_setup_verification_task",
                     "routing:admin",
                     required,
                     setup_verification});
    router.add(
        Route{"GET", {"operator", "agent-runs"}, "list_agent_runs", "usage:read", required, list_runs});
    router.add(
        Route{"GET", {"operator", "agent-runs", "{run}"}, "get_agent_run", "usage:read", required, get_run});
    router.add(Route{
        "GET", {"agent-runs", "{run}", "context"}, "get_agent_run_context", "", AuthMode::none, run_context});
    router.add(Route{
        "POST", {"agent-runs", "{run}", "report"}, "report_agent_run", "tasks:write", required, run_report});
    router.add(Route{"PATCH",
                     {"operator", "tasks", "{task}", "source"},
                     "repair_task_source",
                     "routing:admin",
                     required,
                     patch_source});
    router.add_control("GET", "/_mock/agent-runs/{run}/token", control_run_token);
    router.add_control("POST", "/_mock/agent-runs", control_create_run);
}

}  // namespace mock
