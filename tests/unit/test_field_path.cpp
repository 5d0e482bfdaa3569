// JSON pointers spelled from model members (agentrail/models/field_path.hpp): the text each chain makes, that
// it reads the same values as the models decode, and the chains that must not compile.

#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "agentrail/models/field_path.hpp"
#include "agentrail/models/keys.hpp"
#include "agentrail/models/operator.hpp"
#include "agentrail/models/subscription.hpp"
#include "agentrail/models/task.hpp"

using nlohmann::json;
using namespace agentrail;

namespace {

template <auto... Steps>
concept makes_path = requires {
    json_path<Steps...>();
};

// Chains the compiler refuses (each would otherwise be a pointer that names nothing the server sends).
static_assert(makes_path<&TaskDetail::assignee, &TaskAssignee::name>);
static_assert(!makes_path<&TaskDetail::extra>, "extra is not a field");
static_assert(!makes_path<&AgentRun::run_id>, "a plain member outside the field list");
static_assert(!makes_path<&TaskDetail::assignee, &TaskBlocker::reason>, "not a member of the step before");
static_assert(!makes_path<&TaskDetail::id, &TaskAssignee::name>, "a string has no members");
static_assert(!makes_path<&ApiKeyUsage::by_scope, &ScopeUsage::scope>, "an array needs an index");
static_assert(!makes_path<&TaskDetail::id, json_key{"x"}>, "json_key only inside a JSON member");
static_assert(!makes_path<json_key{"x"}>, "json_key does not start a path");
static_assert(!makes_path<&TaskDetail::links, json_key{"a/b"}>, "a token that would need escaping");
static_assert(!makes_path<>);

// The text is a compile-time constant.
static_assert(json_pointer<&TaskDetail::assignee, &TaskAssignee::name>() == "/assignee/name");
static_assert(json_name<&TaskSummary::due_at>() == "dueAt");

}  // namespace

TEST_CASE("json_path spells a member chain with the field lists' JSON names", "[field_path]") {
    CHECK(json_path<&TaskDetail::id>() == "/id");
    CHECK(json_path<&TaskDetail::updated_at>() == "/updatedAt");
    CHECK(json_path<&TaskDetail::assignee, &TaskAssignee::name>() == "/assignee/name");  // optional step
    CHECK(json_path<&TaskDetail::blocker, &TaskBlocker::action_required>() == "/blocker/actionRequired");
    CHECK(json_path<&ApiKey::rate_limit, &RateLimit::window_seconds>() == "/rateLimit/windowSeconds");
    CHECK(
        json_path<&ApiKeyUsage::rate_limit, &UsageRateLimit::current_window, &RateLimitWindow::reset_at>() ==
        "/rateLimit/currentWindow/resetAt");
    CHECK(json_path<&RoutingAudit::decision, &RoutingDecision::routing_reason, &RoutingReason::summary>() ==
          "/decision/routingReason/summary");
    CHECK(json_path<&EventSubscription::filters, &SubscriptionFilters::task_ids>() == "/filters/taskIds");
    CHECK(json_path<&RunContext::task, &RunContextTask::acceptance_criteria>() == "/task/acceptanceCriteria");
    CHECK(json_path<&ApiKeyUsage::by_scope>() == "/byScope");  // an array ends a path
    CHECK(json_path<&TaskDetail::links, json_key{"issue"}>() == "/links/issue");
    CHECK(json_name<&RoutingRuleSet::audit>() == "audit");
}

TEST_CASE("json_path is one static string per chain", "[field_path]") {
    const std::string& a = json_path<&TaskDetail::blocker, &TaskBlocker::reason>();
    const std::string& b = json_path<&TaskDetail::blocker, &TaskBlocker::reason>();
    CHECK(&a == &b);
    CHECK(&a != &json_path<&TaskDetail::blocker, &TaskBlocker::kind>());
}

TEST_CASE("json_path reads from the server's JSON what the model decodes", "[field_path]") {
    const json body = {{"id", "tsk_1"},
                       {"identifier", "DEMO-1"},
                       {"title", "T"},
                       {"description", "D"},
                       {"status", "blocked"},
                       {"priority", "high"},
                       {"assignee", {{"id", "agt_demo"}, {"name", "Demo Agent"}}},
                       {"acceptanceCriteria", {"a", "b"}},
                       {"links", {{"issue", "https://example.com/1"}}},
                       {"context", {{"project", nullptr}, {"goal", "g"}}},
                       {"updatedAt", "2026-05-01T12:00:00Z"},
                       {"availableActions", {"resolve_blocker"}},
                       {"blocker",
                        {{"kind", "awaiting_user"},
                         {"sourceRunId", "run_1"},
                         {"sourceAgentId", "agt_demo"},
                         {"reason", "needs a token"},
                         {"actionRequired", "add it"},
                         {"resumeInstructions", "rerun"},
                         {"createdAt", "2026-05-01T12:00:00Z"}}}};
    const auto task = body.get<TaskDetail>();
    auto at = [&](const std::string& path) { return body.at(json::json_pointer(path)); };
    CHECK(at(json_path<&TaskDetail::identifier>()) == task.identifier);
    CHECK(at(json_path<&TaskDetail::assignee, &TaskAssignee::name>()) == task.assignee->name);
    CHECK(at(json_path<&TaskDetail::blocker, &TaskBlocker::resume_instructions>()) ==
          task.blocker->resume_instructions);
    CHECK(at(json_path<&TaskDetail::acceptance_criteria>()) == json(task.acceptance_criteria));
    CHECK(at(json_path<&TaskDetail::links, json_key{"issue"}>()) == "https://example.com/1");
}

TEST_CASE("for_each_field_pointer walks the same fields as for_each_field, in order", "[field_path]") {
    std::vector<std::string> by_value, by_pointer;
    TaskDetail task;
    TaskDetail::for_each_field(task, [&](const char* name, const auto&) { by_value.emplace_back(name); });
    TaskDetail::for_each_field_pointer([&](std::string_view name, auto) { by_pointer.emplace_back(name); });
    CHECK(by_pointer == by_value);
    CHECK(by_pointer.size() == 26);
}
