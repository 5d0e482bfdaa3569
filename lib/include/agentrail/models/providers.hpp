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

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

struct CircleCiWebhookReceipt {
    bool accepted = false;
    bool deduplicated = false;
    std::vector<std::string> matched_tasks;
    nlohmann::json extra = nlohmann::json::object();
};

/// Body of POST /providers/linear/intake: a Linear issue. Only id and title are required; members this
/// struct does not name (e.g. Linear fields added later) go in `extra` and are sent as they are.
struct LinearIssueIntakeRequest {
    std::string id;
    std::string identifier;  // e.g. ENG-123; omitted when empty
    std::string url;         // omitted when empty
    std::string title;
    std::optional<std::string> description;
    std::optional<int> priority;  // Linear numeric priority, 1 urgent .. 4 low
    std::optional<std::string> priority_label;
    nlohmann::json state;      // {id, name, type}; omitted when null
    nlohmann::json team;       // {id, key, name}
    nlohmann::json assignee;   // {id, name}
    nlohmann::json labels;     // array of {name}, or {nodes: [...]}
    nlohmann::json workspace;  // {id, urlKey}
    nlohmann::json extra = nlohmann::json::object();
};

struct LinearIssueIntake {
    std::string task_id;
    std::string identifier;
    std::string status;
    std::vector<std::string> available_actions;
    std::string created_at;
    nlohmann::json extra = nlohmann::json::object();
};

/// The Linear-* headers forwarded with a Linear webhook body (no JSON form).
struct LinearWebhookHeaders {
    std::optional<std::string> delivery;   // Linear-Delivery
    std::optional<std::string> event;      // Linear-Event: Issue, Comment
    std::optional<std::string> signature;  // Linear-Signature
};

struct LinearWebhookReceipt {
    std::vector<std::string> matched_tasks;
    bool deduplicated = false;
    bool ignored = false;
    std::optional<std::string> delivery_id;
    std::optional<std::string> event_type;
    nlohmann::json extra = nlohmann::json::object();
};

/// Body of the Linear comment route (scope providers:write).
struct LinearCommentRequest {
    std::string body;
    nlohmann::json extra = nlohmann::json::object();
};

/// Body of the Linear workflow-state route (scope providers:write): set one of the two.
struct LinearWorkflowStateRequest {
    std::optional<std::string> state_id;    // stateId
    std::optional<std::string> state_name;  // stateName
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
