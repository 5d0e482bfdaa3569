// libFuzzer harness for the JSON models: every typed Client and OperatorClient operation decodes a
// fuzzer-made 200 answer
// through the real pipeline (envelope checks, availableActions, page, from_json), and the event envelope
// of the SSE stream and webhooks is decoded directly. The only failure allowed is an agentrail::Error of
// kind protocol; and what decodes must encode back to exactly the JSON it came from (the models keep
// unknown members in `extra`, so nothing the server sent may be lost).
//
// Input: byte 0 picks the operation, the rest is the response body.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agentrail/agentrail.hpp"
#include "fake_transport.hpp"

namespace {

using agentrail::Client;
using agentrail::Error;
using agentrail::ErrorKind;
using agentrail::Response;
using nlohmann::json;

[[noreturn]] void fail(const char* what) {
    std::fputs(what, stderr);
    std::fputc('\n', stderr);
    std::abort();
}

// What the typed data was decoded from: envelope["data"], or the whole envelope for bare answers.
template <typename T>
void check_round_trip(const Response<T>& r, bool bare) {
    const json& source = bare ? r.envelope : r.raw_data();
    if (json(r.data) != source) fail("decoded model does not encode back to the JSON it came from");
}

template <typename T>
void check(const Response<T>& r, bool bare = false) {
    if (r.status != 200) fail("status lost");
    if constexpr (!std::is_same_v<T, json>) check_round_trip(r, bare);
    for (const auto& a : r.available_actions)
        if (!r.can(a)) fail("can() disagrees with available_actions");
}

using Operation = std::function<void(Client&)>;

const std::vector<Operation>& operations() {
    static const std::vector<Operation> ops = {
        [](Client& c) { check(c.health(), true); },
        [](Client& c) {
            agentrail::ApiKeyCreateRequest req;
            req.scopes = {"tasks:read"};
            check(c.create_api_key(req));
        },
        [](Client& c) { check(c.rotate_api_key("key_1")); },
        [](Client& c) { check(c.get_api_key_usage("key_1")); },
        [](Client& c) { check(c.list_my_tasks({.status = "todo", .limit = 10})); },
        [](Client& c) { check(c.get_task("tsk_1")); },
        [](Client& c) { check(c.start_task("tsk_1")); },
        [](Client& c) {
            agentrail::TaskBlockerRequest req;
            req.reason = "needs a decision";
            check(c.block_task("tsk_1", req));
        },
        [](Client& c) {
            agentrail::ResolveBlockerRequest req;
            check(c.resolve_blocker("tsk_1", req));
        },
        [](Client& c) { check(c.submit_task("tsk_1", {.summary = "done", .mode = "adapter_managed"})); },
        [](Client& c) { check(c.get_task_ci_status("tsk_1")); },
        [](Client& c) { check(c.get_task_review_feedback("tsk_1")); },
        [](Client& c) { check(c.ship_task("tsk_1", {.mode = "merge_only"})); },
        [](Client& c) { check(c.rollback_task("tsk_1")); },
        [](Client& c) { check(c.list_event_subscriptions()); },
        [](Client& c) {
            agentrail::EventSubscriptionCreateRequest req;
            req.url = "https://example.test/hook";
            req.event_types = {"task.updated"};
            req.secret = "whsec_0123456789abcdef";
            check(c.create_event_subscription(req));
        },
        [](Client& c) { check(c.get_event_subscription("sub_1")); },
        [](Client& c) { check(c.deactivate_event_subscription("sub_1")); },
        [](Client& c) { check(c.ingest_circleci_webhook("{}")); },
        [](Client& c) {
            agentrail::LinearIssueIntakeRequest req;
            req.id = "lin_1";
            req.title = "An issue";
            check(c.ingest_linear_issue(req));
        },
        [](Client& c) { check(c.ingest_linear_webhook("{}", {})); },
        [](Client& c) { check(c.request(agentrail::Method::get, "/anything")); },
        // The operator API (agentrail/operator.hpp), from index 22 on.
        [](Client& c) { check(agentrail::OperatorClient(c).get_current_routing_rule_set()); },
        [](Client& c) { check(agentrail::OperatorClient(c).replace_current_routing_rule_set({})); },
        [](Client& c) { check(agentrail::OperatorClient(c).get_routing_agent_profile("agt_1")); },
        [](Client& c) { check(agentrail::OperatorClient(c).replace_routing_agent_profile("agt_1", {})); },
        [](Client& c) { check(agentrail::OperatorClient(c).evaluate_routing({})); },
        [](Client& c) { check(agentrail::OperatorClient(c).get_routing_decision_audit("rdec_1")); },
        [](Client& c) { check(agentrail::OperatorClient(c).ingest_provider_issue({})); },
        [](Client& c) {
            check(agentrail::OperatorClient(c).create_setup_verification_task({.agent_id = "agt_1"}));
        },
        [](Client& c) { check(agentrail::OperatorClient(c).list_agent_runs()); },
        [](Client& c) { check(agentrail::OperatorClient(c).get_agent_run("run_1")); },
        [](Client& c) { check(agentrail::OperatorClient(c).get_run_context("run_1", "arrun_token")); },
        [](Client& c) {
            check(agentrail::OperatorClient(c).report_agent_run("run_1",
                                                                {.status = "progress", .summary = "ok"}));
        },
        [](Client& c) { check(agentrail::OperatorClient(c).set_task_source("tsk_1", {})); },
    };
    return ops;
}

// The SSE stream and webhook deliveries hand event envelopes straight to from_json.
void decode_event(std::string_view body) {
    auto j = json::parse(body, nullptr, false);
    if (j.is_discarded()) return;
    agentrail::TaskEvent event;
    try {
        event = j.get<agentrail::TaskEvent>();
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::protocol) fail("event decoding failed with a kind other than protocol");
        return;
    } catch (const json::exception&) {
        return;  // not an object: the callers check that first
    }
    if (json(event) != j) fail("decoded event does not encode back to the JSON it came from");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    if (size == 0) return 0;
    const auto& ops = operations();
    const std::size_t pick = bytes[0];
    const std::string body(reinterpret_cast<const char*>(bytes + 1), size - 1);
    if (pick >= ops.size()) {
        decode_event(body);
        return 0;
    }
    auto fake = std::make_shared<agentrail::test::FakeTransport>();
    fake->reply(200, body, {{"Content-Type", "application/json"}, {"X-Request-Id", "req_1"}});
    Client client = agentrail::test::make_test_client(fake);
    try {
        ops[pick](client);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::protocol) fail("a 200 answer failed with a kind other than protocol");
    }
    if (fake->pending() != 0) fail("the operation did not send its request (local validation?)");
    return 0;
}
