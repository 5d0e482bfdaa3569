// The `webhook listen --forward-to` queue: retried until the target answers 2xx, bounded, and what is
// left at close is named.

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "agentrail/errors.hpp"
#include "webhook_forwarder.hpp"

using namespace agentrail;
using namespace std::chrono_literals;

namespace {

// Answers the scripted statuses in turn (0: a network error), then 200; records what it was sent.
class ScriptedTarget : public Transport {
public:
    explicit ScriptedTarget(std::vector<int> statuses, std::chrono::milliseconds delay = 0ms)
        : m_statuses(std::move(statuses)), m_delay(delay) {}
    HttpResponse send(const HttpRequest& request) override {
        std::this_thread::sleep_for(m_delay);
        std::lock_guard lock(m_mutex);
        int status = m_next < m_statuses.size() ? m_statuses[m_next] : 200;
        ++m_next;
        if (status == 0) throw TransportError("connection refused (fake)", 7);
        if (status >= 200 && status < 300) accepted.push_back(request);
        return HttpResponse{status, {}, {}};
    }
    HttpResponse stream(const HttpRequest&, const std::function<bool(std::string_view)>&) override {
        throw std::logic_error("not used");
    }
    std::vector<HttpRequest> accepted;
    std::mutex m_mutex;

private:
    std::vector<int> m_statuses;
    std::size_t m_next = 0;
    std::chrono::milliseconds m_delay;
};

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5000ms) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (done()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return done();
}

}  // namespace

TEST_CASE("a forward is retried through 5xx and network errors until the target takes it, once",
          "[forwarder]") {
    auto target = std::make_shared<ScriptedTarget>(std::vector<int>{503, 0, 500});
    std::vector<std::string> warnings;
    std::mutex warn_mutex;
    cli::WebhookForwarder forwarder(target, "http://127.0.0.1:9/hook", 10, [&](std::string_view w) {
        std::lock_guard lock(warn_mutex);
        warnings.emplace_back(w);
    });
    REQUIRE(forwarder.push({"evt_1", R"({"id":"evt_1"})", {{"X-AgentRail-Event-Id", "evt_1"}}}));
    REQUIRE(forwarder.push({"evt_2", R"({"id":"evt_2"})", {}}));
    CHECK(wait_until([&] { return forwarder.forwarded() == 2; }));
    CHECK(forwarder.close(0ms).empty());
    REQUIRE(target->accepted.size() == 2);
    CHECK(target->accepted[0].body == R"({"id":"evt_1"})");  // in order, each once
    CHECK(target->accepted[1].body == R"({"id":"evt_2"})");
    CHECK(find_header(target->accepted[0].headers, "X-AgentRail-Event-Id") == "evt_1");
    CHECK(find_header(target->accepted[0].headers, "Content-Type") == "application/json");
    CHECK(forwarder.failed_attempts() == 3);
    REQUIRE(warnings.size() == 3);
    CHECK(warnings[0].find("evt_1") != std::string::npos);
    CHECK(warnings[0].find("answered 503") != std::string::npos);
}

TEST_CASE("a full forward queue refuses more, close names what the target never took", "[forwarder]") {
    // A target that is down for good: nothing leaves the queue.
    auto target = std::make_shared<ScriptedTarget>(std::vector<int>(1000, 503));
    cli::WebhookForwarder forwarder(target, "http://127.0.0.1:9/hook", 2, [](std::string_view) {});
    CHECK(forwarder.push({"evt_1", "{}", {}}));
    CHECK(forwarder.push({"evt_2", "{}", {}}));
    CHECK_FALSE(forwarder.push({"evt_3", "{}", {}}));  // the listener answers 503: redelivered later
    auto started = std::chrono::steady_clock::now();
    auto left = forwarder.close(300ms);
    CHECK(std::chrono::steady_clock::now() - started < 3s);  // the grace period bounds the wait
    CHECK(left == std::vector<std::string>{"evt_1", "evt_2"});
    CHECK(forwarder.forwarded() == 0);
}

TEST_CASE("a slow target does not block push", "[forwarder]") {
    auto target = std::make_shared<ScriptedTarget>(std::vector<int>{}, 300ms);
    cli::WebhookForwarder forwarder(target, "http://127.0.0.1:9/hook", 100, [](std::string_view) {});
    auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) REQUIRE(forwarder.push({"evt_" + std::to_string(i), "{}", {}}));
    CHECK(std::chrono::steady_clock::now() - started < 200ms);
    forwarder.close(0ms);
}
