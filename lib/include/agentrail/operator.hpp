#pragma once
// agentrail::OperatorClient: the operator API (`intake-routing-admin.openapi.yaml`: routing rule sets,
// agent profiles, evaluations, audit, provider-issue intake, setup verification tasks) and the reference
// server's managed-runner and task-source routes, which are NOT in either published contract
// (GET /operator/agent-runs[/{runId}], GET /agent-runs/{runId}/context, POST /agent-runs/{runId}/report,
// PATCH /operator/tasks/{taskId}/source).
//
// Why a separate class: the operator API is a separate contract that worker agents do not use, so it
// stays out of Client's interface. OperatorClient is a thin typed layer over a Client: every call goes
// through Client::request(), i.e. the same pipeline (auth, redacted logging, retries, deadlines, error
// mapping) as the agent-facing operations. The Client must outlive the OperatorClient.
//
// Scopes (reference server): routing:read for rule-set, profile and audit reads; routing:admin for
// replacing rule sets and profiles, intake, setup verification tasks and task-source changes;
// routing:evaluate for evaluations; usage:read for agent-run reads; tasks:write for run reports. The run
// context is read with the run's own run-context token (arrun_...), not with an API key.
//
// Idempotency: every operation the document marks with an Idempotency-Key (replace rule set, replace
// profile, evaluate, intake, setup verification task) and the task-source change send one: the caller's
// MutationOptions::idempotency_key, or a fresh random key for this call that only its retries reuse.
// A run report carries none (the server does not de-duplicate reports), so it is not retried.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agentrail/client.hpp"
#include "agentrail/export.hpp"
#include "agentrail/models/operator.hpp"
#include "agentrail/response.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

struct ListAgentRunsOptions {
    std::optional<std::string> agent_id;  // agt_...
    std::optional<std::string> status;    // see agent_run_status (validated locally)
    std::optional<int> limit;             // 1..100
};

class OperatorClient {
public:
    /// Uses `client`'s settings, key and transport; `client` must outlive this object.
    explicit OperatorClient(Client& client);

    // Routing rule sets
    /// GET /operator/routing/rule-sets/current (getCurrentRoutingRuleSet; routing:read).
    Response<RoutingRuleSet> get_current_routing_rule_set();
    /// PUT /operator/routing/rule-sets/current (replaceCurrentRoutingRuleSet; routing:admin): creates and
    /// activates a new immutable revision. 201.
    Response<RoutingRuleSet> replace_current_routing_rule_set(const RoutingRuleSetReplaceRequest& request,
                                                              const MutationOptions& options = {});

    // Agent profiles
    /// GET /operator/routing/agent-profiles/{agentId} (getRoutingAgentProfile; routing:read).
    Response<AgentProfile> get_routing_agent_profile(std::string_view agent_id);
    /// PUT /operator/routing/agent-profiles/{agentId} (replaceRoutingAgentProfile; routing:admin).
    Response<AgentProfile> replace_routing_agent_profile(std::string_view agent_id,
                                                         const AgentProfileReplaceRequest& request,
                                                         const MutationOptions& options = {});

    // Decisions
    /// POST /operator/routing/evaluations (evaluateRouting; routing:evaluate): a dry run. It records an
    /// audit entry but creates, updates or wakes no task, so the decision's task_id is null.
    Response<RoutingDecision> evaluate_routing(const RoutingEvaluationRequest& request,
                                               const MutationOptions& options = {});
    /// GET /operator/routing/audit/{decisionId} (getRoutingDecisionAudit; routing:read).
    Response<RoutingAudit> get_routing_decision_audit(std::string_view decision_id);
    /// POST /operator/intake/provider-issues (ingestProviderIssue; routing:admin): routes the issue and
    /// applies the outcome (a task is created and assigned, or sent to triage). 202.
    Response<RoutingDecision> ingest_provider_issue(const ProviderIssueSnapshot& snapshot,
                                                    const MutationOptions& options = {});
    /// POST /operator/setup/verification-task (createSetupVerificationTask; routing:admin). 201.
    Response<SetupVerificationTask> create_setup_verification_task(
        const SetupVerificationTaskRequest& request, const MutationOptions& options = {});

    // Managed runs (reference server only; not in either contract)
    /// GET /operator/agent-runs?agentId=&status=&limit= (usage:read), newest first.
    Response<std::vector<AgentRun>> list_agent_runs(const ListAgentRunsOptions& options = {});
    /// GET /operator/agent-runs/{runId} (usage:read).
    Response<AgentRun> get_agent_run(std::string_view run_id);
    /// GET /agent-runs/{runId}/context, authenticated with the run's run-context token (`arrun_...`)
    /// instead of the client's API key. The token is redacted from logs like a key.
    Response<RunContext> get_run_context(std::string_view run_id, std::string_view run_context_token);
    /// POST /agent-runs/{runId}/report; the answer is the updated run. The reference server authenticates it
    /// with an API key (tasks:write; the run's own agent or auth:admin) and answers 202; pass
    /// `run_context_token` to authenticate with the run's token instead (servers that accept only that).
    /// Not retried: the server does not de-duplicate reports.
    Response<AgentRun> report_agent_run(std::string_view run_id, const AgentRunReportRequest& request,
                                        std::optional<std::string> run_context_token = std::nullopt);
    /// PATCH /operator/tasks/{taskId}/source (routing:admin). The answer's data (the repaired task record,
    /// whose shape is not published) is kept as JSON.
    Response<nlohmann::json> set_task_source(std::string_view task_id, const TaskSourceRepairRequest& request,
                                             const MutationOptions& options = {});

private:
    /// A client like the wrapped one whose key is `token` (same settings and transport).
    Client scoped_client(std::string_view token) const;
    Client* m_client;
};

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
