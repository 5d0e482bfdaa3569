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
#include "agentrail/models/fields.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

#define AGENTRAIL_FIELDS_SubscriptionFilters(X) \
    X(opt, std::vector<std::string>, task_ids, "taskIds") /* omitted when empty */
struct SubscriptionFilters {
    AGENTRAIL_FIELD_MEMBERS(SubscriptionFilters)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_SubscriptionRetryPolicy(X)                  \
    X(req, int, max_attempts, "maxAttempts", 0)                      \
    X(req, int, initial_backoff_seconds, "initialBackoffSeconds", 0) \
    X(req, int, max_backoff_seconds, "maxBackoffSeconds", 0)
struct SubscriptionRetryPolicy {
    AGENTRAIL_FIELD_MEMBERS(SubscriptionRetryPolicy)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_EventSubscriptionCreateRequest(X)                            \
    X(req, std::string, url, "url")                                                   \
    /* document types only (see is_document_event_type) */                            \
    X(req, std::vector<std::string>, event_types, "eventTypes")                       \
    X(req, std::string, secret, "secret") /* 16..128 characters; never echoed back */ \
    X(opt, std::optional<std::string>, description, "description")                    \
    X(opt, std::optional<SubscriptionFilters>, filters, "filters")
/// Body of POST /event-subscriptions.
struct EventSubscriptionCreateRequest {
    AGENTRAIL_FIELD_MEMBERS(EventSubscriptionCreateRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_EventSubscription(X)                                                           \
    X(req, std::string, id, "id")                                                                       \
    X(req, std::string, url, "url")                                                                     \
    X(req, std::vector<std::string>, event_types, "eventTypes")                                         \
    X(opt, std::optional<SubscriptionFilters>, filters, "filters")                                      \
    X(req, std::string, status, "status")                      /* see agentrail::subscription_status */ \
    X(req, std::string, signing_algorithm, "signingAlgorithm") /* "hmac_sha256" */                      \
    X(opt, std::optional<SubscriptionRetryPolicy>, retry_policy, "retryPolicy")                         \
    X(req, std::string, created_at, "createdAt")                                                        \
    X(opt, std::optional<std::string>, description, "description")                                      \
    X(req, std::vector<std::string>, available_actions, "availableActions")
struct EventSubscription {
    AGENTRAIL_FIELD_MEMBERS(EventSubscription)
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
