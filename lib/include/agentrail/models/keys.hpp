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

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

struct AgentExternalIdentity {
    std::string provider;  // e.g. github, linear
    std::string subject;
    nlohmann::json extra = nlohmann::json::object();
};

struct AgentIdentity {
    std::string id;  // agt_...
    std::string display_name;
    std::string role;
    std::vector<AgentExternalIdentity> external_identities;
    nlohmann::json extra = nlohmann::json::object();
};

struct RateLimit {
    int window_seconds = 0;  // 10..3600
    int max_requests = 0;    // 1..10000
    nlohmann::json extra = nlohmann::json::object();
};

struct RateLimitWindow {
    std::string started_at;
    std::string reset_at;
    int used = 0;
    int remaining = 0;
    nlohmann::json extra = nlohmann::json::object();
};

/// Body of POST /agent-api-keys.
struct ApiKeyCreateRequest {
    AgentIdentity agent;
    std::vector<std::string> scopes;  // see agentrail::scope
    RateLimit rate_limit;
    std::optional<std::string> expires_at;  // unset: no expiry (field omitted)
    nlohmann::json extra = nlohmann::json::object();
};

/// Body of POST /agent-api-keys/{keyId}/rotate; unset expires_at keeps the previous expiry.
struct ApiKeyRotateRequest {
    std::optional<std::string> expires_at;
    nlohmann::json extra = nlohmann::json::object();
};

struct ApiKey {
    std::string id;                      // akey_...
    std::optional<std::string> api_key;  // the secret; only in create and rotate answers
    AgentIdentity agent;
    std::vector<std::string> scopes;
    RateLimit rate_limit;
    std::string status;  // see agentrail::key_status
    std::string created_at;
    std::optional<std::string> expires_at;
    std::optional<std::string> rotated_from_key_id;
    std::vector<std::string> available_actions;
    nlohmann::json extra = nlohmann::json::object();
};

struct ScopeUsage {
    std::string scope;
    std::int64_t count = 0;
    nlohmann::json extra = nlohmann::json::object();
};

struct OperationUsage {
    std::string operation;
    std::int64_t count = 0;
    nlohmann::json extra = nlohmann::json::object();
};

struct UsageTotals {
    std::int64_t accepted = 0;
    std::int64_t denied = 0;
    nlohmann::json extra = nlohmann::json::object();
};

struct UsageRateLimit {
    int window_seconds = 0;
    int max_requests = 0;
    std::optional<RateLimitWindow> current_window;
    nlohmann::json extra = nlohmann::json::object();
};

struct ApiKeyUsage {
    std::string key_id;
    AgentIdentity agent;
    std::string status;
    std::optional<std::string> last_used_at;
    UsageTotals totals;
    std::vector<ScopeUsage> by_scope;
    std::vector<OperationUsage> by_operation;
    UsageRateLimit rate_limit;
    std::vector<std::string> available_actions;
    std::vector<std::string> scopes;  // reference server extra; empty when absent
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
