// Mock-only control endpoints under /_mock/: statistics, fault injection, load generation,
// CI/review overrides, deliveries, reset. Not part of the AgentRail API.
#include <thread>

#include "lifecycle.hpp"
#include "render.hpp"
#include "routes_common.hpp"

namespace mock {

namespace {

std::optional<Json> control_body(Ctx& ctx) {
    return body_object(ctx, true);
}

void stats(Ctx& ctx) {
    auto& app = ctx.app;
    std::size_t tasks = 0, keys = 0, subs = 0;
    {
        std::lock_guard lock(app.store.mutex);
        tasks = app.store.tasks.size();
        keys = app.store.keys.size();
        subs = app.store.subscriptions.size();
    }
    auto uptime = std::chrono::duration_cast<std::chrono::seconds>(SteadyClock::now() - app.started).count();
    send_json(ctx.res, 200,
              Json{{"connections", app.stats.connections.load()},
                   {"activeConnections", app.stats.active_connections.load()},
                   {"requests", app.stats.requests.load()},
                   {"streams", Json{{"active", app.stats.streams_active.load()},
                                    {"total", app.stats.streams_total.load()},
                                    {"eventsSent", app.stats.stream_events_sent.load()}}},
                   {"events", Json{{"published", app.bus.published()},
                                   {"lastSequence", app.bus.last_sequence()},
                                   {"buffered", app.bus.buffered()},
                                   {"subscribers", app.bus.subscribers()}}},
                   {"webhooks", app.webhooks.stats_json()},
                   {"faults", Json{{"injected", app.faults.total_injected()}}},
                   {"tasks", tasks},
                   {"keys", keys},
                   {"subscriptions", subs},
                   {"uptimeSeconds", uptime}});
}

void config(Ctx& ctx) {
    const auto& c = ctx.app.config;
    send_json(ctx.res, 200,
              Json{{"baseUrl", ctx.app.base_url},
                   {"pathPrefix", c.path_prefix},
                   {"threads", c.threads},
                   {"ci", c.ci_mode},
                   {"ciPendingSeconds", c.ci_pending_seconds},
                   {"review", c.review_mode},
                   {"reviewDelaySeconds", c.review_delay_seconds},
                   {"replayBuffer", c.replay_buffer},
                   {"heartbeatSeconds", c.heartbeat_seconds},
                   {"heartbeatMs", c.heartbeat_ms},
                   {"maxStreams", c.max_streams},
                   {"allowRemoteWebhooks", c.allow_remote_webhooks},
                   {"deliveryBackoffScale", c.delivery_backoff_scale},
                   {"chunkedResponses", c.chunked_responses}});
}

void get_faults(Ctx& ctx) {
    send_json(ctx.res, 200, ctx.app.faults.to_json());
}

void add_faults(Ctx& ctx) {
    auto parsed = Json::parse(ctx.req.body, nullptr, false);
    if (parsed.is_discarded()) return send_validation_error(ctx.res, "body", "must be valid JSON");
    Json specs = parsed.is_array()          ? parsed
                 : parsed.contains("rules") ? parsed["rules"]
                                            : Json::array({parsed});
    Json added = Json::array();
    for (const auto& spec : specs) {
        FaultRule rule;
        if (auto err = ctx.app.faults.add(spec, &rule)) return send_validation_error(ctx.res, "body", *err);
        added.push_back(rule.to_json());
    }
    send_json(ctx.res, 201, Json{{"data", added}});
}

void clear_faults(Ctx& ctx) {
    ctx.app.faults.clear();
    send_json(ctx.res, 200, ctx.app.faults.to_json());
}

void delete_fault(Ctx& ctx) {
    if (!ctx.app.faults.remove(ctx.ids.at(0))) return send_not_found(ctx.res);
    send_json(ctx.res, 200, ctx.app.faults.to_json());
}

Task* default_burst_task(Store& store) {
    auto it = store.tasks_by_agent.find("agt_demo");
    if (it != store.tasks_by_agent.end() && !it->second.empty()) return it->second.front();
    return store.tasks.empty() ? nullptr : store.tasks.begin()->second.get();
}

void burst(Ctx& ctx) {
    auto body = control_body(ctx);
    if (!body) return;
    FieldErrors errors;
    ObjectChecker c(*body, errors);
    c.only({"count", "taskId", "ratePerSecond"});
    auto count = c.integer("count", true, 1, 10000000);
    auto task_id = c.string("taskId", false);
    long long rate = c.integer("ratePerSecond", false, 1, 10000000).value_or(0);
    if (!errors.empty()) return send_validation_error(ctx.res, errors.json());
    auto& app = ctx.app;
    std::string id;
    {
        std::lock_guard lock(app.store.mutex);
        Task* task = task_id ? app.store.find_task(*task_id) : default_burst_task(app.store);
        if (!task) return send_not_found(ctx.res);
        id = task->id;
        if (rate == 0) {
            auto first = app.bus.last_sequence() + 1;
            auto emitted = lifecycle::burst(app, *task, static_cast<std::size_t>(*count));
            send_json(ctx.res, 202,
                      Json{{"data", Json{{"taskId", id},
                                         {"emitted", emitted},
                                         {"firstSequence", first},
                                         {"lastSequence", app.bus.last_sequence()}}}});
            return;
        }
    }
    // Paced: emit in 10 ms slices on a background thread.
    auto total = static_cast<std::size_t>(*count);
    auto per_second = static_cast<double>(rate);
    std::lock_guard lock(app.background_mutex);
    app.background.emplace_back([&app, id, total, per_second] {
        auto start = SteadyClock::now();
        std::size_t done = 0;
        while (done < total && !app.stopping) {
            auto elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
            auto due = std::min(total, static_cast<std::size_t>(elapsed * per_second) + 1);
            if (due > done) {
                std::lock_guard store_lock(app.store.mutex);
                Task* task = app.store.find_task(id);
                if (!task) break;
                done += lifecycle::burst(app, *task, due - done);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });
    send_json(ctx.res, 202,
              Json{{"data", Json{{"taskId", id}, {"scheduled", total}, {"ratePerSecond", rate}}}});
}

// Closes every open event stream now (clients resume with Last-Event-ID), as a network cut would.
void cut_streams(Ctx& ctx) {
    auto open = ctx.app.bus.subscribers();
    ctx.app.bus.close_all();
    send_json(ctx.res, 200, Json{{"data", Json{{"cut", open}}}});
}

void deliveries(Ctx& ctx) {
    send_json(ctx.res, 200,
              Json{{"data", ctx.app.webhooks.deliveries_json(ctx.req.get_param_value("subscriptionId"))}});
}

Task* control_task(Ctx& ctx) {
    Task* task = ctx.app.store.find_task(ctx.ids.at(0));
    if (!task) {
        send_not_found(ctx.res);
        return nullptr;
    }
    if (!task->submission) {
        send_error(ctx.res, 409, "conflict", "The task has no submission; submit it first.",
                   Json{{"currentStatus", task->status}});
        return nullptr;
    }
    return task;
}

void set_ci(Ctx& ctx) {
    auto body = control_body(ctx);
    if (!body) return;
    FieldErrors errors;
    ObjectChecker c(*body, errors);
    c.only({"overallStatus", "checks"});
    auto overall =
        c.enum_string("overallStatus", true, {"queued", "running", "passed", "failed", "cancelled"});
    std::vector<Check> checks;
    if (const Json* list = c.array("checks", false, 0, 50)) {
        for (const auto& ch : *list) {
            if (!ch.is_object() || !ch.contains("name") || !ch.contains("status")) {
                errors.add("checks", "items need name and status");
                continue;
            }
            checks.push_back(Check{ch["name"].get<std::string>(), ch.value("workflow", std::string("CI")),
                                   ch["status"].get<std::string>()});
        }
    }
    if (!errors.empty()) return send_validation_error(ctx.res, errors.json());
    std::lock_guard lock(ctx.app.store.mutex);
    Task* task = control_task(ctx);
    if (!task) return;
    ctx.app.store.sim_pending.erase(task->id);
    if (task->review.due) ctx.app.store.sim_pending.insert(task->id);
    lifecycle::set_ci(ctx.app, *task, *overall, std::move(checks));
    send_json(ctx.res, 200, ci_status_json(*task));
}

void set_review(Ctx& ctx) {
    auto body = control_body(ctx);
    if (!body) return;
    FieldErrors errors;
    ObjectChecker c(*body, errors);
    c.only({"outcome", "summary", "comments"});
    auto outcome = c.enum_string("outcome", true, {"approved", "changes_requested", "pending"});
    auto summary = c.string("summary", false, 0, 2000);
    std::vector<ReviewComment> comments;
    if (const Json* list = c.array("comments", false, 0, 100)) {
        for (const auto& cm : *list) {
            if (!cm.is_object() || !cm.contains("body")) {
                errors.add("comments", "items need a body");
                continue;
            }
            comments.push_back(ReviewComment{make_id("cmt_"), cm.value("authorRole", std::string("reviewer")),
                                             cm["body"].get<std::string>(),
                                             cm.value("severity", std::string("must_fix"))});
        }
    }
    if (!errors.empty()) return send_validation_error(ctx.res, errors.json());
    std::lock_guard lock(ctx.app.store.mutex);
    Task* task = control_task(ctx);
    if (!task) return;
    ctx.app.store.sim_pending.erase(task->id);
    if (task->ci.due) ctx.app.store.sim_pending.insert(task->id);
    auto text = summary.value_or(*outcome == "approved"            ? "Approved."
                                 : *outcome == "changes_requested" ? "Changes requested."
                                                                   : "Review pending.");
    lifecycle::set_review(ctx.app, *task, *outcome, text, std::move(comments));
    send_json(ctx.res, 200, review_feedback_json(*task));
}

void create_task(Ctx& ctx) {
    auto body = control_body(ctx);
    if (!body) return;
    Json spec = *body;
    if (!spec.contains("id")) spec["id"] = make_id("tsk_");
    if (!spec.contains("assigneeAgentId")) spec["assigneeAgentId"] = "agt_demo";
    std::lock_guard lock(ctx.app.store.mutex);
    try {
        Task task = parse_seed_task(spec, "task");
        if (!ctx.app.store.agents.count(task.assignee_agent_id))
            return send_validation_error(ctx.res, "assigneeAgentId", "unknown agent");
        if (ctx.app.store.find_task(task.id))
            return send_validation_error(ctx.res, "id", "task id already exists");
        Task& added = ctx.app.store.add_task(std::move(task));
        lifecycle::emit_updated(ctx.app, added, std::nullopt, {"status", "assignee", "availableActions"},
                                Actor{"agt_mock_control", "operator"}, "Task assigned.");
        const auto& agent = ctx.app.store.agent_or_placeholder(added.assignee_agent_id);
        send_json(ctx.res, 201, task_detail_response(added, agent.display_name));
    } catch (const std::exception& e) {
        send_validation_error(ctx.res, "body", e.what());
    }
}

void reset(Ctx& ctx) {
    auto& app = ctx.app;
    {
        std::lock_guard lock(app.store.mutex);
        app.store.load_seed(app.seed, app.config.extra_tasks);
        app.idempotency.clear();
    }
    app.faults.clear();
    app.webhooks.clear();
    app.bus.clear_buffer();
    send_json(ctx.res, 200, Json{{"data", Json{{"reset", true}}}});
}

}  // namespace

void register_control_routes(Router& router) {
    router.add_control("GET", "/_mock/stats", stats);
    router.add_control("GET", "/_mock/config", config);
    router.add_control("GET", "/_mock/faults", get_faults);
    router.add_control("POST", "/_mock/faults", add_faults);
    router.add_control("DELETE", "/_mock/faults", clear_faults);
    router.add_control("DELETE", "/_mock/faults/{any}", delete_fault);
    router.add_control("POST", "/_mock/events/burst", burst);
    router.add_control("POST", "/_mock/streams/cut", cut_streams);
    router.add_control("GET", "/_mock/deliveries", deliveries);
    router.add_control("POST", "/_mock/tasks", create_task);
    router.add_control("POST", "/_mock/tasks/{task}/ci", set_ci);
    router.add_control("POST", "/_mock/tasks/{task}/review", set_review);
    router.add_control("POST", "/_mock/reset", reset);
}

}  // namespace mock
