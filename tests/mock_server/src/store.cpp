#include "store.hpp"

#include <algorithm>
#include <stdexcept>

namespace mock {

bool ApiKey::is_admin() const {
    return std::find(scopes.begin(), scopes.end(), "auth:admin") != scopes.end();
}

bool ApiKey::has_scope(const std::string& scope) const {
    return is_admin() || std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

namespace {

[[noreturn]] void seed_error(const std::string& what) {
    throw std::runtime_error("seed: " + what);
}

std::string str(const Json& obj, const char* field, const std::string& where,
                const char* fallback = nullptr) {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) {
        if (fallback) return fallback;
        seed_error(where + ": missing string field '" + field + "'");
    }
    if (!it->is_string()) seed_error(where + ": field '" + field + "' must be a string");
    return it->get<std::string>();
}

std::optional<std::string> opt_str(const Json& obj, const char* field, const std::string& where) {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) seed_error(where + ": field '" + field + "' must be a string or null");
    return it->get<std::string>();
}

const std::set<std::string> kStatuses{"todo", "in_progress", "in_review", "blocked", "done", "cancelled"};
const std::set<std::string> kPriorities{"low", "medium", "high", "critical"};
const std::set<std::string> kCiStatuses{"queued", "running", "passed", "failed", "cancelled"};
const std::set<std::string> kReviewOutcomes{"pending", "approved", "changes_requested"};

Agent parse_agent(const Json& j, const std::string& where) {
    Agent a;
    a.id = str(j, "id", where);
    if (!is_alnum_id(a.id, "agt_", true)) seed_error(where + ": agent id must match ^agt_[A-Za-z0-9_]+$");
    a.display_name = str(j, "displayName", where, a.id.c_str());
    a.role = str(j, "role", where, "agent");
    if (j.contains("externalIdentities")) a.external_identities = j["externalIdentities"];
    return a;
}

}  // namespace

Task parse_seed_task(const Json& j, const std::string& where) {
    Task t;
    t.id = str(j, "id", where);
    if (!is_alnum_id(t.id, "tsk_")) seed_error(where + ": task id must match ^tsk_[A-Za-z0-9]+$");
    t.identifier = str(j, "identifier", where, t.id.c_str());
    t.title = str(j, "title", where);
    t.description = str(j, "description", where, "");
    t.status = str(j, "status", where, "todo");
    if (!kStatuses.count(t.status)) seed_error(where + ": unknown status '" + t.status + "'");
    t.priority = str(j, "priority", where, "medium");
    if (!kPriorities.count(t.priority)) seed_error(where + ": unknown priority '" + t.priority + "'");
    t.due_at = opt_str(j, "dueAt", where);
    t.assignee_agent_id = str(j, "assigneeAgentId", where);
    if (j.contains("acceptanceCriteria"))
        for (const auto& c : j["acceptanceCriteria"]) t.acceptance_criteria.push_back(c.get<std::string>());
    auto links = j.value("links", Json::object());
    t.issue_url = links.value("issue", std::string("https://github.com/agentrail-mock/demo/issues/") + t.id);
    t.parent_issue_url = opt_str(links, "parentIssue", where);
    auto context = j.value("context", Json::object());
    t.project = opt_str(context, "project", where);
    t.goal = context.value("goal", std::string("Ship the assigned work"));
    t.updated_at = j.value("updatedAt", iso_now());
    t.assignment_source = opt_str(j, "assignmentSource", where);
    if (t.status == "blocked") {
        auto b = j.value("blocker", Json::object());
        Blocker blocker;
        blocker.source_run_id = b.value("sourceRunId", std::string("run_") + random_alnum(26));
        blocker.source_agent_id = b.value("sourceAgentId", t.assignee_agent_id);
        blocker.reason = b.value("reason", std::string("awaiting_user"));
        blocker.action_required = b.value("actionRequired", std::string("Take the requested action."));
        blocker.resume_instructions =
            b.value("resumeInstructions", std::string("Resolve the blocker to resume."));
        blocker.created_at = b.value("createdAt", t.updated_at);
        t.blocker = blocker;
    }
    if (t.status == "in_review" || j.contains("submission")) {
        auto s = j.value("submission", Json::object());
        Submission sub;
        sub.id = s.value("id", make_id("sub_"));
        sub.mode = s.value("mode", std::string("adapter_managed"));
        sub.pr_number = s.value("prNumber", 100LL + static_cast<long long>(t.identifier.size()));
        sub.pr_url =
            s.value("prUrl", "https://github.com/agentrail-mock/demo/pull/" + std::to_string(*sub.pr_number));
        sub.head = s.value("head", "agentrail/" + t.identifier);
        sub.base = s.value("base", std::string("main"));
        sub.head_sha = s.value("headSha", random_hex(40));
        sub.action = s.value("action", std::string("created"));
        sub.accepted_at = s.value("acceptedAt", t.updated_at);
        t.submission = sub;
        t.ci.overall = j.value("ci", std::string("passed"));
        if (!kCiStatuses.count(t.ci.overall))
            seed_error(where + ": unknown ci status '" + t.ci.overall + "'");
        t.ci.updated_at = t.updated_at;
        t.ci_last_failed = t.ci.overall == "failed";  // a seeded failure recovers like a simulated one
        auto review = j.value("review", Json::object());
        if (review.is_string()) review = Json{{"outcome", review}};
        t.review.outcome = review.value("outcome", std::string("approved"));
        if (!kReviewOutcomes.count(t.review.outcome))
            seed_error(where + ": unknown review outcome '" + t.review.outcome + "'");
        t.review.summary = review.value("summary", std::string("Looks good."));
        t.review.created_at = t.updated_at;
        for (const auto& c : review.value("comments", Json::array())) {
            t.review.comments.push_back(ReviewComment{
                make_id("cmt_"), c.value("authorRole", std::string("reviewer")),
                c.value("body", std::string()), c.value("severity", std::string("should_fix"))});
        }
    }
    return t;
}

void Store::load_seed(const Json& seed, std::size_t extra_tasks) {
    if (!seed.is_object()) seed_error("top level must be an object");
    agents.clear();
    keys.clear();
    key_by_secret.clear();
    tasks.clear();
    tasks_by_agent.clear();
    subscription_order.clear();
    subscriptions.clear();
    task_by_linear_issue.clear();
    linear_receipts.clear();
    circleci_event_ids.clear();
    sim_pending.clear();

    std::size_t i = 0;
    for (const auto& a : seed.value("agents", Json::array())) {
        auto agent = parse_agent(a, "agents[" + std::to_string(i++) + "]");
        agents[agent.id] = agent;
    }
    i = 0;
    for (const auto& k : seed.value("keys", Json::array())) {
        auto where = "keys[" + std::to_string(i++) + "]";
        ApiKey key;
        key.id = str(k, "id", where);
        if (!is_alnum_id(key.id, "akey_")) seed_error(where + ": key id must match ^akey_[A-Za-z0-9]+$");
        key.secret = str(k, "apiKey", where);
        auto agent_id = str(k, "agentId", where);
        if (!agents.count(agent_id)) seed_error(where + ": unknown agentId '" + agent_id + "'");
        key.agent = agents[agent_id];
        for (const auto& s : k.value("scopes", Json::array())) key.scopes.push_back(s.get<std::string>());
        if (key.scopes.empty()) seed_error(where + ": scopes must not be empty");
        auto rl = k.value("rateLimit", Json::object());
        key.rate_limit.window_seconds = rl.value("windowSeconds", 60);
        key.rate_limit.max_requests = rl.value("maxRequests", 600);
        key.status = k.value("status", std::string("active"));
        key.created_at = k.value("createdAt", iso_now());
        key.expires_at = opt_str(k, "expiresAt", where);
        add_key(std::move(key));
    }
    i = 0;
    for (const auto& t : seed.value("tasks", Json::array())) {
        auto where = "tasks[" + std::to_string(i++) + "]";
        auto task = parse_seed_task(t, where);
        if (!agents.count(task.assignee_agent_id))
            seed_error(where + ": unknown assigneeAgentId '" + task.assignee_agent_id + "'");
        if (tasks.count(task.id)) seed_error(where + ": duplicate task id '" + task.id + "'");
        add_task(std::move(task));
    }

    auto gen = seed.value("generatedTasks", Json::object());
    auto gen_agent = gen.value("assigneeAgentId", std::string("agt_demo"));
    auto gen_prefix = gen.value("identifierPrefix", std::string("GEN"));
    if (extra_tasks > 0 && !agents.count(gen_agent))
        seed_error("generatedTasks.assigneeAgentId '" + gen_agent + "' is not a seeded agent");
    static const char* kTitles[] = {"Tighten input validation", "Add structured logging",
                                    "Cache provider lookups",   "Document the retry policy",
                                    "Reduce cold-start time",   "Fix flaky integration test"};
    static const char* kPrios[] = {"low", "medium", "high", "critical"};
    auto now = iso_now();
    for (std::size_t n = 1; n <= extra_tasks; ++n) {
        Task t;
        char num[16];
        std::snprintf(num, sizeof num, "%07zu", n);
        t.id = std::string("tsk_01GEN") + num;
        t.identifier = gen_prefix + "-" + std::to_string(n);
        t.title = std::string(kTitles[n % 6]) + " (" + t.identifier + ")";
        t.description = "Generated task " + std::to_string(n) + " for pagination and load tests.";
        t.status = (n % 2 == 1) ? "todo" : "in_progress";
        t.priority = kPrios[n % 4];
        t.assignee_agent_id = gen_agent;
        t.acceptance_criteria = {"Change is covered by a test"};
        t.issue_url = "https://github.com/agentrail-mock/demo/issues/" + std::to_string(1000 + n);
        t.project = "load";
        t.goal = "Exercise pagination";
        t.updated_at = now;
        add_task(std::move(t));
    }
    operator_state.load_seed(seed);
}

Task* Store::find_task(const std::string& id) {
    auto it = tasks.find(id);
    return it == tasks.end() ? nullptr : it->second.get();
}

ApiKey* Store::find_key(const std::string& id) {
    auto it = keys.find(id);
    return it == keys.end() ? nullptr : &it->second;
}

ApiKey* Store::find_key_by_secret(const std::string& secret) {
    auto it = key_by_secret.find(secret);
    return it == key_by_secret.end() ? nullptr : find_key(it->second);
}

Task& Store::add_task(Task task) {
    auto owned = std::make_unique<Task>(std::move(task));
    auto* raw = owned.get();
    tasks_by_agent[raw->assignee_agent_id].push_back(raw);
    tasks[raw->id] = std::move(owned);
    return *raw;
}

void Store::add_key(ApiKey key) {
    if (key.created_at.empty()) key.created_at = iso_now();
    key_by_secret[key.secret] = key.id;
    auto id = key.id;
    keys[id] = std::move(key);
}

const Agent& Store::agent_or_placeholder(const std::string& id) {
    auto it = agents.find(id);
    if (it != agents.end()) return it->second;
    Agent a;
    a.id = id;
    a.display_name = id;
    a.role = "agent";
    return agents[id] = a;
}

}  // namespace mock
