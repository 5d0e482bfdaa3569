#pragma once
// Forward declarations of the models and of the types Client's methods return, so that client.hpp need
// not include them (nor nlohmann/json.hpp). Include a model's own header where its members are used.

#include <vector>

#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

template <typename T>
struct Response;

class EventStream;
struct StreamOptions;

// models/health.hpp
struct Health;
// models/keys.hpp
struct ApiKey;
struct ApiKeyCreateRequest;
struct ApiKeyRotateRequest;
struct ApiKeyUsage;
// models/task.hpp
struct TaskSummary;
struct TaskDetail;
struct TaskBlockerRequest;
struct ResolveBlockerRequest;
// models/submit.hpp
struct TaskSubmitRequest;
struct TaskSubmission;
// models/ci.hpp
struct CiStatus;
// models/review.hpp
struct ReviewFeedback;
// models/ship.hpp
struct TaskShipRequest;
struct ShipResult;
// models/subscription.hpp
struct EventSubscription;
struct EventSubscriptionCreateRequest;
// models/providers.hpp
struct CircleCiWebhookReceipt;
struct LinearIssueIntake;
struct LinearIssueIntakeRequest;
struct LinearWebhookReceipt;
struct LinearWebhookHeaders;
struct LinearCommentRequest;
struct LinearWorkflowStateRequest;

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
