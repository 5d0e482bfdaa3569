#pragma once
// Agent API keys: create and rotate requests, the key itself, and its usage attribution.
//
// Every model keeps the JSON members it does not know in `extra` (plus known optional members the server
// sent as null), and to_json writes them back, so nothing the server sent is lost.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agentrail/export.hpp"
#include "agentrail/models/enums.hpp"
#include "agentrail/models/fields.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

#define AGENTRAIL_FIELDS_AgentExternalIdentity(X)                       \
    X(req, std::string, provider, "provider") /* e.g. github, linear */ \
    X(req, std::string, subject, "subject")
struct AgentExternalIdentity {
    AGENTRAIL_FIELD_MEMBERS(AgentExternalIdentity)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_AgentIdentity(X)            \
    X(req, std::string, id, "id") /* agt_... */      \
    X(req, std::string, display_name, "displayName") \
    X(req, std::string, role, "role")                \
    X(req, std::vector<AgentExternalIdentity>, external_identities, "externalIdentities")
struct AgentIdentity {
    AGENTRAIL_FIELD_MEMBERS(AgentIdentity)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RateLimit(X)                              \
    X(req, int, window_seconds, "windowSeconds", 0) /* 10..3600 */ \
    X(req, int, max_requests, "maxRequests", 0)     /* 1..10000 */
struct RateLimit {
    AGENTRAIL_FIELD_MEMBERS(RateLimit)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RateLimitWindow(X)      \
    X(req, std::string, started_at, "startedAt") \
    X(req, std::string, reset_at, "resetAt")     \
    X(req, int, used, "used", 0)                 \
    X(req, int, remaining, "remaining", 0)
struct RateLimitWindow {
    AGENTRAIL_FIELD_MEMBERS(RateLimitWindow)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ApiKeyCreateRequest(X)                                   \
    X(req, AgentIdentity, agent, "agent")                                         \
    X(req, std::vector<std::string>, scopes, "scopes") /* see agentrail::scope */ \
    X(req, RateLimit, rate_limit, "rateLimit")                                    \
    X(opt, std::optional<std::string>, expires_at, "expiresAt") /* unset: no expiry (field omitted) */
/// Body of POST /agent-api-keys.
struct ApiKeyCreateRequest {
    AGENTRAIL_FIELD_MEMBERS(ApiKeyCreateRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ApiKeyRotateRequest(X) X(opt, std::optional<std::string>, expires_at, "expiresAt")
/// Body of POST /agent-api-keys/{keyId}/rotate; unset expires_at keeps the previous expiry.
struct ApiKeyRotateRequest {
    AGENTRAIL_FIELD_MEMBERS(ApiKeyRotateRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ApiKey(X)                                              \
    X(req, std::string, id, "id") /* akey_... */                                \
    /* the secret; only in create and rotate answers */                         \
    X(opt, std::optional<std::string>, api_key, "apiKey")                       \
    X(req, AgentIdentity, agent, "agent")                                       \
    X(req, std::vector<std::string>, scopes, "scopes")                          \
    X(req, RateLimit, rate_limit, "rateLimit")                                  \
    X(req, std::string, status, "status") /* see agentrail::key_status */       \
    X(req, std::string, created_at, "createdAt")                                \
    X(opt, std::optional<std::string>, expires_at, "expiresAt")                 \
    X(opt, std::optional<std::string>, rotated_from_key_id, "rotatedFromKeyId") \
    X(req, std::vector<std::string>, available_actions, "availableActions")
struct ApiKey {
    AGENTRAIL_FIELD_MEMBERS(ApiKey)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ScopeUsage(X)  \
    X(req, std::string, scope, "scope") \
    X(req, std::int64_t, count, "count", 0)
struct ScopeUsage {
    AGENTRAIL_FIELD_MEMBERS(ScopeUsage)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_OperationUsage(X)      \
    X(req, std::string, operation, "operation") \
    X(req, std::int64_t, count, "count", 0)
struct OperationUsage {
    AGENTRAIL_FIELD_MEMBERS(OperationUsage)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_UsageTotals(X)           \
    X(req, std::int64_t, accepted, "accepted", 0) \
    X(req, std::int64_t, denied, "denied", 0)
struct UsageTotals {
    AGENTRAIL_FIELD_MEMBERS(UsageTotals)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_UsageRateLimit(X)          \
    X(req, int, window_seconds, "windowSeconds", 0) \
    X(req, int, max_requests, "maxRequests", 0)     \
    X(opt, std::optional<RateLimitWindow>, current_window, "currentWindow")
struct UsageRateLimit {
    AGENTRAIL_FIELD_MEMBERS(UsageRateLimit)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ApiKeyUsage(X)                                     \
    X(req, std::string, key_id, "keyId")                                    \
    X(req, AgentIdentity, agent, "agent")                                   \
    X(req, std::string, status, "status")                                   \
    X(opt, std::optional<std::string>, last_used_at, "lastUsedAt")          \
    X(req, UsageTotals, totals, "totals")                                   \
    X(req, std::vector<ScopeUsage>, by_scope, "byScope")                    \
    X(req, std::vector<OperationUsage>, by_operation, "byOperation")        \
    X(req, UsageRateLimit, rate_limit, "rateLimit")                         \
    X(req, std::vector<std::string>, available_actions, "availableActions") \
    X(opt, std::vector<std::string>, scopes, "scopes") /* reference server extra; empty when absent */
struct ApiKeyUsage {
    AGENTRAIL_FIELD_MEMBERS(ApiKeyUsage)
    nlohmann::json extra = nlohmann::json::object();
};

void to_json(nlohmann::json& j, const AgentExternalIdentity& v);
void from_json(const nlohmann::json& j, AgentExternalIdentity& v);
void to_json(nlohmann::json& j, const AgentIdentity& v);
void from_json(const nlohmann::json& j, AgentIdentity& v);
void to_json(nlohmann::json& j, const RateLimit& v);
void from_json(const nlohmann::json& j, RateLimit& v);
void to_json(nlohmann::json& j, const RateLimitWindow& v);
void from_json(const nlohmann::json& j, RateLimitWindow& v);
void to_json(nlohmann::json& j, const ApiKeyCreateRequest& v);
void from_json(const nlohmann::json& j, ApiKeyCreateRequest& v);
void to_json(nlohmann::json& j, const ApiKeyRotateRequest& v);
void from_json(const nlohmann::json& j, ApiKeyRotateRequest& v);
void to_json(nlohmann::json& j, const ApiKey& v);
void from_json(const nlohmann::json& j, ApiKey& v);
void to_json(nlohmann::json& j, const ScopeUsage& v);
void from_json(const nlohmann::json& j, ScopeUsage& v);
void to_json(nlohmann::json& j, const OperationUsage& v);
void from_json(const nlohmann::json& j, OperationUsage& v);
void to_json(nlohmann::json& j, const UsageTotals& v);
void from_json(const nlohmann::json& j, UsageTotals& v);
void to_json(nlohmann::json& j, const UsageRateLimit& v);
void from_json(const nlohmann::json& j, UsageRateLimit& v);
void to_json(nlohmann::json& j, const ApiKeyUsage& v);
void from_json(const nlohmann::json& j, ApiKeyUsage& v);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
