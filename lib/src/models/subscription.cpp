#include "agentrail/models/subscription.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

void to_json(json& j, const SubscriptionFilters& v) {
    Writer w(j, v.extra);
    w.opt("taskIds", v.task_ids);
}

void from_json(const json& j, SubscriptionFilters& v) {
    Reader r(j, "filters");
    r.opt("taskIds", v.task_ids);
    r.collect_extra(v.extra);
}

void to_json(json& j, const SubscriptionRetryPolicy& v) {
    Writer w(j, v.extra);
    w.put("maxAttempts", v.max_attempts);
    w.put("initialBackoffSeconds", v.initial_backoff_seconds);
    w.put("maxBackoffSeconds", v.max_backoff_seconds);
}

void from_json(const json& j, SubscriptionRetryPolicy& v) {
    Reader r(j, "retry_policy");
    r.req("maxAttempts", v.max_attempts);
    r.req("initialBackoffSeconds", v.initial_backoff_seconds);
    r.req("maxBackoffSeconds", v.max_backoff_seconds);
    r.collect_extra(v.extra);
}

void to_json(json& j, const EventSubscriptionCreateRequest& v) {
    Writer w(j, v.extra);
    w.put("url", v.url);
    w.put("eventTypes", v.event_types);
    w.put("secret", v.secret);
    w.opt("description", v.description);
    w.opt("filters", v.filters);
}

void from_json(const json& j, EventSubscriptionCreateRequest& v) {
    Reader r(j, "subscription_request");
    r.req("url", v.url);
    r.req("eventTypes", v.event_types);
    r.req("secret", v.secret);
    r.opt("description", v.description);
    r.opt("filters", v.filters);
    r.collect_extra(v.extra);
}

void to_json(json& j, const EventSubscription& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("url", v.url);
    w.put("eventTypes", v.event_types);
    w.opt("filters", v.filters);
    w.put("status", v.status);
    w.put("signingAlgorithm", v.signing_algorithm);
    w.opt("retryPolicy", v.retry_policy);
    w.put("createdAt", v.created_at);
    w.opt("description", v.description);
    w.put("availableActions", v.available_actions);
}

void from_json(const json& j, EventSubscription& v) {
    Reader r(j, "subscription");
    r.req("id", v.id);
    r.req("url", v.url);
    r.req("eventTypes", v.event_types);
    r.opt("filters", v.filters);
    r.req("status", v.status);
    r.req("signingAlgorithm", v.signing_algorithm);
    r.opt("retryPolicy", v.retry_policy);
    r.req("createdAt", v.created_at);
    r.opt("description", v.description);
    r.req("availableActions", v.available_actions);
    r.collect_extra(v.extra);
}

}  // namespace agentrail
