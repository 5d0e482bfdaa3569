// Operator API (intake-routing-admin.openapi.yaml): routing rule sets, agent profiles, evaluations,
// audit, provider issue intake, setup verification tasks; plus the reference server's managed-runner
// routes (agent runs, run context, run report) and task-source route, which neither contract has.
#include <algorithm>
#include <cctype>

#include "lifecycle.hpp"
#include "render.hpp"
#include "routes_common.hpp"

namespace mock {

namespace {

const std::set<std::string> kRunStatuses{"queued", "running", "succeeded", "failed", "blocked", "cancelled"};
const std::set<std::string> kReportStatuses{"succeeded", "failed", "blocked", "cancelled"};

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

void not_found(Ctx& ctx, const std::string& message) {
    send_error(ctx.res, 404, "not_found", message, Json::object(), Json{"check_id"});
}

struct Request {
    Json body;
    std::optional<IdempotencyScope> scope;  // set when the request carries an Idempotency-Key
};

// Key, body, validation and replay, in the order the task mutations use. An Idempotency-Key is
// required on the document's operations and optional (but honoured) on the reference server's
// extra routes. Returns nullopt when the request has been answered.
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
    const Json* rule_set = &state(ctx).active_rule_set();
    if (auto v = r->body.value("ruleSetVersion", Json()); v.is_number_integer()) {
        rule_set = state(ctx).rule_set_version(v.get<long long>());
        if (!rule_set)
            return send_field_error(ctx, "ruleSetVersion", "no rule set revision has this version");
    }
    const Json& snapshot = r->body["snapshot"];
    Json decision = evaluate_routing(ctx.app.store, *rule_set, snapshot, make_id("rdec_"));
    write_audit(ctx, decision, snapshot, *rule_set);
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

// AGENTRAIL-95 for github:oxnw/agentrail:issues/95: the repository name and the issue number.
std::string intake_identifier(const Json& snapshot, std::size_t ordinal) {
    std::string name = snapshot["repository"]["name"].get<std::string>();
    std::string out;
    for (unsigned char ch : name) out += std::isalnum(ch) ? static_cast<char>(std::toupper(ch)) : '-';
    std::string id = snapshot["providerIssueId"].get<std::string>();
    auto digits = id.find_last_not_of("0123456789");
    std::string number = digits == std::string::npos ? id : id.substr(digits + 1);
    return out + "-" + (number.empty() ? std::to_string(ordinal) : number);
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

void ingest(Ctx& ctx) {
    auto r = begin(ctx, "", true, check_intake);
    if (!r) return;
    auto& store = ctx.app.store;
    auto& st = state(ctx);
    const Json& snapshot = r->body;
    std::string issue_id = snapshot["providerIssueId"].get<std::string>();
    std::string version = snapshot["sourceVersion"].get<std::string>();
    Task* task = nullptr;
    if (auto it = st.intake.find(issue_id); it != st.intake.end()) {
        if (it->second.source_version == version) {
            send_error(ctx.res, 409, "conflict", "This provider issue version was already ingested.",
                       Json{{"providerIssueId", issue_id},
                            {"sourceVersion", version},
                            {"taskId", it->second.task_id},
                            {"routingDecisionId", it->second.decision_id}},
                       Json{"inspect_existing"});
            return;
        }
        task = store.find_task(it->second.task_id);
    }

    const Json& rule_set = st.active_rule_set();
    Json decision = evaluate_routing(store, rule_set, snapshot, make_id("rdec_"));
    const Json& repo = snapshot["repository"];
    Json source{
        {"provider", snapshot["provider"]},
        {"repository",
         Json{{"owner", repo["owner"]}, {"name", repo["name"]}, {"defaultBranch", repo["defaultBranch"]}}},
        {"providerIssueId", issue_id},
        {"issueUrl", snapshot["links"]["providerIssue"]},
        {"baseBranch", nullptr}};
    std::optional<std::string> project;
    if (snapshot.value("project", Json()).is_string()) project = snapshot["project"].get<std::string>();

    if (!task) {
        Task t;
        t.id = make_id("tsk_");
        t.identifier = intake_identifier(snapshot, st.intake.size() + 1);
        t.title = snapshot["title"].get<std::string>();
        t.description = "Ingested from " + issue_id + " (" + snapshot["issueType"].get<std::string>() + ").";
        t.status = "todo";
        t.priority = snapshot["priority"].get<std::string>();
        t.issue_url = snapshot["links"]["providerIssue"].get<std::string>();
        t.project = project;
        t.goal = t.title;
        t.updated_at = iso_now();
        t.source = source;
        t.assignee_agent_id = "";
        task = &store.add_task(std::move(t));
        apply_decision(store, *task, decision);
        lifecycle::emit_updated(ctx.app, *task, std::nullopt, {"status", "assignee", "availableActions"},
                                operator_actor(ctx),
                                "Task created from " + issue_id + "; it " + routed_to(*task) + ".");
    } else {
        // A newer snapshot: the task follows it, and is routed again while no work has started on it.
        std::vector<std::string> changed{"title", "priority", "links", "updatedAt"};
        task->title = snapshot["title"].get<std::string>();
        task->priority = snapshot["priority"].get<std::string>();
        task->issue_url = snapshot["links"]["providerIssue"].get<std::string>();
        task->project = project;
        task->source = source;
        if (task->status == "todo") {
            apply_decision(store, *task, decision);
            changed.insert(changed.end(), {"assignee", "routingDecisionId"});
        }
        lifecycle::touch(*task);
        lifecycle::emit_updated(ctx.app, *task, task->status, changed, operator_actor(ctx),
                                "Task updated from " + issue_id + "; it " + routed_to(*task) + ".");
    }
    decision["taskId"] = task->id;
    decision["taskIdentifier"] = task->identifier;
    decision["availableActions"] = Json{"view_task", "view_audit"};
    if (decision["outcome"] == "assigned" && task->routing_decision_id == decision["id"].get<std::string>())
        st.start_run(*task, "intake", decision["id"].get<std::string>());
    st.intake[issue_id] = OperatorState::IntakeRecord{task->id, version, decision["id"].get<std::string>()};
    write_audit(ctx, decision, snapshot, rule_set);
    send_data(ctx, 202, decision, Json{"view_task", "view_audit"});
    finish(ctx, *r);
}

// ---- setup verification ----

void check_setup(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"agentId", "sourceRef"});
    c.string("agentId", true, 1);
    c.string("sourceRef", false, 1);
}

void setup_verification(Ctx& ctx) {
    auto r = begin(ctx, "", true, check_setup);
    if (!r) return;
    auto& store = ctx.app.store;
    auto& st = state(ctx);
    std::string agent_id = r->body["agentId"].get<std::string>();
    if (!store.agents.count(agent_id)) return not_found(ctx, "Agent was not found.");
    auto source_ref = r->body.value("sourceRef", std::string("operator_setup_verification"));
    Task* task = nullptr;
    if (auto it = st.setup_tasks.find(agent_id); it != st.setup_tasks.end())
        task = store.find_task(it->second.task_id);
    if (task) {
        // A rerun refreshes the agent's one setup task.
        std::optional<std::string> previous;
        if (task->status != "in_progress") previous = task->status;
        task->status = "in_progress";
        task->blocker.reset();
        lifecycle::touch(*task);
        lifecycle::emit_updated(ctx.app, *task, previous, {"status", "availableActions", "updatedAt"},
                                operator_actor(ctx), "Setup verification task refreshed.");
    } else {
        Task t;
        t.id = make_id("tsk_");
        std::string upper;
        for (unsigned char ch : agent_id) upper += ch == '_' ? '-' : static_cast<char>(std::toupper(ch));
        t.identifier = "LOCAL-SETUP-" + upper;
        t.title = "Verify the AgentRail setup of " + agent_id;
        t.description =
            "Setup smoke task: the agent's key reads it from GET /tasks/mine?status=in_progress&limit=1.";
        t.status = "in_progress";
        t.priority = "medium";
        t.assignee_agent_id = agent_id;
        t.acceptance_criteria = {"The agent key lists this task with status in_progress"};
        t.issue_url = ctx.app.base_url + "/operator/setup/verification-task";
        t.project = "setup";
        t.goal = "Prove that the agent can read its assigned tasks";
        t.updated_at = iso_now();
        task = &store.add_task(std::move(t));
        st.setup_tasks[agent_id] = OperatorState::SetupRecord{task->id, task->updated_at};
        lifecycle::emit_updated(ctx.app, *task, std::nullopt, {"status", "assignee", "availableActions"},
                                operator_actor(ctx), "Setup verification task created.");
    }
    st.start_run(*task, "setup_verification", std::nullopt);
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
    if (req.has_param("agentId") && !is_alnum_id(agent, "agt_", true))
        return send_field_error(ctx, "agentId", "must match ^agt_[A-Za-z0-9_]+$");
    if (req.has_param("status") && !kRunStatuses.count(status))
        return send_field_error(ctx, "status",
                                "must be one of queued, running, succeeded, failed, blocked, cancelled");
    long long limit = 25;
    if (req.has_param("limit")) {
        auto parsed = parse_int(req.get_param_value("limit"));
        if (!parsed || *parsed < 1 || *parsed > 100)
            return send_field_error(ctx, "limit", "must be between 1 and 100");
        limit = *parsed;
    }
    std::size_t offset = 0;
    if (req.has_param("cursor")) {
        auto decoded = base64url_decode(req.get_param_value("cursor"));
        auto cursor = decoded ? Json::parse(*decoded, nullptr, false) : Json();
        if (!cursor.is_object() || !cursor.contains("offset") || !cursor["offset"].is_number_unsigned())
            return send_field_error(ctx, "cursor", "is not a cursor of this list");
        offset = cursor["offset"].get<std::size_t>();
    }
    // Newest first; the cursor is a position in that order.
    const auto& runs = state(ctx).runs;
    auto matches = [&](const AgentRun& run) {
        return (agent.empty() || run.agent_id == agent) && (status.empty() || run.status == status);
    };
    Json data = Json::array();
    std::size_t i = offset;
    for (; i < runs.size() && data.size() < static_cast<std::size_t>(limit); ++i) {
        const auto& run = runs[runs.size() - 1 - i];
        if (matches(run)) data.push_back(agent_run_json(run, ctx.app.store));
    }
    bool more = false;
    for (std::size_t j = i; j < runs.size() && !more; ++j) more = matches(runs[runs.size() - 1 - j]);
    Json next = more ? Json(base64url_encode(nlohmann::json{{"offset", i}}.dump())) : Json(nullptr);
    send_json(ctx.res, 200,
              Json{{"data", data},
                   {"page", Json{{"nextCursor", next}, {"hasMore", more}}},
                   {"availableActions", more ? Json{"fetch_next_page"} : Json::array()},
                   {"meta", Json{{"requestId", make_id("req_")}}}});
}

void get_run(Ctx& ctx) {
    AgentRun* run = state(ctx).find_run(ctx.ids.at(0));
    if (!run) return not_found(ctx, "Agent run was not found.");
    auto json = agent_run_json(*run, ctx.app.store);
    auto actions = json["availableActions"];
    send_data(ctx, 200, std::move(json), std::move(actions));
}

// The run addressed by the path, authenticated by its run-context token (never an API key).
AgentRun* run_for_token(Ctx& ctx) {
    auto header = ctx.req.get_header_value("Authorization");
    std::string token;
    if (header.size() > 7) {
        std::string scheme = header.substr(0, 7);
        for (auto& ch : scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (scheme == "bearer ") token = trim(header.substr(7));
    }
    AgentRun* run = token.empty() ? nullptr : state(ctx).find_run_by_token(token);
    if (!run) {
        send_error(ctx.res, 401, "unauthorized",
                   "A run-context token is required for this route; API keys are not accepted.",
                   Json::object(), Json{"reauthenticate"});
        return nullptr;
    }
    if (run->id != ctx.ids.at(0)) {
        send_error(ctx.res, 403, "forbidden", "The run-context token belongs to another run.", Json::object(),
                   Json::array());
        return nullptr;
    }
    return run;
}

void run_context(Ctx& ctx) {
    AgentRun* run = run_for_token(ctx);
    if (!run) return;
    auto& store = ctx.app.store;
    Task* task = store.find_task(run->task_id);
    if (!task) return not_found(ctx, "The run's task no longer exists.");
    if (run->status == "queued") {
        // The runner picked the run up.
        run->status = "running";
        run->started_at = iso_now();
        run->updated_at = *run->started_at;
    }
    const auto& agent = store.agent_or_placeholder(run->agent_id);
    send_data(
        ctx, 200,
        Json{
            {"runId", run->id},
            {"status", run->status},
            {"trigger", run->trigger},
            {"routingDecisionId", run->routing_decision_id ? Json(*run->routing_decision_id) : Json(nullptr)},
            {"agent", agent_json(agent)},
            {"task", task_detail_json(*task, agent.display_name)},
            {"source", task_source_json(*task)},
            {"instructions", "Work on " + task->identifier + ": " + task->title +
                                 ". Report the outcome with POST /agent-runs/" + run->id + "/report."}},
        run->finished() ? Json::array() : Json{"report"});
}

void check_report(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"status", "summary", "details", "artifacts"});
    c.enum_string("status", true, kReportStatuses);
    c.string("summary", true, 1, 2000);
    c.object("details", false);
    if (const Json* artifacts = c.array("artifacts", false, 0, 20)) {
        for (std::size_t i = 0; i < artifacts->size(); ++i) {
            auto path = "artifacts[" + std::to_string(i) + "]";
            if (!(*artifacts)[i].is_object()) {
                errors.add(path, "must be an object");
                continue;
            }
            ObjectChecker ac((*artifacts)[i], errors, path);
            ac.only({"type", "url"});
            ac.enum_string("type", true, {"pull_request", "commit", "doc", "ci_run", "other"});
            ac.uri("url", true);
        }
    }
}

void run_report(Ctx& ctx) {
    AgentRun* run = run_for_token(ctx);
    if (!run) return;
    auto r = begin(ctx, run->id, false, check_report);
    if (!r) return;
    if (run->finished()) {
        send_error(ctx.res, 409, "conflict", "The run has already reported its outcome.",
                   Json{{"currentStatus", run->status}}, Json::array());
        return;
    }
    const Json& b = r->body;
    auto now = iso_now();
    run->status = b["status"].get<std::string>();
    if (!run->started_at) run->started_at = now;
    run->finished_at = now;
    run->updated_at = now;
    run->report = Json{{"status", b["status"]},
                       {"summary", b["summary"]},
                       {"details", b.value("details", Json::object())},
                       {"artifacts", b.value("artifacts", Json::array())},
                       {"reportedAt", now}};
    send_data(ctx, 200, agent_run_json(*run, ctx.app.store), Json::array());
    finish(ctx, *r);
}

// ---- task source (reference server only) ----

void check_source(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"provider", "repository", "providerIssueId", "issueUrl", "baseBranch"});
    if (body.empty()) errors.add("body", "must change at least one field");
    c.enum_string("provider", false, {"github", "gitlab", "linear", "jira"});
    if (const Json* repo = c.object("repository", false, true)) {
        ObjectChecker rc(*repo, errors, "repository");
        rc.only({"owner", "name", "defaultBranch"});
        rc.string("owner", true, 1);
        rc.string("name", true, 1);
        rc.string("defaultBranch", false, 1, 255);
    }
    c.string("providerIssueId", false, 1, 500, true);
    if (auto url = c.uri("issueUrl", false, true); url && !is_http_uri(*url))
        errors.add("issueUrl", "must be an http(s) URL");
    c.string("baseBranch", false, 1, 255, true);
}

void patch_source(Ctx& ctx) {
    Task* task = ctx.app.store.find_task(ctx.ids.at(0));
    if (!task) return not_found(ctx, "Task was not found.");
    auto r = begin(ctx, task->id, false, check_source);
    if (!r) return;
    // JSON merge patch: given fields replace, null clears.
    Json source = task_source_json(*task);
    std::vector<std::string> changed{"source"};
    for (auto it = r->body.begin(); it != r->body.end(); ++it) {
        if (it.key() == "repository" && it->is_object() && !it->contains("defaultBranch")) {
            Json repo = *it;
            repo["defaultBranch"] = "main";
            source["repository"] = repo;
        } else {
            source[it.key()] = *it;
        }
    }
    task->source = source;
    if (source["issueUrl"].is_string() && source["issueUrl"] != task->issue_url) {
        task->issue_url = source["issueUrl"].get<std::string>();
        changed.emplace_back("links");
    }
    changed.emplace_back("updatedAt");
    lifecycle::touch(*task);
    lifecycle::emit_updated(ctx.app, *task, task->status, changed, operator_actor(ctx),
                            "Task source changed.");
    send_data(ctx, 200,
              Json{{"taskId", task->id},
                   {"taskIdentifier", task->identifier},
                   {"source", task->source},
                   {"updatedAt", task->updated_at}},
              Json{"view_task"});
    finish(ctx, *r);
}

// ---- control ----

void control_run_token(Ctx& ctx) {
    std::lock_guard lock(ctx.app.store.mutex);
    AgentRun* run = state(ctx).find_run(ctx.ids.at(0));
    if (!run) return not_found(ctx, "Agent run was not found.");
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
    AgentRun& run = state(ctx).start_run(*task, "manual", task->routing_decision_id);
    Json data = agent_run_json(run, ctx.app.store);
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
    router.add(
        Route{"POST", {"agent-runs", "{run}", "report"}, "report_agent_run", "", AuthMode::none, run_report});
    router.add(Route{"PATCH",
                     {"operator", "tasks", "{task}", "source"},
                     "update_task_source",
                     "routing:admin",
                     required,
                     patch_source});
    router.add_control("GET", "/_mock/agent-runs/{run}/token", control_run_token);
    router.add_control("POST", "/_mock/agent-runs", control_create_run);
}

}  // namespace mock
