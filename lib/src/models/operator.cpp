#include "agentrail/models/operator.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

void to_json(json& j, const ProviderRepository& v) {
    Writer w(j, v.extra);
    w.put("provider", v.provider);
    w.put("owner", v.owner);
    w.put("name", v.name);
    w.put("defaultBranch", v.default_branch);
}

void from_json(const json& j, ProviderRepository& v) {
    Reader r(j, "repository");
    r.req("provider", v.provider);
    r.req("owner", v.owner);
    r.req("name", v.name);
    r.req("defaultBranch", v.default_branch);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ProviderIssueLinks& v) {
    Writer w(j, v.extra);
    w.put("providerIssue", v.provider_issue);
}

void from_json(const json& j, ProviderIssueLinks& v) {
    Reader r(j, "links");
    r.req("providerIssue", v.provider_issue);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ProviderIssueSnapshot& v) {
    Writer w(j, v.extra);
    w.put("provider", v.provider);
    w.put("providerIssueId", v.provider_issue_id);
    w.put("sourceVersion", v.source_version);
    w.put("repository", v.repository);
    w.put("title", v.title);
    w.put("bodyDigest", v.body_digest);
    w.put("labels", v.labels);
    w.opt("project", v.project);
    w.put("issueType", v.issue_type);
    w.put("priority", v.priority);
    w.put("ownershipTags", v.ownership_tags);
    w.put("capabilityTags", v.capability_tags);
    w.put("links", v.links);
}

void from_json(const json& j, ProviderIssueSnapshot& v) {
    Reader r(j, "snapshot");
    r.req("provider", v.provider);
    r.req("providerIssueId", v.provider_issue_id);
    r.req("sourceVersion", v.source_version);
    r.req("repository", v.repository);
    r.req("title", v.title);
    r.req("bodyDigest", v.body_digest);
    r.req("labels", v.labels);
    r.opt("project", v.project);
    r.req("issueType", v.issue_type);
    r.req("priority", v.priority);
    r.req("ownershipTags", v.ownership_tags);
    r.req("capabilityTags", v.capability_tags);
    r.req("links", v.links);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RoutingConditions& v) {
    Writer w(j, v.extra);
    w.opt("repositories", v.repositories);
    w.opt("labelsAny", v.labels_any);
    w.opt("projects", v.projects);
    w.opt("issueTypes", v.issue_types);
    w.opt("priorities", v.priorities);
    w.opt("ownershipTagsAny", v.ownership_tags_any);
    w.opt("capabilityTagsAll", v.capability_tags_all);
}

void from_json(const json& j, RoutingConditions& v) {
    Reader r(j, "conditions");
    r.opt("repositories", v.repositories);
    r.opt("labelsAny", v.labels_any);
    r.opt("projects", v.projects);
    r.opt("issueTypes", v.issue_types);
    r.opt("priorities", v.priorities);
    r.opt("ownershipTagsAny", v.ownership_tags_any);
    r.opt("capabilityTagsAll", v.capability_tags_all);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RoutingTarget& v) {
    Writer w(j, v.extra);
    w.put("type", v.type);
    w.put("id", v.id);
}

void from_json(const json& j, RoutingTarget& v) {
    Reader r(j, "target");
    r.req("type", v.type);
    r.req("id", v.id);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RoutingRule& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("name", v.name);
    w.put("enabled", v.enabled);
    w.put("priority", v.priority);
    w.put("conditions", v.conditions);
    w.put("target", v.target);
    w.put("confidence", v.confidence);
    w.put("explanation", v.explanation);
}

void from_json(const json& j, RoutingRule& v) {
    Reader r(j, "rule");
    r.req("id", v.id);
    r.req("name", v.name);
    r.req("enabled", v.enabled);
    r.req("priority", v.priority);
    r.req("conditions", v.conditions);
    r.req("target", v.target);
    r.req("confidence", v.confidence);
    r.req("explanation", v.explanation);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ClassifierConfig& v) {
    Writer w(j, v.extra);
    w.put("enabled", v.enabled);
    w.put("provider", v.provider);
    w.put("confidenceThreshold", v.confidence_threshold);
    w.put("maxCandidates", v.max_candidates);
    w.put("fallbackTriageQueueId", v.fallback_triage_queue_id);
    w.opt("fallbackBehavior", v.fallback_behavior);
    w.opt("timeoutMs", v.timeout_ms);
}

void from_json(const json& j, ClassifierConfig& v) {
    Reader r(j, "classifier");
    r.req("enabled", v.enabled);
    r.req("provider", v.provider);
    r.req("confidenceThreshold", v.confidence_threshold);
    r.req("maxCandidates", v.max_candidates);
    r.req("fallbackTriageQueueId", v.fallback_triage_queue_id);
    r.opt("fallbackBehavior", v.fallback_behavior);
    r.opt("timeoutMs", v.timeout_ms);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RoutingRuleSetReplaceRequest& v) {
    Writer w(j, v.extra);
    w.put("sourceRef", v.source_ref);
    w.put("changeReason", v.change_reason);
    w.put("rules", v.rules);
    w.put("classifier", v.classifier);
}

void from_json(const json& j, RoutingRuleSetReplaceRequest& v) {
    Reader r(j, "rule_set_replace");
    r.req("sourceRef", v.source_ref);
    r.req("changeReason", v.change_reason);
    r.req("rules", v.rules);
    r.req("classifier", v.classifier);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RoutingRuleSetAudit& v) {
    Writer w(j, v.extra);
    w.opt("supersedesRuleSetId", v.supersedes_rule_set_id);
    w.put("changeReason", v.change_reason);
}

void from_json(const json& j, RoutingRuleSetAudit& v) {
    Reader r(j, "audit");
    r.opt("supersedesRuleSetId", v.supersedes_rule_set_id);
    r.req("changeReason", v.change_reason);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RoutingRuleSet& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("version", v.version);
    w.put("status", v.status);
    w.put("source", v.source);
    w.put("sourceRef", v.source_ref);
    w.put("createdBy", v.created_by);
    w.put("createdAt", v.created_at);
    w.put("rules", v.rules);
    w.put("classifier", v.classifier);
    w.put("audit", v.audit);
}

void from_json(const json& j, RoutingRuleSet& v) {
    Reader r(j, "rule_set");
    r.req("id", v.id);
    r.req("version", v.version);
    r.req("status", v.status);
    r.req("source", v.source);
    r.req("sourceRef", v.source_ref);
    r.req("createdBy", v.created_by);
    r.req("createdAt", v.created_at);
    r.req("rules", v.rules);
    r.req("classifier", v.classifier);
    r.req("audit", v.audit);
    r.collect_extra(v.extra);
}

void to_json(json& j, const AgentProfileReplaceRequest& v) {
    Writer w(j, v.extra);
    w.put("displayName", v.display_name);
    w.put("role", v.role);
    w.put("status", v.status);
    w.put("capabilityTags", v.capability_tags);
    w.put("ownershipTags", v.ownership_tags);
    w.put("repoAllowlist", v.repo_allowlist);
    w.put("maxConcurrentTasks", v.max_concurrent_tasks);
    w.put("sourceRef", v.source_ref);
    w.put("changeReason", v.change_reason);
}

void from_json(const json& j, AgentProfileReplaceRequest& v) {
    Reader r(j, "agent_profile_replace");
    r.req("displayName", v.display_name);
    r.req("role", v.role);
    r.req("status", v.status);
    r.req("capabilityTags", v.capability_tags);
    r.req("ownershipTags", v.ownership_tags);
    r.req("repoAllowlist", v.repo_allowlist);
    r.req("maxConcurrentTasks", v.max_concurrent_tasks);
    r.req("sourceRef", v.source_ref);
    r.req("changeReason", v.change_reason);
    r.collect_extra(v.extra);
}

void to_json(json& j, const AgentProfile& v) {
    Writer w(j, v.extra);
    w.put("agentId", v.agent_id);
    w.put("displayName", v.display_name);
    w.put("role", v.role);
    w.put("status", v.status);
    w.put("capabilityTags", v.capability_tags);
    w.put("ownershipTags", v.ownership_tags);
    w.put("repoAllowlist", v.repo_allowlist);
    w.put("maxConcurrentTasks", v.max_concurrent_tasks);
    w.put("source", v.source);
    w.put("sourceRef", v.source_ref);
    w.put("changeReason", v.change_reason);
    w.put("updatedBy", v.updated_by);
    w.put("updatedAt", v.updated_at);
}

void from_json(const json& j, AgentProfile& v) {
    Reader r(j, "agent_profile");
    r.req("agentId", v.agent_id);
    r.req("displayName", v.display_name);
    r.req("role", v.role);
    r.req("status", v.status);
    r.req("capabilityTags", v.capability_tags);
    r.req("ownershipTags", v.ownership_tags);
    r.req("repoAllowlist", v.repo_allowlist);
    r.req("maxConcurrentTasks", v.max_concurrent_tasks);
    r.req("source", v.source);
    r.req("sourceRef", v.source_ref);
    r.req("changeReason", v.change_reason);
    r.req("updatedBy", v.updated_by);
    r.req("updatedAt", v.updated_at);
    r.collect_extra(v.extra);
}

void to_json(json& j, const SetupVerificationTaskRequest& v) {
    Writer w(j, v.extra);
    w.put("agentId", v.agent_id);
    w.opt("sourceRef", v.source_ref);
}

void from_json(const json& j, SetupVerificationTaskRequest& v) {
    Reader r(j, "setup_verification_request");
    r.req("agentId", v.agent_id);
    r.opt("sourceRef", v.source_ref);
    r.collect_extra(v.extra);
}

void to_json(json& j, const SetupVerificationTask& v) {
    Writer w(j, v.extra);
    w.put("taskId", v.task_id);
    w.put("taskIdentifier", v.task_identifier);
    w.put("agentId", v.agent_id);
    w.put("sourceRef", v.source_ref);
    w.put("status", v.status);
    w.put("createdAt", v.created_at);
    w.put("updatedAt", v.updated_at);
}

void from_json(const json& j, SetupVerificationTask& v) {
    Reader r(j, "setup_verification_task");
    r.req("taskId", v.task_id);
    r.req("taskIdentifier", v.task_identifier);
    r.req("agentId", v.agent_id);
    r.req("sourceRef", v.source_ref);
    r.req("status", v.status);
    r.req("createdAt", v.created_at);
    r.req("updatedAt", v.updated_at);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RoutingEvaluationRequest& v) {
    Writer w(j, v.extra);
    w.opt("ruleSetVersion", v.rule_set_version);
    w.put("snapshot", v.snapshot);
}

void from_json(const json& j, RoutingEvaluationRequest& v) {
    Reader r(j, "evaluation");
    r.opt("ruleSetVersion", v.rule_set_version);
    r.req("snapshot", v.snapshot);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskAssignment& v) {
    Writer w(j, v.extra);
    w.opt("assigneeAgentId", v.assignee_agent_id);
    w.opt("triageQueueId", v.triage_queue_id);
    w.put("assignmentSource", v.assignment_source);
    w.put("routingDecisionId", v.routing_decision_id);
    w.opt("assignedAt", v.assigned_at);
}

void from_json(const json& j, TaskAssignment& v) {
    Reader r(j, "assignment");
    r.opt("assigneeAgentId", v.assignee_agent_id);
    r.opt("triageQueueId", v.triage_queue_id);
    r.req("assignmentSource", v.assignment_source);
    r.req("routingDecisionId", v.routing_decision_id);
    r.opt("assignedAt", v.assigned_at);
    r.collect_extra(v.extra);
}

void to_json(json& j, const MatchedRule& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("name", v.name);
    w.put("confidence", v.confidence);
}

void from_json(const json& j, MatchedRule& v) {
    Reader r(j, "matched_rule");
    r.req("id", v.id);
    r.req("name", v.name);
    r.req("confidence", v.confidence);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ClassifierResult& v) {
    Writer w(j, v.extra);
    w.put("provider", v.provider);
    w.put("confidence", v.confidence);
    w.put("suggestedTarget", v.suggested_target);
}

void from_json(const json& j, ClassifierResult& v) {
    Reader r(j, "classifier_result");
    r.req("provider", v.provider);
    r.req("confidence", v.confidence);
    r.req("suggestedTarget", v.suggested_target);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RoutingReason& v) {
    Writer w(j, v.extra);
    w.put("summary", v.summary);
    w.put("matchedRules", v.matched_rules);
    w.opt("classifier", v.classifier);
    w.put("conflictReasons", v.conflict_reasons);
}

void from_json(const json& j, RoutingReason& v) {
    Reader r(j, "routing_reason");
    r.req("summary", v.summary);
    r.req("matchedRules", v.matched_rules);
    r.opt("classifier", v.classifier);
    r.req("conflictReasons", v.conflict_reasons);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RoutingDecision& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.opt("taskId", v.task_id);
    w.opt("taskIdentifier", v.task_identifier);
    w.put("outcome", v.outcome);
    w.put("target", v.target);
    w.put("assignment", v.assignment);
    w.put("confidence", v.confidence);
    w.put("routingReason", v.routing_reason);
    w.put("availableActions", v.available_actions);
}

void from_json(const json& j, RoutingDecision& v) {
    Reader r(j, "decision");
    r.req("id", v.id);
    r.opt("taskId", v.task_id);
    r.opt("taskIdentifier", v.task_identifier);
    r.req("outcome", v.outcome);
    r.req("target", v.target);
    r.req("assignment", v.assignment);
    r.req("confidence", v.confidence);
    r.req("routingReason", v.routing_reason);
    r.req("availableActions", v.available_actions);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RoutingAuditRuleSet& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("version", v.version);
}

void from_json(const json& j, RoutingAuditRuleSet& v) {
    Reader r(j, "rule_set");
    r.req("id", v.id);
    r.req("version", v.version);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RoutingAudit& v) {
    Writer w(j, v.extra);
    w.put("decision", v.decision);
    w.put("inputDigest", v.input_digest);
    w.put("ruleSet", v.rule_set);
    w.put("createdAt", v.created_at);
}

void from_json(const json& j, RoutingAudit& v) {
    Reader r(j, "audit");
    r.req("decision", v.decision);
    r.req("inputDigest", v.input_digest);
    r.req("ruleSet", v.rule_set);
    r.req("createdAt", v.created_at);
    r.collect_extra(v.extra);
}

void to_json(json& j, const AgentRunReport& v) {
    Writer w(j, v.extra);
    w.put("status", v.status);
    w.put("summary", v.summary);
    w.opt("createdAt", v.created_at);
    w.opt("handoff", v.handoff);
}

void from_json(const json& j, AgentRunReport& v) {
    Reader r(j, "run_report");
    r.req("status", v.status);
    r.req("summary", v.summary);
    r.opt("createdAt", v.created_at);
    r.opt("handoff", v.handoff);
    r.collect_extra(v.extra);
}

void to_json(json& j, const AgentRun& v) {
    Writer w(j, v.extra);
    w.put(v.run_id_key == "id" ? "id" : "runId", v.run_id);
    w.put("agentId", v.agent_id);
    w.put("taskId", v.task_id);
    w.put("status", v.status);
    w.opt("runner", v.runner);
    w.opt("taskIdentifier", v.task_identifier);
    w.opt("branchName", v.branch_name);
    w.opt("createdAt", v.created_at);
    w.opt("startedAt", v.started_at);
    w.opt("finishedAt", v.finished_at);
    w.opt("updatedAt", v.updated_at);
    w.opt("exitCode", v.exit_code);
    w.opt("summary", v.summary);
    w.opt("reports", v.reports);
}

void from_json(const json& j, AgentRun& v) {
    Reader r(j, "agent_run");
    const char* id_key = j.contains("runId") || !j.contains("id") ? "runId" : "id";
    r.req(id_key, v.run_id);
    v.run_id_key = id_key;
    r.req("agentId", v.agent_id);
    r.req("taskId", v.task_id);
    r.req("status", v.status);
    r.opt("runner", v.runner);
    r.opt("taskIdentifier", v.task_identifier);
    r.opt("branchName", v.branch_name);
    r.opt("createdAt", v.created_at);
    r.opt("startedAt", v.started_at);
    r.opt("finishedAt", v.finished_at);
    r.opt("updatedAt", v.updated_at);
    r.opt("exitCode", v.exit_code);
    r.opt("summary", v.summary);
    r.opt("reports", v.reports);
    r.collect_extra(v.extra);
}

void to_json(json& j, const AgentRunReportRequest& v) {
    Writer w(j, v.extra);
    w.put("status", v.status);
    w.put("summary", v.summary);
    w.opt("reason", v.reason);
    w.opt("actionRequired", v.action_required);
    w.opt("resumeInstructions", v.resume_instructions);
    w.opt("handoff", v.handoff);
}

void from_json(const json& j, AgentRunReportRequest& v) {
    Reader r(j, "run_report");
    r.req("status", v.status);
    r.req("summary", v.summary);
    r.opt("reason", v.reason);
    r.opt("actionRequired", v.action_required);
    r.opt("resumeInstructions", v.resume_instructions);
    r.opt("handoff", v.handoff);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RunContextRun& v) {
    Writer w(j, v.extra);
    w.put("runId", v.run_id);
    w.put("taskId", v.task_id);
    w.opt("agentId", v.agent_id);
    w.opt("runner", v.runner);
    w.opt("taskIdentifier", v.task_identifier);
    w.opt("status", v.status);
    w.opt("worktreePath", v.worktree_path);
    w.opt("branchName", v.branch_name);
}

void from_json(const json& j, RunContextRun& v) {
    Reader r(j, "run");
    r.req("runId", v.run_id);
    r.req("taskId", v.task_id);
    r.opt("agentId", v.agent_id);
    r.opt("runner", v.runner);
    r.opt("taskIdentifier", v.task_identifier);
    r.opt("status", v.status);
    r.opt("worktreePath", v.worktree_path);
    r.opt("branchName", v.branch_name);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RunContextTask& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("identifier", v.identifier);
    w.put("title", v.title);
    w.opt("description", v.description);
    w.opt("status", v.status);
    w.opt("priority", v.priority);
    w.opt("acceptanceCriteria", v.acceptance_criteria);
    w.opt("context", v.context);
    w.put("availableActions", v.available_actions);
}

void from_json(const json& j, RunContextTask& v) {
    Reader r(j, "task");
    r.req("id", v.id);
    r.req("identifier", v.identifier);
    r.req("title", v.title);
    r.opt("description", v.description);
    r.opt("status", v.status);
    r.opt("priority", v.priority);
    r.opt("acceptanceCriteria", v.acceptance_criteria);
    r.opt("context", v.context);
    r.req("availableActions", v.available_actions);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RunContextAction& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("label", v.label);
}

void from_json(const json& j, RunContextAction& v) {
    Reader r(j, "next_action");
    r.req("id", v.id);
    r.req("label", v.label);
    r.collect_extra(v.extra);
}

void to_json(json& j, const RunContext& v) {
    Writer w(j, v.extra);
    w.opt("run", v.run);
    w.opt("task", v.task);
    w.opt("nextActions", v.next_actions);
}

void from_json(const json& j, RunContext& v) {
    Reader r(j, "run_context");
    r.opt("run", v.run);
    r.opt("task", v.task);
    r.opt("nextActions", v.next_actions);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskSourceRepairRequest& v) {
    Writer w(j, v.extra);
    w.opt("sourceRef", v.source_ref);
    w.opt("changeReason", v.change_reason);
    w.opt("source", v.source);
}

void from_json(const json& j, TaskSourceRepairRequest& v) {
    Reader r(j, "task_source_repair");
    r.opt("sourceRef", v.source_ref);
    r.opt("changeReason", v.change_reason);
    v.source = nullptr;
    if (const json* source = r.take_object("source")) v.source = *source;
    r.collect_extra(v.extra);
}

}  // namespace agentrail
