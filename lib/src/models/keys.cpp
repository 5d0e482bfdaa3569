#include "agentrail/models/keys.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

void to_json(json& j, const AgentExternalIdentity& v) {
    Writer w(j, v.extra);
    w.put("provider", v.provider);
    w.put("subject", v.subject);
}

void from_json(const json& j, AgentExternalIdentity& v) {
    Reader r(j, "external_identity");
    r.req("provider", v.provider);
    r.req("subject", v.subject);
    r.collect_extra(v.extra);
}

void to_json(json& j, const AgentIdentity& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("displayName", v.display_name);
    w.put("role", v.role);
    w.put("externalIdentities", v.external_identities);
}

void from_json(const json& j, AgentIdentity& v) {
    Reader r(j, "agent");
    r.req("id", v.id);
    r.req("displayName", v.display_name);
    r.req("role", v.role);
    r.req("externalIdentities", v.external_identities);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RateLimit& v) {
    Writer w(j, v.extra);
    w.put("windowSeconds", v.window_seconds);
    w.put("maxRequests", v.max_requests);
}

void from_json(const json& j, RateLimit& v) {
    Reader r(j, "rate_limit");
    r.req("windowSeconds", v.window_seconds);
    r.req("maxRequests", v.max_requests);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RateLimitWindow& v) {
    Writer w(j, v.extra);
    w.put("startedAt", v.started_at);
    w.put("resetAt", v.reset_at);
    w.put("used", v.used);
    w.put("remaining", v.remaining);
}

void from_json(const json& j, RateLimitWindow& v) {
    Reader r(j, "rate_limit_window");
    r.req("startedAt", v.started_at);
    r.req("resetAt", v.reset_at);
    r.req("used", v.used);
    r.req("remaining", v.remaining);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ApiKeyCreateRequest& v) {
    Writer w(j, v.extra);
    w.put("agent", v.agent);
    w.put("scopes", v.scopes);
    w.put("rateLimit", v.rate_limit);
    w.opt("expiresAt", v.expires_at);
}

void from_json(const json& j, ApiKeyCreateRequest& v) {
    Reader r(j, "api_key_create");
    r.req("agent", v.agent);
    r.req("scopes", v.scopes);
    r.req("rateLimit", v.rate_limit);
    r.opt("expiresAt", v.expires_at);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ApiKeyRotateRequest& v) {
    Writer w(j, v.extra);
    w.opt("expiresAt", v.expires_at);
}

void from_json(const json& j, ApiKeyRotateRequest& v) {
    Reader r(j, "api_key_rotate");
    r.opt("expiresAt", v.expires_at);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ApiKey& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.opt("apiKey", v.api_key);
    w.put("agent", v.agent);
    w.put("scopes", v.scopes);
    w.put("rateLimit", v.rate_limit);
    w.put("status", v.status);
    w.put("createdAt", v.created_at);
    w.opt("expiresAt", v.expires_at);
    w.opt("rotatedFromKeyId", v.rotated_from_key_id);
    w.put("availableActions", v.available_actions);
}

void from_json(const json& j, ApiKey& v) {
    Reader r(j, "api_key");
    r.req("id", v.id);
    r.opt("apiKey", v.api_key);
    r.req("agent", v.agent);
    r.req("scopes", v.scopes);
    r.req("rateLimit", v.rate_limit);
    r.req("status", v.status);
    r.req("createdAt", v.created_at);
    r.opt("expiresAt", v.expires_at);
    r.opt("rotatedFromKeyId", v.rotated_from_key_id);
    r.req("availableActions", v.available_actions);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ScopeUsage& v) {
    Writer w(j, v.extra);
    w.put("scope", v.scope);
    w.put("count", v.count);
}

void from_json(const json& j, ScopeUsage& v) {
    Reader r(j, "scope_usage");
    r.req("scope", v.scope);
    r.req("count", v.count);
    r.collect_extra(v.extra);
}

void to_json(json& j, const OperationUsage& v) {
    Writer w(j, v.extra);
    w.put("operation", v.operation);
    w.put("count", v.count);
}

void from_json(const json& j, OperationUsage& v) {
    Reader r(j, "operation_usage");
    r.req("operation", v.operation);
    r.req("count", v.count);
    r.collect_extra(v.extra);
}

void to_json(json& j, const UsageTotals& v) {
    Writer w(j, v.extra);
    w.put("accepted", v.accepted);
    w.put("denied", v.denied);
}

void from_json(const json& j, UsageTotals& v) {
    Reader r(j, "usage_totals");
    r.req("accepted", v.accepted);
    r.req("denied", v.denied);
    r.collect_extra(v.extra);
}

void to_json(json& j, const UsageRateLimit& v) {
    Writer w(j, v.extra);
    w.put("windowSeconds", v.window_seconds);
    w.put("maxRequests", v.max_requests);
    w.opt("currentWindow", v.current_window);
}

void from_json(const json& j, UsageRateLimit& v) {
    Reader r(j, "usage_rate_limit");
    r.req("windowSeconds", v.window_seconds);
    r.req("maxRequests", v.max_requests);
    r.opt("currentWindow", v.current_window);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ApiKeyUsage& v) {
    Writer w(j, v.extra);
    w.put("keyId", v.key_id);
    w.put("agent", v.agent);
    w.put("status", v.status);
    w.opt("lastUsedAt", v.last_used_at);
    w.put("totals", v.totals);
    w.put("byScope", v.by_scope);
    w.put("byOperation", v.by_operation);
    w.put("rateLimit", v.rate_limit);
    w.put("availableActions", v.available_actions);
    w.opt("scopes", v.scopes);
}

void from_json(const json& j, ApiKeyUsage& v) {
    Reader r(j, "key_usage");
    r.req("keyId", v.key_id);
    r.req("agent", v.agent);
    r.req("status", v.status);
    r.opt("lastUsedAt", v.last_used_at);
    r.req("totals", v.totals);
    r.req("byScope", v.by_scope);
    r.req("byOperation", v.by_operation);
    r.req("rateLimit", v.rate_limit);
    r.req("availableActions", v.available_actions);
    r.opt("scopes", v.scopes);
    r.collect_extra(v.extra);
}

}  // namespace agentrail
