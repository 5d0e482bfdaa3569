// The raw page path of `tasks list --all` (Client::for_each_raw_task_page, the validating scan in
// json_scan.cpp, render/raw_stream.cpp): items are passed on as the server's bytes, and the text printed
// equals what the parse-and-dump path prints for the same answer.

#include <catch2/catch.hpp>

#include "agentrail/client.hpp"
#include "agentrail/json.hpp"
#include "agentrail/raw_task_page.hpp"
#include "fake_transport.hpp"
#include "json_scan.hpp"
#include "render/raw_stream.hpp"

using namespace agentrail;
using namespace agentrail::test;
using agentrail::cli::append_compact_json;
using agentrail::cli::append_indented_json;
using agentrail::cli::pick_members;
using nlohmann::json;

namespace {

// Items with what must survive: unknown fields (nested too), non-ASCII text, escapes of every kind,
// numbers of every shape, empty containers.
json tricky_items() {
    return json::parse(R"([
      {"id": "tsk_1", "identifier": "A-1", "title": "caf\u00e9 \ud83d\ude80 \u65e5\u672c", "status": "todo",
       "priority": "high", "availableActions": ["start"], "futureField": {"nested": [1, -2.5, 3e10, true, null]},
       "empty": {}, "none": [], "quote": "say \"hi\"\\ \/ \b\f\n\r\t \u0001 \u001b[31m \u007f"},
      {"id": "tsk_2", "identifier": "A-2", "title": "", "status": "blocked", "priority": "low",
       "availableActions": [], "blocker": {"summary": "line1\nline2", "deep": [[[[{"a": [{}]}]]]]}}
    ])");
}

std::string page_body(const json& items, const char* next, bool more, int indent = -1) {
    json env = {{"data", items}, {"availableActions", {"fetch_next_page"}}, {"meta", {{"requestId", "r"}}}};
    env["page"] = next ? json{{"nextCursor", next}, {"hasMore", more}}
                       : json{{"nextCursor", nullptr}, {"hasMore", more}};
    return env.dump(indent);
}

std::vector<std::string> raw_items(Client& client, std::vector<RawTaskPage>* pages = nullptr) {
    std::vector<std::string> items;
    client.for_each_raw_task_page({}, [&](RawTaskPage& page) {
        for (std::size_t i = 0; i < page.size(); ++i) items.emplace_back(page.item(i));
        if (pages) pages->push_back(std::move(page));
        return true;
    });
    return items;
}

}  // namespace

TEST_CASE("raw pages: items are the server's bytes, dumped items equal the typed path's",
          "[raw][pagination]") {
    const auto items = tricky_items();
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, page_body(json::array({items[0]}), "c2", true), {{"x-request-id", "req_1"}});
    fake->reply(200, page_body(json::array({items[1]}), nullptr, false));
    auto client = make_test_client(fake);
    std::vector<RawTaskPage> pages;
    auto got = raw_items(client, &pages);
    REQUIRE(got.size() == 2);
    CHECK(got[0] == items[0].dump());
    CHECK(got[1] == items[1].dump());
    REQUIRE(pages.size() == 2);
    CHECK(pages[0].page->next_cursor == "c2");
    CHECK(pages[0].page->has_more);
    CHECK(pages[0].request_id == "req_1");
    CHECK(pages[0].compact);
    CHECK(pages[0].reserialised.empty());
    CHECK_FALSE(pages[1].page->has_more);
    CHECK(fake->requests()[1].url == "http://127.0.0.1:3000/tasks/mine?cursor=c2");

    // The server's spelling, not a re-serialisation: escapes, \/ and number forms stay as sent.
    fake->reply(200,
                R"({"data":[{"id":"tsk_1","n":1.50,"e":1E+2,"s":"\u00e9\/"}],"page":{"hasMore":false}})");
    got = raw_items(client);
    REQUIRE(got.size() == 1);
    CHECK(got[0] == R"({"id":"tsk_1","n":1.50,"e":1E+2,"s":"\u00e9\/"})");
}

TEST_CASE("raw pages: the output layouts equal nlohmann's dump", "[raw][render]") {
    auto items = tricky_items();
    items.push_back(json::array());
    items.push_back(json::object());
    items.push_back("a \"string\" with , : { [ inside \\");
    items.push_back(42);
    items.push_back(json::array({json::object(), json::array(), 1}));
    for (const auto& item : items) {
        std::string compact;
        append_compact_json(compact, item.dump());
        CHECK(compact == item.dump());
        std::string from_pretty;
        append_compact_json(from_pretty, item.dump(4));
        CHECK(from_pretty == item.dump());
        // As an element of an array printed with indent 2: "[\n  " + item + "\n]".
        std::string indented = "[\n  ";
        append_indented_json(indented, item.dump(), 2);
        indented += "\n]";
        CHECK(indented == json::array({item}).dump(2));
        std::string reindented = "[\n  ";
        append_indented_json(reindented, item.dump(3), 2);
        reindented += "\n]";
        CHECK(reindented == json::array({item}).dump(2));
    }
}

TEST_CASE("raw pages: pick_members gives the members a table needs, as a full parse does", "[raw][render]") {
    const std::vector<std::string> keys = {"id", "status", "availableActions", "assignee", "title", "none"};
    auto expected = [&](const json& item) {
        if (!item.is_object()) return item;
        json out = json::object();
        for (const auto& k : keys)
            if (auto it = item.find(k); it != item.end()) out[k] = *it;
        return out;
    };
    auto items = tricky_items();
    items.push_back(json::object());
    items.push_back({{"id", "tsk_1"},
                     {"title", "a \"quoted\" title, with {braces} [and] \\ : colons"},
                     {"assignee", {{"name", "N \u00e9"}, {"tags", {1, 2.5, nullptr, true}}}},
                     {"skipped", {{"deep", {{"deeper", json::array({"}", "]", "\""})}}}}},
                     {"availableActions", {"ship", "view_task"}},
                     {"status", nullptr},
                     {"n", -1.5e10}});
    items.push_back(json::array({1, 2}));
    items.push_back("a string");
    for (const auto& item : items) {
        CHECK(pick_members(item.dump(), keys) == expected(item));
        CHECK(pick_members(item.dump(4), keys) == expected(item));
    }
    // Escapes in a key, a repeated key: the same as parse_json (the last of a repeated key wins).
    CHECK(pick_members(R"({"ti\u0074le":"x","id":"a","id":"b"})", keys) ==
          json({{"title", "x"}, {"id", "b"}}));
    CHECK(pick_members(R"({"id":"a","id":"b"})", keys) == json({{"id", "b"}}));
    CHECK(pick_members(R"({"id":"\u00e9\n"})", keys) == json({{"id", "\u00e9\n"}}));
}

TEST_CASE("raw pages: a pretty-printed answer is flagged, its items still exact", "[raw][pagination]") {
    const auto items = tricky_items();
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, page_body(items, nullptr, false, 2));
    auto client = make_test_client(fake);
    std::vector<RawTaskPage> pages;
    auto got = raw_items(client, &pages);
    REQUIRE(got.size() == 2);
    CHECK_FALSE(pages[0].compact);
    CHECK(json::parse(got[0]) == items[0]);
    std::string line;
    append_compact_json(line, got[0]);
    CHECK(line == items[0].dump());
}

TEST_CASE("raw pages: unusual answers take the full parse and give the same items", "[raw][pagination]") {
    // The full parse is list_my_tasks' own, so the items must be valid tasks.
    const std::string task = R"("identifier":"A-1","title":"t","status":"todo","priority":"low",)"
                             R"("updatedAt":"2026-01-01T00:00:00Z","availableActions":[])";
    auto fake = std::make_shared<FakeTransport>();
    // A member name written with an escape, a repeated "page", a byte-order mark.
    fake->reply(200, R"({"d\u0061ta":[{"id":"tsk_1","b":2,)" + task + R"(}],"page":{"hasMore":false}})");
    fake->reply(200, R"({"data":[{"id":"tsk_2",)" + task +
                         R"(}],"page":{"hasMore":true,"nextCursor":"x"},"page":{"hasMore":false}})");
    fake->reply(200,
                "\xEF\xBB\xBF"
                R"({"data":[{"id":"tsk_3",)" +
                    task + "}]}");
    auto client = make_test_client(fake);
    const auto canonical = [&](const char* id, bool b) {
        json j = json::parse("{" + task + "}");
        j["id"] = id;
        if (b) j["b"] = 2;
        return j.dump();
    };
    std::vector<RawTaskPage> pages;
    CHECK(raw_items(client, &pages) == std::vector<std::string>{canonical("tsk_1", true)});
    REQUIRE(pages.size() == 1);
    CHECK_FALSE(pages[0].reserialised.empty());
    CHECK(raw_items(client) == std::vector<std::string>{canonical("tsk_2", false)});  // the last "page" wins
    CHECK(raw_items(client) == std::vector<std::string>{canonical("tsk_3", false)});
    CHECK(fake->pending() == 0);
}

TEST_CASE("raw pages: malformed answers fail as the typed path does", "[raw][pagination]") {
    const std::vector<std::string> bodies = {
        R"({"data":[{"t":"raw )"
        "\x1b"
        R"([2J"}]})",  // raw control character in a string
        R"({"data":[{"t":")"
        "\xff"
        R"("}]})",  // invalid UTF-8
        R"({"data":[{"t":")"
        "\xed\xa0\x80"
        R"("}]})",                                      // a UTF-16 surrogate in UTF-8
        R"({"data":[{"t":"\ud800"}]})",                 // a lone surrogate escape
        R"({"data":[{"t":"\q"}]})",                     // unknown escape
        R"({"data":[{"n":01}]})",                       // leading zero
        R"({"data":[{"n":1.}]})",                       // no fraction digits
        R"({"data":[{"a":1,}]})",                       // trailing comma
        R"({"data":[{"a":tru}]})",                      // bad literal
        R"({"data":[]} x)",                             // trailing garbage
        R"({"data":[{"a":1})",                          // cut off
        R"([1,2])",                                     // not an object
        R"({"page":{}})",                               // no data
        std::string(600, '[') + std::string(600, ']'),  // nested too deeply
        R"({"data":[)" + std::string(600, '[') + std::string(600, ']') + "]}",
    };
    for (const auto& body : bodies) {
        auto typed_fake = std::make_shared<FakeTransport>();
        typed_fake->reply(200, body);
        auto typed = make_test_client(typed_fake);
        std::string typed_error;
        try {
            typed.list_my_tasks();
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::protocol);
            typed_error = e.what();
        }
        auto raw_fake = std::make_shared<FakeTransport>();
        raw_fake->reply(200, body);
        auto raw = make_test_client(raw_fake);
        std::string raw_error;
        try {
            raw_items(raw);
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::protocol);
            raw_error = e.what();
        }
        INFO(body.substr(0, 80));
        CHECK_FALSE(raw_error.empty());
        CHECK(raw_error == typed_error);
        detail::ListPageScan scan;
        CHECK_FALSE(detail::scan_list_page(body, scan, default_max_json_depth));
    }
}

TEST_CASE("raw pages: HTTP errors and cycling cursors as for_each_task_page", "[raw][pagination]") {
    auto fake = std::make_shared<FakeTransport>();
    fake->reply(200, page_body(json::array({{{"id", "a"}}}), "A", true));
    fake->reply(200, page_body(json::array({{{"id", "b"}}}), "B", true));
    fake->reply(200, page_body(json::array({{{"id", "c"}}}), "A", true));
    auto client = make_test_client(fake);
    std::size_t seen = 0;
    CHECK_THROWS_WITH(client.for_each_raw_task_page({},
                                                    [&](RawTaskPage& page) {
                                                        seen += page.size();
                                                        return true;
                                                    }),
                      Catch::Contains("page cursor repeated (A)"));
    CHECK(seen == 3);

    fake->reply(401, R"({"error":{"code":"unauthorized","message":"no","details":{}}})");
    CHECK_THROWS_AS(raw_items(client), ApiError);

    // The callback stops it.
    fake->reply(200, page_body(json::array({{{"id", "a"}}}), "A", true));
    client.for_each_raw_task_page({}, [](RawTaskPage&) { return false; });
    CHECK(fake->pending() == 0);
}

TEST_CASE("raw pages: the scan reads nextCursor with escapes, ignores hasMore of other types", "[raw]") {
    detail::ListPageScan scan;
    REQUIRE(detail::scan_list_page(
        R"( {"meta":{"page":1},"page":{"nextCursor":"a\"b\u00e9","hasMore":true},"data":[ 1 , "x" ,{"k":[]} ] } )",
        scan, default_max_json_depth));
    CHECK(scan.next_cursor == "a\"b\xc3\xa9");
    CHECK(scan.has_more);
    REQUIRE(scan.items.size() == 3);
    CHECK(scan.items[2].size == 8);  // {"k":[]}
    CHECK_FALSE(scan.items_have_whitespace);
    REQUIRE(detail::scan_list_page(R"({"data":[],"page":{"nextCursor":7,"hasMore":"yes"}})", scan, 512));
    CHECK_FALSE(scan.next_cursor);
    CHECK_FALSE(scan.has_more);
    CHECK(scan.has_page);
}
