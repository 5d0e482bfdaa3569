// Task Events: webhook subscriptions.
#include "render.hpp"
#include "routes_common.hpp"

namespace mock {

namespace {

const std::set<std::string> kEventTypes{"task.updated", "task.reviewed", "task.shipped",
                                        "task.awaiting_user"};

bool visible(const Ctx& ctx, const Subscription& sub) {
    return ctx.key->is_admin() || sub.owner_agent_id == ctx.key->agent.id;
}

void list_subscriptions(Ctx& ctx) {
    auto& store = ctx.app.store;
    Json data = Json::array();
    for (const auto& id : store.subscription_order) {
        const auto& sub = store.subscriptions.at(id);
        if (visible(ctx, sub)) data.push_back(subscription_json(sub));
    }
    send_json(ctx.res, 200, Json{{"data", data}, {"availableActions", Json{"create"}}});
}

void create_subscription(Ctx& ctx) {
    auto idem_key = require_idempotency_key(ctx);
    if (!idem_key) return;
    auto body = body_object(ctx, false);
    if (!body) return;
    FieldErrors errors;
    ObjectChecker c(*body, errors);
    c.only({"url", "eventTypes", "secret", "description", "filters"});
    auto url = c.uri("url", true);
    if (url && !is_http_uri(*url)) {
        errors.add("url", "must be an http or https URL");
        url.reset();
    }
    std::vector<std::string> types;
    if (const Json* t = c.array("eventTypes", true, 1, 4, true)) {
        for (const auto& type : *t) {
            if (!type.is_string() || !kEventTypes.count(type.get<std::string>()))
                errors.add("eventTypes",
                           "must contain only task.updated, task.reviewed, task.shipped, task.awaiting_user");
            else
                types.push_back(type.get<std::string>());
        }
    }
    auto secret = c.string("secret", true, 16, 128);
    auto description = c.string("description", false, 0, 200, true);
    std::vector<std::string> task_ids;
    if (const Json* f = c.object("filters", false)) {
        ObjectChecker fc(*f, errors, "filters");
        fc.only({"taskIds"});
        if (const Json* ids = fc.array("taskIds", false, 0, 50, true)) {
            for (const auto& id : *ids) {
                if (!id.is_string() || !is_alnum_id(id.get<std::string>(), "tsk_"))
                    errors.add("filters.taskIds", "items must match ^tsk_[A-Za-z0-9]+$");
                else
                    task_ids.push_back(id.get<std::string>());
            }
        }
    }
    if (!errors.empty()) return send_validation_error(ctx.res, errors.json());

    auto scope = idempotency_scope(ctx, "", *idem_key);
    if (idempotency_replay(ctx, scope, *idem_key)) return;

    auto& store = ctx.app.store;
    auto sorted = [](std::vector<std::string> v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    for (const auto& id : store.subscription_order) {
        const auto& other = store.subscriptions.at(id);
        if (other.status == "active" && other.owner_agent_id == ctx.key->agent.id && other.url == *url &&
            sorted(other.event_types) == sorted(types) && sorted(other.task_ids) == sorted(task_ids)) {
            send_error(ctx.res, 409, "conflict",
                       "An active subscription already exists for this endpoint and filter set.",
                       Json{{"subscriptionId", other.id}}, Json{"deactivate"});
            return;
        }
    }
    Subscription sub;
    sub.id = make_id("evsub_");
    sub.owner_agent_id = ctx.key->agent.id;
    sub.owner_is_admin = ctx.key->is_admin();
    sub.url = *url;
    sub.event_types = types;
    sub.task_ids = task_ids;
    sub.secret = *secret;
    sub.description = description;
    sub.created_at = iso_now();
    store.subscription_order.push_back(sub.id);
    auto& stored = store.subscriptions[sub.id] = sub;
    send_json(ctx.res, 201,
              Json{{"data", subscription_json(stored)}, {"availableActions", Json{"deactivate"}}});
    idempotency_record(ctx, scope);
}

Subscription* subscription_for_caller(Ctx& ctx) {
    auto& subs = ctx.app.store.subscriptions;
    auto it = subs.find(ctx.ids.at(0));
    if (it == subs.end() || !visible(ctx, it->second)) {
        send_error(ctx.res, 404, "not_found", "Resource not found.", Json::object(),
                   Json{"list_subscriptions"});
        return nullptr;
    }
    return &it->second;
}

void get_subscription(Ctx& ctx) {
    if (Subscription* sub = subscription_for_caller(ctx)) {
        auto data = subscription_json(*sub);
        auto actions = data["availableActions"];
        send_json(ctx.res, 200, Json{{"data", data}, {"availableActions", actions}});
    }
}

void delete_subscription(Ctx& ctx) {
    if (Subscription* sub = subscription_for_caller(ctx)) {
        sub->status = "disabled";
        send_json(ctx.res, 202, Json{{"data", subscription_json(*sub)}, {"availableActions", Json::array()}});
    }
}

}  // namespace

void register_subscription_routes(Router& router) {
    router.add(Route{"GET",
                     {"event-subscriptions"},
                     "list_event_subscriptions",
                     "webhooks:read",
                     AuthMode::required,
                     list_subscriptions});
    router.add(Route{"POST",
                     {"event-subscriptions"},
                     "create_event_subscription",
                     "webhooks:write",
                     AuthMode::required,
                     create_subscription});
    router.add(Route{"GET",
                     {"event-subscriptions", "{sub}"},
                     "get_event_subscription",
                     "webhooks:read",
                     AuthMode::required,
                     get_subscription});
    router.add(Route{"DELETE",
                     {"event-subscriptions", "{sub}"},
                     "deactivate_event_subscription",
                     "webhooks:write",
                     AuthMode::required,
                     delete_subscription});
}

}  // namespace mock
