// Providers (CircleCI and Linear intake) and /health.
#include "lifecycle.hpp"
#include "render.hpp"
#include "routes_common.hpp"

namespace mock {

namespace {

void health(Ctx& ctx) {
    auto uptime =
        std::chrono::duration_cast<std::chrono::seconds>(SteadyClock::now() - ctx.app.started).count();
    const auto& prefix = ctx.app.config.path_prefix;
    send_json(ctx.res, 200,
              Json{{"status", "ok"},
                   {"service", "agentrail-mock"},
                   {"publicBaseUrl", ctx.app.base_url},
                   {"pathPrefix", prefix.empty() ? Json(nullptr) : Json(prefix)},
                   {"time", iso_now()},
                   {"uptimeSeconds", uptime}});
}

std::string ci_status_from_circleci(const std::string& s) {
    if (s == "success") return "passed";
    if (s == "failed" || s == "error" || s == "failing" || s == "infrastructure_fail" || s == "timedout")
        return "failed";
    if (s == "running") return "running";
    if (s == "canceled" || s == "cancelled") return "cancelled";
    if (s == "queued" || s == "not_run" || s == "on_hold") return "queued";
    return "";
}

void circleci_webhook(Ctx& ctx) {
    auto parsed = Json::parse(ctx.req.body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        send_error(ctx.res, 400, "validation_error", "Request body must be valid JSON.", Json::object(),
                   Json{"retry"});
        return;
    }
    FieldErrors errors;
    ObjectChecker c(parsed, errors);
    c.string("type", true, 1);
    c.string("id", true, 1);
    if (!errors.empty()) return send_validation_error(ctx.res, errors.json());
    auto& store = ctx.app.store;
    bool deduplicated = !store.circleci_event_ids.insert(parsed["id"].get<std::string>()).second;

    auto vcs = parsed.value("pipeline", Json::object()).value("vcs", Json::object());
    auto branch = vcs.value("branch", std::string());
    auto revision = vcs.value("revision", std::string());
    std::string status;
    if (parsed.contains("job") && parsed["job"].is_object())
        status = ci_status_from_circleci(parsed["job"].value("status", std::string()));
    else if (parsed.contains("workflow") && parsed["workflow"].is_object())
        status = ci_status_from_circleci(parsed["workflow"].value("status", std::string()));

    Json matched = Json::array();
    for (auto& [id, task] : store.tasks) {
        if (!task->submission) continue;
        bool match = (!branch.empty() && task->submission->head == branch) ||
                     (!revision.empty() && task->submission->head_sha == revision);
        if (!match) continue;
        matched.push_back(id);
        if (!deduplicated && !status.empty() && task->status == "in_review" && task->ci.overall != status)
            lifecycle::set_ci(ctx.app, *task, status, {});
    }
    send_json(
        ctx.res, 202,
        Json{{"data", Json{{"accepted", true}, {"deduplicated", deduplicated}, {"matchedTasks", matched}}},
             {"availableActions", Json::array()}});
}

std::string status_from_linear(const std::string& type) {
    if (type == "started") return "in_progress";
    if (type == "completed") return "done";
    if (type == "canceled") return "cancelled";
    return "todo";
}

void linear_intake(Ctx& ctx) {
    auto idem_key = require_idempotency_key(ctx);
    if (!idem_key) return;
    auto body = body_object(ctx, false);
    if (!body) return;
    FieldErrors errors;
    ObjectChecker c(*body, errors);
    auto issue_id = c.string("id", true, 1);
    auto title = c.string("title", true);
    c.string("identifier", false);
    c.uri("url", false);
    c.string("description", false, 0, 100000, true);
    if (const Json* state = c.object("state", false)) {
        ObjectChecker sc(*state, errors, "state");
        sc.enum_string("type", false, {"triage", "backlog", "unstarted", "started", "completed", "canceled"});
    }
    if (!errors.empty()) return send_validation_error(ctx.res, errors.json());

    auto scope = idempotency_scope(ctx, "", *idem_key);
    if (idempotency_replay(ctx, scope, *idem_key)) return;

    auto& store = ctx.app.store;
    auto workspace = body->value("workspace", Json::object()).value("urlKey", std::string("workspace"));
    auto identifier = "linear:" + workspace + ":issues/" + body->value("identifier", *issue_id);
    auto state_type = body->value("state", Json::object()).value("type", std::string("unstarted"));
    Task* task = nullptr;
    bool created = false;
    if (auto it = store.task_by_linear_issue.find(*issue_id); it != store.task_by_linear_issue.end())
        task = store.find_task(it->second);
    if (!task) {
        Task t;
        t.id = make_id("tsk_");
        t.identifier = identifier;
        t.title = *title;
        t.status = status_from_linear(state_type);
        t.priority = "medium";
        t.assignee_agent_id = ctx.key->agent.id;
        t.issue_url = body->value("url", "https://linear.app/" + workspace + "/issue/" + *issue_id);
        t.project = body->value("team", Json::object()).value("name", std::string("Linear"));
        t.goal = *title;
        t.assignment_source = "provider_assignee_mapping";
        t.linear_issue_id = *issue_id;
        t.updated_at = iso_now();
        auto desc = body->value("description", Json());
        t.description = desc.is_string() ? desc.get<std::string>() : "";
        store.agent_or_placeholder(t.assignee_agent_id);
        task = &store.add_task(std::move(t));
        store.task_by_linear_issue[*issue_id] = task->id;
        created = true;
        lifecycle::emit_updated(ctx.app, *task, std::nullopt, {"status", "assignee", "availableActions"},
                                actor_for_key_agent(ctx.key->agent), "Task created from a Linear issue.");
    } else if (task->title != *title) {
        task->title = *title;
        lifecycle::touch(*task);
        lifecycle::emit_updated(ctx.app, *task, task->status, {"title", "updatedAt"},
                                actor_for_key_agent(ctx.key->agent), "Task updated from its Linear issue.");
    }
    (void)created;
    send_json(ctx.res, 201,
              Json{{"data", Json{{"taskId", task->id},
                                 {"identifier", task->identifier},
                                 {"status", task->status},
                                 {"availableActions", task_actions(*task)},
                                 {"createdAt", task->updated_at}}},
                   {"availableActions", Json{"get_task"}}});
    idempotency_record(ctx, scope);
}

void linear_webhook(Ctx& ctx) {
    auto body = body_object(ctx, false);
    if (!body) return;
    FieldErrors errors;
    ObjectChecker c(*body, errors);
    auto action = c.enum_string("action", true, {"create", "update", "remove"});
    auto type = c.enum_string("type", true, {"Issue", "Comment"});
    const Json* data = c.object("data", true);
    c.integer("webhookTimestamp", true, 0, std::numeric_limits<long long>::max());
    if (!errors.empty()) return send_validation_error(ctx.res, errors.json());

    auto& store = ctx.app.store;
    auto delivery = ctx.req.get_header_value("Linear-Delivery");
    if (!delivery.empty()) {
        if (auto it = store.linear_receipts.find(delivery); it != store.linear_receipts.end()) {
            auto receipt = it->second;
            receipt["deduplicated"] = true;
            auto actions = receipt["matchedTasks"].empty() ? Json::array() : Json{"get_task"};
            send_json(ctx.res, 202, Json{{"data", receipt}, {"availableActions", actions}});
            return;
        }
    }
    std::string issue_id =
        *type == "Issue" ? data->value("id", std::string()) : data->value("issueId", std::string());
    Json matched = Json::array();
    if (auto it = store.task_by_linear_issue.find(issue_id); it != store.task_by_linear_issue.end()) {
        matched.push_back(it->second);
        Task* task = store.find_task(it->second);
        if (task && *type == "Issue" && *action == "update" && data->contains("title") &&
            (*data)["title"].is_string() && (*data)["title"].get<std::string>() != task->title) {
            task->title = (*data)["title"].get<std::string>();
            lifecycle::touch(*task);
            lifecycle::emit_updated(ctx.app, *task, task->status, {"title", "updatedAt"},
                                    Actor{"agt_linear", "provider"}, "Task updated from its Linear issue.");
        }
    }
    Json receipt{{"matchedTasks", matched},
                 {"deduplicated", false},
                 {"ignored", matched.empty()},
                 {"deliveryId", delivery.empty() ? Json(nullptr) : Json(delivery)},
                 {"eventType", *type}};
    if (!delivery.empty()) store.linear_receipts[delivery] = receipt;
    send_json(
        ctx.res, 202,
        Json{{"data", receipt}, {"availableActions", matched.empty() ? Json::array() : Json{"get_task"}}});
}

}  // namespace

void register_provider_routes(Router& router) {
    router.add(Route{"GET", {"health"}, "get_health", "", AuthMode::none, health});
    router.add(Route{"POST",
                     {"providers", "circleci", "webhooks"},
                     "ingest_circleci_webhook",
                     "",
                     AuthMode::none,
                     circleci_webhook});
    router.add(Route{"POST",
                     {"providers", "linear", "intake"},
                     "ingest_linear_issue",
                     "tasks:write",
                     AuthMode::required,
                     linear_intake});
    router.add(Route{"POST",
                     {"providers", "linear", "webhooks"},
                     "ingest_linear_webhook",
                     "",
                     AuthMode::none,
                     linear_webhook});
}

}  // namespace mock
