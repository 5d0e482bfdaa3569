#include "agentrail/models/keys.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

AGENTRAIL_JSON_MODEL(AgentExternalIdentity, "external_identity")
AGENTRAIL_JSON_MODEL(AgentIdentity, "agent")
AGENTRAIL_JSON_MODEL(RateLimit, "rate_limit")
AGENTRAIL_JSON_MODEL(RateLimitWindow, "rate_limit_window")
AGENTRAIL_JSON_MODEL(ApiKeyCreateRequest, "api_key_create")
AGENTRAIL_JSON_MODEL(ApiKeyRotateRequest, "api_key_rotate")
AGENTRAIL_JSON_MODEL(ApiKey, "api_key")
AGENTRAIL_JSON_MODEL(ScopeUsage, "scope_usage")
AGENTRAIL_JSON_MODEL(OperationUsage, "operation_usage")
AGENTRAIL_JSON_MODEL(UsageTotals, "usage_totals")
AGENTRAIL_JSON_MODEL(UsageRateLimit, "usage_rate_limit")
AGENTRAIL_JSON_MODEL(ApiKeyUsage, "key_usage")

}  // namespace agentrail
