#include "agentrail/operator.hpp"

#include <algorithm>
#include <initializer_list>
#include <utility>

#include "client_core.hpp"

namespace agentrail {

using detail::make_path;
using nlohmann::json;

namespace {

void require_id(std::string_view what, std::string_view id) {
    if (id.empty()) throw Error(ErrorKind::invalid_argument, std::string(what) + " must not be empty");
}

/// Re-types a raw answer: `data` must be present and decode as T (else a protocol Error).
template <typename T>
Response<T> typed(Response<json>&& raw) {
    Response<T> out;
    out.status = raw.status;
    out.available_actions = std::move(raw.available_actions);
    out.page = std::move(raw.page);
    out.idempotency_key = std::move(raw.idempotency_key);
    out.request_id = std::move(raw.request_id);
    out.envelope = std::move(raw.envelope);
    auto fail = [&](const std::string& what) {
        Error e(ErrorKind::protocol, "malformed response: " + what);
        e.set_idempotency_key(out.idempotency_key);
        return e;
    };
    if (!out.envelope.is_object())
        throw fail("HTTP " + std::to_string(out.status) + ": expected a JSON object");
    auto it = out.envelope.find("data");
    if (it == out.envelope.end()) throw fail("envelope has no \"data\" member");
    if constexpr (std::is_same_v<T, json>) {
        out.data = *it;
    } else {
        try {
            const json& data = *it;
            out.data = data.get<T>();
        } catch (const json::exception& e) {
            throw fail(e.what());
        } catch (Error& e) {
            e.set_idempotency_key(out.idempotency_key);
            throw;
        }
    }
    return out;
}

}  // namespace

OperatorClient::OperatorClient(Client& client) : m_client(&client) {}

Response<RoutingRuleSet> OperatorClient::get_current_routing_rule_set() {
    return typed<RoutingRuleSet>(m_client->request(Method::get, "/operator/routing/rule-sets/current"));
}

Response<RoutingRuleSet> OperatorClient::replace_current_routing_rule_set(
    const RoutingRuleSetReplaceRequest& request, const MutationOptions& options) {
    return typed<RoutingRuleSet>(m_client->request(Method::put, "/operator/routing/rule-sets/current",
                                                   json(request), {},
                                                   detail::mutation_key(options.idempotency_key)));
}

Response<AgentProfile> OperatorClient::get_routing_agent_profile(std::string_view agent_id) {
    require_id("agent id", agent_id);
    return typed<AgentProfile>(
        m_client->request(Method::get, make_path({"operator", "routing", "agent-profiles", agent_id})));
}

Response<AgentProfile> OperatorClient::replace_routing_agent_profile(
    std::string_view agent_id, const AgentProfileReplaceRequest& request, const MutationOptions& options) {
    require_id("agent id", agent_id);
    return typed<AgentProfile>(
        m_client->request(Method::put, make_path({"operator", "routing", "agent-profiles", agent_id}),
                          json(request), {}, detail::mutation_key(options.idempotency_key)));
}

Response<RoutingDecision> OperatorClient::evaluate_routing(const RoutingEvaluationRequest& request,
                                                           const MutationOptions& options) {
    return typed<RoutingDecision>(m_client->request(Method::post, "/operator/routing/evaluations",
                                                    json(request), {},
                                                    detail::mutation_key(options.idempotency_key)));
}

Response<RoutingAudit> OperatorClient::get_routing_decision_audit(std::string_view decision_id) {
    require_id("decision id", decision_id);
    return typed<RoutingAudit>(
        m_client->request(Method::get, make_path({"operator", "routing", "audit", decision_id})));
}

Response<RoutingDecision> OperatorClient::ingest_provider_issue(const ProviderIssueSnapshot& snapshot,
                                                                const MutationOptions& options) {
    return typed<RoutingDecision>(m_client->request(Method::post, "/operator/intake/provider-issues",
                                                    json(snapshot), {},
                                                    detail::mutation_key(options.idempotency_key)));
}

Response<SetupVerificationTask> OperatorClient::create_setup_verification_task(
    const SetupVerificationTaskRequest& request, const MutationOptions& options) {
    require_id("agent id", request.agent_id);
    return typed<SetupVerificationTask>(m_client->request(Method::post, "/operator/setup/verification-task",
                                                          json(request), {},
                                                          detail::mutation_key(options.idempotency_key)));
}

Response<std::vector<AgentRun>> OperatorClient::list_agent_runs(const ListAgentRunsOptions& options) {
    // Not checked against agent_run_status: servers name run states differently; they reject unknown ones.
    if (options.status && options.status->empty())
        throw Error(ErrorKind::invalid_argument, "status filter must not be empty");
    if (options.limit && (*options.limit < 1 || *options.limit > 100))
        throw Error(ErrorKind::invalid_argument, "limit must be between 1 and 100");
    if (options.agent_id && options.agent_id->empty())
        throw Error(ErrorKind::invalid_argument, "agent id must not be empty");
    auto q = detail::query_string(
        {{"agentId", options.agent_id},
         {"status", options.status},
         {"limit",
          options.limit ? std::optional<std::string>(std::to_string(*options.limit)) : std::nullopt}});
    return typed<std::vector<AgentRun>>(m_client->request(Method::get, "/operator/agent-runs" + q));
}

Response<AgentRun> OperatorClient::get_agent_run(std::string_view run_id) {
    require_id("run id", run_id);
    return typed<AgentRun>(m_client->request(Method::get, make_path({"operator", "agent-runs", run_id})));
}

Response<RunContext> OperatorClient::get_run_context(std::string_view run_id,
                                                     std::string_view run_context_token) {
    require_id("run id", run_id);
    require_id("run-context token", run_context_token);
    Client scoped = scoped_client(run_context_token);
    return typed<RunContext>(scoped.request(Method::get, make_path({"agent-runs", run_id, "context"})));
}

Client OperatorClient::scoped_client(std::string_view token) const {
    // A client of its own for the call: the same settings and transport, the run token as its key, so
    // the token (not the API key) is sent and it is the token that the log redaction hides.
    ClientOptions options = m_client->options();
    options.api_key = std::string(token);
    return Client(std::move(options));
}

Response<AgentRun> OperatorClient::report_agent_run(std::string_view run_id,
                                                    const AgentRunReportRequest& request,
                                                    std::optional<std::string> run_context_token) {
    require_id("run id", run_id);
    if (run_context_token) require_id("run-context token", *run_context_token);
    // An empty key: no Idempotency-Key header, and therefore no retry of a report that may have landed.
    auto path = make_path({"agent-runs", run_id, "report"});
    if (run_context_token) {
        Client scoped = scoped_client(*run_context_token);
        return typed<AgentRun>(scoped.request(Method::post, path, json(request), {}, std::string()));
    }
    return typed<AgentRun>(m_client->request(Method::post, path, json(request), {}, std::string()));
}

Response<json> OperatorClient::set_task_source(std::string_view task_id,
                                               const TaskSourceRepairRequest& request,
                                               const MutationOptions& options) {
    require_id("task id", task_id);
    return typed<json>(m_client->request(Method::patch, make_path({"operator", "tasks", task_id, "source"}),
                                         json(request), {}, detail::mutation_key(options.idempotency_key)));
}

}  // namespace agentrail
