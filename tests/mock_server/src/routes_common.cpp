#include "routes_common.hpp"

namespace mock {

std::optional<std::string> require_idempotency_key(Ctx& ctx) {
    auto key = ctx.req.get_header_value("Idempotency-Key");
    if (key.empty()) {
        send_validation_error(ctx.res, "Idempotency-Key", "header is required for this operation");
        return std::nullopt;
    }
    if (key.size() < 8 || key.size() > 128) {
        send_validation_error(ctx.res, "Idempotency-Key", "must be 8 to 128 characters");
        return std::nullopt;
    }
    return key;
}

const std::string& caller_agent(const Ctx& ctx) {
    static const std::string anonymous = "anonymous";
    return ctx.key ? ctx.key->agent.id : anonymous;
}

IdempotencyScope idempotency_scope(Ctx& ctx, const std::string& resource, const std::string& key) {
    return IdempotencyScope{IdempotencyStore::scope(ctx.operation, resource, caller_agent(ctx), key),
                            request_fingerprint(ctx.req.body)};
}

bool idempotency_replay(Ctx& ctx, const IdempotencyScope& scope, const std::string& key) {
    const auto* stored = ctx.app.idempotency.find(scope.scope);
    if (!stored) return false;
    if (stored->fingerprint != scope.fingerprint) {
        send_error(ctx.res, 409, "conflict",
                   "Idempotency-Key has already been used with a different request payload.",
                   Json{{"idempotencyKey", key}}, Json{"retry"});
        return true;
    }
    ctx.res.status = stored->status;
    ctx.res.set_content(stored->body, stored->content_type);
    ctx.res.set_header("idempotent-replayed", "true");
    return true;
}

void idempotency_record(Ctx& ctx, const IdempotencyScope& scope) {
    if (ctx.res.status < 200 || ctx.res.status >= 300) return;
    auto content_type = ctx.res.get_header_value("Content-Type");
    ctx.app.idempotency.put(scope.scope,
                            StoredResponse{scope.fingerprint, ctx.res.status, ctx.res.body,
                                           content_type.empty() ? "application/json" : content_type});
}

std::optional<Json> body_object(Ctx& ctx, bool allow_empty) {
    const auto& body = ctx.req.body;
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
        if (allow_empty) return Json::object();
        send_validation_error(ctx.res, "body", "request body is required");
        return std::nullopt;
    }
    auto parsed = Json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
        send_validation_error(ctx.res, "body", "must be valid JSON");
        return std::nullopt;
    }
    if (!parsed.is_object()) {
        send_validation_error(ctx.res, "body", "must be a JSON object");
        return std::nullopt;
    }
    return parsed;
}

Task* task_for_caller(Ctx& ctx) {
    Task* task = ctx.app.store.find_task(ctx.ids.at(0));
    if (!task) {
        send_not_found(ctx.res);
        return nullptr;
    }
    if (!ctx.key || task->assignee_agent_id != ctx.key->agent.id) {
        ctx.deny();
        send_error(ctx.res, 403, "forbidden", "Task is not assigned to this agent.", Json::object(),
                   Json{"list_my_tasks"});
        return nullptr;
    }
    return task;
}

void send_conflict(Ctx& ctx, const std::string& message, Json details) {
    send_error(ctx.res, 409, "conflict", message, std::move(details), Json{"retry"});
}

}  // namespace mock
