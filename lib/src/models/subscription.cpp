#include "agentrail/models/subscription.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

AGENTRAIL_JSON_MODEL(SubscriptionFilters, "filters")
AGENTRAIL_JSON_MODEL(SubscriptionRetryPolicy, "retry_policy")
AGENTRAIL_JSON_MODEL(EventSubscriptionCreateRequest, "subscription_request")
AGENTRAIL_JSON_MODEL(EventSubscription, "subscription")

}  // namespace agentrail
