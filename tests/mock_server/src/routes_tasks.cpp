// Tasks: list, detail, lifecycle transitions, CI status, review feedback, ship.
#include <atomic>
#include <regex>

#include "lifecycle.hpp"
#include "render.hpp"
#include "routes_common.hpp"

namespace mock {

namespace {

const std::set<std::string> kListStatuses{"todo", "in_progress", "in_review", "blocked", "done", "cancelled"};

Actor caller_actor(const Ctx& ctx) {
    return actor_for_key_agent(ctx.key->agent);
}

void send_task(Ctx& ctx, int status, const Task& task) {
    const auto& agent = ctx.app.store.agent_or_placeholder(task.assignee_agent_id);
    send_json(ctx.res, status, task_detail_response(task, agent.display_name));
}

void state_conflict(Ctx& ctx, const Task& task, const std::string& message) {
    send_error(ctx.res, 409, "conflict", message, Json{{"currentStatus", task.status}}, task_actions(task));
}

// ---- reads ----

void list_tasks(Ctx& ctx) {
    auto empty_page = [&ctx] {
        send_json(ctx.res, 200,
                  Json{{"data", Json::array()},
                       {"page", Json{{"nextCursor", nullptr}, {"hasMore", false}}},
                       {"availableActions", Json::array()},
                       {"meta", Json{{"tokenBudgetHint", "compact"}}}});
    };
    // Like the reference server, invalid filters give an empty page rather than a 400.
    std::string status = ctx.req.get_param_value("status");
    if (ctx.req.has_param("status") && !kListStatuses.count(status)) return empty_page();
    long long limit = 25;
    if (ctx.req.has_param("limit")) {
        auto parsed = parse_int(ctx.req.get_param_value("limit"));
        if (!parsed) return empty_page();
        limit = std::clamp(*parsed, 1LL, 100LL);
    }
    std::size_t offset = 0;
    if (ctx.req.has_param("cursor")) {
        auto decoded = base64url_decode(ctx.req.get_param_value("cursor"));
        auto cursor = decoded ? Json::parse(*decoded, nullptr, false) : Json();
        if (!cursor.is_object() || !cursor.contains("offset") || !cursor["offset"].is_number_unsigned())
            return empty_page();
        offset = cursor["offset"].get<std::size_t>();
    }
    const auto& all = ctx.app.store.tasks_by_agent[ctx.key->agent.id];
    Json data = Json::array();
    std::size_t i = std::min(offset, all.size());
    // The cursor holds a position in the agent's task list, so a page never rescans earlier tasks.
    for (; i < all.size() && data.size() < static_cast<std::size_t>(limit); ++i) {
        if (!status.empty() && all[i]->status != status) continue;
        data.push_back(task_summary_json(*all[i]));
    }
    bool has_more = false;
    if (status.empty()) {
        has_more = i < all.size();
    } else {
        for (std::size_t j = i; j < all.size() && !has_more; ++j) has_more = all[j]->status == status;
    }
    Json next = has_more ? Json(base64url_encode(nlohmann::json{{"offset", i}}.dump())) : Json(nullptr);
    send_json(ctx.res, 200,
              Json{{"data", data},
                   {"page", Json{{"nextCursor", next}, {"hasMore", has_more}}},
                   {"availableActions", has_more ? Json{"fetch_next_page"} : Json::array()},
                   {"meta", Json{{"tokenBudgetHint", "compact"}}}});
}

void get_task(Ctx& ctx) {
    if (Task* task = task_for_caller(ctx)) send_task(ctx, 200, *task);
}

void ci_status(Ctx& ctx) {
    Task* task = task_for_caller(ctx);
    if (!task) return;
    if (!task->submission) {
        send_error(ctx.res, 404, "not_found", "The task has no submission, so there is no CI status yet.",
                   Json::object(), task_actions(*task));
        return;
    }
    send_json(ctx.res, 200, ci_status_json(*task));
}

void review_feedback(Ctx& ctx) {
    Task* task = task_for_caller(ctx);
    if (!task) return;
    if (!task->submission) {
        send_error(ctx.res, 404, "not_found", "The task has no submission, so there is no review yet.",
                   Json::object(), task_actions(*task));
        return;
    }
    send_json(ctx.res, 200, review_feedback_json(*task));
}

// ---- transitions ----

// Common prologue of idempotent task mutations: key, body, task, replay. Returns the task when the
// handler should go on.
struct Mutation {
    Task* task = nullptr;
    Json body;
    std::string key;
    IdempotencyScope scope;
};

template <typename Validate>
std::optional<Mutation> begin_mutation(Ctx& ctx, bool body_required, Validate validate) {
    Mutation m;
    auto key = require_idempotency_key(ctx);
    if (!key) return std::nullopt;
    m.key = *key;
    auto body = body_object(ctx, !body_required);
    if (!body) return std::nullopt;
    m.body = std::move(*body);
    FieldErrors errors;
    validate(m.body, errors);
    if (!errors.empty()) {
        send_validation_error(ctx.res, errors.json());
        return std::nullopt;
    }
    m.task = task_for_caller(ctx);
    if (!m.task) return std::nullopt;
    m.scope = idempotency_scope(ctx, m.task->id, m.key);
    if (idempotency_replay(ctx, m.scope, m.key)) return std::nullopt;
    return m;
}

void no_validation(const Json&, FieldErrors&) {}

void start_task(Ctx& ctx) {
    auto m = begin_mutation(ctx, false, no_validation);
    if (!m) return;
    Task& task = *m->task;
    if (task.status != "todo") return state_conflict(ctx, task, "Only a task in todo can be started.");
    task.status = "in_progress";
    lifecycle::touch(task);
    lifecycle::emit_updated(ctx.app, task, "todo", {"status", "availableActions", "updatedAt"},
                            caller_actor(ctx), "Task started.");
    send_task(ctx, 202, task);
    idempotency_record(ctx, m->scope);
}

void validate_blocker(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"sourceRunId", "sourceAgentId", "reason", "actionRequired", "resumeInstructions"});
    c.pattern_string("sourceRunId", true, "^run_[A-Za-z0-9_]+$", "must match ^run_[A-Za-z0-9_]+$");
    c.pattern_string("sourceAgentId", true, "^agt_[A-Za-z0-9_]+$", "must match ^agt_[A-Za-z0-9_]+$");
    c.string("reason", true, 1, 500);
    c.string("actionRequired", true, 1, 2000);
    c.string("resumeInstructions", true, 1, 2000);
}

void block_task(Ctx& ctx) {
    auto m = begin_mutation(ctx, true, validate_blocker);
    if (!m) return;
    Task& task = *m->task;
    if (task.status != "todo" && task.status != "in_progress")
        return state_conflict(ctx, task, "Only a task in todo or in_progress can be blocked.");
    const auto& b = m->body;
    task.blocker = Blocker{b["sourceRunId"],    b["sourceAgentId"],      b["reason"],
                           b["actionRequired"], b["resumeInstructions"], iso_now()};
    auto previous = task.status;
    task.status = "blocked";
    lifecycle::touch(task);
    lifecycle::emit_awaiting_user(ctx.app, task, previous, caller_actor(ctx));
    send_task(ctx, 202, task);
    idempotency_record(ctx, m->scope);
}

void validate_resolve(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"resolutionSummary"});
    c.string("resolutionSummary", true, 1, 2000);
}

void resolve_blocker(Ctx& ctx) {
    auto m = begin_mutation(ctx, true, validate_resolve);
    if (!m) return;
    Task& task = *m->task;
    if (task.status != "blocked") return state_conflict(ctx, task, "The task is not blocked.");
    task.status = "todo";
    task.blocker.reset();
    lifecycle::touch(task);
    lifecycle::emit_updated(ctx.app, task, "blocked", {"status", "availableActions", "blocker", "updatedAt"},
                            caller_actor(ctx),
                            "Blocker resolved: " + m->body["resolutionSummary"].get<std::string>());
    send_task(ctx, 202, task);
    idempotency_record(ctx, m->scope);
}

void validate_submit(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"summary", "mode", "pullRequest", "artifacts", "checks", "notes"});
    c.string("summary", true, 0, 2000);
    c.enum_string("mode", false, {"adapter_managed", "artifact"});
    if (const Json* pr = c.object("pullRequest", false)) {
        ObjectChecker pc(*pr, errors, "pullRequest");
        pc.only({"title", "body", "head", "base", "draft", "reviewers"});
        pc.string("title", false, 0, 300);
        pc.string("body", false, 0, 10000);
        pc.string("head", false, 0, 255);
        pc.string("base", false, 0, 255);
        pc.boolean("draft", false);
        if (const Json* reviewers = pc.array("reviewers", false, 0, 20))
            for (const auto& r : *reviewers)
                if (!r.is_string()) errors.add("pullRequest.reviewers", "items must be strings");
    }
    if (const Json* artifacts = c.array("artifacts", false, 1, 20)) {
        std::size_t i = 0;
        for (const auto& a : *artifacts) {
            auto path = "artifacts[" + std::to_string(i++) + "]";
            if (!a.is_object()) {
                errors.add(path, "must be an object");
                continue;
            }
            ObjectChecker ac(a, errors, path);
            ac.only({"type", "url"});
            ac.enum_string("type", true, {"pull_request", "commit", "doc", "ci_run", "other"});
            ac.uri("url", true);
        }
    }
    if (const Json* checks = c.array("checks", false, 0, 20)) {
        std::size_t i = 0;
        for (const auto& ch : *checks) {
            auto path = "checks[" + std::to_string(i++) + "]";
            if (!ch.is_object()) {
                errors.add(path, "must be an object");
                continue;
            }
            ObjectChecker cc(ch, errors, path);
            cc.only({"name", "status"});
            cc.string("name", true);
            cc.enum_string("status", true, {"passed", "failed", "running", "skipped"});
        }
    }
    c.string("notes", false, 0, 2000, true);
}

std::atomic<long long> g_next_pr{200};

void submit_task(Ctx& ctx) {
    auto m = begin_mutation(ctx, true, validate_submit);
    if (!m) return;
    Task& task = *m->task;
    bool resubmit = task.status == "in_review" &&
                    (task.ci.overall == "failed" || task.review.outcome == "changes_requested");
    if (task.status == "in_review" && !resubmit) {
        send_error(ctx.res, 409, "conflict", "Task is already in review.",
                   Json{{"currentStatus", "in_review"}}, Json{"view_review_feedback"});
        return;
    }
    if (task.status != "in_progress" && !resubmit)
        return state_conflict(ctx, task, "Only a task in progress can be submitted.");

    const auto& body = m->body;
    Submission sub;
    sub.id = make_id("sub_");
    sub.mode = body.value("mode", std::string("adapter_managed"));
    auto pr = body.value("pullRequest", Json::object());
    std::string lower_id = task.identifier;
    std::transform(lower_id.begin(), lower_id.end(), lower_id.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    sub.head = pr.value("head", "agentrail/" + lower_id);
    sub.base = pr.value("base", task_base_branch(task));
    sub.head_sha = random_hex(40);
    sub.idempotency_key = m->key;
    sub.accepted_at = iso_now();
    if (sub.mode == "artifact") {
        sub.action = "accepted";
        for (const auto& a : body.value("artifacts", Json::array())) {
            if (a.value("type", std::string()) != "pull_request") continue;
            sub.pr_url = a.value("url", std::string());
            static const std::regex number(R"(/pull/(\d+))");
            std::smatch match;
            if (std::regex_search(*sub.pr_url, match, number)) sub.pr_number = std::stoll(match[1].str());
            break;
        }
    } else {
        // Simulated provider adapter: reuses the task's PR when there is one.
        if (task.submission && task.submission->pr_number && task.submission->mode == "adapter_managed") {
            sub.action = "existing";
            sub.pr_number = task.submission->pr_number;
            sub.pr_url = task.submission->pr_url;
        } else {
            sub.action = "created";
            sub.pr_number = g_next_pr++;
            sub.pr_url = "https://github.com/agentrail-mock/demo/pull/" + std::to_string(*sub.pr_number);
        }
    }
    auto previous = task.status;
    task.submission = sub;
    task.status = "in_review";
    task.ship_operation_id.reset();
    task.ci = CiState{};
    task.review = ReviewState{};
    lifecycle::touch(task);
    lifecycle::emit_updated(ctx.app, task, previous,
                            {"status", "availableActions", "submissionId", "prUrl", "headSha", "updatedAt"},
                            caller_actor(ctx), "Submission accepted and routed to review.");
    lifecycle::begin_checks(ctx.app, task);

    Json data{{"submissionId", sub.id}, {"taskId", task.id}, {"status", "in_review"}};
    if (sub.pr_url) data["prUrl"] = *sub.pr_url;
    if (sub.pr_number) data["prNumber"] = *sub.pr_number;
    data["head"] = sub.head;
    data["base"] = sub.base;
    data["headSha"] = sub.head_sha;
    data["action"] = sub.action;
    data["idempotencyKey"] = m->key;
    data["reviewRoute"] =
        Json{{"participants", Json::array({Json{{"id", "agt_mock_reviewer"}, {"role", "reviewer"}}})}};
    data["acceptedAt"] = sub.accepted_at;
    data["availableActions"] = task_actions(task);
    send_json(ctx.res, 202, Json{{"data", data}, {"availableActions", task_actions(task)}});
    idempotency_record(ctx, m->scope);
}

void validate_ship(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"mode", "targetEnvironment", "expectedHeadSha"});
    c.enum_string("mode", true, {"merge_only", "merge_and_deploy"});
    c.enum_string("targetEnvironment", true, {"staging", "production"});
    c.pattern_string("expectedHeadSha", true, "^[a-f0-9]{40}$", "must be a 40-char commit SHA");
}

void ship_task(Ctx& ctx) {
    auto m = begin_mutation(ctx, true, validate_ship);
    if (!m) return;
    Task& task = *m->task;
    if (!task_shippable(task)) {
        send_error(ctx.res, 409, "conflict",
                   "Task cannot be shipped until CI is green and review is approved.",
                   Json{{"currentStatus", task.status},
                        {"ciStatus", task.submission ? Json(task.ci.overall) : Json(nullptr)},
                        {"reviewStatus", task.submission ? Json(task.review.outcome) : Json(nullptr)}},
                   task.status == "in_review" ? Json{"view_ci_status"} : Json(task_actions(task)));
        return;
    }
    auto expected = m->body["expectedHeadSha"].get<std::string>();
    if (expected != task.submission->head_sha) {
        send_error(ctx.res, 409, "conflict",
                   "expectedHeadSha does not match the head of the latest submission.",
                   Json{{"expectedHeadSha", expected}, {"currentHeadSha", task.submission->head_sha}},
                   Json{"view_ci_status"});
        return;
    }
    auto op = make_id("shp_");
    auto queued_at = iso_now();
    auto env = m->body["targetEnvironment"].get<std::string>();
    task.ship_operation_id = op;
    task.status = "done";
    lifecycle::touch(task);
    lifecycle::emit_updated(ctx.app, task, "in_review", {"status", "availableActions", "updatedAt"},
                            caller_actor(ctx), "Ship request accepted for deployment.");
    lifecycle::emit_shipped(ctx.app, task, op, env);
    Json data{{"taskId", task.id},
              {"operationId", op},
              {"status", "queued"},
              {"queuedAt", queued_at},
              {"availableActions", Json{"view_ci_status"}}};
    send_json(ctx.res, 202, Json{{"data", data}, {"availableActions", Json{"view_ci_status"}}});
    idempotency_record(ctx, m->scope);
}

void rollback_task(Ctx& ctx) {
    // Like the reference server, rollback ignores Idempotency-Key; a repeated call answers 409.
    Task* task = task_for_caller(ctx);
    if (!task) return;
    if (task->status != "done")
        return state_conflict(*&ctx, *task, "Only a shipped (done) task can be rolled back.");
    // The shipped change is reverted, so the work goes back to the agent.
    task->status = "in_progress";
    task->ship_operation_id.reset();
    lifecycle::touch(*task);
    lifecycle::emit_updated(ctx.app, *task, "done", {"status", "availableActions", "updatedAt"},
                            caller_actor(ctx), "Ship rolled back; the task is back in progress.");
    send_task(ctx, 202, *task);
}

}  // namespace

void register_task_routes(Router& router) {
    router.add(
        Route{"GET", {"tasks", "mine"}, "list_my_tasks", "tasks:read", AuthMode::required, list_tasks});
    router.add(Route{"GET", {"tasks", "{task}"}, "get_task", "tasks:read", AuthMode::required, get_task});
    router.add(Route{
        "POST", {"tasks", "{task}", "start"}, "start_task", "tasks:write", AuthMode::required, start_task});
    router.add(Route{"POST",
                     {"tasks", "{task}", "blocker"},
                     "block_task_awaiting_user",
                     "tasks:write",
                     AuthMode::required,
                     block_task});
    router.add(Route{"POST",
                     {"tasks", "{task}", "resolve-blocker"},
                     "resolve_task_blocker",
                     "tasks:write",
                     AuthMode::required,
                     resolve_blocker});
    router.add(Route{"POST",
                     {"tasks", "{task}", "submit"},
                     "submit_task_work",
                     "tasks:write",
                     AuthMode::required,
                     submit_task});
    router.add(Route{"GET",
                     {"tasks", "{task}", "ci-status"},
                     "get_task_ci_status",
                     "ci:read",
                     AuthMode::required,
                     ci_status});
    router.add(Route{"GET",
                     {"tasks", "{task}", "review-feedback"},
                     "get_task_review_feedback",
                     "reviews:read",
                     AuthMode::required,
                     review_feedback});
    router.add(Route{
        "POST", {"tasks", "{task}", "ship"}, "ship_task_work", "ship:write", AuthMode::required, ship_task});
    router.add(Route{"POST",
                     {"tasks", "{task}", "rollback"},
                     "rollback_task",
                     "tasks:write",
                     AuthMode::required,
                     rollback_task});
}

}  // namespace mock
