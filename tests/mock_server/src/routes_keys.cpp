// Agent Auth: create, rotate, usage.
#include "render.hpp"
#include "routes_common.hpp"

namespace mock {

namespace {

const std::set<std::string> kScopes{"auth:admin",       "ci:read",      "events:read",  "routing:admin",
                                    "routing:evaluate", "routing:read", "reviews:read", "ship:write",
                                    "tasks:read",       "tasks:write",  "usage:read",   "webhooks:read",
                                    "webhooks:write"};

void send_key(Ctx& ctx, int status, const ApiKey& key) {
    send_json(ctx.res, status,
              Json{{"data", key_json(key, true)}, {"availableActions", Json{"rotate", "view_usage"}}});
}

void insufficient_admin(Ctx& ctx) {
    ctx.deny();
    send_error(ctx.res, 403, "insufficient_scope", "Agent API key does not grant the required scope.",
               Json{{"requiredScope", "auth:admin"},
                    {"grantedScopes", ctx.key ? Json(ctx.key->scopes) : Json::array()}},
               Json{"request_scope"});
}

void create_key(Ctx& ctx) {
    auto& store = ctx.app.store;
    // Bootstrap: without any key, only an unauthenticated request creating an admin key is accepted.
    bool bootstrap = store.keys.empty();
    if (!ctx.key && !bootstrap) {
        send_error(ctx.res, 401, "unauthorized", "Authentication failed.", Json::object(),
                   Json{"reauthenticate"});
        return;
    }
    if (ctx.key && !ctx.key->is_admin()) return insufficient_admin(ctx);
    auto idem_key = require_idempotency_key(ctx);
    if (!idem_key) return;
    auto body = body_object(ctx, false);
    if (!body) return;

    FieldErrors errors;
    ObjectChecker c(*body, errors);
    c.only({"agent", "scopes", "rateLimit", "expiresAt"});
    Agent agent;
    if (const Json* a = c.object("agent", true)) {
        ObjectChecker ac(*a, errors, "agent");
        ac.only({"id", "displayName", "role", "externalIdentities"});
        agent.id = ac.pattern_string("id", true, "^agt_[A-Za-z0-9_]+$", "must match ^agt_[A-Za-z0-9_]+$")
                       .value_or("");
        agent.display_name = ac.string("displayName", true).value_or("");
        agent.role = ac.string("role", true).value_or("");
        if (const Json* ids = ac.array("externalIdentities", true, 0, 100)) {
            std::size_t i = 0;
            for (const auto& ident : *ids) {
                auto path = "agent.externalIdentities[" + std::to_string(i++) + "]";
                if (!ident.is_object()) {
                    errors.add(path, "must be an object");
                    continue;
                }
                ObjectChecker ic(ident, errors, path);
                ic.only({"provider", "subject"});
                ic.string("provider", true);
                ic.string("subject", true);
            }
            agent.external_identities = *ids;
        }
    }
    std::vector<std::string> scopes;
    if (const Json* s = c.array("scopes", true, 1, 20, true)) {
        for (const auto& scope : *s) {
            if (!scope.is_string() || !kScopes.count(scope.get<std::string>())) {
                errors.add("scopes", "contains an unknown scope: " + scope.dump());
                continue;
            }
            scopes.push_back(scope.get<std::string>());
        }
    }
    RateLimit limit;
    if (const Json* rl = c.object("rateLimit", true)) {
        ObjectChecker rc(*rl, errors, "rateLimit");
        rc.only({"windowSeconds", "maxRequests"});
        limit.window_seconds = static_cast<int>(rc.integer("windowSeconds", true, 10, 3600).value_or(60));
        limit.max_requests = static_cast<int>(rc.integer("maxRequests", true, 1, 10000).value_or(600));
    }
    auto expires = c.date_time("expiresAt", false, true);
    if (!errors.empty()) return send_validation_error(ctx.res, errors.json());
    if (bootstrap && !ctx.key && std::find(scopes.begin(), scopes.end(), "auth:admin") == scopes.end()) {
        send_error(ctx.res, 401, "unauthorized", "The bootstrap key must have the auth:admin scope.",
                   Json::object(), Json{"reauthenticate"});
        return;
    }

    auto scope = idempotency_scope(ctx, "", *idem_key);
    if (idempotency_replay(ctx, scope, *idem_key)) return;

    ApiKey key;
    key.id = make_id("akey_");
    key.secret = "ar_live_" + random_secret(32);
    key.agent = agent;
    key.scopes = scopes;
    key.rate_limit = limit;
    key.created_at = iso_now();
    key.expires_at = expires;
    if (!store.agents.count(agent.id)) store.agents[agent.id] = agent;
    auto id = key.id;
    store.add_key(std::move(key));
    send_key(ctx, 201, *store.find_key(id));
    idempotency_record(ctx, scope);
}

void rotate_key(Ctx& ctx) {
    auto& store = ctx.app.store;
    ApiKey* target = store.find_key(ctx.ids.at(0));
    if (!target) {
        // The reference server answers 401 for unknown key ids, not 404.
        send_error(ctx.res, 401, "unauthorized", "Agent API key was not found.", Json::object(),
                   Json{"reauthenticate"});
        return;
    }
    // Admin keys rotate any key; other keys may rotate themselves.
    if (!ctx.key->is_admin() && ctx.key->id != target->id) return insufficient_admin(ctx);
    auto idem_key = require_idempotency_key(ctx);
    if (!idem_key) return;
    auto body = body_object(ctx, true);
    if (!body) return;
    FieldErrors errors;
    ObjectChecker c(*body, errors);
    c.only({"expiresAt"});
    auto expires = c.date_time("expiresAt", false, true);
    if (!errors.empty()) return send_validation_error(ctx.res, errors.json());

    auto scope = idempotency_scope(ctx, target->id, *idem_key);
    if (idempotency_replay(ctx, scope, *idem_key)) return;
    if (target->status != "active") {
        send_error(ctx.res, 409, "conflict", "Agent API key is not active.",
                   Json{{"keyId", target->id}, {"currentStatus", target->status}}, Json{"retry"});
        return;
    }
    ApiKey key;
    key.id = make_id("akey_");
    key.secret = "ar_live_" + random_secret(32);
    key.agent = target->agent;
    key.scopes = target->scopes;
    key.rate_limit = target->rate_limit;
    key.created_at = iso_now();
    key.expires_at = body->contains("expiresAt") ? expires : target->expires_at;
    key.rotated_from = target->id;
    target->status = "rotated";
    auto id = key.id;
    store.add_key(std::move(key));
    ctx.key = nullptr;  // the caller's key may just have been rotated
    send_key(ctx, 201, *store.find_key(id));
    idempotency_record(ctx, scope);
}

void key_usage(Ctx& ctx) {
    ApiKey* target = ctx.app.store.find_key(ctx.ids.at(0));
    if (!target) {
        send_error(ctx.res, 401, "unauthorized", "Agent API key was not found.", Json::object(),
                   Json{"reauthenticate"});
        return;
    }
    if (!ctx.key->is_admin() && target->agent.id != ctx.key->agent.id) {
        ctx.deny();
        send_error(ctx.res, 403, "forbidden", "The key belongs to another agent.", Json::object(),
                   Json::array());
        return;
    }
    auto data = usage_json(*target);
    auto actions = data["availableActions"];
    send_json(ctx.res, 200, Json{{"data", data}, {"availableActions", actions}});
}

}  // namespace

void register_key_routes(Router& router) {
    router.add(Route{"POST", {"agent-api-keys"}, "create_agent_api_key", "", AuthMode::optional, create_key});
    router.add(Route{"POST",
                     {"agent-api-keys", "{key}", "rotate"},
                     "rotate_agent_api_key",
                     "",
                     AuthMode::required,
                     rotate_key});
    router.add(Route{"GET",
                     {"agent-api-keys", "{key}", "usage"},
                     "get_agent_api_key_usage",
                     "usage:read",
                     AuthMode::required,
                     key_usage});
}

}  // namespace mock
