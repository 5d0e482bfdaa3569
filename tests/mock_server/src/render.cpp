#include "render.hpp"

#include <algorithm>

namespace mock {

bool task_shippable(const Task& task) {
    return task.status == "in_review" && task.ci.overall == "passed" && task.review.outcome == "approved";
}

std::vector<std::string> task_actions(const Task& task) {
    const auto& s = task.status;
    if (s == "todo") return {"start", "block"};
    if (s == "in_progress") return {"submit", "block"};
    if (s == "blocked") return {"resolve_blocker"};
    if (s == "done") return {"rollback"};
    if (s == "in_review") {
        std::vector<std::string> actions{"view_ci_status", "view_review_feedback"};
        if (task_shippable(task)) actions.emplace_back("ship");
        // Failed CI or requested changes send the agent back to work: a new submission is allowed.
        if (task.ci.overall == "failed" || task.review.outcome == "changes_requested")
            actions.emplace_back("submit");
        return actions;
    }
    return {};
}

Json blocker_json(const Blocker& b) {
    return Json{{"kind", "awaiting_user"},
                {"sourceRunId", b.source_run_id},
                {"sourceAgentId", b.source_agent_id},
                {"reason", b.reason},
                {"actionRequired", b.action_required},
                {"resumeInstructions", b.resume_instructions},
                {"createdAt", b.created_at}};
}

namespace {

Json opt(const std::optional<std::string>& v) {
    return v ? Json(*v) : Json(nullptr);
}

}  // namespace

Json task_summary_json(const Task& t) {
    return Json{{"id", t.id},
                {"identifier", t.identifier},
                {"title", t.title},
                {"status", t.status},
                {"priority", t.priority},
                {"dueAt", opt(t.due_at)},
                {"updatedAt", t.updated_at},
                {"availableActions", task_actions(t)},
                {"blocker", t.blocker ? blocker_json(*t.blocker) : Json(nullptr)}};
}

Json task_detail_json(const Task& t, const std::string& assignee_name) {
    Json links{{"issue", t.issue_url}, {"parentIssue", opt(t.parent_issue_url)}};
    Json context{{"project", opt(t.project)}, {"goal", t.goal}};
    const Submission* s = t.submission ? &*t.submission : nullptr;
    Json j{{"id", t.id},
           {"identifier", t.identifier},
           {"title", t.title},
           {"description", t.description},
           {"status", t.status},
           {"priority", t.priority},
           {"assignee", Json{{"id", t.assignee_agent_id}, {"name", assignee_name}}},
           {"acceptanceCriteria", t.acceptance_criteria.size() <= 20
                                      ? t.acceptance_criteria
                                      : std::vector<std::string>(t.acceptance_criteria.begin(),
                                                                 t.acceptance_criteria.begin() + 20)},
           {"links", links},
           {"context", context},
           {"updatedAt", t.updated_at},
           {"submissionId", s ? Json(s->id) : Json(nullptr)},
           {"prUrl", s ? opt(s->pr_url) : Json(nullptr)},
           {"prNumber", s && s->pr_number ? Json(*s->pr_number) : Json(nullptr)},
           {"branch", s ? Json(s->head) : Json(nullptr)},
           {"baseBranch", s ? Json(s->base) : Json(nullptr)},
           {"headSha", s ? Json(s->head_sha) : Json(nullptr)},
           {"assigneeAgentId", t.assignee_agent_id.empty() ? Json(nullptr) : Json(t.assignee_agent_id)},
           {"triageQueueId", opt(t.triage_queue_id)},
           {"assignmentSource", opt(t.assignment_source)},
           {"routingDecisionId", opt(t.routing_decision_id)},
           {"routingReason", t.routing_reason},
           {"routingConfidence", t.routing_confidence ? Json(*t.routing_confidence) : Json(nullptr)},
           {"availableActions", task_actions(t)},
           {"blocker", t.blocker ? blocker_json(*t.blocker) : Json(nullptr)}};
    return j;
}

Json task_detail_response(const Task& task, const std::string& assignee_name) {
    return Json{{"data", task_detail_json(task, assignee_name)},
                {"availableActions", task_actions(task)},
                {"meta", Json{{"truncatedFields", Json::array()}, {"tokenBudgetHint", "standard"}}}};
}

Json agent_json(const Agent& a) {
    return Json{{"id", a.id},
                {"displayName", a.display_name},
                {"role", a.role},
                {"externalIdentities", a.external_identities}};
}

Json key_json(const ApiKey& k, bool with_secret) {
    Json j{{"id", k.id}};
    if (with_secret) j["apiKey"] = k.secret;
    j["agent"] = agent_json(k.agent);
    j["scopes"] = k.scopes;
    j["rateLimit"] =
        Json{{"windowSeconds", k.rate_limit.window_seconds}, {"maxRequests", k.rate_limit.max_requests}};
    j["status"] = k.status;
    j["createdAt"] = k.created_at;
    j["expiresAt"] = opt(k.expires_at);
    j["rotatedFromKeyId"] = opt(k.rotated_from);
    j["availableActions"] = k.status == "active" ? Json{"rotate", "view_usage"} : Json{"view_usage"};
    return j;
}

Json usage_json(const ApiKey& k) {
    auto now = Clock::now();
    auto now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    long long window = k.rate_limit.window_seconds;
    long long start = now_s - now_s % window;
    int used = k.window_start == start ? k.window_used : 0;
    Json by_scope = Json::array();
    for (const auto& [scope, count] : k.by_scope)
        by_scope.push_back(Json{{"scope", scope}, {"count", count}});
    Json by_op = Json::array();
    for (const auto& [op, count] : k.by_operation) by_op.push_back(Json{{"operation", op}, {"count", count}});
    Json current{{"startedAt", iso_time_seconds(Clock::from_time_t(start))},
                 {"resetAt", iso_time_seconds(Clock::from_time_t(start + window))},
                 {"used", used},
                 {"remaining", std::max(0, k.rate_limit.max_requests - used)}};
    return Json{{"keyId", k.id},
                {"agent", agent_json(k.agent)},
                {"status", k.status},
                {"lastUsedAt", opt(k.last_used_at)},
                {"totals", Json{{"accepted", k.accepted}, {"denied", k.denied}}},
                {"byScope", by_scope},
                {"byOperation", by_op},
                {"rateLimit", Json{{"windowSeconds", k.rate_limit.window_seconds},
                                   {"maxRequests", k.rate_limit.max_requests},
                                   {"currentWindow", current}}},
                {"availableActions", k.status == "active" ? Json{"rotate"} : Json::array()}};
}

Json subscription_json(const Subscription& s) {
    return Json{
        {"id", s.id},
        {"url", s.url},
        {"eventTypes", s.event_types},
        {"filters", Json{{"taskIds", s.task_ids}}},
        {"status", s.status},
        {"signingAlgorithm", "hmac_sha256"},
        {"retryPolicy", Json{{"maxAttempts", 8}, {"initialBackoffSeconds", 10}, {"maxBackoffSeconds", 3600}}},
        {"createdAt", s.created_at},
        {"availableActions", s.status == "active" ? Json{"deactivate"} : Json::array()}};
}

std::vector<Check> ci_checks(const Task& task) {
    if (!task.ci.checks.empty()) return task.ci.checks;
    const auto& o = task.ci.overall;
    if (o == "failed")
        return {
            {"unit-tests", "CI", "failed"}, {"contract-tests", "CI", "passed"}, {"lint", "Lint", "passed"}};
    std::string st = o;  // queued, running, passed, cancelled apply to every check
    return {{"unit-tests", "CI", st}, {"contract-tests", "CI", st}, {"lint", "Lint", st}};
}

Json ci_status_json(const Task& task) {
    auto checks = ci_checks(task);
    const std::string run_base = "https://github.com/agentrail-mock/demo/actions/runs/";
    Json summary{{"total", 0},  {"passed", 0},    {"failed", 0}, {"running", 0},
                 {"queued", 0}, {"cancelled", 0}, {"skipped", 0}};
    std::vector<std::string> workflow_order;
    std::map<std::string, Json> workflows;
    Json checks_json = Json::array();
    Json failures = Json::array();
    std::size_t run = 1200;
    for (const auto& c : checks) {
        summary["total"] = summary["total"].get<int>() + 1;
        if (summary.contains(c.status)) summary[c.status] = summary[c.status].get<int>() + 1;
        if (!workflows.count(c.workflow)) {
            workflow_order.push_back(c.workflow);
            std::string lower = c.workflow;
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char ch) { return std::tolower(ch); });
            workflows[c.workflow] =
                Json{{"name", c.workflow}, {"path", ".github/workflows/" + lower + ".yml"},
                     {"status", "passed"}, {"passed", 0},
                     {"failed", 0},        {"running", 0},
                     {"queued", 0},        {"cancelled", 0},
                     {"skipped", 0},       {"url", run_base + std::to_string(++run)}};
        }
        auto& w = workflows[c.workflow];
        if (w.contains(c.status)) w[c.status] = w[c.status].get<int>() + 1;
        bool finished =
            c.status == "passed" || c.status == "failed" || c.status == "skipped" || c.status == "cancelled";
        checks_json.push_back(
            Json{{"name", c.name},
                 {"workflow", c.workflow},
                 {"status", c.status},
                 {"url", w["url"].get<std::string>() + "/job/" + std::to_string(checks_json.size() + 1)},
                 {"durationSeconds",
                  finished ? Json(30 + 7 * static_cast<int>(checks_json.size())) : Json(nullptr)},
                 {"failureCount", c.status == "failed" ? 1 : 0}});
        if (c.status == "failed" && failures.size() < 5) {
            failures.push_back(Json{{"checkName", c.name},
                                    {"workflow", c.workflow},
                                    {"testName", c.name + " reports a failing assertion"},
                                    {"file", "tests/" + c.name + ".cpp"},
                                    {"line", 42},
                                    {"message", "Expected status 200 but received 500"}});
        }
    }
    Json workflows_json = Json::array();
    for (const auto& name : workflow_order) {
        auto& w = workflows[name];
        const char* st = w["failed"].get<int>() > 0      ? "failed"
                         : w["running"].get<int>() > 0   ? "running"
                         : w["queued"].get<int>() > 0    ? "queued"
                         : w["cancelled"].get<int>() > 0 ? "cancelled"
                                                         : "passed";
        w["status"] = st;
        workflows_json.push_back(w);
    }
    const auto& o = task.ci.overall;
    Json actions = o == "failed"   ? Json{"retry_failed_checks", "view_logs"}
                   : o == "passed" ? (task_shippable(task) ? Json{"ship"} : Json{"view_review_feedback"})
                                   : Json{"view_ci_status"};
    Json data{{"taskId", task.id},
              {"submissionId", task.submission ? Json(task.submission->id) : Json(nullptr)},
              {"overallStatus", o},
              {"summary", summary},
              {"workflows", workflows_json},
              {"checks", checks_json},
              {"failureSummaries", failures},
              {"flakyHints", Json::array()},
              {"updatedAt", task.ci.updated_at.empty() ? Json(nullptr) : Json(task.ci.updated_at)},
              {"headSha", task.submission ? Json(task.submission->head_sha) : Json(nullptr)},
              {"availableActions", actions}};
    return Json{{"data", data},
                {"availableActions", actions},
                {"meta", Json{{"tokenBudgetHint", o == "failed" ? "standard" : "compact"},
                              {"truncatedFields", Json::array()}}}};
}

Json review_feedback_json(const Task& task) {
    const auto& r = task.review;
    Json comments = Json::array();
    for (const auto& c : r.comments)
        comments.push_back(
            Json{{"id", c.id}, {"authorRole", c.author_role}, {"body", c.body}, {"severity", c.severity}});
    Json actions = r.outcome == "approved" ? (task_shippable(task) ? Json{"ship"} : Json{"view_ci_status"})
                   : r.outcome == "changes_requested" ? Json{"submit"}
                                                      : Json{"view_ci_status"};
    Json decision{{"outcome", r.outcome},
                  {"reviewer", Json{{"id", "agt_mock_reviewer"}, {"role", "reviewer"}}},
                  {"createdAt", r.created_at.empty() ? iso_now() : r.created_at},
                  {"headSha", task.submission ? Json(task.submission->head_sha) : Json(nullptr)},
                  {"summary", r.summary}};
    return Json{{"data", Json{{"taskId", task.id},
                              {"latestDecision", decision},
                              {"comments", comments},
                              {"availableActions", actions}}},
                {"availableActions", actions}};
}

Json task_links(const Task& task, const std::string& base_url) {
    auto base = base_url + "/tasks/" + task.id;
    return Json{{"task", base},
                {"reviewFeedback", base + "/review-feedback"},
                {"ciStatus", base + "/ci-status"},
                {"shipOperation", task.ship_operation_id
                                      ? Json(base_url + "/ship-operations/" + *task.ship_operation_id)
                                      : Json(nullptr)}};
}

}  // namespace mock
