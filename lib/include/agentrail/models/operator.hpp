#pragma once
// Operator API models: routing rule sets, agent profiles, routing decisions and their audit records,
// provider issue snapshots and setup verification tasks, from `intake-routing-admin.openapi.yaml`
// (docs/api/). Plus the reference server's managed-runner models (agent runs, run context, run reports)
// and the task-source repair request, which are NOT in either published contract: they follow what the
// reference server sends, and every field beyond the few ids a caller needs is optional.
//
// Every model keeps the JSON members it does not know in `extra` (plus known optional members the server
// sent as null), and to_json writes them back, so nothing the server sent is lost. Enum-like fields are
// std::string so unknown values are kept; the named values are in the namespaces below.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agentrail/export.hpp"
#include "agentrail/models/fields.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

namespace issue_provider {
inline constexpr std::string_view github = "github";
inline constexpr std::string_view linear = "linear";
inline constexpr std::string_view jira = "jira";
inline constexpr std::string_view gitlab = "gitlab";
inline constexpr std::array<std::string_view, 4> all{github, linear, jira, gitlab};
}  // namespace issue_provider

namespace issue_type {
inline constexpr std::array<std::string_view, 7> all{"bug",           "feature",     "architecture", "design",
                                                     "documentation", "maintenance", "unknown"};
}  // namespace issue_type

namespace routing_outcome {
inline constexpr std::string_view assigned = "assigned";
inline constexpr std::string_view triage = "triage";
inline constexpr std::string_view conflict = "conflict";
inline constexpr std::string_view no_route = "no_route";
inline constexpr std::array<std::string_view, 4> all{assigned, triage, conflict, no_route};
}  // namespace routing_outcome

namespace routing_target_type {
inline constexpr std::string_view agent = "agent";
inline constexpr std::string_view triage_queue = "triage_queue";
inline constexpr std::array<std::string_view, 2> all{agent, triage_queue};
}  // namespace routing_target_type

namespace assignment_source {
inline constexpr std::array<std::string_view, 4> all{"deterministic_rule", "classifier",
                                                     "classifier_best_effort", "manual_triage"};
}  // namespace assignment_source

namespace rule_set_status {
inline constexpr std::array<std::string_view, 2> all{"active", "superseded"};
}  // namespace rule_set_status

namespace rule_set_source {
inline constexpr std::array<std::string_view, 3> all{"admin_api", "config_file_import", "database_seed"};
}  // namespace rule_set_source

namespace profile_status {
inline constexpr std::string_view active = "active";
inline constexpr std::string_view paused = "paused";
inline constexpr std::string_view disabled = "disabled";
inline constexpr std::array<std::string_view, 3> all{active, paused, disabled};
}  // namespace profile_status

namespace profile_source {
inline constexpr std::array<std::string_view, 4> all{"agent_created", "operator_admin",
                                                     "skill_assignment_sync", "config_file_import"};
}  // namespace profile_source

namespace classifier_fallback {
inline constexpr std::array<std::string_view, 2> all{"require_suitable_agent", "assign_closest_match"};
}  // namespace classifier_fallback

/// Managed-runner run states (reference server; not in a published contract).
namespace agent_run_status {
inline constexpr std::array<std::string_view, 6> all{"starting", "running",       "succeeded",
                                                     "failed",   "awaiting_user", "cancelled"};
}  // namespace agent_run_status

/// Kinds of a run report (reference server; not in a published contract).
namespace run_report_status {
inline constexpr std::string_view progress = "progress";
inline constexpr std::string_view blocked = "blocked";
inline constexpr std::string_view completed = "completed";
inline constexpr std::array<std::string_view, 3> all{progress, blocked, completed};
}  // namespace run_report_status

// ---- provider issue snapshots -----------------------------------------------------------------------

#define AGENTRAIL_FIELDS_ProviderRepository(X)                     \
    X(req, std::string, provider, "provider") /* github, gitlab */ \
    X(req, std::string, owner, "owner")                            \
    X(req, std::string, name, "name")                              \
    X(req, std::string, default_branch, "defaultBranch")
struct ProviderRepository {
    AGENTRAIL_FIELD_MEMBERS(ProviderRepository)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ProviderIssueLinks(X) \
    X(req, std::string, provider_issue, "providerIssue") /* a URI */
struct ProviderIssueLinks {
    AGENTRAIL_FIELD_MEMBERS(ProviderIssueLinks)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ProviderIssueSnapshot(X)                                                         \
    X(req, std::string, provider, "provider") /* see issue_provider */                                    \
    X(req, std::string, provider_issue_id, "providerIssueId")                                             \
    X(req, std::string, source_version, "sourceVersion")                                                  \
    X(req, ProviderRepository, repository, "repository")                                                  \
    X(req, std::string, title, "title")                                                                   \
    X(req, std::string, body_digest, "bodyDigest")                                                        \
    X(req, std::vector<std::string>, labels, "labels") /* required: always written, even when empty */    \
    X(opt, std::optional<std::string>, project, "project")                                                \
    X(req, std::string, issue_type, "issueType")                        /* see issue_type */              \
    X(req, std::string, priority, "priority")                           /* low, medium, high, critical */ \
    X(req, std::vector<std::string>, ownership_tags, "ownershipTags")   /* required: always written */    \
    X(req, std::vector<std::string>, capability_tags, "capabilityTags") /* required: always written */    \
    X(req, ProviderIssueLinks, links, "links")
/// Body of POST /operator/intake/provider-issues, and the `snapshot` of an evaluation.
struct ProviderIssueSnapshot {
    AGENTRAIL_FIELD_MEMBERS(ProviderIssueSnapshot)
    nlohmann::json extra = nlohmann::json::object();
};

// ---- rule sets ----------------------------------------------------------------------------------------

#define AGENTRAIL_FIELDS_RoutingConditions(X)                                         \
    X(opt, std::vector<std::string>, repositories, "repositories") /* "owner/name" */ \
    X(opt, std::vector<std::string>, labels_any, "labelsAny")                         \
    X(opt, std::vector<std::string>, projects, "projects")                            \
    X(opt, std::vector<std::string>, issue_types, "issueTypes")                       \
    X(opt, std::vector<std::string>, priorities, "priorities")                        \
    X(opt, std::vector<std::string>, ownership_tags_any, "ownershipTagsAny")          \
    X(opt, std::vector<std::string>, capability_tags_all, "capabilityTagsAll")
/// Predicates of one rule; an empty list means "no condition on this field".
struct RoutingConditions {
    AGENTRAIL_FIELD_MEMBERS(RoutingConditions)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RoutingTarget(X)                           \
    X(req, std::string, type, "type") /* see routing_target_type */ \
    X(req, std::string, id, "id")     /* agent id or triage queue id */
struct RoutingTarget {
    AGENTRAIL_FIELD_MEMBERS(RoutingTarget)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RoutingRule(X)                    \
    X(req, std::string, id, "id")                          \
    X(req, std::string, name, "name")                      \
    X(req, bool, enabled, "enabled", true)                 \
    X(req, std::int64_t, priority, "priority", 0)          \
    X(req, RoutingConditions, conditions, "conditions")    \
    X(req, RoutingTarget, target, "target")                \
    X(req, double, confidence, "confidence", 0) /* 0..1 */ \
    X(req, std::string, explanation, "explanation")
struct RoutingRule {
    AGENTRAIL_FIELD_MEMBERS(RoutingRule)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ClassifierConfig(X)                                  \
    X(req, bool, enabled, "enabled", false)                                   \
    X(req, std::string, provider, "provider")                                 \
    X(req, double, confidence_threshold, "confidenceThreshold", 0)            \
    X(req, std::int64_t, max_candidates, "maxCandidates", 1) /* 1..20 */      \
    X(req, std::string, fallback_triage_queue_id, "fallbackTriageQueueId")    \
    /* see classifier_fallback */                                             \
    X(opt, std::optional<std::string>, fallback_behavior, "fallbackBehavior") \
    /* 1000..600000, server default 180000 */                                 \
    X(opt, std::optional<std::int64_t>, timeout_ms, "timeoutMs")
struct ClassifierConfig {
    AGENTRAIL_FIELD_MEMBERS(ClassifierConfig)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RoutingRuleSetReplaceRequest(X)                                               \
    X(req, std::string, source_ref, "sourceRef")                                                       \
    X(req, std::string, change_reason, "changeReason") /* at most 500 characters */                    \
    X(req, std::vector<RoutingRule>, rules, "rules")   /* required: always written, even when empty */ \
    X(req, ClassifierConfig, classifier, "classifier")
/// Body of PUT /operator/routing/rule-sets/current.
struct RoutingRuleSetReplaceRequest {
    AGENTRAIL_FIELD_MEMBERS(RoutingRuleSetReplaceRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RoutingRuleSetAudit(X)                                       \
    /* null when the server sent null (kept in `extra`) */                            \
    X(opt, std::optional<std::string>, supersedes_rule_set_id, "supersedesRuleSetId") \
    X(req, std::string, change_reason, "changeReason")
struct RoutingRuleSetAudit {
    AGENTRAIL_FIELD_MEMBERS(RoutingRuleSetAudit)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RoutingRuleSet(X)                          \
    X(req, std::string, id, "id") /* rset_... */                    \
    X(req, std::int64_t, version, "version", 0)                     \
    X(req, std::string, status, "status") /* see rule_set_status */ \
    X(req, std::string, source, "source") /* see rule_set_source */ \
    X(req, std::string, source_ref, "sourceRef")                    \
    X(req, std::string, created_by, "createdBy")                    \
    X(req, std::string, created_at, "createdAt")                    \
    X(req, std::vector<RoutingRule>, rules, "rules")                \
    X(req, ClassifierConfig, classifier, "classifier")              \
    X(req, RoutingRuleSetAudit, audit, "audit")
/// One immutable rule set revision.
struct RoutingRuleSet {
    AGENTRAIL_FIELD_MEMBERS(RoutingRuleSet)
    nlohmann::json extra = nlohmann::json::object();
};

// ---- agent profiles -----------------------------------------------------------------------------------

#define AGENTRAIL_FIELDS_AgentProfileReplaceRequest(X)                                                 \
    X(req, std::string, display_name, "displayName")                                                   \
    X(req, std::string, role, "role")                                                                  \
    X(req, std::string, status, "status")                               /* see profile_status */       \
    X(req, std::vector<std::string>, capability_tags, "capabilityTags") /* required: always written */ \
    X(req, std::vector<std::string>, ownership_tags, "ownershipTags")   /* required: always written */ \
    X(req, std::vector<std::string>, repo_allowlist, "repoAllowlist")   /* required: always written */ \
    X(req, std::int64_t, max_concurrent_tasks, "maxConcurrentTasks", 0) /* 0..50 */                    \
    X(req, std::string, source_ref, "sourceRef")                                                       \
    X(req, std::string, change_reason, "changeReason")
/// Body of PUT /operator/routing/agent-profiles/{agentId}.
struct AgentProfileReplaceRequest {
    AGENTRAIL_FIELD_MEMBERS(AgentProfileReplaceRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_AgentProfile(X)                                \
    X(req, std::string, agent_id, "agentId")                            \
    X(req, std::string, display_name, "displayName")                    \
    X(req, std::string, role, "role")                                   \
    X(req, std::string, status, "status")                               \
    X(req, std::vector<std::string>, capability_tags, "capabilityTags") \
    X(req, std::vector<std::string>, ownership_tags, "ownershipTags")   \
    X(req, std::vector<std::string>, repo_allowlist, "repoAllowlist")   \
    X(req, std::int64_t, max_concurrent_tasks, "maxConcurrentTasks", 0) \
    X(req, std::string, source, "source") /* see profile_source */      \
    X(req, std::string, source_ref, "sourceRef")                        \
    X(req, std::string, change_reason, "changeReason")                  \
    X(req, std::string, updated_by, "updatedBy")                        \
    X(req, std::string, updated_at, "updatedAt")
struct AgentProfile {
    AGENTRAIL_FIELD_MEMBERS(AgentProfile)
    nlohmann::json extra = nlohmann::json::object();
};

// ---- setup verification -------------------------------------------------------------------------------

#define AGENTRAIL_FIELDS_SetupVerificationTaskRequest(X) \
    X(req, std::string, agent_id, "agentId")             \
    X(opt, std::optional<std::string>, source_ref, "sourceRef") /* e.g. agentrail-cli:init */
/// Body of POST /operator/setup/verification-task.
struct SetupVerificationTaskRequest {
    AGENTRAIL_FIELD_MEMBERS(SetupVerificationTaskRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_SetupVerificationTask(X)          \
    X(req, std::string, task_id, "taskId")                 \
    X(req, std::string, task_identifier, "taskIdentifier") \
    X(req, std::string, agent_id, "agentId")               \
    X(req, std::string, source_ref, "sourceRef")           \
    X(req, std::string, status, "status")                  \
    X(req, std::string, created_at, "createdAt")           \
    X(req, std::string, updated_at, "updatedAt")
struct SetupVerificationTask {
    AGENTRAIL_FIELD_MEMBERS(SetupVerificationTask)
    nlohmann::json extra = nlohmann::json::object();
};

// ---- routing decisions --------------------------------------------------------------------------------

#define AGENTRAIL_FIELDS_RoutingEvaluationRequest(X)                        \
    /* unset: the active rule set (field omitted) */                        \
    X(opt, std::optional<std::int64_t>, rule_set_version, "ruleSetVersion") \
    X(req, ProviderIssueSnapshot, snapshot, "snapshot")
/// Body of POST /operator/routing/evaluations.
struct RoutingEvaluationRequest {
    AGENTRAIL_FIELD_MEMBERS(RoutingEvaluationRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskAssignment(X)                                                 \
    /* null when the server sent null (kept in `extra`) */                                 \
    X(opt, std::optional<std::string>, assignee_agent_id, "assigneeAgentId")               \
    /* null when the server sent null (kept in `extra`) */                                 \
    X(opt, std::optional<std::string>, triage_queue_id, "triageQueueId")                   \
    X(req, std::string, assignment_source, "assignmentSource") /* see assignment_source */ \
    X(req, std::string, routing_decision_id, "routingDecisionId")                          \
    /* null when the server sent null (kept in `extra`) */                                 \
    X(opt, std::optional<std::string>, assigned_at, "assignedAt")
struct TaskAssignment {
    AGENTRAIL_FIELD_MEMBERS(TaskAssignment)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_MatchedRule(X) \
    X(req, std::string, id, "id")       \
    X(req, std::string, name, "name")   \
    X(req, double, confidence, "confidence", 0)
struct MatchedRule {
    AGENTRAIL_FIELD_MEMBERS(MatchedRule)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ClassifierResult(X)    \
    X(req, std::string, provider, "provider")   \
    X(req, double, confidence, "confidence", 0) \
    X(req, RoutingTarget, suggested_target, "suggestedTarget")
struct ClassifierResult {
    AGENTRAIL_FIELD_MEMBERS(ClassifierResult)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RoutingReason(X)                             \
    X(req, std::string, summary, "summary")                           \
    X(req, std::vector<MatchedRule>, matched_rules, "matchedRules")   \
    /* null when the server sent null (kept in `extra`) */            \
    X(opt, std::optional<ClassifierResult>, classifier, "classifier") \
    X(req, std::vector<std::string>, conflict_reasons, "conflictReasons")
struct RoutingReason {
    AGENTRAIL_FIELD_MEMBERS(RoutingReason)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RoutingDecision(X)                               \
    X(req, std::string, id, "id") /* rdec_... */                          \
    X(opt, std::optional<std::string>, task_id, "taskId")                 \
    X(opt, std::optional<std::string>, task_identifier, "taskIdentifier") \
    X(req, std::string, outcome, "outcome") /* see routing_outcome */     \
    X(req, RoutingTarget, target, "target")                               \
    X(req, TaskAssignment, assignment, "assignment")                      \
    X(req, double, confidence, "confidence", 0)                           \
    X(req, RoutingReason, routing_reason, "routingReason")                \
    X(req, std::vector<std::string>, available_actions, "availableActions")
/// What an evaluation (dry run: task_id is null) or an intake decided.
struct RoutingDecision {
    AGENTRAIL_FIELD_MEMBERS(RoutingDecision)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RoutingAuditRuleSet(X) \
    X(req, std::string, id, "id")               \
    X(req, std::int64_t, version, "version", 0)
struct RoutingAuditRuleSet {
    AGENTRAIL_FIELD_MEMBERS(RoutingAuditRuleSet)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RoutingAudit(X)             \
    X(req, RoutingDecision, decision, "decision")    \
    X(req, std::string, input_digest, "inputDigest") \
    X(req, RoutingAuditRuleSet, rule_set, "ruleSet") \
    X(req, std::string, created_at, "createdAt")
/// GET /operator/routing/audit/{decisionId}.
struct RoutingAudit {
    AGENTRAIL_FIELD_MEMBERS(RoutingAudit)
    nlohmann::json extra = nlohmann::json::object();
};

// ---- managed runner (reference server only; not in either published contract) -------------------------

#define AGENTRAIL_FIELDS_AgentRunReport(X)                            \
    X(req, std::string, status, "status") /* see run_report_status */ \
    X(req, std::string, summary, "summary")                           \
    X(opt, std::optional<std::string>, created_at, "createdAt")       \
    X(opt, nlohmann::json, handoff, "handoff") /* object or null */
/// One report a run made (as stored on the run).
struct AgentRunReport {
    AGENTRAIL_FIELD_MEMBERS(AgentRunReport)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_AgentRun(X)                                          \
    X(req, std::string, agent_id, "agentId")                                  \
    X(req, std::string, task_id, "taskId")                                    \
    /* see agent_run_status (other servers use other values: kept as sent) */ \
    X(req, std::string, status, "status")                                     \
    X(opt, std::optional<std::string>, runner, "runner")                      \
    X(opt, std::optional<std::string>, task_identifier, "taskIdentifier")     \
    X(opt, std::optional<std::string>, branch_name, "branchName")             \
    X(opt, std::optional<std::string>, created_at, "createdAt")               \
    X(opt, std::optional<std::string>, started_at, "startedAt")               \
    X(opt, std::optional<std::string>, finished_at, "finishedAt")             \
    X(opt, std::optional<std::string>, updated_at, "updatedAt")               \
    X(opt, std::optional<std::int64_t>, exit_code, "exitCode")                \
    X(opt, std::optional<std::string>, summary, "summary")                    \
    X(opt, std::vector<AgentRunReport>, reports, "reports")
/// A managed-runner run (GET /operator/agent-runs[/{runId}], POST /agent-runs/{runId}/report answers).
/// Only the ids and the status are required; the reference server sends many more fields (paths, launch
/// command, token hashes), which are kept in `extra`. The run id is read from `runId` (reference server)
/// or, when that is absent, from `id`; `run_id_key` says which, and to_json writes it back there.
struct AgentRun {
    std::string run_id;                // run_...; read from and written to run_id_key
    std::string run_id_key = "runId";  // "runId" or "id"
    AGENTRAIL_FIELD_MEMBERS(AgentRun)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_AgentRunReportRequest(X)                                 \
    X(req, std::string, status, "status") /* see run_report_status */             \
    X(req, std::string, summary, "summary")                                       \
    X(opt, std::optional<std::string>, reason, "reason")                          \
    X(opt, std::optional<std::string>, action_required, "actionRequired")         \
    X(opt, std::optional<std::string>, resume_instructions, "resumeInstructions") \
    X(opt, nlohmann::json, handoff, "handoff") /* object, or null to omit */
/// Body of POST /agent-runs/{runId}/report. On the reference server a `blocked` report needs reason,
/// action_required and resume_instructions (the server also moves the task to awaiting-user); members
/// other servers take (e.g. `details`, `artifacts`) go in `extra` and are sent as they are.
struct AgentRunReportRequest {
    AGENTRAIL_FIELD_MEMBERS(AgentRunReportRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RunContextRun(X)                                 \
    X(req, std::string, run_id, "runId")                                  \
    X(req, std::string, task_id, "taskId")                                \
    X(opt, std::optional<std::string>, agent_id, "agentId")               \
    X(opt, std::optional<std::string>, runner, "runner")                  \
    X(opt, std::optional<std::string>, task_identifier, "taskIdentifier") \
    X(opt, std::optional<std::string>, status, "status")                  \
    X(opt, std::optional<std::string>, worktree_path, "worktreePath")     \
    X(opt, std::optional<std::string>, branch_name, "branchName")
struct RunContextRun {
    AGENTRAIL_FIELD_MEMBERS(RunContextRun)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RunContextTask(X)                                      \
    X(req, std::string, id, "id")                                               \
    X(req, std::string, identifier, "identifier")                               \
    X(req, std::string, title, "title")                                         \
    X(opt, std::optional<std::string>, description, "description")              \
    X(opt, std::optional<std::string>, status, "status")                        \
    X(opt, std::optional<std::string>, priority, "priority")                    \
    X(opt, std::vector<std::string>, acceptance_criteria, "acceptanceCriteria") \
    X(opt, nlohmann::json, context, "context") /* object or null */             \
    X(req, std::vector<std::string>, available_actions, "availableActions")
struct RunContextTask {
    AGENTRAIL_FIELD_MEMBERS(RunContextTask)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RunContextAction(X) \
    X(req, std::string, id, "id")            \
    X(req, std::string, label, "label")
struct RunContextAction {
    AGENTRAIL_FIELD_MEMBERS(RunContextAction)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_RunContext(X)                  \
    X(opt, std::optional<RunContextRun>, run, "run")    \
    X(opt, std::optional<RunContextTask>, task, "task") \
    X(opt, std::vector<RunContextAction>, next_actions, "nextActions")
/// GET /agent-runs/{runId}/context: the compact task card a managed run reads with its run-context token.
/// The reference server sends {run, task, nextActions}; each part is optional here so a server that
/// shapes the card differently (e.g. top-level runId/status, task, instructions) still decodes, the rest
/// kept in `extra`.
struct RunContext {
    AGENTRAIL_FIELD_MEMBERS(RunContext)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskSourceRepairRequest(X)                   \
    X(opt, std::optional<std::string>, source_ref, "sourceRef")       \
    X(opt, std::optional<std::string>, change_reason, "changeReason") \
    X(obj, nlohmann::json, source, "source") /* object, or null to omit */
/// Body of PATCH /operator/tasks/{taskId}/source (reference server only). The reference server takes
/// {sourceRef, changeReason, source}, where `source` holds the fields to change (provider, owner + repo
/// together, issueNumber, branch, baseBranch, headSha, prUrl, labels, ...) and a null value removes one.
/// Every member is optional so a server that takes a bare merge patch can be sent one: its members go in
/// `extra` and are sent as they are.
struct TaskSourceRepairRequest {
    AGENTRAIL_FIELD_MEMBERS(TaskSourceRepairRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_OPERATOR_MODEL(T)              \
    void to_json(nlohmann::json& j, const T& v); \
    void from_json(const nlohmann::json& j, T& v);
AGENTRAIL_OPERATOR_MODEL(ProviderRepository)
AGENTRAIL_OPERATOR_MODEL(ProviderIssueLinks)
AGENTRAIL_OPERATOR_MODEL(ProviderIssueSnapshot)
AGENTRAIL_OPERATOR_MODEL(RoutingConditions)
AGENTRAIL_OPERATOR_MODEL(RoutingTarget)
AGENTRAIL_OPERATOR_MODEL(RoutingRule)
AGENTRAIL_OPERATOR_MODEL(ClassifierConfig)
AGENTRAIL_OPERATOR_MODEL(RoutingRuleSetReplaceRequest)
AGENTRAIL_OPERATOR_MODEL(RoutingRuleSetAudit)
AGENTRAIL_OPERATOR_MODEL(RoutingRuleSet)
AGENTRAIL_OPERATOR_MODEL(AgentProfileReplaceRequest)
AGENTRAIL_OPERATOR_MODEL(AgentProfile)
AGENTRAIL_OPERATOR_MODEL(SetupVerificationTaskRequest)
AGENTRAIL_OPERATOR_MODEL(SetupVerificationTask)
AGENTRAIL_OPERATOR_MODEL(RoutingEvaluationRequest)
AGENTRAIL_OPERATOR_MODEL(TaskAssignment)
AGENTRAIL_OPERATOR_MODEL(MatchedRule)
AGENTRAIL_OPERATOR_MODEL(ClassifierResult)
AGENTRAIL_OPERATOR_MODEL(RoutingReason)
AGENTRAIL_OPERATOR_MODEL(RoutingDecision)
AGENTRAIL_OPERATOR_MODEL(RoutingAuditRuleSet)
AGENTRAIL_OPERATOR_MODEL(RoutingAudit)
AGENTRAIL_OPERATOR_MODEL(AgentRunReport)
AGENTRAIL_OPERATOR_MODEL(AgentRun)
AGENTRAIL_OPERATOR_MODEL(AgentRunReportRequest)
AGENTRAIL_OPERATOR_MODEL(RunContextRun)
AGENTRAIL_OPERATOR_MODEL(RunContextTask)
AGENTRAIL_OPERATOR_MODEL(RunContextAction)
AGENTRAIL_OPERATOR_MODEL(RunContext)
AGENTRAIL_OPERATOR_MODEL(TaskSourceRepairRequest)
#undef AGENTRAIL_OPERATOR_MODEL

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
