// OperatorClient against a scripted fake transport: per operation what is sent (method, path, query,
// headers, body) and what is decoded (typed fields, unknown fields kept), plus error mapping.

#include <catch2/catch.hpp>

#include "agentrail/operator.hpp"
#include "fake_transport.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {

const std::string base = "http://127.0.0.1:3000";

json rule_json() {
    return {{"id", "rule_architecture_to_cto"},
            {"name", "Architecture and API ownership"},
            {"enabled", true},
            {"priority", 10},
            {"conditions",
             {{"repositories", {"oxnw/agentrail"}},
              {"labelsAny", {"architecture", "api"}},
              {"issueTypes", {"architecture", "design"}},
              {"ownershipTagsAny", {"control-plane"}},
              {"capabilityTagsAll", {"api-design"}}}},
            {"target", {{"type", "agent"}, {"id", "agt_cto"}}},
            {"confidence", 0.99},
            {"explanation", "Repo and architecture/API labels map to CTO ownership."}};
}

json classifier_json() {
    return {{"enabled", true},
            {"provider", "internal-router"},
            {"confidenceThreshold", 0.82},
            {"maxCandidates", 3},
            {"fallbackTriageQueueId", "triage_engineering"},
            {"fallbackBehavior", "require_suitable_agent"},
            {"timeoutMs", 180000}};
}

json rule_set_json() {
    return {{"id", "rset_01JZROUTE0000000000000102"},
            {"version", 8},
            {"status", "active"},
            {"source", "admin_api"},
            {"sourceRef", "AGEA-95"},
            {"createdBy", "agt_cto"},
            {"createdAt", "2026-05-05T12:14:00Z"},
            {"rules", {rule_json()}},
            {"classifier", classifier_json()},
            {"audit", {{"supersedesRuleSetId", nullptr}, {"changeReason", "first"}}},
            {"futureField", {{"x", 1}}}};
}

json profile_json() {
    return {{"agentId", "agt_cto"},
            {"displayName", "CTO"},
            {"role", "cto"},
            {"status", "active"},
            {"capabilityTags", {"api-design", "architecture"}},
            {"ownershipTags", {"control-plane"}},
            {"repoAllowlist", {"oxnw/agentrail"}},
            {"maxConcurrentTasks", 3},
            {"source", "operator_admin"},
            {"sourceRef", "AGEA-95"},
            {"changeReason", "Seed"},
            {"updatedBy", "agt_ceo"},
            {"updatedAt", "2026-05-05T15:40:00Z"},
            {"capacityUsed", 1}};
}

json snapshot_json() {
    return {{"provider", "github"},
            {"providerIssueId", "github:oxnw/agentrail:issues/95"},
            {"sourceVersion", "2026-05-05T12:00:00Z:delivery-01"},
            {"repository",
             {{"provider", "github"}, {"owner", "oxnw"}, {"name", "agentrail"}, {"defaultBranch", "main"}}},
            {"title", "Define routing"},
            {"bodyDigest", "sha256:43c3"},
            {"labels", {"architecture", "api"}},
            {"project", "Documentation"},
            {"issueType", "architecture"},
            {"priority", "high"},
            {"ownershipTags", {"control-plane"}},
            {"capabilityTags", {"api-design"}},
            {"links", {{"providerIssue", "https://github.com/oxnw/agentrail/issues/95"}}}};
}

json decision_json(bool dry_run) {
    return {{"id", "rdec_01JZROUTE0000000000000001"},
            {"taskId", dry_run ? json(nullptr) : json("tsk_01JZROUTE0000000000000001")},
            {"taskIdentifier", dry_run ? json(nullptr) : json("AGEA-95")},
            {"outcome", "assigned"},
            {"target", {{"type", "agent"}, {"id", "agt_cto"}}},
            {"assignment",
             {{"assigneeAgentId", "agt_cto"},
              {"triageQueueId", nullptr},
              {"assignmentSource", "deterministic_rule"},
              {"routingDecisionId", "rdec_01JZROUTE0000000000000001"},
              {"assignedAt", dry_run ? json(nullptr) : json("2026-05-05T12:01:03Z")}}},
            {"confidence", 0.99},
            {"routingReason",
             {{"summary", "matched CTO rule"},
              {"matchedRules",
               {{{"id", "rule_architecture_to_cto"}, {"name", "Architecture"}, {"confidence", 0.99}}}},
              {"classifier", nullptr},
              {"conflictReasons", json::array()}}},
            {"availableActions", {"view_task", "view_audit"}},
            {"explainVersion", 2}};
}

json run_json() {
    return {{"runId", "run_01ABC"},
            {"agentId", "agt_cto"},
            {"runner", "codex"},
            {"taskId", "tsk_01ABC"},
            {"taskIdentifier", "AGEA-95"},
            {"status", "running"},
            {"worktreePath", "/tmp/wt"},
            {"branchName", "agentrail/agt_cto/tsk_01ABC"},
            {"createdAt", "2026-05-05T12:00:00Z"},
            {"startedAt", "2026-05-05T12:00:01Z"},
            {"finishedAt", nullptr},
            {"updatedAt", "2026-05-05T12:00:02Z"},
            {"exitCode", nullptr},
            {"summary", nullptr},
            {"reports",
             {{{"status", "progress"},
               {"summary", "half way"},
               {"createdAt", "2026-05-05T12:00:02Z"},
               {"handoff", nullptr}}}},
            {"launch", {{"executable", "codex"}, {"args", {"exec"}}}}};
}

std::string operator_envelope(const json& data, json actions = json::array()) {
    return json{{"data", data}, {"availableActions", actions}, {"meta", {{"requestId", "req_1"}}}}.dump();
}

}  // namespace

TEST_CASE("getCurrentRoutingRuleSet: GET, typed rule set, unknown fields kept", "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, operator_envelope(rule_set_json(), {"update", "evaluate"}));
    auto client = make_test_client(fake);
    OperatorClient op(client);
    auto r = op.get_current_routing_rule_set();
    CHECK(fake->last().method == Method::get);
    CHECK(fake->last().url == base + "/operator/routing/rule-sets/current");
    CHECK(header_of(fake->last(), "Authorization") == "Bearer ar_test_key_123456");
    CHECK(header_of(fake->last(), "Idempotency-Key").empty());
    CHECK(r.status == 200);
    CHECK(r.data.id == "rset_01JZROUTE0000000000000102");
    CHECK(r.data.version == 8);
    REQUIRE(r.data.rules.size() == 1);
    CHECK(r.data.rules[0].conditions.labels_any == std::vector<std::string>{"architecture", "api"});
    CHECK(r.data.rules[0].target.id == "agt_cto");
    CHECK(r.data.rules[0].confidence == Approx(0.99));
    CHECK(r.data.classifier.timeout_ms == 180000);
    CHECK_FALSE(r.data.audit.supersedes_rule_set_id.has_value());
    CHECK(r.data.extra.at("futureField") == json{{"x", 1}});
    CHECK(r.can("evaluate"));
    // Round trip: what the server sent comes back unchanged (null supersedes id and unknown field included).
    CHECK(json(r.data) == rule_set_json());
}

TEST_CASE("replaceCurrentRoutingRuleSet: PUT with the body and an Idempotency-Key", "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(201, operator_envelope(rule_set_json()));
    auto client = make_test_client(fake);
    OperatorClient op(client);
    RoutingRuleSetReplaceRequest req = json{
        {"sourceRef", "AGEA-95"},
        {"changeReason", "Add ownership"},
        {"rules", {rule_json()}},
        {"classifier", classifier_json()}}.get<RoutingRuleSetReplaceRequest>();
    auto r = op.replace_current_routing_rule_set(req, {std::string("routing-AGEA-95-v1")});
    CHECK(fake->last().method == Method::put);
    CHECK(fake->last().url == base + "/operator/routing/rule-sets/current");
    CHECK(header_of(fake->last(), "Idempotency-Key") == "routing-AGEA-95-v1");
    CHECK(header_of(fake->last(), "Content-Type") == "application/json");
    CHECK(json::parse(fake->last().body) == json{{"sourceRef", "AGEA-95"},
                                                 {"changeReason", "Add ownership"},
                                                 {"rules", {rule_json()}},
                                                 {"classifier", classifier_json()}});
    CHECK(r.status == 201);
    CHECK(r.idempotency_key == "routing-AGEA-95-v1");

    SECTION("an empty rule list is still sent (the field is required)") {
        fake->reply(201, operator_envelope(rule_set_json()));
        RoutingRuleSetReplaceRequest empty;
        empty.source_ref = "x";
        empty.change_reason = "clear";
        op.replace_current_routing_rule_set(empty);
        auto body = json::parse(fake->last().body);
        CHECK(body.at("rules") == json::array());
        CHECK(header_of(fake->last(), "Idempotency-Key").size() == 36);  // a fresh random key
    }
    SECTION("a key outside 8..128 characters is refused before sending") {
        CHECK_THROWS_AS(op.replace_current_routing_rule_set(req, {std::string("short")}), Error);
        CHECK(fake->requests().size() == 1);
    }
}

TEST_CASE("a 409 on replace maps to ConflictError with the key", "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(
        409, error_body("conflict", "Idempotency-Key has already been used with a different request payload.",
                        {{"idempotencyKey", "routing-AGEA-95-v1"}}));
    auto client = make_test_client(fake);
    OperatorClient op(client);
    try {
        op.replace_current_routing_rule_set({}, {std::string("routing-AGEA-95-v1")});
        FAIL("no throw");
    } catch (const ConflictError& e) {
        CHECK(e.kind() == ErrorKind::conflict);
        CHECK(e.idempotency_key() == "routing-AGEA-95-v1");
    }
    CHECK(fake->requests().size() == 1);  // 409 is not retried
}

TEST_CASE("getRoutingAgentProfile / replaceRoutingAgentProfile", "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    OperatorClient op(client);

    SECTION("get: escaped path, typed profile, unknown field kept") {
        fake->reply(200, operator_envelope(profile_json(), {"update"}));
        auto r = op.get_routing_agent_profile("agt_cto");
        CHECK(fake->last().method == Method::get);
        CHECK(fake->last().url == base + "/operator/routing/agent-profiles/agt_cto");
        CHECK(r.data.display_name == "CTO");
        CHECK(r.data.max_concurrent_tasks == 3);
        CHECK(r.data.repo_allowlist == std::vector<std::string>{"oxnw/agentrail"});
        CHECK(r.data.extra.at("capacityUsed") == 1);
        CHECK(json(r.data) == profile_json());
        fake->reply(200, operator_envelope(profile_json()));
        op.get_routing_agent_profile("agt a/b");
        CHECK(fake->last().url == base + "/operator/routing/agent-profiles/agt%20a%2Fb");
    }
    SECTION("put: body with every required member, Idempotency-Key") {
        fake->reply(200, operator_envelope(profile_json()));
        AgentProfileReplaceRequest req;
        req.display_name = "CTO";
        req.role = "cto";
        req.status = "active";
        req.capability_tags = {"api-design"};
        req.max_concurrent_tasks = 3;
        req.source_ref = "AGEA-95";
        req.change_reason = "Seed";
        auto r = op.replace_routing_agent_profile("agt_cto", req);
        CHECK(fake->last().method == Method::put);
        CHECK(fake->last().url == base + "/operator/routing/agent-profiles/agt_cto");
        CHECK(json::parse(fake->last().body) == json{{"displayName", "CTO"},
                                                     {"role", "cto"},
                                                     {"status", "active"},
                                                     {"capabilityTags", {"api-design"}},
                                                     {"ownershipTags", json::array()},
                                                     {"repoAllowlist", json::array()},
                                                     {"maxConcurrentTasks", 3},
                                                     {"sourceRef", "AGEA-95"},
                                                     {"changeReason", "Seed"}});
        CHECK(header_of(fake->last(), "Idempotency-Key").size() == 36);
        CHECK(r.data.agent_id == "agt_cto");
    }
    SECTION("404 maps to NotFoundError; an empty id is refused locally") {
        fake->reply(404, error_body("not_found", "Agent profile not found."));
        CHECK_THROWS_AS(op.get_routing_agent_profile("agt_nobody"), NotFoundError);
        CHECK_THROWS_AS(op.get_routing_agent_profile(""), Error);
        CHECK(fake->requests().size() == 1);
    }
}

TEST_CASE("evaluateRouting: POST snapshot, dry-run decision with null task", "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, operator_envelope(decision_json(true), {"view_audit"}));
    auto client = make_test_client(fake);
    OperatorClient op(client);
    RoutingEvaluationRequest req;
    req.snapshot = snapshot_json().get<ProviderIssueSnapshot>();
    auto r = op.evaluate_routing(req);
    CHECK(fake->last().method == Method::post);
    CHECK(fake->last().url == base + "/operator/routing/evaluations");
    CHECK(json::parse(fake->last().body) == json{{"snapshot", snapshot_json()}});  // no ruleSetVersion
    CHECK(header_of(fake->last(), "Idempotency-Key").size() == 36);
    CHECK_FALSE(r.data.task_id.has_value());
    CHECK(r.data.outcome == "assigned");
    CHECK(r.data.target.id == "agt_cto");
    CHECK(r.data.confidence == Approx(0.99));
    REQUIRE(r.data.routing_reason.matched_rules.size() == 1);
    CHECK(r.data.routing_reason.matched_rules[0].id == "rule_architecture_to_cto");
    CHECK_FALSE(r.data.routing_reason.classifier.has_value());
    CHECK(r.data.extra.at("explainVersion") == 2);
    CHECK(json(r.data) == decision_json(true));

    SECTION("a pinned rule set version is sent") {
        fake->reply(200, operator_envelope(decision_json(true)));
        req.rule_set_version = 8;
        op.evaluate_routing(req);
        CHECK(json::parse(fake->last().body).at("ruleSetVersion") == 8);
    }
    SECTION("403 insufficient_scope maps to ForbiddenError with the required scope") {
        fake->reply(403, error_body("insufficient_scope", "API key does not include routing:evaluate.",
                                    {{"requiredScope", "routing:evaluate"}}));
        try {
            op.evaluate_routing(req);
            FAIL("no throw");
        } catch (const ForbiddenError& e) {
            CHECK(e.required_scope() == "routing:evaluate");
        }
    }
}

TEST_CASE("getRoutingDecisionAudit: GET, typed audit record", "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    json audit = {{"decision", decision_json(false)},
                  {"inputDigest", "sha256:43c3"},
                  {"ruleSet", {{"id", "rset_1"}, {"version", 8}}},
                  {"createdAt", "2026-05-05T12:01:03Z"}};
    fake->reply(200, operator_envelope(audit, {"view_task"}));
    auto client = make_test_client(fake);
    OperatorClient op(client);
    auto r = op.get_routing_decision_audit("rdec_01JZROUTE0000000000000001");
    CHECK(fake->last().method == Method::get);
    CHECK(fake->last().url == base + "/operator/routing/audit/rdec_01JZROUTE0000000000000001");
    CHECK(r.data.decision.task_id == "tsk_01JZROUTE0000000000000001");
    CHECK(r.data.decision.assignment.assigned_at == "2026-05-05T12:01:03Z");
    CHECK(r.data.rule_set.version == 8);
    CHECK(r.data.input_digest == "sha256:43c3");
    CHECK(json(r.data) == audit);
}

TEST_CASE("ingestProviderIssue: POST snapshot, 202 decision with a task", "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(202, operator_envelope(decision_json(false)));
    auto client = make_test_client(fake);
    OperatorClient op(client);
    auto snap = snapshot_json().get<ProviderIssueSnapshot>();
    auto r = op.ingest_provider_issue(snap, {std::string("intake-AGEA-95-v1")});
    CHECK(fake->last().method == Method::post);
    CHECK(fake->last().url == base + "/operator/intake/provider-issues");
    CHECK(json::parse(fake->last().body) == snapshot_json());
    CHECK(header_of(fake->last(), "Idempotency-Key") == "intake-AGEA-95-v1");
    CHECK(r.status == 202);
    CHECK(r.data.task_id == "tsk_01JZROUTE0000000000000001");
    CHECK(r.data.task_identifier == "AGEA-95");

    SECTION("a 400 maps to ValidationError") {
        fake->reply(400, error_body("validation_error", "Request body did not match the routing contract.",
                                    {{"field", "labels"}}));
        CHECK_THROWS_AS(op.ingest_provider_issue(snap), ValidationError);
    }
    SECTION("a 503 is retried with the same key, then succeeds") {
        fake->reply(503, error_body("internal_error", "busy"));
        fake->reply(202, operator_envelope(decision_json(false)));
        op.ingest_provider_issue(snap);
        auto n = fake->requests().size();
        CHECK(header_of(fake->requests()[n - 1], "Idempotency-Key") ==
              header_of(fake->requests()[n - 2], "Idempotency-Key"));
    }
}

TEST_CASE("createSetupVerificationTask: POST, 201 typed task", "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    json task = {{"taskId", "tsk_01JZSETUP0000000000000001"},
                 {"taskIdentifier", "LOCAL-SETUP-AGT-SETUP"},
                 {"agentId", "agt_setup"},
                 {"sourceRef", "agentrail-cli:init"},
                 {"status", "in_progress"},
                 {"createdAt", "2026-05-05T12:30:00Z"},
                 {"updatedAt", "2026-05-05T12:30:00Z"}};
    fake->reply(201, operator_envelope(task, {"submit"}));
    auto client = make_test_client(fake);
    OperatorClient op(client);
    SetupVerificationTaskRequest req;
    req.agent_id = "agt_setup";
    auto r = op.create_setup_verification_task(req);
    CHECK(fake->last().method == Method::post);
    CHECK(fake->last().url == base + "/operator/setup/verification-task");
    CHECK(json::parse(fake->last().body) == json{{"agentId", "agt_setup"}});  // sourceRef omitted
    CHECK(header_of(fake->last(), "Idempotency-Key").size() == 36);
    CHECK(r.data.task_identifier == "LOCAL-SETUP-AGT-SETUP");
    CHECK(r.data.status == "in_progress");
    CHECK(json(r.data) == task);
}

TEST_CASE("list / get agent runs (reference server routes)", "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    OperatorClient op(client);

    SECTION("list with filters builds the query; runs decode, unknown fields kept") {
        fake->reply(200, operator_envelope(json::array({run_json()})));
        ListAgentRunsOptions o;
        o.agent_id = "agt_cto";
        o.status = "running";
        o.limit = 5;
        auto r = op.list_agent_runs(o);
        CHECK(fake->last().method == Method::get);
        CHECK(fake->last().url == base + "/operator/agent-runs?agentId=agt_cto&status=running&limit=5");
        REQUIRE(r.data.size() == 1);
        CHECK(r.data[0].run_id == "run_01ABC");
        CHECK(r.data[0].runner == "codex");
        CHECK_FALSE(r.data[0].exit_code.has_value());
        REQUIRE(r.data[0].reports.size() == 1);
        CHECK(r.data[0].reports[0].summary == "half way");
        CHECK(r.data[0].extra.at("launch").at("executable") == "codex");
        CHECK(json(r.data[0]) == run_json());
    }
    SECTION("list without filters; bad filters refused locally") {
        fake->reply(200, operator_envelope(json::array()));
        op.list_agent_runs();
        CHECK(fake->last().url == base + "/operator/agent-runs");
        ListAgentRunsOptions bad;
        bad.status = "";
        CHECK_THROWS_AS(op.list_agent_runs(bad), Error);
        bad.status.reset();
        bad.limit = 0;
        CHECK_THROWS_AS(op.list_agent_runs(bad), Error);
        CHECK(fake->requests().size() == 1);
    }
    SECTION("get one run; 404 maps to NotFoundError") {
        fake->reply(200, operator_envelope(run_json()));
        auto r = op.get_agent_run("run_01ABC");
        CHECK(fake->last().url == base + "/operator/agent-runs/run_01ABC");
        CHECK(r.data.task_id == "tsk_01ABC");
        fake->reply(404, error_body("not_found", "Agent run not found."));
        CHECK_THROWS_AS(op.get_agent_run("run_missing"), NotFoundError);
    }
    SECTION("a run without its required ids is a protocol error") {
        fake->reply(200, operator_envelope(json{{"runId", "run_1"}, {"status", "running"}}));
        try {
            op.get_agent_run("run_1");
            FAIL("no throw");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::protocol);
            CHECK(std::string(e.what()).find("agentId") != std::string::npos);
        }
    }
}

TEST_CASE("run context is read with the run-context token, not the API key", "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    json context = {
        {"run",
         {{"runId", "run_01ABC"}, {"agentId", "agt_cto"}, {"taskId", "tsk_01ABC"}, {"status", "running"}}},
        {"task",
         {{"id", "tsk_01ABC"},
          {"identifier", "AGEA-95"},
          {"title", "Define routing"},
          {"status", "in_progress"},
          {"acceptanceCriteria", {"works"}},
          {"availableActions", {"submit"}}}},
        {"nextActions", {{{"id", "submit"}, {"label", "Finish and report."}}}},
        {"cardVersion", 1}};
    fake->reply(200, operator_envelope(context, {"submit"}));
    std::vector<std::string> logged;
    ClientOptions o;
    o.base_url = base;
    o.api_key = "ar_test_key_123456";
    o.transport = fake;
    o.log = [&](LogLevel, std::string_view m) { logged.emplace_back(m); };
    Client client(std::move(o));
    OperatorClient op(client);
    auto r = op.get_run_context("run_01ABC", "arrun_abcdefghijklmnopqrstuvwxyz012345");
    CHECK(fake->last().method == Method::get);
    CHECK(fake->last().url == base + "/agent-runs/run_01ABC/context");
    CHECK(header_of(fake->last(), "Authorization") == "Bearer arrun_abcdefghijklmnopqrstuvwxyz012345");
    CHECK(r.data.run->run_id == "run_01ABC");
    CHECK(r.data.task->acceptance_criteria == std::vector<std::string>{"works"});
    REQUIRE(r.data.next_actions.size() == 1);
    CHECK(r.data.next_actions[0].id == "submit");
    CHECK(r.data.extra.at("cardVersion") == 1);
    for (const auto& m : logged) CHECK(m.find("arrun_abcdefghijklmnopqrstuvwxyz012345") == std::string::npos);
    // The operator's own client is untouched.
    CHECK(client.options().api_key == "ar_test_key_123456");

    SECTION("a wrong token is a 401") {
        fake->reply(401, error_body("unauthorized", "Invalid run context token."));
        CHECK_THROWS_AS(op.get_run_context("run_01ABC", "arrun_wrong"), UnauthorizedError);
    }
    SECTION("an empty token is refused locally") {
        CHECK_THROWS_AS(op.get_run_context("run_01ABC", ""), Error);
    }
}

TEST_CASE("servers that shape runs differently still decode (id for runId, other card layout)",
          "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    json run = {{"id", "run_9"},      {"taskId", "tsk_9"},   {"agentId", "agt_demo"},
                {"status", "queued"}, {"trigger", "intake"}, {"report", nullptr}};
    fake->reply(200, operator_envelope(run));
    json card = {
        {"runId", "run_9"},
        {"status", "running"},
        {"task",
         {{"id", "tsk_9"}, {"identifier", "GEN-1"}, {"title", "T"}, {"availableActions", {"submit"}}}},
        {"instructions", "Work on GEN-1"}};
    fake->reply(200, operator_envelope(card, {"report"}));
    auto client = make_test_client(fake);
    OperatorClient op(client);
    auto r = op.get_agent_run("run_9");
    CHECK(r.data.run_id == "run_9");
    CHECK(r.data.status == "queued");
    CHECK(json(r.data) == run);  // written back under `id`, no invented `runId`
    auto c = op.get_run_context("run_9", "arrun_token_value_0123456789");
    CHECK_FALSE(c.data.run.has_value());
    REQUIRE(c.data.task.has_value());
    CHECK(c.data.task->identifier == "GEN-1");
    CHECK(c.data.extra.at("instructions") == "Work on GEN-1");
    CHECK(json(c.data) == card);
}

TEST_CASE("run report: POST without an Idempotency-Key, not retried", "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    json updated = run_json();
    updated["status"] = "awaiting_user";
    fake->reply(202, operator_envelope(updated));
    auto client = make_test_client(fake);
    OperatorClient op(client);
    AgentRunReportRequest req;
    req.status = "blocked";
    req.summary = "Need credentials";
    req.reason = "No token";
    req.action_required = "Add a token";
    req.resume_instructions = "Re-run";
    auto r = op.report_agent_run("run_01ABC", req);
    CHECK(fake->last().method == Method::post);
    CHECK(fake->last().url == base + "/agent-runs/run_01ABC/report");
    CHECK(header_of(fake->last(), "Idempotency-Key").empty());
    CHECK(header_of(fake->last(), "Authorization") == "Bearer ar_test_key_123456");
    CHECK(json::parse(fake->last().body) == json{{"status", "blocked"},
                                                 {"summary", "Need credentials"},
                                                 {"reason", "No token"},
                                                 {"actionRequired", "Add a token"},
                                                 {"resumeInstructions", "Re-run"}});
    CHECK(r.status == 202);
    CHECK(r.data.status == "awaiting_user");

    SECTION("a 503 is not retried (a report may have landed)") {
        fake->reply(503, error_body("internal_error", "busy"));
        fake->reply(202, operator_envelope(updated));
        CHECK_THROWS_AS(op.report_agent_run("run_01ABC", req), ServerError);
        CHECK(fake->pending() == 1);
    }
    SECTION("with a run-context token it authenticates with the token") {
        fake->reply(200, operator_envelope(updated));
        AgentRunReportRequest done;
        done.status = "succeeded";
        done.summary = "Done";
        done.extra = {{"artifacts", json::array()}};
        op.report_agent_run("run_01ABC", done, std::string("arrun_token_value_0123456789"));
        CHECK(header_of(fake->last(), "Authorization") == "Bearer arrun_token_value_0123456789");
        CHECK(json::parse(fake->last().body) ==
              json{{"status", "succeeded"}, {"summary", "Done"}, {"artifacts", json::array()}});
    }
    SECTION("403 forbidden for another agent's run") {
        fake->reply(403, error_body("forbidden", "Agent run is not assigned to this agent."));
        CHECK_THROWS_AS(op.report_agent_run("run_01ABC", req), ForbiddenError);
    }
}

TEST_CASE("task source: PATCH with sourceRef, changeReason, source and an Idempotency-Key", "[operator]") {
    auto fake = std::make_shared<FakeTransport>();
    json task = {{"id", "tsk_01ABC"},
                 {"source", {{"provider", "github"}, {"owner", "oxnw"}, {"repo", "agentrail"}}}};
    fake->reply(200, operator_envelope(task));
    auto client = make_test_client(fake);
    OperatorClient op(client);
    TaskSourceRepairRequest req;
    req.source_ref = "AGEA-95";
    req.change_reason = "Wrong repo";
    req.source = {{"owner", "oxnw"}, {"repo", "agentrail"}, {"branch", nullptr}};
    auto r = op.set_task_source("tsk_01ABC", req, {std::string("source-fix-1")});
    CHECK(fake->last().method == Method::patch);
    CHECK(fake->last().url == base + "/operator/tasks/tsk_01ABC/source");
    CHECK(header_of(fake->last(), "Idempotency-Key") == "source-fix-1");
    CHECK(json::parse(fake->last().body) ==
          json{{"sourceRef", "AGEA-95"},
               {"changeReason", "Wrong repo"},
               {"source", {{"owner", "oxnw"}, {"repo", "agentrail"}, {"branch", nullptr}}}});
    CHECK(r.data == task);

    SECTION("a bare merge patch (other servers) is sent as it is") {
        fake->reply(200, operator_envelope(task));
        json patch = {
            {"provider", "github"}, {"repository", {{"owner", "o"}, {"name", "r"}}}, {"baseBranch", nullptr}};
        auto bare = patch.get<TaskSourceRepairRequest>();
        CHECK_FALSE(bare.source_ref.has_value());
        op.set_task_source("tsk_01ABC", bare);
        CHECK(json::parse(fake->last().body) == patch);
    }
    SECTION("a 200 without data is a protocol error") {
        fake->reply(200, R"({"ok":true})");
        try {
            op.set_task_source("tsk_01ABC", req);
            FAIL("no throw");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::protocol);
            CHECK(e.idempotency_key().size() == 36);
        }
    }
}

TEST_CASE("operator models reject wrong types with a path", "[operator][models]") {
    json bad = decision_json(false);
    bad["routingReason"]["matchedRules"][0]["confidence"] = "high";
    try {
        (void)bad.get<RoutingDecision>();
        FAIL("no throw");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::protocol);
        CHECK(std::string(e.what()) == "decision.routingReason.matchedRules[0].confidence: expected number");
    }
}

TEST_CASE("operator models: whatever decodes encodes back to the same JSON", "[operator][models]") {
    // Every fixture, and every variant with one member (at any depth) removed or set to null: decoding
    // either fails with a protocol error or round-trips exactly (nulls and unknown members kept).
    json audit = {{"decision", decision_json(false)},
                  {"inputDigest", "sha256:43c3"},
                  {"ruleSet", {{"id", "rset_1"}, {"version", 8}}},
                  {"createdAt", "2026-05-05T12:01:03Z"}};
    json both_ids = run_json();
    both_ids["id"] = "run_01ABC";
    auto variants = [](const json& j) {
        std::vector<json> out{j};
        const json leaves = j.flatten();
        for (const auto& item : leaves.items()) {
            json flat = leaves;
            flat.erase(item.key());
            out.push_back(flat.unflatten());
            flat = leaves;
            flat[item.key()] = nullptr;
            out.push_back(flat.unflatten());
        }
        return out;
    };
    std::size_t decoded = 0, rejected = 0;
    auto round_trip = [&](const json& fixture, auto tag) {
        using T = decltype(tag);
        for (const auto& v : variants(fixture)) {
            try {
                T model = v.get<T>();
                INFO(v.dump());
                CHECK(json(model) == v);
                ++decoded;
            } catch (const Error& e) {
                CHECK(e.kind() == ErrorKind::protocol);
                ++rejected;
            }
        }
    };
    round_trip(rule_set_json(), RoutingRuleSet{});
    round_trip(profile_json(), AgentProfile{});
    round_trip(snapshot_json(), ProviderIssueSnapshot{});
    round_trip(decision_json(true), RoutingDecision{});
    round_trip(audit, RoutingAudit{});
    round_trip(run_json(), AgentRun{});
    round_trip(both_ids, AgentRun{});
    round_trip(json{{"sourceRef", "x"},
                    {"changeReason", "y"},
                    {"rules", {rule_json()}},
                    {"classifier", classifier_json()}},
               RoutingRuleSetReplaceRequest{});
    CHECK(decoded > 50);
    CHECK(rejected > 50);
}
