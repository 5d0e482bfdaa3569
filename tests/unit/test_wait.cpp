// wait_until() and check_condition() against the scripted FakeTransport: a condition already met, one met
// after an event, the polling fallback, the deadline, cancellation, errors that end the wait at once and
// transient ones the client retries.

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "agentrail/agentrail.hpp"
#include "agentrail/wait.hpp"
#include "fake_transport.hpp"

using namespace agentrail;
using namespace agentrail::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string T = "tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V";

/// A response body of the API contract's examples, by its "where" (e.g. "paths./tasks/{id} get 200").
json contract_example(const std::string& where_prefix) {
    std::ifstream in(AGENTRAIL_API_EXAMPLES_JSON);
    for (const auto& entry : json::parse(in))
        if (entry.at("where").get<std::string>().rfind(where_prefix, 0) == 0) return entry.at("value");
    throw std::logic_error("no example " + where_prefix);
}

/// GET /tasks/{id}: the contract's task in `status`, with this submission (null: none) and actions.
std::string task_body(const std::string& status, const json& submission = "sub_1",
                      const std::vector<std::string>& actions = {}) {
    auto body = contract_example("paths./tasks/{id} get 200");
    body["data"]["status"] = status;
    body["data"]["submissionId"] = submission;
    body["data"]["availableActions"] = actions;
    body["availableActions"] = actions;
    return body.dump();
}

/// GET /tasks/{id}/ci-status with this overall status.
std::string ci_body(const std::string& overall) {
    auto body = contract_example("paths./tasks/{id}/ci-status get 200 application/json examples.green");
    body["data"]["overallStatus"] = overall;
    return body.dump();
}

/// GET /tasks/{id}/review-feedback with this latest outcome (empty: no decision yet).
std::string review_body(const std::string& outcome) {
    auto body = contract_example("paths./tasks/{id}/review-feedback get 200");
    if (outcome.empty())
        body["data"]["latestDecision"] = nullptr;
    else
        body["data"]["latestDecision"]["outcome"] = outcome;
    return body.dump();
}

std::string error_answer(const std::string& code, const std::string& message) {
    return json{{"error", {{"code", code}, {"message", message}, {"details", json::object()}}}}.dump();
}

/// One SSE frame of a task event.
std::string updated_frame(const std::string& id, const std::string& task) {
    json data = {{"id", id},
                 {"type", "task.updated"},
                 {"occurredAt", "2026-05-01T03:21:04Z"},
                 {"sequence", 1},
                 {"taskVersion", 1},
                 {"traceId", nullptr},
                 {"data", {{"taskId", task}, {"summary", "s"}}}};
    return "id: " + id + "\nevent: task.updated\ndata: " + data.dump() + "\n\n";
}

const std::string kHello = ": connected\n";

std::vector<std::string> paths(const FakeTransport& fake) {
    std::vector<std::string> out;
    for (const auto& r : fake.requests()) {
        auto path = r.url.substr(r.url.find("/", 8));
        out.push_back(path.substr(0, path.find('?')));
    }
    return out;
}

/// Answers reads from a FakeTransport; its stream connects, sends a comment, then stays open (no event)
/// until the request's context ends, as a quiet real stream does.
class QuietStream : public Transport {
public:
    std::shared_ptr<FakeTransport> fake = std::make_shared<FakeTransport>();
    int streams = 0;
    HttpResponse send(const HttpRequest& request) override { return fake->send(request); }
    HttpResponse stream(const HttpRequest& request,
                        const std::function<bool(std::string_view)>& on_chunk) override {
        ++streams;
        if (!on_chunk(kHello)) return HttpResponse{200, {}, {}};
        request.context.sleep_for(10s);
        throw TransportError("transfer ended by its context (fake)", 42, request.context.expired());
    }
};

Client client_on(std::shared_ptr<Transport> transport, SleepRecorder* sleeps = nullptr) {
    ClientOptions o;
    o.base_url = "http://127.0.0.1:3000";
    o.api_key = "ar_test_key_123456";
    o.transport = std::move(transport);
    o.random = [] { return 0.5; };
    if (sleeps)
        o.sleep = sleeps->fn();
    else
        o.sleep = [](std::chrono::milliseconds) {};
    return Client(std::move(o));
}

}  // namespace

TEST_CASE("wait: a condition already met returns after one look", "[wait]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({kHello});  // no event: the look is made once the stream is connected
    fake->reply(200, task_body("done"));
    auto client = make_test_client(fake);
    std::vector<WaitVerdict> seen;
    WaitOptions options;
    options.on_check = [&](const WaitSnapshot& s) { seen.push_back(s.verdict); };

    auto r = wait_until(client, T, WaitCondition::status("done"), options);
    CHECK(r.outcome == WaitOutcome::reached);
    CHECK(r.checks == 1);
    CHECK_FALSE(r.polled);
    CHECK(r.last.detail == "task is done");
    CHECK(r.last.task.data.status == "done");
    CHECK(seen == std::vector<WaitVerdict>{WaitVerdict::reached});
    // The stream is opened first, filtered to the task; the state is read once it is connected.
    CHECK(paths(*fake) == std::vector<std::string>{"/task-events/stream", "/tasks/" + T});
    CHECK(fake->requests()[0].url.find("taskId=" + T) != std::string::npos);
    CHECK(fake->pending() == 0);
}

TEST_CASE("wait: an event for the task makes it look again", "[wait]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({kHello, updated_frame("evt_1", "tsk_OTHER"), updated_frame("evt_2", T)});
    fake->reply(200, task_body("in_review"));  // on connect
    fake->reply(200, ci_body("running"));
    fake->reply(200, task_body("in_review"));  // after evt_2 (evt_1 is another task's)
    fake->reply(200, ci_body("passed"));
    auto client = make_test_client(fake);
    std::vector<std::string> details;
    WaitOptions options;
    options.on_check = [&](const WaitSnapshot& s) { details.push_back(s.detail); };

    auto r = wait_until(client, T, WaitCondition::ci("passed"), options);
    CHECK(r.outcome == WaitOutcome::reached);
    CHECK(r.checks == 2);
    CHECK(details == std::vector<std::string>{"task is in_review", "CI passed"});
    REQUIRE(r.last.ci);
    CHECK(r.last.ci->data.overall_status == "passed");
    CHECK_FALSE(r.last.review);
    CHECK(fake->pending() == 0);
}

TEST_CASE("wait: CI or review deciding otherwise, or a finished task, is unreachable", "[wait]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    SECTION("CI failed while waiting for it to pass") {
        fake->reply(200, task_body("in_review")).reply(200, ci_body("failed"));
        auto s = check_condition(client, T, WaitCondition::ci("passed"));
        CHECK(s.verdict == WaitVerdict::unreachable);
        CHECK(s.detail == "CI failed");
        fake->reply(200, task_body("in_review")).reply(200, ci_body("failed"));
        CHECK(check_condition(client, T, WaitCondition::ci("finished")).verdict == WaitVerdict::reached);
    }
    SECTION("changes requested while waiting for approval") {
        fake->reply(200, task_body("in_review")).reply(200, review_body("changes_requested"));
        auto s = check_condition(client, T, WaitCondition::review("approved"));
        CHECK(s.verdict == WaitVerdict::unreachable);
        CHECK(s.detail == "review changes_requested");
        REQUIRE(s.review);
    }
    SECTION("no decision yet: pending") {
        fake->reply(200, task_body("in_review")).reply(200, review_body(""));
        auto s = check_condition(client, T, WaitCondition::review("approved"));
        CHECK(s.verdict == WaitVerdict::pending);
        CHECK(s.detail == "task is in_review");
    }
    SECTION("a done task can reach no other status") {
        fake->reply(200, task_body("done"));
        auto s = check_condition(client, T, WaitCondition::status("in_review"));
        CHECK(s.verdict == WaitVerdict::unreachable);
        CHECK(s.detail == "task is done and can no longer reach status=in_review");
    }
    SECTION("no submission yet: no CI to ask about") {
        fake->reply(200, task_body("todo", nullptr));
        auto s = check_condition(client, T, WaitCondition::ci("passed"));
        CHECK(s.verdict == WaitVerdict::pending);
        CHECK_FALSE(s.ci);
        CHECK(fake->requests().size() == 1);
    }
    SECTION("an action offered") {
        fake->reply(200, task_body("in_review", "sub_1", {"ship"}));
        auto s = check_condition(client, T, WaitCondition::action("ship"));
        CHECK(s.verdict == WaitVerdict::reached);
        CHECK(s.detail == "task offers ship");
    }
    CHECK(fake->pending() == 0);
}

TEST_CASE("wait: the wait's outcome for an unreachable condition", "[wait]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->stream_reply({kHello});
    fake->reply(200, task_body("cancelled", nullptr));
    auto client = make_test_client(fake);
    auto r = wait_until(client, T, WaitCondition::ci("passed"));
    CHECK(r.outcome == WaitOutcome::unreachable);
    CHECK(r.last.detail == "task is cancelled and can no longer reach ci=passed");
}

TEST_CASE("wait: the state is polled when the stream is refused or keeps failing", "[wait]") {
    auto fake = std::make_shared<FakeTransport>();
    std::string fallback_reason;
    WaitOptions options;
    options.poll_interval = 1ms;
    options.on_polling = [&](std::string_view reason) { fallback_reason = reason; };
    SECTION("403: no events:read scope") {
        fake->reply(403, error_answer("insufficient_scope", "events:read is required"));
    }
    SECTION("network errors past max_reconnects") {
        options.max_reconnects = 1;
        fake->fail_network().fail_network();
    }
    fake->reply(200, task_body("in_progress"));
    fake->reply(200, task_body("in_progress"));
    fake->reply(200, task_body("done"));
    auto client = make_test_client(fake);

    auto r = wait_until(client, T, WaitCondition::status("done"), options);
    CHECK(r.outcome == WaitOutcome::reached);
    CHECK(r.polled);
    CHECK(r.checks == 3);
    CHECK_FALSE(fallback_reason.empty());
    CHECK(fake->pending() == 0);
}

TEST_CASE("wait: use_stream = false polls from the start", "[wait]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, task_body("in_progress")).reply(200, task_body("done"));
    auto client = make_test_client(fake);
    WaitOptions options;
    options.use_stream = false;
    options.poll_interval = 1ms;
    auto r = wait_until(client, T, WaitCondition::status("done"), options);
    CHECK(r.outcome == WaitOutcome::reached);
    CHECK(paths(*fake) == std::vector<std::string>{"/tasks/" + T, "/tasks/" + T});
}

TEST_CASE("wait: the timeout ends a wait on a quiet stream", "[wait]") {
    auto transport = std::make_shared<QuietStream>();
    transport->fake->reply(200, task_body("in_progress"));
    auto client = client_on(transport);
    WaitOptions options;
    options.timeout = 150ms;
    const auto started = std::chrono::steady_clock::now();
    auto r = wait_until(client, T, WaitCondition::status("done"), options);
    const auto took = std::chrono::steady_clock::now() - started;
    CHECK(r.outcome == WaitOutcome::timed_out);
    CHECK(r.checks == 1);
    CHECK(r.last.detail == "task is in_progress");  // the state at the end, for the report
    CHECK(took >= 150ms);
    CHECK(took < 5s);
    CHECK(r.waited >= 150ms);
    CHECK(transport->streams == 1);
}

TEST_CASE("wait: the timeout ends polling too", "[wait]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(403, error_answer("insufficient_scope", "events:read is required"));
    fake->reply(200, task_body("in_progress"));
    auto client = make_test_client(fake);
    WaitOptions options;
    options.timeout = 100ms;
    options.poll_interval = 10s;  // the sleep is cut short by the deadline
    const auto started = std::chrono::steady_clock::now();
    auto r = wait_until(client, T, WaitCondition::status("done"), options);
    CHECK(r.outcome == WaitOutcome::timed_out);
    CHECK(r.polled);
    CHECK(std::chrono::steady_clock::now() - started < 5s);
}

TEST_CASE("wait: cancelling the context ends it at once", "[wait]") {
    CallContext context;
    WaitOptions options;
    options.context = context;
    SECTION("while the stream is open") {
        auto transport = std::make_shared<QuietStream>();
        transport->fake->reply(200, task_body("in_progress"));
        auto client = client_on(transport);
        options.on_check = [&](const WaitSnapshot&) { context.cancel(); };
        auto r = wait_until(client, T, WaitCondition::status("done"), options);
        CHECK(r.outcome == WaitOutcome::cancelled);
        CHECK(r.checks == 1);
    }
    SECTION("from another thread, while polling") {
        auto fake = std::make_shared<FakeTransport>();
        fake->reply(403, error_answer("insufficient_scope", "events:read is required"));
        fake->reply(200, task_body("in_progress"));
        auto client = make_test_client(fake);
        options.poll_interval = 10s;
        std::jthread canceller([context] {  // joined even when the wait throws
            std::this_thread::sleep_for(50ms);
            context.cancel();
        });
        const auto started = std::chrono::steady_clock::now();
        auto r = wait_until(client, T, WaitCondition::status("done"), options);
        canceller.join();
        CHECK(r.outcome == WaitOutcome::cancelled);
        CHECK(std::chrono::steady_clock::now() - started < 5s);
    }
    SECTION("before it starts: nothing is sent") {
        auto fake = std::make_shared<FakeTransport>();
        auto client = make_test_client(fake);
        context.cancel();
        auto r = wait_until(client, T, WaitCondition::status("done"), options);
        CHECK(r.outcome == WaitOutcome::cancelled);
        CHECK(r.checks == 0);
        CHECK(fake->requests().empty());
    }
}

TEST_CASE("wait: an error that will not clear ends it at once", "[wait]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    SECTION("404 on the task, with the stream open") {
        fake->stream_reply({kHello, updated_frame("evt_1", T)});
        fake->reply(404, error_answer("not_found", "Task not found."));
        CHECK_THROWS_AS(wait_until(client, T, WaitCondition::status("done")), NotFoundError);
        CHECK(paths(*fake) == std::vector<std::string>{"/task-events/stream", "/tasks/" + T});
    }
    SECTION("404 'CI source not found' once the task has a submission") {
        fake->stream_reply({kHello});
        fake->reply(200, task_body("in_review"));
        fake->reply(404, error_answer("not_found", "CI source not found for task."));
        CHECK_THROWS_WITH(wait_until(client, T, WaitCondition::ci("passed")),
                          Catch::Contains("CI source not found"));
    }
    SECTION("403 on the review feedback after an event") {
        fake->stream_reply({kHello, updated_frame("evt_1", T)});
        fake->reply(200, task_body("in_review")).reply(200, review_body(""));
        fake->reply(200, task_body("in_review"));
        fake->reply(403, error_answer("forbidden", "Task is not assigned to this agent."));
        CHECK_THROWS_AS(wait_until(client, T, WaitCondition::review("approved")), ForbiddenError);
    }
    SECTION("401 while polling") {
        fake->reply(403, error_answer("insufficient_scope", "events:read is required"));
        fake->reply(200, task_body("in_progress"));
        fake->reply(401, error_answer("unauthorized", "Invalid API key"));
        WaitOptions options;
        options.poll_interval = 1ms;
        CHECK_THROWS_AS(wait_until(client, T, WaitCondition::status("done"), options), UnauthorizedError);
    }
    CHECK(fake->pending() == 0);  // nothing more was asked after the error
}

TEST_CASE("wait: transient errors are retried, not the end of the wait", "[wait]") {
    auto fake = std::make_shared<FakeTransport>();
    SleepRecorder sleeps;
    auto client = make_test_client(fake, &sleeps);
    SECTION("a 503 reading the task is retried by the client") {
        fake->stream_reply({kHello});
        fake->reply(503, error_answer("unavailable", "try again"), {{"retry-after", "1"}});
        fake->reply(200, task_body("done"));
        auto r = wait_until(client, T, WaitCondition::status("done"));
        CHECK(r.outcome == WaitOutcome::reached);
        CHECK(*sleeps.sleeps == std::vector<std::chrono::milliseconds>{1000ms});
    }
    SECTION("a stream refused with 503 reconnects and is then followed") {
        fake->reply(503, error_answer("fallback_mode", "maintenance"));
        fake->stream_reply({kHello});
        fake->reply(200, task_body("done"));
        auto r = wait_until(client, T, WaitCondition::status("done"));
        CHECK(r.outcome == WaitOutcome::reached);
        CHECK_FALSE(r.polled);
        CHECK(paths(*fake) ==
              std::vector<std::string>{"/task-events/stream", "/task-events/stream", "/tasks/" + T});
    }
    SECTION("a network error while polling is retried by the client") {
        fake->reply(403, error_answer("insufficient_scope", "events:read is required"));
        fake->fail_network();
        fake->reply(200, task_body("done"));
        WaitOptions options;
        options.poll_interval = 1ms;
        auto r = wait_until(client, T, WaitCondition::status("done"), options);
        CHECK(r.outcome == WaitOutcome::reached);
        CHECK(r.polled);
        CHECK(sleeps.sleeps->size() == 1);
    }
    CHECK(fake->pending() == 0);
}

TEST_CASE("wait: condition texts and outcome names", "[wait]") {
    CHECK(WaitCondition::ci("passed").text() == "ci=passed");
    CHECK(WaitCondition::review("approved").text() == "review=approved");
    CHECK(WaitCondition::status("done").text() == "status=done");
    CHECK(WaitCondition::action("ship").text() == "action=ship");
    CHECK(std::string(to_string(WaitOutcome::timed_out)) == "timed_out");
    CHECK(std::string(to_string(WaitVerdict::unreachable)) == "unreachable");
}
