// Client operations against a scripted fake transport: what is sent (method, path, query, headers,
// body) and what is parsed from the answer.

#include <catch2/catch.hpp>

#include "agentrail/client.hpp"
#include "fake_transport.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {

const char* task_list_page(const char* id1, const char* id2, const char* next, bool more) {
    static std::string s;
    json j = {{"data",
               {{{"id", id1},
                 {"identifier", "AGEA-2"},
                 {"title", "Design schema"},
                 {"status", "in_progress"},
                 {"priority", "critical"},
                 {"dueAt", nullptr},
                 {"updatedAt", "2026-05-01T02:48:05Z"},
                 {"availableActions", {"submit"}},
                 {"blocker", nullptr}},
                {{"id", id2},
                 {"identifier", "AGEA-5"},
                 {"title", "Adapter errors"},
                 {"status", "todo"},
                 {"priority", "high"},
                 {"dueAt", "2026-05-02T18:00:00Z"},
                 {"updatedAt", "2026-05-01T01:22:11Z"},
                 {"availableActions", {"start"}},
                 {"blocker", nullptr},
                 {"futureField", {{"x", 1}}}}}},
              {"page", {{"nextCursor", next ? json(next) : json(nullptr)}, {"hasMore", more}}},
              {"availableActions", more ? json::array({"fetch_next_page"}) : json::array()},
              {"meta", {{"tokenBudgetHint", "compact"}}}};
    s = j.dump();
    return s.c_str();
}

json task_detail(const std::string& id, const std::string& status, json actions) {
    return {{"id", id},
            {"identifier", "AGEA-42"},
            {"title", "Repair GitHub integration"},
            {"description", "Continue."},
            {"status", status},
            {"priority", "high"},
            {"assignee", {{"id", "agt_cto"}, {"name", "CTO"}}},
            {"acceptanceCriteria", {"works"}},
            {"links", {{"issue", "https://example.test/issues/42"}, {"parentIssue", nullptr}}},
            {"context", {{"project", "onboarding"}}},
            {"updatedAt", "2026-05-01T03:12:00Z"},
            {"submissionId", nullptr},
            {"prUrl", nullptr},
            {"prNumber", nullptr},
            {"branch", nullptr},
            {"baseBranch", nullptr},
            {"headSha", nullptr},
            {"assigneeAgentId", "agt_cto"},
            {"triageQueueId", nullptr},
            {"assignmentSource", nullptr},
            {"routingDecisionId", nullptr},
            {"routingReason", nullptr},
            {"routingConfidence", nullptr},
            {"availableActions", actions},
            {"blocker", nullptr}};
}

std::string envelope(const json& data, json actions = json::array()) {
    return json{{"data", data}, {"availableActions", actions}}.dump();
}

}  // namespace

TEST_CASE("health is an unauthenticated GET of a bare object", "[client]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, R"({"status":"ok","service":"agentrail","publicBaseUrl":"http://127.0.0.1:3000",
                        "pathPrefix":null,"time":"2026-05-04T14:54:17Z","uptimeSeconds":43})");
    auto client = make_test_client(fake);
    auto h = client.health();
    CHECK(h.data.status == "ok");
    CHECK(h.data.uptime_seconds == 43);
    CHECK(fake->last().method == Method::get);
    CHECK(fake->last().url == "http://127.0.0.1:3000/health");
    CHECK(header_of(fake->last(), "Authorization").empty());
}

TEST_CASE("list_my_tasks sends filters as query and parses items, page and actions", "[client]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, task_list_page("tsk_A1", "tsk_B2", "eyJvIjoyNX0", true));
    auto client = make_test_client(fake);
    auto page = client.list_my_tasks({.status = "in_progress", .limit = 10, .cursor = "a b/c"});
    const auto& req = fake->last();
    CHECK(req.method == Method::get);
    CHECK(req.url == "http://127.0.0.1:3000/tasks/mine?status=in_progress&limit=10&cursor=a%20b%2Fc");
    CHECK(header_of(req, "Authorization") == "Bearer ar_test_key_123456");
    CHECK(header_of(req, "Idempotency-Key").empty());
    REQUIRE(page.data.size() == 2);
    CHECK(page.data[0].identifier == "AGEA-2");
    CHECK_FALSE(page.data[0].due_at.has_value());
    CHECK(page.data[1].due_at == std::optional<std::string>("2026-05-02T18:00:00Z"));
    CHECK(page.data[1].extra.contains("futureField"));  // unknown fields kept
    REQUIRE(page.page.has_value());
    CHECK(page.page->has_more);
    CHECK(page.page->next_cursor == std::optional<std::string>("eyJvIjoyNX0"));
    CHECK(page.can("fetch_next_page"));
    CHECK(page.raw_data()[1]["futureField"]["x"] == 1);  // raw data untouched
}

TEST_CASE("list_my_tasks validates its inputs before sending anything", "[client]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    auto kind_of = [&](ListTasksOptions o) {
        try {
            client.list_my_tasks(o);
        } catch (const Error& e) {
            return e.kind();
        }
        return ErrorKind::server;
    };
    CHECK(kind_of({.status = "done"}) == ErrorKind::invalid_argument);
    CHECK(kind_of({.limit = 0}) == ErrorKind::invalid_argument);
    CHECK(kind_of({.limit = 101}) == ErrorKind::invalid_argument);
    CHECK(fake->requests().empty());
}

TEST_CASE("for_each_task_page follows cursors until hasMore is false", "[client][pagination]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, task_list_page("tsk_1", "tsk_2", "c2", true));
    fake->reply(200, task_list_page("tsk_3", "tsk_4", "c3", true));
    fake->reply(200, task_list_page("tsk_5", "tsk_6", nullptr, false));
    auto client = make_test_client(fake);
    std::vector<std::string> ids;
    int pages = 0;
    client.for_each_task_page({.limit = 2}, [&](const TaskPage& p) {
        ++pages;
        for (const auto& t : p.data) ids.push_back(t.id);
        return true;
    });
    CHECK(pages == 3);
    CHECK(ids == std::vector<std::string>{"tsk_1", "tsk_2", "tsk_3", "tsk_4", "tsk_5", "tsk_6"});
    REQUIRE(fake->requests().size() == 3);
    CHECK(fake->requests()[1].url == "http://127.0.0.1:3000/tasks/mine?limit=2&cursor=c2");
    CHECK(fake->requests()[2].url == "http://127.0.0.1:3000/tasks/mine?limit=2&cursor=c3");
}

TEST_CASE("for_each_task_page stops when the callback says so, and on a repeated cursor",
          "[client][pagination]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, task_list_page("tsk_1", "tsk_2", "c2", true));
    auto client = make_test_client(fake);
    int pages = 0;
    client.for_each_task_page({}, [&](const TaskPage&) { return ++pages < 1; });
    CHECK(pages == 1);
    CHECK(fake->pending() == 0);

    fake->reply(200, task_list_page("tsk_1", "tsk_2", "same", true));
    fake->reply(200, task_list_page("tsk_1", "tsk_2", "same", true));
    CHECK_THROWS_AS(client.for_each_task_page({}, [](const TaskPage&) { return true; }), Error);
}

TEST_CASE("list_all_my_tasks collects every page", "[client][pagination]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, task_list_page("tsk_1", "tsk_2", "c2", true));
    fake->reply(200, task_list_page("tsk_3", "tsk_4", nullptr, false));
    auto client = make_test_client(fake);
    CHECK(client.list_all_my_tasks().size() == 4);
}

TEST_CASE("task reads escape path ids and parse typed results", "[client]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);

    fake->reply(200, envelope(task_detail("tsk_X", "in_progress", {"submit"}), {"submit"}));
    auto t = client.get_task("tsk_X/../x");
    CHECK(fake->last().url == "http://127.0.0.1:3000/tasks/tsk_X%2F..%2Fx");
    CHECK(t.data.status == "in_progress");
    CHECK(t.data.assignee->name == "CTO");

    fake->reply(200, envelope({{"taskId", "tsk_X"},
                               {"submissionId", "sub_1"},
                               {"overallStatus", "passed"},
                               {"summary",
                                {{"total", 2},
                                 {"passed", 2},
                                 {"failed", 0},
                                 {"running", 0},
                                 {"queued", 0},
                                 {"cancelled", 0},
                                 {"skipped", 0}}},
                               {"workflows", json::array()},
                               {"checks", json::array()},
                               {"failureSummaries", json::array()},
                               {"flakyHints", json::array()},
                               {"updatedAt", "2026-05-01T03:03:19Z"},
                               {"availableActions", {"view_review_feedback"}}}));
    auto ci = client.get_task_ci_status("tsk_X");
    CHECK(fake->last().url == "http://127.0.0.1:3000/tasks/tsk_X/ci-status");
    CHECK(ci.data.overall_status == "passed");
    CHECK(ci.data.summary.passed == 2);

    fake->reply(200, envelope({{"taskId", "tsk_X"},
                               {"latestDecision",
                                {{"outcome", "changes_requested"},
                                 {"reviewer", {{"id", "agt_ceo"}, {"role", "ceo"}}},
                                 {"createdAt", "2026-05-01T03:05:40Z"},
                                 {"summary", "Add semantics."}}},
                               {"comments",
                                {{{"id", "cmt_1"},
                                  {"authorRole", "ceo"},
                                  {"body", "Include 409."},
                                  {"severity", "must_fix"},
                                  {"file", "a.cpp"},
                                  {"line", 3}}}},
                               {"availableActions", {"fix"}}}));
    auto review = client.get_task_review_feedback("tsk_X");
    CHECK(fake->last().url == "http://127.0.0.1:3000/tasks/tsk_X/review-feedback");
    REQUIRE(review.data.latest_decision.has_value());
    CHECK(review.data.latest_decision->outcome == "changes_requested");
    CHECK(review.data.comments.at(0).line == std::optional<int>(3));
}

TEST_CASE("task mutations POST to their routes with a body and an Idempotency-Key", "[client][idempotency]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);

    fake->reply(202, envelope(task_detail("tsk_X", "in_progress", {"submit"})));
    client.start_task("tsk_X");
    CHECK(fake->last().method == Method::post);
    CHECK(fake->last().url == "http://127.0.0.1:3000/tasks/tsk_X/start");
    CHECK(header_of(fake->last(), "Idempotency-Key").size() == 36);  // a fresh UUIDv4

    fake->reply(202, envelope(task_detail("tsk_X", "blocked", {"resolve_blocker"})));
    TaskBlockerRequest block;
    block.source_run_id = "run_1";
    block.source_agent_id = "agt_cto";
    block.reason = "missing_github_credentials";
    block.action_required = "Reconnect GitHub.";
    block.resume_instructions = "Resolve, then restart.";
    auto blocked = client.block_task("tsk_X", block);
    CHECK(fake->last().url == "http://127.0.0.1:3000/tasks/tsk_X/blocker");
    CHECK(json::parse(fake->last().body) == json{{"sourceRunId", "run_1"},
                                                 {"sourceAgentId", "agt_cto"},
                                                 {"reason", "missing_github_credentials"},
                                                 {"actionRequired", "Reconnect GitHub."},
                                                 {"resumeInstructions", "Resolve, then restart."}});
    CHECK(header_of(fake->last(), "Content-Type") == "application/json");
    CHECK(blocked.data.status == "blocked");
    CHECK(blocked.status == 202);

    fake->reply(202, envelope(task_detail("tsk_X", "todo", {"start"})));
    client.resolve_blocker("tsk_X", ResolveBlockerRequest{.resolution_summary = "Reconnected."});
    CHECK(fake->last().url == "http://127.0.0.1:3000/tasks/tsk_X/resolve-blocker");
    CHECK(json::parse(fake->last().body) == json{{"resolutionSummary", "Reconnected."}});

    fake->reply(202, envelope({{"submissionId", "sub_1"},
                               {"taskId", "tsk_X"},
                               {"status", "in_review"},
                               {"prUrl", "https://example.test/pull/42"},
                               {"prNumber", 42},
                               {"action", "accepted"},
                               {"acceptedAt", "2026-05-01T03:01:11Z"},
                               {"availableActions", {"view_ci_status"}},
                               {"owner", "oxnw"}}));
    TaskSubmitRequest submit;
    submit.summary = "Done.";
    submit.mode = "artifact";
    submit.artifacts.push_back({.type = "pull_request", .url = "https://example.test/pull/42"});
    submit.checks.push_back({.name = "unit", .status = "passed"});
    auto sub = client.submit_task("tsk_X", submit, {.idempotency_key = "submit-AGEA-2-v1"});
    CHECK(fake->last().url == "http://127.0.0.1:3000/tasks/tsk_X/submit");
    CHECK(header_of(fake->last(), "Idempotency-Key") == "submit-AGEA-2-v1");
    CHECK(sub.idempotency_key == "submit-AGEA-2-v1");
    CHECK(json::parse(fake->last().body) ==
          json{{"summary", "Done."},
               {"mode", "artifact"},
               {"artifacts", {{{"type", "pull_request"}, {"url", "https://example.test/pull/42"}}}},
               {"checks", {{{"name", "unit"}, {"status", "passed"}}}}});
    CHECK(sub.data.pr_number == std::optional<std::int64_t>(42));
    CHECK(sub.data.extra.contains("owner"));

    fake->reply(202, envelope({{"taskId", "tsk_X"},
                               {"operationId", "shp_1"},
                               {"status", "merged"},
                               {"availableActions", json::array()}}));
    TaskShipRequest ship;
    ship.mode = "merge_and_deploy";
    ship.target_environment = "production";
    ship.expected_head_sha = "b5bc7f86b9ad94f4f18f83d28bdf3e27a31e53a0";
    auto shipped = client.ship_task("tsk_X", ship);
    CHECK(fake->last().url == "http://127.0.0.1:3000/tasks/tsk_X/ship");
    CHECK(json::parse(fake->last().body)["targetEnvironment"] == "production");
    CHECK(shipped.data.status == "merged");  // outside the document's enum, kept
    CHECK_FALSE(shipped.data.queued_at.has_value());

    fake->reply(202, envelope(task_detail("tsk_X", "in_review", json::array())));
    auto rolled = client.rollback_task("tsk_X");
    CHECK(fake->last().url == "http://127.0.0.1:3000/tasks/tsk_X/rollback");
    CHECK(rolled.data["status"] == "in_review");
}

TEST_CASE("key operations", "[client]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    json key = {
        {"id", "akey_01"},
        {"apiKey", "ar_live_secret_value"},
        {"agent",
         {{"id", "agt_ci"}, {"displayName", "CI"}, {"role", "ci"}, {"externalIdentities", json::array()}}},
        {"scopes", {"ci:read"}},
        {"rateLimit", {{"windowSeconds", 60}, {"maxRequests", 600}}},
        {"status", "active"},
        {"createdAt", "2026-05-01T04:30:00Z"},
        {"expiresAt", nullptr},
        {"rotatedFromKeyId", nullptr},
        {"availableActions", {"rotate", "view_usage"}}};
    fake->reply(201, envelope(key, {"rotate"}));
    ApiKeyCreateRequest create;
    create.agent.id = "agt_ci";
    create.agent.display_name = "CI";
    create.agent.role = "ci";
    create.agent.external_identities.push_back({.provider = "github", .subject = "ci-bot"});
    create.scopes = {"ci:read"};
    create.rate_limit = {.window_seconds = 60, .max_requests = 600};
    auto created = client.create_api_key(create, {.idempotency_key = "bootstrap-ci-reader-v1"});
    CHECK(fake->last().url == "http://127.0.0.1:3000/agent-api-keys");
    CHECK(json::parse(fake->last().body)["agent"]["externalIdentities"][0]["subject"] == "ci-bot");
    CHECK(created.data.api_key == std::optional<std::string>("ar_live_secret_value"));

    fake->reply(201, envelope(key));
    client.rotate_api_key("akey_01", ApiKeyRotateRequest{.expires_at = "2026-07-01T00:00:00Z"});
    CHECK(fake->last().url == "http://127.0.0.1:3000/agent-api-keys/akey_01/rotate");
    CHECK(json::parse(fake->last().body) == json{{"expiresAt", "2026-07-01T00:00:00Z"}});
    CHECK(header_of(fake->last(), "Idempotency-Key").size() >= 8);

    fake->reply(200, envelope({{"keyId", "akey_01"},
                               {"agent", key["agent"]},
                               {"status", "active"},
                               {"lastUsedAt", nullptr},
                               {"totals", {{"accepted", 42}, {"denied", 1}}},
                               {"byScope", {{{"scope", "ci:read"}, {"count", 42}}}},
                               {"byOperation", {{{"operation", "get_task_ci_status"}, {"count", 42}}}},
                               {"rateLimit",
                                {{"windowSeconds", 60},
                                 {"maxRequests", 600},
                                 {"currentWindow",
                                  {{"startedAt", "2026-05-01T04:32:00Z"},
                                   {"resetAt", "2026-05-01T04:33:00Z"},
                                   {"used", 12},
                                   {"remaining", 588}}}}},
                               {"availableActions", {"rotate"}}}));
    auto usage = client.get_api_key_usage("akey_01");
    CHECK(fake->last().method == Method::get);
    CHECK(fake->last().url == "http://127.0.0.1:3000/agent-api-keys/akey_01/usage");
    CHECK(usage.data.totals.accepted == 42);
    CHECK(usage.data.by_operation.at(0).operation == "get_task_ci_status");
}

TEST_CASE("event subscription operations", "[client]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    json sub = {
        {"id", "evsub_01"},
        {"url", "https://agents.example.com/hook"},
        {"eventTypes", {"task.updated"}},
        {"filters", {{"taskIds", {"tsk_1"}}}},
        {"status", "active"},
        {"signingAlgorithm", "hmac_sha256"},
        {"retryPolicy", {{"maxAttempts", 8}, {"initialBackoffSeconds", 10}, {"maxBackoffSeconds", 3600}}},
        {"createdAt", "2026-05-01T03:20:00Z"},
        {"availableActions", {"deactivate"}}};
    fake->reply(200, envelope(json::array({sub}), {"create"}));
    auto list = client.list_event_subscriptions();
    CHECK(fake->last().url == "http://127.0.0.1:3000/event-subscriptions");
    CHECK(list.data.at(0).id == "evsub_01");

    fake->reply(201, envelope(sub));
    EventSubscriptionCreateRequest create;
    create.url = "https://agents.example.com/hook";
    create.event_types = {"task.updated"};
    create.secret = "whsec_live_agentrail_contract_001";
    create.filters = SubscriptionFilters{.task_ids = {"tsk_1"}};
    client.create_event_subscription(create);
    CHECK(fake->last().method == Method::post);
    CHECK(json::parse(fake->last().body)["filters"]["taskIds"][0] == "tsk_1");
    CHECK_FALSE(header_of(fake->last(), "Idempotency-Key").empty());

    fake->reply(200, envelope(sub));
    client.get_event_subscription("evsub_01");
    CHECK(fake->last().url == "http://127.0.0.1:3000/event-subscriptions/evsub_01");

    sub["status"] = "disabled";
    fake->reply(202, envelope(sub));
    auto off = client.deactivate_event_subscription("evsub_01");
    CHECK(fake->last().method == Method::del);
    CHECK(header_of(fake->last(), "Idempotency-Key").empty());
    CHECK(off.data.status == "disabled");
}

TEST_CASE("provider intake routes", "[client]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);

    fake->reply(202, envelope({{"accepted", true}, {"deduplicated", false}, {"matchedTasks", {"tsk_1"}}}));
    auto cc = client.ingest_circleci_webhook(R"({"id":"evt-1","type":"job-completed"})", "v1=abc");
    CHECK(fake->last().url == "http://127.0.0.1:3000/providers/circleci/webhooks");
    CHECK(fake->last().body == R"({"id":"evt-1","type":"job-completed"})");  // forwarded byte for byte
    CHECK(header_of(fake->last(), "circleci-signature") == "v1=abc");
    CHECK(header_of(fake->last(), "Authorization").empty());
    CHECK(cc.data.matched_tasks == std::vector<std::string>{"tsk_1"});

    fake->reply(201, envelope({{"taskId", "tsk_L1"},
                               {"identifier", "linear:agentrail:issues/ENG-123"},
                               {"status", "in_progress"},
                               {"availableActions", {"submit"}},
                               {"createdAt", "2026-05-06T18:00:00Z"}}));
    LinearIssueIntakeRequest issue;
    issue.id = "lin_issue_01";
    issue.identifier = "ENG-123";
    issue.url = "https://linear.app/agentrail/issue/ENG-123";
    issue.title = "Integrate Linear";
    auto intake = client.ingest_linear_issue(issue);
    CHECK(fake->last().url == "http://127.0.0.1:3000/providers/linear/intake");
    CHECK(json::parse(fake->last().body)["identifier"] == "ENG-123");
    CHECK(intake.data.task_id == "tsk_L1");

    fake->reply(202, envelope({{"matchedTasks", json::array()},
                               {"deduplicated", false},
                               {"ignored", true},
                               {"deliveryId", "d1"},
                               {"eventType", "Issue"}}));
    auto lw = client.ingest_linear_webhook(R"({"action":"update"})",
                                           {.delivery = "d1", .event = "Issue", .signature = "ab"});
    CHECK(header_of(fake->last(), "Linear-Delivery") == "d1");
    CHECK(header_of(fake->last(), "Linear-Signature") == "ab");
    CHECK(lw.data.ignored);

    fake->reply(201, envelope({{"id", "cmt_1"}}));
    client.post_linear_comment("tsk_L1", {.body = "Shipped."});
    CHECK(fake->last().url == "http://127.0.0.1:3000/providers/linear/tasks/tsk_L1/comments");
    fake->reply(202, envelope({{"state", "done"}}));
    client.set_linear_workflow_state("tsk_L1", {.state_id = std::nullopt, .state_name = "Done"});
    CHECK(json::parse(fake->last().body) == json{{"stateName", "Done"}});
}

TEST_CASE("raw request passes any JSON through, only POST, PUT and PATCH carry a key", "[client]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    fake->reply(200, R"({"status":"ok"})");
    auto r = client.request(Method::get, "health");
    CHECK(fake->last().url == "http://127.0.0.1:3000/health");
    CHECK(r.data["status"] == "ok");

    fake->reply(200, R"({"data":{"x":1},"availableActions":["a"]})");
    auto p = client.request(Method::post, "/operator/routing/evaluations", json{{"taskId", "tsk_1"}},
                            {{"X-Extra", "1"}});
    CHECK(p.data["x"] == 1);
    CHECK(p.available_actions == std::vector<std::string>{"a"});
    CHECK(header_of(fake->last(), "X-Extra") == "1");
    CHECK_FALSE(header_of(fake->last(), "Idempotency-Key").empty());

    for (auto method : {Method::put, Method::patch}) {
        fake->reply(200, R"({"data":{}})");
        client.request(method, "/x", json::object());
        CHECK(header_of(fake->last(), "Idempotency-Key").size() == 36);
    }
    fake->reply(202, R"({"data":{}})");
    client.request(Method::del, "/event-subscriptions/evsub_1", std::nullopt, {}, "given-key-1");
    CHECK(header_of(fake->last(), "Idempotency-Key").empty());
    fake->reply(202, R"({"data":{}})");
    client.request(Method::post, "/x", json::object(), {}, "");
    CHECK(header_of(fake->last(), "Idempotency-Key").empty());
}

TEST_CASE("base URLs with a path prefix are joined correctly", "[client]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake, nullptr, "http://127.0.0.1:3000/v1/");
    fake->reply(200, task_list_page("tsk_1", "tsk_2", nullptr, false));
    client.list_my_tasks();
    CHECK(fake->last().url == "http://127.0.0.1:3000/v1/tasks/mine");
    CHECK(client.url_for("/tasks/x") == "http://127.0.0.1:3000/v1/tasks/x");
}

TEST_CASE("an API key is never sent over plain http to a remote host unless allowed", "[client][security]") {
    auto make = [](std::string url, bool allow) {
        ClientOptions o;
        o.base_url = std::move(url);
        o.api_key = "ar_live_x";
        o.allow_insecure_http = allow;
        o.transport = std::make_shared<FakeTransport>();
        return Client(std::move(o));
    };
    CHECK_THROWS_AS(make("http://api.example.com", false), Error);
    CHECK_NOTHROW(make("http://api.example.com", true));
    CHECK_NOTHROW(make("https://api.example.com/v1", false));
    CHECK_NOTHROW(make("http://127.0.0.1:3000", false));
    CHECK_NOTHROW(make("http://localhost:3000", false));
    CHECK_NOTHROW(make("http://[::1]:3000", false));
    CHECK_THROWS_AS(make("ftp://x", true), Error);
}

TEST_CASE("log messages never carry the API key", "[client][security]") {
    auto fake = std::make_shared<FakeTransport>();
    std::vector<std::string> lines;
    ClientOptions o;
    o.api_key = "ar_live_supersecret_value";
    o.transport = fake;
    o.sleep = [](std::chrono::milliseconds) {};
    o.log = [&](LogLevel, std::string_view m) { lines.emplace_back(m); };
    Client client(std::move(o));
    fake->reply(
        201,
        envelope(
            {{"id", "akey_1"},
             {"apiKey", "ar_live_new_secret_material"},
             {"agent",
              {{"id", "agt_a"}, {"displayName", "A"}, {"role", "r"}, {"externalIdentities", json::array()}}},
             {"scopes", {"ci:read"}},
             {"rateLimit", {{"windowSeconds", 60}, {"maxRequests", 1}}},
             {"status", "active"},
             {"createdAt", "t"},
             {"expiresAt", nullptr},
             {"rotatedFromKeyId", nullptr},
             {"availableActions", json::array()}}));
    client.rotate_api_key("akey_1");
    REQUIRE_FALSE(lines.empty());
    for (const auto& l : lines) {
        CHECK(l.find("supersecret") == std::string::npos);
        CHECK(l.find("new_secret_material") == std::string::npos);
    }
}

TEST_CASE("log_level: messages below it are not handed over", "[client][log]") {
    auto fake = std::make_shared<FakeTransport>();
    std::vector<std::pair<LogLevel, std::string>> lines;
    ClientOptions o;
    o.api_key = "ar_live_supersecret_value";
    o.transport = fake;
    o.sleep = [](std::chrono::milliseconds) {};
    o.log = [&](LogLevel level, std::string_view m) { lines.emplace_back(level, m); };
    o.log_level = LogLevel::debug;
    Client client(std::move(o));
    fake->reply(200, R"({"status":"ok"})");
    client.request(Method::get, "health");
    REQUIRE_FALSE(lines.empty());
    for (const auto& [level, line] : lines) {
        CHECK(level >= LogLevel::debug);
        CHECK(line.find("<- body") == std::string::npos);
    }
}

TEST_CASE("a loopback server is asked for no compression, any other may compress", "[client]") {
    const auto accept_encoding = [](const HttpRequest& r) -> std::optional<std::string> {
        for (const auto& [name, value] : r.headers)
            if (name == "Accept-Encoding") return value;
        return std::nullopt;
    };
    auto fake = std::make_shared<FakeTransport>();
    const std::string health =
        R"({"status":"ok","service":"agentrail","publicBaseUrl":"http://127.0.0.1:3000",)"
        R"("pathPrefix":null,"time":"2026-05-04T14:54:17Z","uptimeSeconds":43})";
    fake->reply(200, health);
    fake->reply(200, health);
    auto local = make_test_client(fake, nullptr, "http://127.0.0.1:3000");
    local.health();
    CHECK(accept_encoding(fake->last()) == std::optional<std::string>(""));  // empty: identity only
    auto remote = make_test_client(fake, nullptr, "https://api.example.com");
    remote.health();
    CHECK_FALSE(accept_encoding(fake->last()).has_value());  // the transport's own (gzip)
}
