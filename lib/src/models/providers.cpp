#include "agentrail/models/providers.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

void to_json(json& j, const CircleCiWebhookReceipt& v) {
    Writer w(j, v.extra);
    w.put("accepted", v.accepted);
    w.put("deduplicated", v.deduplicated);
    w.put("matchedTasks", v.matched_tasks);
}

void from_json(const json& j, CircleCiWebhookReceipt& v) {
    Reader r(j, "circleci_receipt");
    r.req("accepted", v.accepted);
    r.req("deduplicated", v.deduplicated);
    r.req("matchedTasks", v.matched_tasks);
    r.collect_extra(v.extra);
}

void to_json(json& j, const LinearIssueIntakeRequest& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    if (!v.identifier.empty()) w.put("identifier", v.identifier);
    if (!v.url.empty()) w.put("url", v.url);
    w.put("title", v.title);
    w.opt("description", v.description);
    w.opt("priority", v.priority);
    w.opt("priorityLabel", v.priority_label);
    w.opt("state", v.state);
    w.opt("team", v.team);
    w.opt("assignee", v.assignee);
    w.opt("labels", v.labels);
    w.opt("workspace", v.workspace);
}

void from_json(const json& j, LinearIssueIntakeRequest& v) {
    Reader r(j, "linear_issue");
    r.req("id", v.id);
    std::optional<std::string> identifier, url;
    r.opt("identifier", identifier);
    r.opt("url", url);
    v.identifier = identifier.value_or("");
    v.url = url.value_or("");
    r.req("title", v.title);
    r.opt("description", v.description);
    r.opt("priority", v.priority);
    r.opt("priorityLabel", v.priority_label);
    r.opt("state", v.state);
    r.opt("team", v.team);
    r.opt("assignee", v.assignee);
    r.opt("labels", v.labels);
    r.opt("workspace", v.workspace);
    r.collect_extra(v.extra);
}

void to_json(json& j, const LinearIssueIntake& v) {
    Writer w(j, v.extra);
    w.put("taskId", v.task_id);
    w.put("identifier", v.identifier);
    w.put("status", v.status);
    w.put("availableActions", v.available_actions);
    w.put("createdAt", v.created_at);
}

void from_json(const json& j, LinearIssueIntake& v) {
    Reader r(j, "linear_intake");
    r.req("taskId", v.task_id);
    r.req("identifier", v.identifier);
    r.req("status", v.status);
    r.req("availableActions", v.available_actions);
    r.req("createdAt", v.created_at);
    r.collect_extra(v.extra);
}

void to_json(json& j, const LinearWebhookReceipt& v) {
    Writer w(j, v.extra);
    w.put("matchedTasks", v.matched_tasks);
    w.put("deduplicated", v.deduplicated);
    w.put("ignored", v.ignored);
    w.opt("deliveryId", v.delivery_id);
    w.opt("eventType", v.event_type);
}

void from_json(const json& j, LinearWebhookReceipt& v) {
    Reader r(j, "linear_receipt");
    r.req("matchedTasks", v.matched_tasks);
    r.req("deduplicated", v.deduplicated);
    r.req("ignored", v.ignored);
    r.opt("deliveryId", v.delivery_id);
    r.opt("eventType", v.event_type);
    r.collect_extra(v.extra);
}

void to_json(json& j, const LinearCommentRequest& v) {
    Writer w(j, v.extra);
    w.put("body", v.body);
}

void from_json(const json& j, LinearCommentRequest& v) {
    Reader r(j, "linear_comment");
    r.req("body", v.body);
    r.collect_extra(v.extra);
}

void to_json(json& j, const LinearWorkflowStateRequest& v) {
    Writer w(j, v.extra);
    w.opt("stateId", v.state_id);
    w.opt("stateName", v.state_name);
}

void from_json(const json& j, LinearWorkflowStateRequest& v) {
    Reader r(j, "linear_workflow_state");
    r.opt("stateId", v.state_id);
    r.opt("stateName", v.state_name);
    r.collect_extra(v.extra);
}

}  // namespace agentrail
