// agentrail::find_task_by_key: a task named by its identifier, found through tasks/mine page by page.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "agentrail/task_lookup.hpp"
#include "fake_transport.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {

/// A page of tasks/mine with the given (id, identifier) pairs.
std::string page(const std::vector<std::pair<std::string, std::string>>& tasks, const char* next) {
    json items = json::array();
    for (const auto& [id, identifier] : tasks)
        items.push_back({{"id", id},
                         {"identifier", identifier},
                         {"title", "Title of " + identifier},
                         {"status", "todo"},
                         {"priority", "high"},
                         {"dueAt", nullptr},
                         {"updatedAt", "2026-05-01T02:48:05Z"},
                         {"availableActions", {"start"}},
                         {"blocker", nullptr}});
    json j = {{"data", items},
              {"page", {{"nextCursor", next ? json(next) : json(nullptr)}, {"hasMore", next != nullptr}}},
              {"availableActions", json::array()},
              {"meta", {{"requestId", "req_1"}}}};
    return j.dump();
}

}  // namespace

TEST_CASE("is_task_id: tsk_ and letters or digits", "[task_lookup]") {
    CHECK(is_task_id("tsk_01JZDEMO0000000000000001"));
    CHECK_FALSE(is_task_id("tsk_"));
    CHECK_FALSE(is_task_id("DEMO-1"));
    CHECK_FALSE(is_task_id("tsk_a-b"));
}

TEST_CASE("find_task_by_key: an exact match ends the search on its page", "[task_lookup]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, page({{"tsk_1", "DEMO-1"}, {"tsk_2", "DEMO-2"}}, "c2"));
    fake->reply(200, page({{"tsk_3", "DEMO-3"}}, nullptr));
    auto client = make_test_client(fake);
    auto found = find_task_by_key(client, "DEMO-2");
    REQUIRE(found.task);
    CHECK(found.task->id == "tsk_2");
    CHECK(fake->requests().size() == 1);  // the second page is not read
    CHECK(fake->requests()[0].url.find("limit=100") != std::string::npos);
}

TEST_CASE("find_task_by_key: later pages are followed, case and the last segment match loosely",
          "[task_lookup]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, page({{"tsk_1", "DEMO-1"}}, "c2"));
    fake->reply(200, page({{"tsk_9", "linear:acme:issues/ENG-9"}}, nullptr));
    auto client = make_test_client(fake);
    auto found = find_task_by_key(client, "eng-9");
    REQUIRE(found.task);
    CHECK(found.task->id == "tsk_9");
    CHECK(fake->requests().size() == 2);
}

TEST_CASE("find_task_by_key: several loose matches are ambiguous, with the candidates", "[task_lookup]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(
        200, page({{"tsk_a", "linear:acme:issues/ENG-7"}, {"tsk_b", "linear:beta:issues/ENG-7"}}, nullptr));
    auto client = make_test_client(fake);
    auto found = find_task_by_key(client, "ENG-7");
    CHECK_FALSE(found.task);
    CHECK(found.ambiguous);
    REQUIRE(found.candidates.size() == 2);
    CHECK(found.candidates[0].id == "tsk_a");
    CHECK(found.candidates[1].identifier == "linear:beta:issues/ENG-7");
}

TEST_CASE("find_task_by_key: an unknown key suggests keys of the same project", "[task_lookup]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, page({{"tsk_1", "DEMO-1"}, {"tsk_2", "OTHER-2"}, {"tsk_3", "DEMO-3"}}, nullptr));
    auto client = make_test_client(fake);
    auto found = find_task_by_key(client, "DEMO-99");
    CHECK_FALSE(found.task);
    CHECK_FALSE(found.ambiguous);
    REQUIRE(found.candidates.size() == 2);
    CHECK(found.candidates[0].identifier == "DEMO-1");
    CHECK(found.candidates[1].identifier == "DEMO-3");
}
