#include "agentrail/models/task.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

void to_json(json& j, const TaskBlocker& v) {
    Writer w(j, v.extra);
    w.put("kind", v.kind);
    w.put("sourceRunId", v.source_run_id);
    w.put("sourceAgentId", v.source_agent_id);
    w.put("reason", v.reason);
    w.put("actionRequired", v.action_required);
    w.put("resumeInstructions", v.resume_instructions);
    w.put("createdAt", v.created_at);
}

void from_json(const json& j, TaskBlocker& v) {
    Reader r(j, "blocker");
    r.req("kind", v.kind);
    r.req("sourceRunId", v.source_run_id);
    r.req("sourceAgentId", v.source_agent_id);
    r.req("reason", v.reason);
    r.req("actionRequired", v.action_required);
    r.req("resumeInstructions", v.resume_instructions);
    r.req("createdAt", v.created_at);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskSummary& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("identifier", v.identifier);
    w.put("title", v.title);
    w.put("status", v.status);
    w.put("priority", v.priority);
    w.opt("dueAt", v.due_at);
    w.put("updatedAt", v.updated_at);
    w.put("availableActions", v.available_actions);
    w.opt("blocker", v.blocker);
}

void from_json(const json& j, TaskSummary& v) {
    Reader r(j, "task");
    r.req("id", v.id);
    r.req("identifier", v.identifier);
    r.req("title", v.title);
    r.req("status", v.status);
    r.req("priority", v.priority);
    r.opt("dueAt", v.due_at);
    r.req("updatedAt", v.updated_at);
    r.req("availableActions", v.available_actions);
    r.opt("blocker", v.blocker);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskAssignee& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("name", v.name);
}

void from_json(const json& j, TaskAssignee& v) {
    Reader r(j, "assignee");
    r.req("id", v.id);
    r.req("name", v.name);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskDetail& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("identifier", v.identifier);
    w.put("title", v.title);
    w.put("description", v.description);
    w.put("status", v.status);
    w.put("priority", v.priority);
    w.opt("assignee", v.assignee);
    w.put("acceptanceCriteria", v.acceptance_criteria);
    w.put("links", v.links);
    w.put("context", v.context);
    w.put("updatedAt", v.updated_at);
    w.opt("submissionId", v.submission_id);
    w.opt("prUrl", v.pr_url);
    w.opt("prNumber", v.pr_number);
    w.opt("branch", v.branch);
    w.opt("baseBranch", v.base_branch);
    w.opt("headSha", v.head_sha);
    w.opt("assigneeAgentId", v.assignee_agent_id);
    w.opt("triageQueueId", v.triage_queue_id);
    w.opt("assignmentSource", v.assignment_source);
    w.opt("routingDecisionId", v.routing_decision_id);
    w.opt("routingReason", v.routing_reason);
    w.opt("routingConfidence", v.routing_confidence);
    w.put("availableActions", v.available_actions);
    w.opt("blocker", v.blocker);
    w.opt("ci", v.ci);
}

void from_json(const json& j, TaskDetail& v) {
    Reader r(j, "task");
    r.req("id", v.id);
    r.req("identifier", v.identifier);
    r.req("title", v.title);
    r.req("description", v.description);
    r.req("status", v.status);
    r.req("priority", v.priority);
    r.opt("assignee", v.assignee);
    r.req("acceptanceCriteria", v.acceptance_criteria);
    r.req("links", v.links);
    r.req("context", v.context);
    r.req("updatedAt", v.updated_at);
    r.opt("submissionId", v.submission_id);
    r.opt("prUrl", v.pr_url);
    r.opt("prNumber", v.pr_number);
    r.opt("branch", v.branch);
    r.opt("baseBranch", v.base_branch);
    r.opt("headSha", v.head_sha);
    r.opt("assigneeAgentId", v.assignee_agent_id);
    r.opt("triageQueueId", v.triage_queue_id);
    r.opt("assignmentSource", v.assignment_source);
    r.opt("routingDecisionId", v.routing_decision_id);
    r.opt("routingReason", v.routing_reason);
    r.opt("routingConfidence", v.routing_confidence);
    r.req("availableActions", v.available_actions);
    r.opt("blocker", v.blocker);
    r.opt("ci", v.ci);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskBlockerRequest& v) {
    Writer w(j, v.extra);
    w.put("sourceRunId", v.source_run_id);
    w.put("sourceAgentId", v.source_agent_id);
    w.put("reason", v.reason);
    w.put("actionRequired", v.action_required);
    w.put("resumeInstructions", v.resume_instructions);
}

void from_json(const json& j, TaskBlockerRequest& v) {
    Reader r(j, "blocker_request");
    r.req("sourceRunId", v.source_run_id);
    r.req("sourceAgentId", v.source_agent_id);
    r.req("reason", v.reason);
    r.req("actionRequired", v.action_required);
    r.req("resumeInstructions", v.resume_instructions);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ResolveBlockerRequest& v) {
    Writer w(j, v.extra);
    w.put("resolutionSummary", v.resolution_summary);
}

void from_json(const json& j, ResolveBlockerRequest& v) {
    Reader r(j, "resolve_blocker_request");
    r.req("resolutionSummary", v.resolution_summary);
    r.collect_extra(v.extra);
}

}  // namespace agentrail
