// JSON models: the document's examples parse, keep everything (unknown members and enum values included)
// and re-emit equal JSON; requests serialise deterministically; bad shapes are protocol errors.

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "agentrail/errors.hpp"
#include "agentrail/models/ci.hpp"
#include "agentrail/models/enums.hpp"
#include "agentrail/models/event.hpp"
#include "agentrail/models/health.hpp"
#include "agentrail/models/keys.hpp"
#include "agentrail/models/providers.hpp"
#include "agentrail/models/review.hpp"
#include "agentrail/models/ship.hpp"
#include "agentrail/models/submit.hpp"
#include "agentrail/models/subscription.hpp"
#include "agentrail/models/task.hpp"

using nlohmann::json;
using namespace agentrail;

namespace {

// Parses `text` as T, checks that to_json gives the same JSON back, and returns the model.
template <typename T>
T round_trip(const std::string& text) {
    const auto in = json::parse(text);
    auto model = in.get<T>();
    CHECK(json(model).dump() == in.dump());
    return model;
}

// The protocol error message from parsing `text` as T ("" when it parsed).
template <typename T>
std::string protocol_error_of(const std::string& text) {
    try {
        (void)json::parse(text).get<T>();
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::protocol);
        return e.what();
    }
    return "";
}

const char* const task_detail_json = R"({
  "id":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","identifier":"AGEA-2","title":"Design Task Lifecycle API schema",
  "description":"Create OpenAPI 3.1 spec with six lifecycle endpoints and examples.","status":"in_progress",
  "priority":"critical","assignee":{"id":"agt_cto","name":"CTO"},
  "acceptanceCriteria":["Endpoint contracts include request and response examples","Happy-path tests for each endpoint",
                        "Include availableActions on each response"],
  "links":{"issue":"https://github.com/oxnw/agentrail/issues/2","parentIssue":"https://github.com/oxnw/agentrail/issues/1"},
  "context":{"project":"onboarding","goal":"Validate agent-native software infrastructure in 14 days"},
  "updatedAt":"2026-05-01T02:48:05Z","submissionId":null,"prUrl":null,"prNumber":null,"branch":null,
  "baseBranch":null,"headSha":null,"assigneeAgentId":"agt_cto","triageQueueId":null,"assignmentSource":null,
  "routingDecisionId":null,"routingReason":null,"routingConfidence":null,
  "availableActions":["submit","view_ci_status","view_review_feedback"],"blocker":null})";

}  // namespace

TEST_CASE("health parses, keeps unknown members and round-trips", "[models]") {
    auto h = round_trip<Health>(R"({"status":"ok","service":"agentrail-service",
        "publicBaseUrl":"https://api.agentrail.app/v1","pathPrefix":"/v1","time":"2026-05-04T14:54:17Z",
        "uptimeSeconds":43,"version":"0.1.4"})");
    CHECK(h.status == "ok");
    CHECK(h.public_base_url == "https://api.agentrail.app/v1");
    CHECK(h.path_prefix == "/v1");
    CHECK(h.uptime_seconds == 43);
    CHECK(h.extra == json{{"version", "0.1.4"}});

    auto no_prefix =
        round_trip<Health>(R"({"status":"ok","service":"s","publicBaseUrl":"http://127.0.0.1:3000",
        "pathPrefix":null,"time":"2026-05-04T14:54:17Z","uptimeSeconds":0})");
    CHECK_FALSE(no_prefix.path_prefix);

    auto absent =
        json::parse(R"({"status":"ok","service":"s","publicBaseUrl":"u","time":"t","uptimeSeconds":1})")
            .get<Health>();
    CHECK_FALSE(absent.path_prefix);
    CHECK(json(absent).contains("pathPrefix") == false);
}

TEST_CASE("api key answer round-trips with nulls and unknown members", "[models]") {
    auto key =
        round_trip<ApiKey>(R"({"id":"akey_01JY52RRF5PAGHT5DCZXJ4N2DG","apiKey":"ar_live_example_created_once",
        "agent":{"id":"agt_ci_reader","displayName":"CI Reader","role":"platform_ci",
                 "externalIdentities":[{"provider":"github","subject":"agentrail-ci-reader","verified":true}],
                 "team":"platform"},
        "scopes":["ci:read","providers:write"],"rateLimit":{"windowSeconds":60,"maxRequests":600},"status":"active",
        "createdAt":"2026-05-01T04:30:00Z","expiresAt":"2026-06-01T00:00:00Z","rotatedFromKeyId":null,
        "availableActions":["rotate","view_usage"],"lastRotatedBy":{"id":"agt_admin"}})");
    CHECK(key.api_key == "ar_live_example_created_once");
    CHECK(key.agent.display_name == "CI Reader");
    CHECK(key.agent.external_identities.at(0).subject == "agentrail-ci-reader");
    CHECK(key.agent.external_identities.at(0).extra == json{{"verified", true}});
    CHECK(key.agent.extra == json{{"team", "platform"}});
    CHECK(key.rate_limit.max_requests == 600);
    CHECK(key.status == key_status::active);
    CHECK(key.expires_at == "2026-06-01T00:00:00Z");
    CHECK_FALSE(key.rotated_from_key_id);
    CHECK(key.extra.contains("lastRotatedBy"));
    CHECK(is_known_scope(key.scopes.at(1)));
}

TEST_CASE("api key usage keeps the server's scopes extra", "[models]") {
    auto usage = round_trip<ApiKeyUsage>(R"({"keyId":"akey_01JY52RRF5PAGHT5DCZXJ4N2DG",
        "agent":{"id":"agt_ci_reader","displayName":"CI Reader","role":"platform_ci",
                 "externalIdentities":[{"provider":"github","subject":"agentrail-ci-reader"}]},
        "status":"active","lastUsedAt":"2026-05-01T04:32:12Z","totals":{"accepted":42,"denied":1},
        "byScope":[{"scope":"ci:read","count":42}],"byOperation":[{"operation":"get_task_ci_status","count":42}],
        "rateLimit":{"windowSeconds":60,"maxRequests":600,
                     "currentWindow":{"startedAt":"2026-05-01T04:32:00Z","resetAt":"2026-05-01T04:33:00Z",
                                      "used":12,"remaining":588}},
        "availableActions":["rotate"],"scopes":["ci:read"]})");
    CHECK(usage.totals.accepted == 42);
    CHECK(usage.totals.denied == 1);
    CHECK(usage.by_scope.at(0).scope == "ci:read");
    CHECK(usage.by_operation.at(0).count == 42);
    REQUIRE(usage.rate_limit.current_window);
    CHECK(usage.rate_limit.current_window->remaining == 588);
    CHECK(usage.scopes == std::vector<std::string>{"ci:read"});
    CHECK(usage.extra.empty());

    auto never_used = json::parse(R"({"keyId":"akey_1","agent":{"id":"agt_a","displayName":"A","role":"r",
        "externalIdentities":[]},"status":"active","lastUsedAt":null,"totals":{"accepted":0,"denied":0},
        "byScope":[],"byOperation":[],"rateLimit":{"windowSeconds":60,"maxRequests":600,"currentWindow":null},
        "availableActions":[]})");
    auto u = never_used.get<ApiKeyUsage>();
    CHECK_FALSE(u.last_used_at);
    CHECK_FALSE(u.rate_limit.current_window);
    CHECK(u.scopes.empty());
    CHECK(json(u) == never_used);
}

TEST_CASE("task list items parse with null and set optionals", "[models]") {
    const auto in = json::parse(R"([
      {"id":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","identifier":"AGEA-2","title":"Design Task Lifecycle API schema",
       "status":"in_progress","priority":"critical","dueAt":null,"updatedAt":"2026-05-01T02:48:05Z",
       "availableActions":["submit"],"blocker":null},
      {"id":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5W","identifier":"AGEA-5","title":"Implement GitHub adapter error mapping",
       "status":"todo","priority":"high","dueAt":"2026-05-02T18:00:00Z","updatedAt":"2026-05-01T01:22:11Z",
       "availableActions":["start"],"blocker":null}])");
    auto tasks = in.get<std::vector<TaskSummary>>();
    REQUIRE(tasks.size() == 2);
    CHECK(tasks[0].status == task_status::in_progress);
    CHECK(tasks[0].priority == priority::critical);
    CHECK_FALSE(tasks[0].due_at);
    CHECK_FALSE(tasks[0].blocker);
    CHECK(tasks[1].due_at == "2026-05-02T18:00:00Z");
    CHECK(tasks[1].available_actions == std::vector<std::string>{"start"});
    CHECK(json(tasks) == in);

    // Absent optionals are simply empty and stay absent.
    auto minimal =
        json::parse(R"({"id":"t","identifier":"I-1","title":"x","status":"archived","priority":"low",
        "updatedAt":"2026-05-01T00:00:00Z","availableActions":[]})");
    auto m = minimal.get<TaskSummary>();
    CHECK(m.status == "archived");  // unknown status kept
    CHECK_FALSE(is_known_task_status(m.status));
    CHECK(json(m) == minimal);
}

TEST_CASE("task detail round-trips, with the server's ci extra", "[models]") {
    auto t = round_trip<TaskDetail>(task_detail_json);
    CHECK(t.identifier == "AGEA-2");
    REQUIRE(t.assignee);
    CHECK(t.assignee->name == "CTO");
    CHECK(t.acceptance_criteria.size() == 3);
    CHECK(t.links["issue"] == "https://github.com/oxnw/agentrail/issues/2");
    CHECK(t.context["project"] == "onboarding");
    CHECK(t.assignee_agent_id == "agt_cto");
    CHECK_FALSE(t.submission_id);
    CHECK_FALSE(t.pr_number);
    CHECK_FALSE(t.routing_confidence);
    CHECK(t.routing_reason.is_null());
    CHECK(t.ci.is_null());
    CHECK_FALSE(t.blocker);

    auto with_ci = json::parse(task_detail_json);
    with_ci["ci"] = {{"overallStatus", "failed"}, {"failedChecks", {"unit-tests"}}};
    with_ci["prNumber"] = 42;
    with_ci["prUrl"] = "https://github.com/oxnw/agentrail/pull/42";
    with_ci["routingConfidence"] = 0.82;
    with_ci["routingReason"] = {{"summary", "matched rule"},
                                {"matchedRules", json::array()},
                                {"classifier", nullptr},
                                {"conflictReasons", json::array()}};
    auto t2 = with_ci.get<TaskDetail>();
    CHECK(t2.ci["overallStatus"] == "failed");
    CHECK(t2.pr_number == 42);
    CHECK(t2.routing_confidence == Approx(0.82));
    CHECK(t2.routing_reason["summary"] == "matched rule");
    CHECK(json(t2) == with_ci);

    auto ci_null = json::parse(task_detail_json);
    ci_null["ci"] = nullptr;
    CHECK(json(ci_null.get<TaskDetail>()) == ci_null);
}

TEST_CASE("blocked task detail carries the blocker", "[models]") {
    auto t = round_trip<TaskDetail>(R"({"id":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","identifier":"AGEA-42",
        "title":"Repair GitHub integration","description":"Continue the assigned task after GitHub credentials are restored.",
        "status":"blocked","priority":"high","assignee":{"id":"agt_cto","name":"CTO"},
        "acceptanceCriteria":["GitHub credentials are available to the runner"],
        "links":{"issue":"https://github.com/oxnw/agentrail/issues/42","parentIssue":null},
        "context":{"project":"onboarding","goal":"Complete the managed runner setup flow"},
        "updatedAt":"2026-05-01T03:12:00Z","submissionId":null,"prUrl":null,"prNumber":null,"branch":null,
        "baseBranch":null,"headSha":null,"assigneeAgentId":"agt_cto","triageQueueId":null,
        "assignmentSource":"deterministic_rule","routingDecisionId":null,"routingReason":null,"routingConfidence":null,
        "availableActions":["resolve_blocker"],
        "blocker":{"kind":"awaiting_user","sourceRunId":"run_01JY50DG4S5SJC48W0MVV8R3H2","sourceAgentId":"agt_cto",
                   "reason":"missing_github_credentials","actionRequired":"Reconnect GitHub for the repository.",
                   "resumeInstructions":"Resolve the blocker, then let AgentRail start a fresh run.",
                   "createdAt":"2026-05-01T02:48:05Z"}})");
    CHECK(t.status == task_status::blocked);
    CHECK(t.assignment_source == "deterministic_rule");
    REQUIRE(t.blocker);
    CHECK(t.blocker->kind == "awaiting_user");
    CHECK(t.blocker->source_run_id == "run_01JY50DG4S5SJC48W0MVV8R3H2");
    CHECK(t.blocker->action_required == "Reconnect GitHub for the repository.");
}

TEST_CASE("submission flattens reviewRoute and keeps the server extras", "[models]") {
    auto s = round_trip<TaskSubmission>(R"({"submissionId":"sub_01JY4Y4A9P10G6EM7Q3JJ2M1A2",
        "taskId":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","status":"in_review","prUrl":"https://github.com/oxnw/agentrail/pull/42",
        "prNumber":42,"head":"agentrail/task-42","base":"main","headSha":"abc123","action":"created",
        "idempotencyKey":"submit-AGEA-2-v1","reviewRoute":{"participants":[{"id":"agt_ceo","role":"ceo"}]},
        "acceptedAt":"2026-05-01T03:01:11Z","availableActions":["view_review_feedback","view_ci_status"],
        "owner":"oxnw","repo":"agentrail","ciProvider":"github_actions"})");
    CHECK(s.submission_id == "sub_01JY4Y4A9P10G6EM7Q3JJ2M1A2");
    CHECK(s.pr_number == 42);
    CHECK(s.action == submit_action::created);
    REQUIRE(s.review_participants.size() == 1);
    CHECK(s.review_participants[0].role == "ceo");
    CHECK(s.extra == json{{"owner", "oxnw"}, {"repo", "agentrail"}, {"ciProvider", "github_actions"}});

    // An existing-PR answer without the optional members, and a reviewRoute with an empty list.
    auto existing =
        round_trip<TaskSubmission>(R"({"submissionId":"sub_2","taskId":"tsk_1","status":"in_review",
        "head":null,"action":"existing","reviewRoute":{"participants":[],"policy":"ceo_only"},
        "acceptedAt":"2026-05-01T03:01:11Z","availableActions":[]})");
    CHECK(existing.action == "existing");
    CHECK_FALSE(existing.pr_url);
    CHECK_FALSE(existing.head);
    CHECK(existing.review_participants.empty());
}

TEST_CASE("ci status parses counts, nullable members and summaries", "[models]") {
    auto ci = round_trip<CiStatus>(R"({"taskId":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V",
        "submissionId":"sub_01JY4Y4A9P10G6EM7Q3JJ2M1A2","overallStatus":"failed",
        "summary":{"total":3,"passed":1,"failed":1,"running":1,"queued":0,"cancelled":0,"skipped":0},
        "workflows":[{"name":"CI","path":".github/workflows/ci.yml","status":"failed","passed":0,"failed":1,"running":1,
                      "queued":0,"cancelled":0,"skipped":0,"url":"https://github.com/oxnw/agentrail/actions/runs/1201"},
                     {"name":"Lint","path":null,"status":"passed","passed":1,"failed":0,"running":0,"queued":0,
                      "cancelled":0,"skipped":0,"url":null}],
        "checks":[{"name":"unit-tests","workflow":"CI","status":"failed",
                   "url":"https://github.com/oxnw/agentrail/actions/runs/1201/job/11","durationSeconds":42,"failureCount":1},
                  {"name":"contract-tests","workflow":"CI","status":"running",
                   "url":"https://github.com/oxnw/agentrail/actions/runs/1201/job/12","durationSeconds":null,"failureCount":0},
                  {"name":"eslint","workflow":"Lint","status":"pending","url":null,"durationSeconds":12,"failureCount":0}],
        "failureSummaries":[{"checkName":"unit-tests","workflow":"CI",
                             "testName":"GET /tasks/{id}/ci-status returns structured failures",
                             "file":"test/ci-status-endpoint.test.js","line":44,
                             "message":"Expected status 200 but received 500"}],
        "flakyHints":[{"checkName":"unit-tests","confidence":"medium",
                       "reason":"same check passed on a previous run for this head SHA"}],
        "updatedAt":"2026-05-01T03:03:19Z","headSha":"b5bc7f86b9ad94f4f18f83d28bdf3e27a31e53a0",
        "availableActions":["retry_failed_checks","view_logs"]})");
    CHECK(ci.overall_status == ci_status::failed);
    CHECK(ci.summary.total == 3);
    CHECK(ci.summary.running == 1);
    REQUIRE(ci.workflows.size() == 2);
    CHECK(ci.workflows[0].path == ".github/workflows/ci.yml");
    CHECK_FALSE(ci.workflows[1].path);
    REQUIRE(ci.checks.size() == 3);
    CHECK(ci.checks[0].duration_seconds == 42);
    CHECK_FALSE(ci.checks[1].duration_seconds);
    CHECK(ci.checks[2].status == ci_status::pending);
    CHECK(ci.failure_summaries.at(0).line == 44);
    CHECK(ci.flaky_hints.at(0).confidence == "medium");
    CHECK(ci.head_sha == "b5bc7f86b9ad94f4f18f83d28bdf3e27a31e53a0");

    auto no_submission = round_trip<CiStatus>(R"({"taskId":"t","submissionId":null,"overallStatus":"queued",
        "summary":{"total":0,"passed":0,"failed":0,"running":0,"queued":0,"cancelled":0,"skipped":0},
        "workflows":[],"checks":[],"failureSummaries":[],"flakyHints":[],"updatedAt":null,"availableActions":[]})");
    CHECK_FALSE(no_submission.submission_id);
    CHECK_FALSE(no_submission.updated_at);
}

TEST_CASE("review feedback keeps the server's comment extras", "[models]") {
    auto r = round_trip<ReviewFeedback>(R"({"taskId":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V",
        "latestDecision":{"outcome":"changes_requested","reviewer":{"id":"agt_ceo","role":"ceo"},
                          "createdAt":"2026-05-01T03:05:40Z","headSha":null,
                          "summary":"Add explicit idempotency semantics to ship endpoint."},
        "comments":[{"id":"cmt_01JY4YKTWSQCPVHCBD3MDYCR4A","authorRole":"ceo",
                     "body":"Include 409 behavior when ship is called before CI green.","severity":"must_fix",
                     "file":"src/ship.js","line":12,"suggestedAction":"add a 409 branch"},
                    {"id":"cmt_2","authorRole":"cto","body":"nit","severity":"note","reactions":3}],
        "availableActions":["fix"]})");
    REQUIRE(r.latest_decision);
    CHECK(r.latest_decision->outcome == review_outcome::changes_requested);
    CHECK(r.latest_decision->reviewer.id == "agt_ceo");
    CHECK_FALSE(r.latest_decision->head_sha);
    REQUIRE(r.comments.size() == 2);
    CHECK(r.comments[0].severity == review_severity::must_fix);
    CHECK(r.comments[0].file == "src/ship.js");
    CHECK(r.comments[0].line == 12);
    CHECK(r.comments[0].suggested_action == "add a 409 branch");
    CHECK_FALSE(r.comments[1].file);
    CHECK(r.comments[1].extra == json{{"reactions", 3}});

    auto none = round_trip<ReviewFeedback>(
        R"({"taskId":"t","latestDecision":null,"comments":[],"availableActions":[]})");
    CHECK_FALSE(none.latest_decision);
}

TEST_CASE("ship result keeps an unknown status and a missing queuedAt", "[models]") {
    auto doc = round_trip<ShipResult>(R"({"taskId":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V",
        "operationId":"shp_01JY4YP2N9PTDP8PHV7ZV8B7XS","status":"queued","queuedAt":"2026-05-01T03:12:02Z",
        "availableActions":["view_ci_status"]})");
    CHECK(doc.status == ship_status::queued);
    CHECK(doc.queued_at == "2026-05-01T03:12:02Z");

    auto merged = round_trip<ShipResult>(R"({"taskId":"tsk_1","operationId":"shp_1","status":"merged",
        "availableActions":["rollback"],"mergedSha":"abc"})");
    CHECK(merged.status == "merged");
    CHECK_FALSE(merged.queued_at);
    CHECK(merged.extra == json{{"mergedSha", "abc"}});
}

TEST_CASE("event subscriptions round-trip, including an empty taskIds filter", "[models]") {
    const auto in = json::parse(R"([
      {"id":"evsub_01JY5046P0GQF33KKV80M0X19A","url":"https://agents.example.com/webhooks/task-events",
       "eventTypes":["task.awaiting_user","task.updated","task.reviewed","task.shipped"],
       "filters":{"taskIds":["tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V"]},"status":"active","signingAlgorithm":"hmac_sha256",
       "retryPolicy":{"maxAttempts":8,"initialBackoffSeconds":10,"maxBackoffSeconds":3600},
       "createdAt":"2026-05-01T03:20:00Z","availableActions":["deactivate"]},
      {"id":"evsub_01JY505D3N3NQ96Z4BNC5S40A1","url":"https://agents.example.com/webhooks/archive",
       "eventTypes":["task.shipped"],"filters":{"taskIds":[]},"status":"disabled","signingAlgorithm":"hmac_sha256",
       "retryPolicy":{"maxAttempts":8,"initialBackoffSeconds":10,"maxBackoffSeconds":3600},
       "createdAt":"2026-05-01T03:21:00Z","availableActions":[],"description":"archive"}])");
    auto subs = in.get<std::vector<EventSubscription>>();
    REQUIRE(subs.size() == 2);
    REQUIRE(subs[0].filters);
    CHECK(subs[0].filters->task_ids == std::vector<std::string>{"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V"});
    REQUIRE(subs[0].retry_policy);
    CHECK(subs[0].retry_policy->max_backoff_seconds == 3600);
    CHECK(subs[1].status == subscription_status::disabled);
    CHECK(subs[1].filters->task_ids.empty());
    CHECK(subs[1].description == "archive");
    CHECK(json(subs) == in);
}

TEST_CASE("typed events parse from the document's examples", "[models]") {
    auto updated = round_trip<TaskEvent>(R"({"id":"evt_01JY50A13CW2JNEQR3MYXSGQQQ","type":"task.updated",
        "occurredAt":"2026-05-01T03:21:04Z","sequence":4121,"taskVersion":8,"traceId":"trc_01JY509N1N8AMCNJQ4G4YMYKMQ",
        "data":{"taskId":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","taskIdentifier":"AGEA-13","status":"in_review",
                "previousStatus":"in_progress","changedFields":["status","availableActions"],
                "actor":{"id":"agt_cto","role":"cto"},"summary":"Submission accepted and routed to CEO review.",
                "availableActions":["view_review_feedback","view_ci_status"],
                "links":{"task":"https://api.agentrail.app/v1/tasks/tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V",
                         "reviewFeedback":"https://api.agentrail.app/v1/tasks/tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V/review-feedback"},
                "runId":"run_1"}})");
    CHECK(updated.is_known_type());
    CHECK(updated.sequence == 4121);
    CHECK(updated.task_version == 8);
    CHECK(updated.task_id() == "tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V");
    CHECK(updated.raw == json(updated));
    CHECK_FALSE(updated.as_shipped());
    auto u = updated.as_updated();
    REQUIRE(u);
    CHECK(u->previous_status == "in_progress");
    CHECK(u->actor.role == "cto");
    CHECK(u->changed_fields.size() == 2);
    CHECK(u->links["task"] == "https://api.agentrail.app/v1/tasks/tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V");
    CHECK(u->extra == json{{"runId", "run_1"}});
    CHECK(json(*u) == updated.data);

    auto awaiting =
        round_trip<TaskEvent>(R"({"id":"evt_01JY50B4K7QNY3BMCPX2B27HP4","type":"task.awaiting_user",
        "occurredAt":"2026-05-01T03:22:11Z","sequence":4122,"taskVersion":9,"traceId":null,
        "data":{"taskId":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","taskIdentifier":"AGEA-13","status":"blocked",
                "previousStatus":"in_progress","changedFields":["status","availableActions","blocker","updatedAt"],
                "actor":{"id":"agt_cto","role":"agent"},"summary":"Task is awaiting user input.",
                "availableActions":["resolve_blocker"],
                "blocker":{"kind":"awaiting_user","sourceRunId":"run_01JY50B0C8CC4G9YHD04J0ECBP","sourceAgentId":"agt_cto",
                           "reason":"Missing production credentials.","actionRequired":"Connect the production deploy token.",
                           "resumeInstructions":"Resolve the blocker after the token is available.",
                           "createdAt":"2026-05-01T03:22:11Z"},
                "links":{"task":"https://api.agentrail.app/v1/tasks/tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","shipOperation":null}}})");
    CHECK_FALSE(awaiting.trace_id);
    auto a = awaiting.as_awaiting_user();
    REQUIRE(a);
    CHECK(a->blocker.reason == "Missing production credentials.");
    CHECK(json(*a) == awaiting.data);
    CHECK_FALSE(awaiting.as_updated());

    auto shipped = round_trip<TaskEvent>(R"({"id":"evt_01JY50F8SQ4C1T3DJ2TGM4G69K","type":"task.shipped",
        "occurredAt":"2026-05-01T03:28:44Z","sequence":4132,"taskVersion":11,"traceId":"trc_01JY50F2Q80S8P9NS5YMSQP722",
        "data":{"taskId":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","taskIdentifier":"AGEA-13","status":"done",
                "shipStatus":"succeeded","operationId":"shp_01JY50F7SQ4C1T3DJ2TGM4G69J","targetEnvironment":"production",
                "summary":"Task merged and deployed to production.","availableActions":[],
                "links":{"task":"https://api.agentrail.app/v1/tasks/tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V"}}})");
    auto s = shipped.as_shipped();
    REQUIRE(s);
    CHECK(s->ship_status == ship_status::succeeded);
    CHECK(s->target_environment == ship_environment::production);
    CHECK(s->available_actions.empty());

    auto reviewed = round_trip<TaskEvent>(R"({"id":"evt_01JY50DG4S5SJC48W0MVV8R3H2","type":"task.reviewed",
        "occurredAt":"2026-05-01T03:25:15Z","sequence":4128,"taskVersion":9,"traceId":"trc_01JY50DCRX3AVNQBE6Q71RQB9N",
        "data":{"taskId":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","taskIdentifier":"AGEA-13","status":"in_review",
                "reviewOutcome":"approved","reviewer":{"id":"agt_ceo","role":"ceo"},"summary":"Contract approved for ship.",
                "availableActions":["ship"],
                "links":{"task":"https://api.agentrail.app/v1/tasks/tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V"}}})");
    auto r = reviewed.as_reviewed();
    REQUIRE(r);
    CHECK(r->review_outcome == review_outcome::approved);
    CHECK(r->reviewer.id == "agt_ceo");
}

TEST_CASE("unknown and server-only event types are kept as they are", "[models]") {
    auto ci_failed =
        round_trip<TaskEvent>(R"({"id":"evt_9","type":"task.ci_failed","occurredAt":"2026-05-01T03:25:15Z",
        "sequence":9,"taskVersion":3,"traceId":null,"data":{"taskId":"tsk_9","failedChecks":["unit-tests"]}})");
    CHECK(ci_failed.is_known_type());
    CHECK(ci_failed.task_id() == "tsk_9");
    CHECK_FALSE(ci_failed.as_updated());
    CHECK_FALSE(ci_failed.as_awaiting_user());
    CHECK_FALSE(ci_failed.as_reviewed());
    CHECK_FALSE(ci_failed.as_shipped());

    auto future =
        round_trip<TaskEvent>(R"({"id":"evt_10","type":"task.teleported","occurredAt":"2026-05-01T03:25:15Z",
        "data":{"where":"mars"},"priority":"high"})");
    CHECK(future.type == "task.teleported");
    CHECK_FALSE(future.is_known_type());
    CHECK_FALSE(future.sequence);
    CHECK(future.task_id().empty());
    CHECK(future.data == json{{"where", "mars"}});
    CHECK(future.extra == json{{"priority", "high"}});
}

TEST_CASE("a known event type whose data has the wrong shape is a protocol error", "[models]") {
    auto e = json::parse(R"({"id":"evt_1","type":"task.shipped","occurredAt":"t","data":{"taskId":"tsk_1"}})")
                 .get<TaskEvent>();
    try {
        (void)e.as_shipped();
        FAIL("expected a protocol error");
    } catch (const Error& err) {
        CHECK(err.kind() == ErrorKind::protocol);
        CHECK(std::string(err.what()) == "event.data.taskIdentifier: missing");
    }
}

TEST_CASE("provider receipts and intake answers round-trip", "[models]") {
    auto circle = round_trip<CircleCiWebhookReceipt>(
        R"({"accepted":true,"deduplicated":false,"matchedTasks":["tsk_01JZCIRCLECI0000000000001"]})");
    CHECK(circle.accepted);
    CHECK_FALSE(circle.deduplicated);
    CHECK(circle.matched_tasks.size() == 1);

    auto intake = round_trip<LinearIssueIntake>(R"({"taskId":"tsk_01JZLINEAR0000000000001",
        "identifier":"linear:agentrail:issues/ENG-123","status":"in_progress","availableActions":["submit"],
        "createdAt":"2026-05-06T18:00:00Z"})");
    CHECK(intake.identifier == "linear:agentrail:issues/ENG-123");

    auto receipt = round_trip<LinearWebhookReceipt>(R"({"matchedTasks":["tsk_01JZLINEAR0000000000001"],
        "deduplicated":false,"ignored":false,"deliveryId":"linear-delivery-01","eventType":"Issue"})");
    CHECK(receipt.delivery_id == "linear-delivery-01");
    CHECK(receipt.event_type == "Issue");

    auto ignored = round_trip<LinearWebhookReceipt>(
        R"({"matchedTasks":[],"deduplicated":false,"ignored":true,"deliveryId":null,"eventType":null})");
    CHECK(ignored.ignored);
    CHECK_FALSE(ignored.delivery_id);
}

TEST_CASE("missing or mistyped required fields are protocol errors naming the field", "[models]") {
    CHECK(protocol_error_of<TaskSummary>(R"({"identifier":"I","title":"t","status":"todo","priority":"low",
        "updatedAt":"u","availableActions":[]})") == "task.id: missing");
    CHECK(protocol_error_of<TaskSummary>(
              R"({"id":7,"identifier":"I","title":"t","status":"todo","priority":"low",
        "updatedAt":"u","availableActions":[]})") == "task.id: expected string");
    CHECK(protocol_error_of<TaskSummary>(R"({"id":null,"identifier":"I","title":"t","status":"todo",
        "priority":"low","updatedAt":"u","availableActions":[]})") == "task.id: expected string");
    CHECK(protocol_error_of<TaskSummary>(
              R"({"id":"t","identifier":"I","title":"t","status":"todo","priority":"low",
        "updatedAt":"u","availableActions":["a",3]})") == "task.availableActions[1]: expected string");
    CHECK(protocol_error_of<TaskSummary>(
              R"({"id":"t","identifier":"I","title":"t","status":"todo","priority":"low",
        "updatedAt":"u","availableActions":[],"blocker":{"kind":"awaiting_user"}})") ==
          "task.blocker.sourceRunId: missing");
    CHECK(protocol_error_of<TaskSummary>(R"(["not","an","object"])") == "task: expected object");
    CHECK(protocol_error_of<CiStatus>(R"({"taskId":"t","overallStatus":"queued",
        "summary":{"total":0,"passed":0,"failed":0,"running":0,"queued":0,"cancelled":0,"skipped":0},
        "workflows":[],"checks":[{"name":"n","workflow":"w","status":"passed","failureCount":"one"}],
        "failureSummaries":[],"flakyHints":[],"availableActions":[]})") ==
          "ci_status.checks[0].failureCount: expected integer");
    CHECK(protocol_error_of<Health>(R"({"status":"ok","service":"s","publicBaseUrl":"u","time":"t",
        "uptimeSeconds":1.5})") == "health.uptimeSeconds: expected integer");
    CHECK(
        protocol_error_of<ApiKey>(R"({"id":"akey_1","agent":{"id":"agt_a","role":"r","externalIdentities":[]},
        "scopes":[],"rateLimit":{"windowSeconds":60,"maxRequests":1},"status":"active","createdAt":"c",
        "availableActions":[]})") == "api_key.agent.displayName: missing");
    CHECK(protocol_error_of<CircleCiWebhookReceipt>(
              R"({"accepted":"yes","deduplicated":false,"matchedTasks":[]})") ==
          "circleci_receipt.accepted: expected boolean");
    // A present optional of the wrong type is a shape error too.
    CHECK(protocol_error_of<ShipResult>(R"({"taskId":"t","operationId":"o","status":"queued","queuedAt":5,
        "availableActions":[]})") == "ship.queuedAt: expected string");
    // Integers written as 42.0 are accepted.
    CHECK(protocol_error_of<Health>(R"({"status":"ok","service":"s","publicBaseUrl":"u","time":"t",
        "uptimeSeconds":42.0})")
              .empty());
}

TEST_CASE("api key create request serialises as the document's example", "[models]") {
    ApiKeyCreateRequest request;
    request.expires_at = "2026-06-01T00:00:00Z";
    request.rate_limit.max_requests = 600;
    request.rate_limit.window_seconds = 60;
    request.scopes = {std::string(scope::ci_read)};
    request.agent.external_identities.push_back({"github", "agentrail-ci-reader"});
    request.agent.role = "platform_ci";
    request.agent.display_name = "CI Reader";
    request.agent.id = "agt_ci_reader";

    const std::string expected =
        R"({"agent":{"displayName":"CI Reader","externalIdentities":[{"provider":"github","subject":"agentrail-ci-reader"}],)"
        R"("id":"agt_ci_reader","role":"platform_ci"},"expiresAt":"2026-06-01T00:00:00Z",)"
        R"("rateLimit":{"maxRequests":600,"windowSeconds":60},"scopes":["ci:read"]})";
    CHECK(json(request).dump() == expected);
    CHECK(json(json::parse(expected).get<ApiKeyCreateRequest>()).dump() == expected);

    request.expires_at.reset();
    CHECK_FALSE(json(request).contains("expiresAt"));
    CHECK(json(ApiKeyRotateRequest{}).dump() == "{}");
    CHECK(json(ApiKeyRotateRequest{std::string("2026-07-01T00:00:00Z"), json::object()}).dump() ==
          R"({"expiresAt":"2026-07-01T00:00:00Z"})");
}

TEST_CASE("submit requests are deterministic and omit what is unset", "[models]") {
    TaskSubmitRequest a;
    a.summary = "Implemented the assigned task.";
    a.mode = std::string(submit_mode::adapter_managed);
    a.pull_request = PullRequestOptions{};
    a.pull_request->title = "Fix adapter-managed submit contract";
    a.pull_request->draft = false;
    a.checks.push_back({"sdk-contract", std::string(check_status::passed)});
    a.notes = "note";

    TaskSubmitRequest b;  // same content, set in another order
    b.notes = "note";
    b.checks.push_back({"sdk-contract", "passed"});
    PullRequestOptions pr;
    pr.draft = false;
    pr.title = "Fix adapter-managed submit contract";
    b.pull_request = pr;
    b.mode = "adapter_managed";
    b.summary = "Implemented the assigned task.";

    CHECK(json(a).dump() == json(b).dump());
    CHECK(json(a).dump() ==
          R"({"checks":[{"name":"sdk-contract","status":"passed"}],"mode":"adapter_managed","notes":"note",)"
          R"("pullRequest":{"draft":false,"title":"Fix adapter-managed submit contract"},)"
          R"("summary":"Implemented the assigned task."})");

    TaskSubmitRequest minimal;
    minimal.summary = "done";
    CHECK(json(minimal).dump() == R"({"summary":"done"})");

    // The document's artifact example survives a read and write unchanged.
    round_trip<TaskSubmitRequest>(R"({"summary":"Submitted a placeholder local artifact.","mode":"artifact",
        "artifacts":[{"type":"pull_request","url":"https://github.com/oxnw/agentrail/pull/42"},
                     {"type":"doc","url":"https://github.com/oxnw/agentrail/blob/main/docs/api/task-lifecycle.openapi.yaml"}],
        "checks":[{"name":"spec-lint","status":"passed"}],"notes":"Use only for local demos without provider credentials."})");
}

TEST_CASE("task, ship, subscription and Linear requests serialise exactly", "[models]") {
    TaskBlockerRequest blocker{"run_01JY50DG4S5SJC48W0MVV8R3H2", "agt_cto",
                               "missing_github_credentials",     "Reconnect GitHub for the repository.",
                               "Resolve, then restart.",         json::object()};
    CHECK(json(blocker).dump() ==
          R"({"actionRequired":"Reconnect GitHub for the repository.","reason":"missing_github_credentials",)"
          R"("resumeInstructions":"Resolve, then restart.","sourceAgentId":"agt_cto",)"
          R"("sourceRunId":"run_01JY50DG4S5SJC48W0MVV8R3H2"})");
    CHECK(json(ResolveBlockerRequest{"GitHub was reconnected.", json::object()}).dump() ==
          R"({"resolutionSummary":"GitHub was reconnected."})");

    TaskShipRequest ship{std::string(ship_mode::merge_and_deploy), std::string(ship_environment::production),
                         "b5bc7f86b9ad94f4f18f83d28bdf3e27a31e53a0", json::object()};
    CHECK(json(ship).dump() == R"({"expectedHeadSha":"b5bc7f86b9ad94f4f18f83d28bdf3e27a31e53a0",)"
                               R"("mode":"merge_and_deploy","targetEnvironment":"production"})");

    EventSubscriptionCreateRequest sub;
    sub.url = "https://agents.example.com/webhooks/task-events";
    sub.event_types = {"task.updated", "task.shipped"};
    sub.secret = "whsec_live_agentrail_contract_001";
    CHECK(json(sub).dump() == R"({"eventTypes":["task.updated","task.shipped"],)"
                              R"("secret":"whsec_live_agentrail_contract_001",)"
                              R"("url":"https://agents.example.com/webhooks/task-events"})");
    sub.filters = SubscriptionFilters{{"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V"}, json::object()};
    sub.description = "Primary";
    CHECK(json(sub)["filters"] == json{{"taskIds", {"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V"}}});
    CHECK(json(sub)["description"] == "Primary");

    auto issue = round_trip<LinearIssueIntakeRequest>(R"({"id":"lin_issue_01","identifier":"ENG-123",
        "url":"https://linear.app/agentrail/issue/ENG-123/integrate-linear","title":"Integrate Linear issue source",
        "description":"Build the Linear adapter.\n","priorityLabel":"High",
        "state":{"id":"state_started","name":"In Progress","type":"started"},
        "team":{"id":"team_01","key":"ENG","name":"Engineering"},"assignee":{"id":"user_01","name":"Avery Engineer"},
        "labels":{"nodes":[{"name":"integration"},{"name":"P1"}]},"workspace":{"id":"workspace_01","urlKey":"agentrail"},
        "estimate":3})");
    CHECK(issue.identifier == "ENG-123");
    CHECK(issue.priority_label == "High");
    CHECK(issue.state["type"] == "started");
    CHECK(issue.extra == json{{"estimate", 3}});

    LinearIssueIntakeRequest bare;
    bare.id = "lin_1";
    bare.title = "t";
    CHECK(json(bare).dump() == R"({"id":"lin_1","title":"t"})");

    CHECK(json(LinearCommentRequest{"Shipped.", json::object()}).dump() == R"({"body":"Shipped."})");
    LinearWorkflowStateRequest state;
    CHECK(json(state).dump() == "{}");
    state.state_name = "Done";
    CHECK(json(state).dump() == R"({"stateName":"Done"})");
    state.state_id = "state_done";
    CHECK(json(state).dump() == R"({"stateId":"state_done","stateName":"Done"})");
}

TEST_CASE("enum validators accept the documented values only", "[models]") {
    CHECK(is_task_status_filter("in_review"));
    CHECK_FALSE(is_task_status_filter("done"));
    CHECK(is_known_task_status("done"));
    CHECK_FALSE(is_known_task_status("merged"));
    CHECK(is_known_scope("providers:write"));
    CHECK_FALSE(is_known_scope("tasks:delete"));
    CHECK(is_document_event_type("task.reviewed"));
    CHECK_FALSE(is_document_event_type("task.ci_failed"));
    CHECK(is_known_event_type("task.review_changes_requested"));
    CHECK(is_known_submit_mode("artifact"));
    CHECK(is_known_artifact_type("ci_run"));
    CHECK_FALSE(is_known_artifact_type("pr"));
    CHECK(is_known_check_status("skipped"));
    CHECK_FALSE(is_known_check_status("queued"));
    CHECK(is_known_ship_mode("merge_only"));
    CHECK(is_known_ship_environment("staging"));
    CHECK_FALSE(is_known_ship_environment("prod"));
    CHECK(is_known_ship_status("merged"));
    static_assert(is_known_priority("critical"));
}
