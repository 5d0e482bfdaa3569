// agentrail::Client over the real curl transport against a cpp-httplib server on 127.0.0.1.

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "agentrail/agentrail.hpp"
#include "agentrail/errors.hpp"
#include "agentrail/events.hpp"
#include "test_server.hpp"

using namespace std::chrono_literals;
using agentrail::test::TestServer;

namespace {

std::string task_json(int n) {
    return R"({"id":"tsk_)" + std::to_string(n) + R"(","identifier":"AR-)" + std::to_string(n) +
           R"(","title":"Task )" + std::to_string(n) +
           R"(","status":"todo","priority":"medium","dueAt":null,"updatedAt":"2026-01-01T00:00:00Z",)"
           R"("availableActions":["start"]})";
}

constexpr const char* empty_page =
    R"({"data":[],"page":{"nextCursor":null,"hasMore":false},"availableActions":[]})";

// Sleeps are recorded, never slept, so retry tests run instantly.
struct Sleeps {
    std::mutex mutex;
    std::vector<std::chrono::milliseconds> delays;
};

agentrail::ClientOptions options_for(const std::string& base_url, const std::shared_ptr<Sleeps>& sleeps) {
    agentrail::ClientOptions options;
    options.base_url = base_url;
    options.api_key = "ar_integration_test_key";
    options.sleep = [sleeps](std::chrono::milliseconds delay) {
        std::lock_guard lock(sleeps->mutex);
        sleeps->delays.push_back(delay);
    };
    options.random = [] { return 0.5; };
    return options;
}

}  // namespace

TEST_CASE("a 100-page walk uses one kept-alive connection", "[client][http]") {
    TestServer server;
    std::atomic<int> bad_cursors{0};
    std::atomic<int> unauthenticated{0};
    server.server().Get("/tasks/mine", [&](const httplib::Request& req, httplib::Response& res) {
        const std::string cursor = req.get_param_value("cursor");
        const int page = cursor.empty() ? 1 : std::stoi(cursor.substr(1)) + 1;
        if (!cursor.empty() && cursor != "c" + std::to_string(page - 1)) ++bad_cursors;
        if (req.get_header_value("Authorization") != "Bearer ar_integration_test_key") ++unauthenticated;
        const bool more = page < 100;
        res.set_content(R"({"data":[)" + task_json(page) + R"(],"page":{"nextCursor":)" +
                            (more ? "\"c" + std::to_string(page) + "\"" : std::string("null")) +
                            R"(,"hasMore":)" + (more ? "true" : "false") + R"(},"availableActions":[)" +
                            (more ? R"("fetch_next_page")" : "") + "]}",
                        "application/json");
    });
    server.start();
    agentrail::Client client(options_for(server.url(), std::make_shared<Sleeps>()));

    std::vector<std::string> ids;
    int pages = 0;
    client.for_each_task_page({}, [&](const agentrail::TaskPage& page) {
        ++pages;
        for (const auto& task : page.data) ids.push_back(task.id);
        CHECK(page.can("fetch_next_page") == (pages < 100));
        return true;
    });
    CHECK(pages == 100);
    REQUIRE(ids.size() == 100);
    CHECK(ids.front() == "tsk_1");
    CHECK(ids.back() == "tsk_100");
    CHECK(bad_cursors.load() == 0);
    CHECK(unauthenticated.load() == 0);
    CHECK(server.requests() == 100);
    CHECK(server.connections() == 1);
}

TEST_CASE("503 with Retry-After 0 and 429 are retried on the same connection", "[client][http][retry]") {
    TestServer server;
    std::atomic<int> calls{0};
    int first_status = 503;
    std::string retry_after = "0";
    server.server().Get("/tasks/mine", [&](const httplib::Request&, httplib::Response& res) {
        if (calls.fetch_add(1) == 0) {
            res.status = first_status;
            res.set_header("Retry-After", retry_after);
            res.set_content(R"({"error":{"code":"rate_limited","message":"slow down","details":{}}})",
                            "application/json");
            return;
        }
        res.set_content(empty_page, "application/json");
    });

    SECTION("503 then 200") {
        first_status = 503;
        retry_after = "0";
    }
    SECTION("429 then 200") {
        first_status = 429;
        retry_after = "1";
    }
    server.start();
    auto sleeps = std::make_shared<Sleeps>();
    agentrail::Client client(options_for(server.url(), sleeps));

    const auto page = client.list_my_tasks();
    CHECK(page.status == 200);
    CHECK(page.data.empty());
    CHECK(calls.load() == 2);
    CHECK(server.connections() == 1);
    // Retry-After: 0 means retry at once (a zero wait is not handed to the sleep function).
    const auto expected = first_status == 503 ? std::vector<std::chrono::milliseconds>{}
                                              : std::vector<std::chrono::milliseconds>{1000ms};
    CHECK(sleeps->delays == expected);
}

TEST_CASE("an error status that is not retried becomes an ApiError", "[client][http]") {
    TestServer server;
    server.server().Get("/tasks/mine", [](const httplib::Request&, httplib::Response& res) {
        res.status = 401;
        res.set_content(R"({"error":{"code":"unauthorized","message":"bad key","details":{}}})",
                        "application/json");
    });
    server.start();
    agentrail::Client client(options_for(server.url(), std::make_shared<Sleeps>()));
    CHECK_THROWS_AS(client.list_my_tasks(), agentrail::UnauthorizedError);
    CHECK(server.requests() == 1);
}

TEST_CASE("a base URL with a path prefix is joined correctly", "[client][http]") {
    TestServer server;
    std::mutex mutex;
    std::vector<std::string> paths;
    server.server().Get(R"(/v1/tasks/mine)", [&](const httplib::Request& req, httplib::Response& res) {
        {
            std::lock_guard lock(mutex);
            paths.push_back(req.path);
        }
        res.set_content(empty_page, "application/json");
    });
    server.start();

    SECTION("without a trailing slash") {
        agentrail::Client client(options_for(server.url("/v1"), std::make_shared<Sleeps>()));
        CHECK(client.list_my_tasks().status == 200);
    }
    SECTION("with a trailing slash") {
        agentrail::Client client(options_for(server.url("/v1/"), std::make_shared<Sleeps>()));
        CHECK(client.list_my_tasks().status == 200);
    }
    std::lock_guard lock(mutex);
    CHECK(paths == std::vector<std::string>{"/v1/tasks/mine"});
}

// First connection: events 1-3 and half of 4, then the server drops it. Second connection must carry
// Last-Event-ID: 3 and gets 4-6. The client must deliver 1..6 exactly once, in order.
TEST_CASE("an SSE stream cut mid-event resumes with Last-Event-ID", "[client][http][stream]") {
    TestServer server;
    std::atomic<int> connection{0};
    std::mutex mutex;
    std::vector<std::string> last_event_ids;
    const auto event = [](int n) {
        return "id: " + std::to_string(n) + "\nevent: task.updated\ndata: {\"id\":\"" + std::to_string(n) +
               R"(","type":"task.updated","occurredAt":"2026-01-01T00:00:00Z","data":{"taskId":"tsk_1"}})" +
               "\n\n";
    };
    server.server().Get("/task-events/stream", [&](const httplib::Request& req, httplib::Response& res) {
        const int n = ++connection;
        {
            std::lock_guard lock(mutex);
            last_event_ids.push_back(req.has_header("Last-Event-ID") ? req.get_header_value("Last-Event-ID")
                                                                     : "<none>");
        }
        res.set_header("x-agentrail-stream-heartbeat-seconds", "10");
        res.set_chunked_content_provider("text/event-stream",
                                         [&server, event, n](std::size_t, httplib::DataSink& sink) {
                                             std::string body = n == 1 ? "retry: 10\n\n" : "";
                                             const int first = n == 1 ? 1 : 4;
                                             for (int i = first; i < first + 3; ++i) body += event(i);
                                             if (n == 1) body += event(4).substr(0, 30);
                                             if (!sink.write(body.data(), body.size())) return false;
                                             if (n == 1) return false;  // cut the connection mid-event
                                             // Keep the second connection open (with keepalives) until the
                                             // client hangs up.
                                             while (server.pause(50ms)) {
                                                 if (!sink.write(": keepalive\n\n", 13)) break;
                                             }
                                             return false;
                                         });
    });
    server.start();
    agentrail::Client client(options_for(server.url(), std::make_shared<Sleeps>()));

    agentrail::CallContext cancel;
    std::atomic<bool> done{false};
    std::thread watchdog([&] {  // keeps the test bounded if the client never stops
        for (int i = 0; i < 100; ++i) {
            if (done.load()) return;
            std::this_thread::sleep_for(50ms);
        }
        cancel.cancel();
    });

    agentrail::StreamOptions options;
    options.stall_timeout = 2s;
    options.max_reconnects = 3;
    options.context = cancel;
    auto stream = client.stream_events(options);
    std::vector<std::string> ids;
    std::vector<std::string> types;
    stream.run([&](const agentrail::StreamEvent& e) {
        ids.push_back(e.id);
        types.push_back(e.type);
        return ids.size() < 6;
    });
    done.store(true);
    watchdog.join();

    CHECK_FALSE(cancel.cancelled());
    CHECK(ids == std::vector<std::string>{"1", "2", "3", "4", "5", "6"});
    CHECK(std::set<std::string>(types.begin(), types.end()) == std::set<std::string>{"task.updated"});
    CHECK(stream.connections() == 2);
    CHECK(stream.last_event_id() == "6");
    std::lock_guard lock(mutex);
    CHECK(last_event_ids == std::vector<std::string>{"<none>", "3"});
}
