#pragma once

#include <optional>
#include <string>

#include "app.hpp"
#include "http_util.hpp"
#include "json.hpp"
#include "router.hpp"
#include "validation.hpp"

namespace mock {

// Helpers shared by the route groups. All expect the store mutex to be held.

// Reads Idempotency-Key (8..128 characters); answers 400 and returns nullopt when missing or invalid.
std::optional<std::string> require_idempotency_key(Ctx& ctx);

struct IdempotencyScope {
    std::string scope;
    std::string fingerprint;
};
// Replays a stored response or answers 409 when the key was used with another body. Returns true
// when the request has been answered.
bool idempotency_replay(Ctx& ctx, const IdempotencyScope& scope, const std::string& key);
// Stores the current response (2xx only) for later replays.
void idempotency_record(Ctx& ctx, const IdempotencyScope& scope);
IdempotencyScope idempotency_scope(Ctx& ctx, const std::string& resource, const std::string& key);

// Parses the body as a JSON object; answers 400 otherwise. An empty body gives {} when allowed.
std::optional<Json> body_object(Ctx& ctx, bool allow_empty);

// The task addressed by ctx.ids[0], when visible to the caller; answers 404/403 otherwise.
Task* task_for_caller(Ctx& ctx);

void send_conflict(Ctx& ctx, const std::string& message, Json details);

const std::string& caller_agent(const Ctx& ctx);

}  // namespace mock
