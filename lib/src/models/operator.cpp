#include "agentrail/models/operator.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

AGENTRAIL_JSON_MODEL(ProviderRepository, "repository")
AGENTRAIL_JSON_MODEL(ProviderIssueLinks, "links")
AGENTRAIL_JSON_MODEL(ProviderIssueSnapshot, "snapshot")
AGENTRAIL_JSON_MODEL(RoutingConditions, "conditions")
AGENTRAIL_JSON_MODEL(RoutingTarget, "target")
AGENTRAIL_JSON_MODEL(RoutingRule, "rule")
AGENTRAIL_JSON_MODEL(ClassifierConfig, "classifier")
AGENTRAIL_JSON_MODEL(RoutingRuleSetReplaceRequest, "rule_set_replace")
AGENTRAIL_JSON_MODEL(RoutingRuleSetAudit, "audit")
AGENTRAIL_JSON_MODEL(RoutingRuleSet, "rule_set")
AGENTRAIL_JSON_MODEL(AgentProfileReplaceRequest, "agent_profile_replace")
AGENTRAIL_JSON_MODEL(AgentProfile, "agent_profile")
AGENTRAIL_JSON_MODEL(SetupVerificationTaskRequest, "setup_verification_request")
AGENTRAIL_JSON_MODEL(SetupVerificationTask, "setup_verification_task")
AGENTRAIL_JSON_MODEL(RoutingEvaluationRequest, "evaluation")
AGENTRAIL_JSON_MODEL(TaskAssignment, "assignment")
AGENTRAIL_JSON_MODEL(MatchedRule, "matched_rule")
AGENTRAIL_JSON_MODEL(ClassifierResult, "classifier_result")
AGENTRAIL_JSON_MODEL(RoutingReason, "routing_reason")
AGENTRAIL_JSON_MODEL(RoutingDecision, "decision")
AGENTRAIL_JSON_MODEL(RoutingAuditRuleSet, "rule_set")
AGENTRAIL_JSON_MODEL(RoutingAudit, "audit")
AGENTRAIL_JSON_MODEL(AgentRunReport, "run_report")

void to_json(json& j, const AgentRun& v) {
    Writer w(j, v.extra);
    w.req(v.run_id_key == "id" ? "id" : "runId", v.run_id);
    AGENTRAIL_WRITE_FIELDS(AgentRun)
}

void from_json(const json& j, AgentRun& v) {
    Reader r(j, "agent_run");
    const char* id_key = j.contains("runId") || !j.contains("id") ? "runId" : "id";
    r.req(id_key, v.run_id);
    v.run_id_key = id_key;
    AGENTRAIL_READ_FIELDS(AgentRun)
    r.collect_extra(v.extra);
}

AGENTRAIL_JSON_MODEL(AgentRunReportRequest, "run_report")
AGENTRAIL_JSON_MODEL(RunContextRun, "run")
AGENTRAIL_JSON_MODEL(RunContextTask, "task")
AGENTRAIL_JSON_MODEL(RunContextAction, "next_action")
AGENTRAIL_JSON_MODEL(RunContext, "run_context")
AGENTRAIL_JSON_MODEL(TaskSourceRepairRequest, "task_source_repair")

}  // namespace agentrail
