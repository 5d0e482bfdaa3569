// Every example of the API documents decodes with its model and re-encodes to the same JSON. The examples are
// collected from docs/api/*.openapi.yaml by api_examples/gen_api_examples.py into api_examples.json (checked
// in; the api_examples_drift test fails when it no longer matches the documents). Each names the component
// schema it belongs to; the table below maps schema names to models, and an example whose schema the table
// does not know fails the test, so a new example (or schema) in a document needs a decision here.

#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "agentrail/errors.hpp"
#include "agentrail/events.hpp"
#include "agentrail/models/ci.hpp"
#include "agentrail/models/event.hpp"
#include "agentrail/models/health.hpp"
#include "agentrail/models/keys.hpp"
#include "agentrail/models/operator.hpp"
#include "agentrail/models/providers.hpp"
#include "agentrail/models/review.hpp"
#include "agentrail/models/ship.hpp"
#include "agentrail/models/submit.hpp"
#include "agentrail/models/subscription.hpp"
#include "agentrail/models/task.hpp"

using nlohmann::json;
using namespace agentrail;

namespace {

json load_examples() {
    std::ifstream in(AGENTRAIL_API_EXAMPLES_JSON);
    REQUIRE(in.good());
    return json::parse(in);
}

// Members a model's `extra` holds that the document's own example should not need: anything but a null or an
// empty array/object that a known optional member was sent as (those are kept in `extra` to re-emit them).
// Walks nested models through their field lists, so "ruleSet.bogus" is found as well as "bogus".
template <typename T>
struct is_optional : std::false_type {};
template <typename T>
struct is_optional<std::optional<T>> : std::true_type {};
template <typename T>
struct is_vector : std::false_type {};
template <typename T>
struct is_vector<std::vector<T>> : std::true_type {};

template <typename T>
void unknown_members(const T& model, const std::string& path, std::set<std::string>& out) {
    if constexpr (is_optional<T>::value) {
        if (model) unknown_members(*model, path, out);
    } else if constexpr (is_vector<T>::value) {
        for (std::size_t i = 0; i < model.size(); ++i)
            unknown_members(model[i], path + "[" + std::to_string(i) + "]", out);
    } else if constexpr (requires { model.extra; }) {
        for (const auto& [key, value] : model.extra.items())
            if (!value.is_null() && !(value.is_array() && value.empty()) &&
                !(value.is_object() && value.empty()))
                out.insert(path + key);
        T::for_each_field(model, [&](const char* name, const auto& member) {
            unknown_members(member, path + name + ".", out);
        });
    }
}

template <typename T>
std::set<std::string> unknown_members(const T& model) {
    std::set<std::string> out;
    unknown_members(model, "", out);
    return out;
}

// Decodes `value` as T, checks the model knows every member of it and re-encodes it to equal JSON.
template <typename T>
void model_round_trip(const json& value) {
    T model = value.get<T>();
    CHECK(unknown_members(model) == std::set<std::string>{});
    CHECK(json(model) == value);
}

template <typename T>
json typed_payload(const std::optional<T>& data) {
    REQUIRE(data.has_value());
    CHECK(unknown_members(*data) == std::set<std::string>{});
    return json(*data);
}

// An event envelope: the envelope and, for the document's four types, the typed payload.
void event_round_trip(const json& value) {
    model_round_trip<TaskEvent>(value);
    auto event = value.get<TaskEvent>();
    CHECK(event.raw == value);
    const std::string& type = event.type;
    if (type == event_type::task_updated)
        CHECK(typed_payload(event.as_updated()) == value.at("data"));
    else if (type == event_type::task_awaiting_user)
        CHECK(typed_payload(event.as_awaiting_user()) == value.at("data"));
    else if (type == event_type::task_reviewed)
        CHECK(typed_payload(event.as_reviewed()) == value.at("data"));
    else if (type == event_type::task_shipped)
        CHECK(typed_payload(event.as_shipped()) == value.at("data"));
    else
        FAIL("event type not in the document: " << type);
}

using Check = std::function<void(const json&)>;

// A request or response body that is the model itself.
template <typename T>
Check body() {
    return [](const json& value) { model_round_trip<T>(value); };
}
// A response envelope {data: T, availableActions, meta}: the model is `data` (the envelope is Response<T>).
template <typename T>
Check data() {
    return [](const json& value) { model_round_trip<T>(value.at("data")); };
}
// A list envelope {data: [T...], page, availableActions}.
template <typename T>
Check data_items() {
    return [](const json& value) {
        REQUIRE(value.at("data").is_array());
        for (const auto& item : value.at("data")) model_round_trip<T>(item);
    };
}

// The error envelope has no model: it becomes an ApiError. Its code, message and details are kept whole.
void error_round_trip(const json& value) {
    auto info = parse_api_error(400, value.dump());
    const json& error = value.at("error");
    json back = {{"code", info.code}, {"message", info.message}};
    if (error.contains("details")) back["details"] = info.details;
    CHECK(json{{"error", back}} == value);
    if (error.contains("details") && error["details"].contains("availableActions"))
        CHECK(json(info.available_actions) == error["details"]["availableActions"]);
}

// An SSE body: every event's data is an event envelope.
void stream_round_trip(const json& value) {
    REQUIRE(value.is_string());
    SseParser parser;
    int events = 0;
    parser.feed(value.get<std::string>(), [&](const SseEvent& e) {
        ++events;
        auto envelope = json::parse(e.data);
        CHECK(e.event == envelope.at("type").get<std::string>());
        CHECK(e.id == envelope.at("id").get<std::string>());
        event_round_trip(envelope);
    });
    CHECK(events > 0);
}

const std::map<std::string, Check>& checks() {
    static const std::map<std::string, Check> table = {
        // task-lifecycle.openapi.yaml
        {"inline:paths./health get 200 application/json", body<Health>()},
        {"AgentApiKeyCreateRequest", body<ApiKeyCreateRequest>()},
        {"AgentApiKeyRotateRequest", body<ApiKeyRotateRequest>()},
        {"AgentApiKeyResponse", data<ApiKey>()},
        {"AgentApiKeyUsageResponse", data<ApiKeyUsage>()},
        {"TaskListResponse", data_items<TaskSummary>()},
        {"TaskDetailResponse", data<TaskDetail>()},
        {"TaskBlockerRequest", body<TaskBlockerRequest>()},
        {"TaskResolveBlockerRequest", body<ResolveBlockerRequest>()},
        {"TaskSubmitRequest", body<TaskSubmitRequest>()},
        {"TaskSubmissionResponse", data<TaskSubmission>()},
        {"TaskCiStatusResponse", data<CiStatus>()},
        {"TaskReviewFeedbackResponse", data<ReviewFeedback>()},
        {"TaskShipRequest", body<TaskShipRequest>()},
        {"TaskShipResponse", data<ShipResult>()},
        {"EventSubscriptionCreateRequest", body<EventSubscriptionCreateRequest>()},
        {"EventSubscriptionResponse", data<EventSubscription>()},
        {"EventSubscriptionListResponse", data_items<EventSubscription>()},
        {"CircleCiWebhookReceiptResponse", data<CircleCiWebhookReceipt>()},
        {"LinearIssueIntakeRequest", body<LinearIssueIntakeRequest>()},
        {"LinearIssueIntakeResponseEnvelope", data<LinearIssueIntake>()},
        {"LinearWebhookReceiptResponse", data<LinearWebhookReceipt>()},
        {"TaskLifecycleEventEnvelope", event_round_trip},
        {"inline:paths./task-events/stream get 200 text/event-stream", stream_round_trip},
        {"ErrorResponse", error_round_trip},
        // intake-routing-admin.openapi.yaml
        {"ProviderIssueSnapshot", body<ProviderIssueSnapshot>()},
        {"RoutingEvaluationRequest", body<RoutingEvaluationRequest>()},
        {"RoutingDecisionResponse", data<RoutingDecision>()},
        {"RoutingAuditResponse", data<RoutingAudit>()},
        {"RoutingRuleSetReplaceRequest", body<RoutingRuleSetReplaceRequest>()},
        {"RoutingRuleSetResponse", data<RoutingRuleSet>()},
        {"AgentProfileReplaceRequest", body<AgentProfileReplaceRequest>()},
        {"AgentProfileResponse", data<AgentProfile>()},
        {"SetupVerificationTaskRequest", body<SetupVerificationTaskRequest>()},
        {"SetupVerificationTaskResponse", data<SetupVerificationTask>()},
    };
    return table;
}

// Bodies the library passes through as bytes, so there is no model to decode them with.
const std::map<std::string, std::string>& not_modelled() {
    static const std::map<std::string, std::string> table = {
        {"inline:paths./providers/circleci/webhooks post requestBody application/json",
         "Client::ingest_circleci_webhook forwards the provider's body as received (it is signed)"},
        {"LinearWebhookRequest",
         "Client::ingest_linear_webhook forwards the provider's body as received (it is signed)"},
    };
    return table;
}

}  // namespace

TEST_CASE("every example of the API documents round-trips through its model", "[models][api-examples]") {
    const json examples = load_examples();
    REQUIRE(examples.size() >= 70);  // the collector found the examples (76 when written)
    std::size_t checked = 0, passed_through = 0;
    for (const auto& example : examples) {
        const std::string schema = example.at("schema").get<std::string>();
        INFO(example.at("file").get<std::string>()
             << ": " << example.at("where").get<std::string>() << " (schema " << schema << ")");
        if (not_modelled().count(schema)) {
            ++passed_through;
            continue;
        }
        auto check = checks().find(schema);
        if (check == checks().end())
            FAIL("no model mapped to this schema: add it to checks() or not_modelled()");
        check->second(example.at("value"));
        ++checked;
    }
    CHECK(checked + passed_through == examples.size());
}
