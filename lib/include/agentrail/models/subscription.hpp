#pragma once
// Durable webhook subscriptions to task lifecycle events.
//
// Every model keeps the JSON members it does not know in `extra` (plus known optional members the server
// sent as null), and to_json writes them back, so nothing the server sent is lost.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agentrail/export.hpp"
#include "agentrail/models/enums.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

struct SubscriptionFilters {
    std::vector<std::string> task_ids;  // omitted when empty
    nlohmann::json extra = nlohmann::json::object();
};

struct SubscriptionRetryPolicy {
    int max_attempts = 0;
    int initial_backoff_seconds = 0;
    int max_backoff_seconds = 0;
    nlohmann::json extra = nlohmann::json::object();
};

/// Body of POST /event-subscriptions.
struct EventSubscriptionCreateRequest {
    std::string url;
    std::vector<std::string> event_types;  // document types only (see is_document_event_type)
    std::string secret;                    // 16..128 characters; never echoed back
    std::optional<std::string> description;
    std::optional<SubscriptionFilters> filters;
    nlohmann::json extra = nlohmann::json::object();
};

struct EventSubscription {
    std::string id;
    std::string url;
    std::vector<std::string> event_types;
    std::optional<SubscriptionFilters> filters;
    std::string status;             // see agentrail::subscription_status
    std::string signing_algorithm;  // "hmac_sha256"
    std::optional<SubscriptionRetryPolicy> retry_policy;
    std::string created_at;
    std::optional<std::string> description;
    std::vector<std::string> available_actions;
    nlohmann::json extra = nlohmann::json::object();
};

void to_json(nlohmann::json& j, const SubscriptionFilters& v);
void from_json(const nlohmann::json& j, SubscriptionFilters& v);
void to_json(nlohmann::json& j, const SubscriptionRetryPolicy& v);
void from_json(const nlohmann::json& j, SubscriptionRetryPolicy& v);
void to_json(nlohmann::json& j, const EventSubscriptionCreateRequest& v);
void from_json(const nlohmann::json& j, EventSubscriptionCreateRequest& v);
void to_json(nlohmann::json& j, const EventSubscription& v);
void from_json(const nlohmann::json& j, EventSubscription& v);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
