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

struct ProviderRepository {
    std::string provider;  // github, gitlab
    std::string owner;
    std::string name;
    std::string default_branch;
    nlohmann::json extra = nlohmann::json::object();
};

struct ProviderIssueLinks {
    std::string provider_issue;  // URI
    nlohmann::json extra = nlohmann::json::object();
};

/// Body of POST /operator/intake/provider-issues, and the `snapshot` of an evaluation.
struct ProviderIssueSnapshot {
    std::string provider;  // see issue_provider
    std::string provider_issue_id;
    std::string source_version;
    ProviderRepository repository;
    std::string title;
    std::string body_digest;
    std::vector<std::string> labels;  // required: always written, even when empty
    std::optional<std::string> project;
    std::string issue_type;                    // see issue_type
    std::string priority;                      // low, medium, high, critical
    std::vector<std::string> ownership_tags;   // required: always written
    std::vector<std::string> capability_tags;  // required: always written
    ProviderIssueLinks links;
    nlohmann::json extra = nlohmann::json::object();
};

// ---- rule sets ----------------------------------------------------------------------------------------

/// Predicates of one rule; an empty list means "no condition on this field".
struct RoutingConditions {
    std::vector<std::string> repositories;  // "owner/name"
    std::vector<std::string> labels_any;
    std::vector<std::string> projects;
    std::vector<std::string> issue_types;
    std::vector<std::string> priorities;
    std::vector<std::string> ownership_tags_any;
    std::vector<std::string> capability_tags_all;
    nlohmann::json extra = nlohmann::json::object();
};

struct RoutingTarget {
    std::string type;  // see routing_target_type
    std::string id;    // agent id or triage queue id
    nlohmann::json extra = nlohmann::json::object();
};

struct RoutingRule {
    std::string id;
    std::string name;
    bool enabled = true;
    std::int64_t priority = 0;
    RoutingConditions conditions;
    RoutingTarget target;
    double confidence = 0;  // 0..1
    std::string explanation;
    nlohmann::json extra = nlohmann::json::object();
};

struct ClassifierConfig {
    bool enabled = false;
    std::string provider;
    double confidence_threshold = 0;
    std::int64_t max_candidates = 1;  // 1..20
    std::string fallback_triage_queue_id;
    std::optional<std::string> fallback_behavior;  // see classifier_fallback
    std::optional<std::int64_t> timeout_ms;        // 1000..600000, server default 180000
    nlohmann::json extra = nlohmann::json::object();
};

/// Body of PUT /operator/routing/rule-sets/current.
struct RoutingRuleSetReplaceRequest {
    std::string source_ref;
    std::string change_reason;       // at most 500 characters
    std::vector<RoutingRule> rules;  // required: always written, even when empty
    ClassifierConfig classifier;
    nlohmann::json extra = nlohmann::json::object();
};

struct RoutingRuleSetAudit {
    std::optional<std::string> supersedes_rule_set_id;  // null when the server sent null (kept in `extra`)
    std::string change_reason;
    nlohmann::json extra = nlohmann::json::object();
};

/// One immutable rule set revision.
struct RoutingRuleSet {
    std::string id;  // rset_...
    std::int64_t version = 0;
    std::string status;  // see rule_set_status
    std::string source;  // see rule_set_source
    std::string source_ref;
    std::string created_by;
    std::string created_at;
    std::vector<RoutingRule> rules;
    ClassifierConfig classifier;
    RoutingRuleSetAudit audit;
    nlohmann::json extra = nlohmann::json::object();
};

// ---- agent profiles -----------------------------------------------------------------------------------

/// Body of PUT /operator/routing/agent-profiles/{agentId}.
struct AgentProfileReplaceRequest {
    std::string display_name;
    std::string role;
    std::string status;                        // see profile_status
    std::vector<std::string> capability_tags;  // required: always written
    std::vector<std::string> ownership_tags;   // required: always written
    std::vector<std::string> repo_allowlist;   // required: always written
    std::int64_t max_concurrent_tasks = 0;     // 0..50
    std::string source_ref;
    std::string change_reason;
    nlohmann::json extra = nlohmann::json::object();
};

struct AgentProfile {
    std::string agent_id;
    std::string display_name;
    std::string role;
    std::string status;
    std::vector<std::string> capability_tags;
    std::vector<std::string> ownership_tags;
    std::vector<std::string> repo_allowlist;
    std::int64_t max_concurrent_tasks = 0;
    std::string source;  // see profile_source
    std::string source_ref;
    std::string change_reason;
    std::string updated_by;
    std::string updated_at;
    nlohmann::json extra = nlohmann::json::object();
};

// ---- setup verification -------------------------------------------------------------------------------

/// Body of POST /operator/setup/verification-task.
struct SetupVerificationTaskRequest {
    std::string agent_id;
    std::optional<std::string> source_ref;  // e.g. agentrail-cli:init
    nlohmann::json extra = nlohmann::json::object();
};

struct SetupVerificationTask {
    std::string task_id;
    std::string task_identifier;
    std::string agent_id;
    std::string source_ref;
    std::string status;
    std::string created_at;
    std::string updated_at;
    nlohmann::json extra = nlohmann::json::object();
};

// ---- routing decisions --------------------------------------------------------------------------------

/// Body of POST /operator/routing/evaluations.
struct RoutingEvaluationRequest {
    std::optional<std::int64_t> rule_set_version;  // unset: the active rule set (field omitted)
    ProviderIssueSnapshot snapshot;
    nlohmann::json extra = nlohmann::json::object();
};

struct TaskAssignment {
    std::optional<std::string> assignee_agent_id;  // null when the server sent null (kept in `extra`)
    std::optional<std::string> triage_queue_id;    // null when the server sent null (kept in `extra`)
    std::string assignment_source;                 // see assignment_source
    std::string routing_decision_id;
    std::optional<std::string> assigned_at;  // null when the server sent null (kept in `extra`)
    nlohmann::json extra = nlohmann::json::object();
};

struct MatchedRule {
    std::string id;
    std::string name;
    double confidence = 0;
    nlohmann::json extra = nlohmann::json::object();
};

struct ClassifierResult {
    std::string provider;
    double confidence = 0;
    RoutingTarget suggested_target;
    nlohmann::json extra = nlohmann::json::object();
};

struct RoutingReason {
    std::string summary;
    std::vector<MatchedRule> matched_rules;
    std::optional<ClassifierResult> classifier;  // null when the server sent null (kept in `extra`)
    std::vector<std::string> conflict_reasons;
    nlohmann::json extra = nlohmann::json::object();
};

/// What an evaluation (dry run: task_id is null) or an intake decided.
struct RoutingDecision {
    std::string id;  // rdec_...
    std::optional<std::string> task_id;
    std::optional<std::string> task_identifier;
    std::string outcome;  // see routing_outcome
    RoutingTarget target;
    TaskAssignment assignment;
    double confidence = 0;
    RoutingReason routing_reason;
    std::vector<std::string> available_actions;
    nlohmann::json extra = nlohmann::json::object();
};

struct RoutingAuditRuleSet {
    std::string id;
    std::int64_t version = 0;
    nlohmann::json extra = nlohmann::json::object();
};

/// GET /operator/routing/audit/{decisionId}.
struct RoutingAudit {
    RoutingDecision decision;
    std::string input_digest;
    RoutingAuditRuleSet rule_set;
    std::string created_at;
    nlohmann::json extra = nlohmann::json::object();
};

// ---- managed runner (reference server only; not in either published contract) -------------------------

/// One report a run made (as stored on the run).
struct AgentRunReport {
    std::string status;  // see run_report_status
    std::string summary;
    std::optional<std::string> created_at;
    nlohmann::json handoff;  // object or null
    nlohmann::json extra = nlohmann::json::object();
};

/// A managed-runner run (GET /operator/agent-runs[/{runId}], POST /agent-runs/{runId}/report answers).
/// Only the ids and the status are required; the reference server sends many more fields (paths, launch
/// command, token hashes), which are kept in `extra`. The run id is read from `runId` (reference server)
/// or, when that is absent, from `id`; `run_id_key` says which, and to_json writes it back there.
struct AgentRun {
    std::string run_id;                // run_...
    std::string run_id_key = "runId";  // "runId" or "id"
    std::string agent_id;
    std::string task_id;
    std::string status;  // see agent_run_status (other servers use other values: kept as sent)
    std::optional<std::string> runner;
    std::optional<std::string> task_identifier;
    std::optional<std::string> branch_name;
    std::optional<std::string> created_at;
    std::optional<std::string> started_at;
    std::optional<std::string> finished_at;
    std::optional<std::string> updated_at;
    std::optional<std::int64_t> exit_code;
    std::optional<std::string> summary;
    std::vector<AgentRunReport> reports;
    nlohmann::json extra = nlohmann::json::object();
};

/// Body of POST /agent-runs/{runId}/report. On the reference server a `blocked` report needs reason,
/// action_required and resume_instructions (the server also moves the task to awaiting-user); members
/// other servers take (e.g. `details`, `artifacts`) go in `extra` and are sent as they are.
struct AgentRunReportRequest {
    std::string status;  // see run_report_status
    std::string summary;
    std::optional<std::string> reason;
    std::optional<std::string> action_required;
    std::optional<std::string> resume_instructions;
    nlohmann::json handoff;  // object, or null to omit
    nlohmann::json extra = nlohmann::json::object();
};

struct RunContextRun {
    std::string run_id;
    std::string task_id;
    std::optional<std::string> agent_id;
    std::optional<std::string> runner;
    std::optional<std::string> task_identifier;
    std::optional<std::string> status;
    std::optional<std::string> worktree_path;
    std::optional<std::string> branch_name;
    nlohmann::json extra = nlohmann::json::object();
};

struct RunContextTask {
    std::string id;
    std::string identifier;
    std::string title;
    std::optional<std::string> description;
    std::optional<std::string> status;
    std::optional<std::string> priority;
    std::vector<std::string> acceptance_criteria;
    nlohmann::json context;  // object or null
    std::vector<std::string> available_actions;
    nlohmann::json extra = nlohmann::json::object();
};

struct RunContextAction {
    std::string id;
    std::string label;
    nlohmann::json extra = nlohmann::json::object();
};

/// GET /agent-runs/{runId}/context: the compact task card a managed run reads with its run-context token.
/// The reference server sends {run, task, nextActions}; each part is optional here so a server that
/// shapes the card differently (e.g. top-level runId/status, task, instructions) still decodes, the rest
/// kept in `extra`.
struct RunContext {
    std::optional<RunContextRun> run;
    std::optional<RunContextTask> task;
    std::vector<RunContextAction> next_actions;
    nlohmann::json extra = nlohmann::json::object();
};

/// Body of PATCH /operator/tasks/{taskId}/source (reference server only). The reference server takes
/// {sourceRef, changeReason, source}, where `source` holds the fields to change (provider, owner + repo
/// together, issueNumber, branch, baseBranch, headSha, prUrl, labels, ...) and a null value removes one.
/// Every member is optional so a server that takes a bare merge patch can be sent one: its members go in
/// `extra` and are sent as they are.
struct TaskSourceRepairRequest {
    std::optional<std::string> source_ref;
    std::optional<std::string> change_reason;
    nlohmann::json source;  // object, or null to omit
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
