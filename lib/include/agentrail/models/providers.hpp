#pragma once
// Provider intake: CircleCI and Linear webhooks, Linear issue intake, and the Linear write-back requests.
//
// Every model keeps the JSON members it does not know in `extra` (plus known optional members the server
// sent as null), and to_json writes them back, so nothing the server sent is lost.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agentrail/export.hpp"
#include "agentrail/models/fields.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

#define AGENTRAIL_FIELDS_CircleCiWebhookReceipt(X)    \
    X(req, bool, accepted, "accepted", false)         \
    X(req, bool, deduplicated, "deduplicated", false) \
    X(req, std::vector<std::string>, matched_tasks, "matchedTasks")
struct CircleCiWebhookReceipt {
    AGENTRAIL_FIELD_MEMBERS(CircleCiWebhookReceipt)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_LinearIssueIntakeRequest(X)                                                  \
    X(req, std::string, id, "id")                                                                     \
    X(opt, std::string, identifier, "identifier") /* e.g. ENG-123; omitted when empty */              \
    X(opt, std::string, url, "url")               /* omitted when empty */                            \
    X(req, std::string, title, "title")                                                               \
    X(opt, std::optional<std::string>, description, "description")                                    \
    X(opt, std::optional<int>, priority, "priority") /* Linear numeric priority, 1 urgent .. 4 low */ \
    X(opt, std::optional<std::string>, priority_label, "priorityLabel")                               \
    X(opt, nlohmann::json, state, "state")         /* {id, name, type}; omitted when null */          \
    X(opt, nlohmann::json, team, "team")           /* {id, key, name} */                              \
    X(opt, nlohmann::json, assignee, "assignee")   /* {id, name} */                                   \
    X(opt, nlohmann::json, labels, "labels")       /* array of {name}, or {nodes: [...]} */           \
    X(opt, nlohmann::json, workspace, "workspace") /* {id, urlKey} */
/// Body of POST /providers/linear/intake: a Linear issue. Only id and title are required; members this
/// struct does not name (e.g. Linear fields added later) go in `extra` and are sent as they are.
struct LinearIssueIntakeRequest {
    AGENTRAIL_FIELD_MEMBERS(LinearIssueIntakeRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_LinearIssueIntake(X)                               \
    X(req, std::string, task_id, "taskId")                                  \
    X(req, std::string, identifier, "identifier")                           \
    X(req, std::string, status, "status")                                   \
    X(req, std::vector<std::string>, available_actions, "availableActions") \
    X(req, std::string, created_at, "createdAt")
struct LinearIssueIntake {
    AGENTRAIL_FIELD_MEMBERS(LinearIssueIntake)
    nlohmann::json extra = nlohmann::json::object();
};

/// The Linear-* headers forwarded with a Linear webhook body (no JSON form).
struct LinearWebhookHeaders {
    std::optional<std::string> delivery;   // Linear-Delivery
    std::optional<std::string> event;      // Linear-Event: Issue, Comment
    std::optional<std::string> signature;  // Linear-Signature
};

#define AGENTRAIL_FIELDS_LinearWebhookReceipt(X)                    \
    X(req, std::vector<std::string>, matched_tasks, "matchedTasks") \
    X(req, bool, deduplicated, "deduplicated", false)               \
    X(req, bool, ignored, "ignored", false)                         \
    X(opt, std::optional<std::string>, delivery_id, "deliveryId")   \
    X(opt, std::optional<std::string>, event_type, "eventType")
struct LinearWebhookReceipt {
    AGENTRAIL_FIELD_MEMBERS(LinearWebhookReceipt)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_LinearCommentRequest(X) X(req, std::string, body, "body")
/// Body of the Linear comment route (scope providers:write).
struct LinearCommentRequest {
    AGENTRAIL_FIELD_MEMBERS(LinearCommentRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_LinearWorkflowStateRequest(X)                        \
    X(opt, std::optional<std::string>, state_id, "stateId")     /* stateId */ \
    X(opt, std::optional<std::string>, state_name, "stateName") /* stateName */
/// Body of the Linear workflow-state route (scope providers:write): set one of the two.
struct LinearWorkflowStateRequest {
    AGENTRAIL_FIELD_MEMBERS(LinearWorkflowStateRequest)
    nlohmann::json extra = nlohmann::json::object();
};

void to_json(nlohmann::json& j, const CircleCiWebhookReceipt& v);
void from_json(const nlohmann::json& j, CircleCiWebhookReceipt& v);
void to_json(nlohmann::json& j, const LinearIssueIntakeRequest& v);
void from_json(const nlohmann::json& j, LinearIssueIntakeRequest& v);
void to_json(nlohmann::json& j, const LinearIssueIntake& v);
void from_json(const nlohmann::json& j, LinearIssueIntake& v);
void to_json(nlohmann::json& j, const LinearWebhookReceipt& v);
void from_json(const nlohmann::json& j, LinearWebhookReceipt& v);
void to_json(nlohmann::json& j, const LinearCommentRequest& v);
void from_json(const nlohmann::json& j, LinearCommentRequest& v);
void to_json(nlohmann::json& j, const LinearWorkflowStateRequest& v);
void from_json(const nlohmann::json& j, LinearWorkflowStateRequest& v);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
