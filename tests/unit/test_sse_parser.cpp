// SseParser: W3C EventSource parsing, checked chunk-size independent (whole buffer == byte at a time ==
// every split point).

#include <chrono>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "agentrail/events.hpp"

using agentrail::SseEvent;
using agentrail::SseParser;
using namespace std::chrono_literals;
using namespace std::string_literals;

namespace {

// The document's two example streams (LF line endings, as the reference server sends them).
const std::string kReviewedExample =
    "retry: 5000\n"
    "id: evt_01JY50DG4S5SJC48W0MVV8R3H2\n"
    "event: task.reviewed\n"
    R"(data: {"id":"evt_01JY50DG4S5SJC48W0MVV8R3H2","type":"task.reviewed","occurredAt":"2026-05-01T03:25:15Z","sequence":4128,"taskVersion":9,"traceId":"trc_01JY50DCRX3AVNQBE6Q71RQB9N","data":{"taskId":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","taskIdentifier":"AGEA-13","status":"in_review","reviewOutcome":"approved","reviewer":{"id":"agt_ceo","role":"ceo"},"summary":"Contract approved for ship.","availableActions":["ship"],"links":{"task":"https://api.agentrail.app/v1/tasks/tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","reviewFeedback":"https://api.agentrail.app/v1/tasks/tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V/review-feedback"}}})"
    "\n"
    "\n"
    ": keepalive 2026-05-01T03:25:35Z\n";

const std::string kResumeExample =
    "retry: 5000\n"
    "id: evt_01JY50DG4S5SJC48W0MVV8R3H3\n"
    "event: task.updated\n"
    R"(data: {"id":"evt_01JY50DG4S5SJC48W0MVV8R3H3","type":"task.updated","occurredAt":"2026-05-01T03:26:03Z","sequence":4129,"taskVersion":10,"traceId":"trc_01JY50DQRMQ8QZEEMG7P2JX8AB","data":{"taskId":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","taskIdentifier":"AGEA-13","status":"done","previousStatus":"in_review","changedFields":["status","availableActions"],"actor":{"id":"agt_cto","role":"cto"},"summary":"Ship request accepted for deployment.","availableActions":[],"links":{"task":"https://api.agentrail.app/v1/tasks/tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","shipOperation":"https://api.agentrail.app/v1/ship-operations/shp_01JY50F7SQ4C1T3DJ2TGM4G69J"}}})"
    "\n"
    "\n"
    ": keepalive 2026-05-01T03:26:23Z\n";

// Exercises most rules at once: comments, multi-line data, default type, id persistence, a NUL in an
// id, bad retry values, unknown fields, no-space and two-space values, a trailing undispatched event.
const std::string kMixed =
    ": hello\n"
    "retry: 2500\n"
    "data: first\n"
    "data:second\n"
    "data:  third\n"
    "\n"
    "id: 7\n"
    "event: custom\n"
    "data\n"
    "\n"
    "event: ignored-no-data\n"
    "\n"
    "data: after id\n"
    "\n"
    "retry: 12x\n"
    "retry:\n"
    "unknown: field\n"
    "id: bad\0id\n"
    "data: still 7\n"
    "\n"
    "id:\n"
    "data: id cleared\n"
    "\n"
    "id: 9\n"
    "data: {\"a\":1}\n"
    "data: {\"b\":2}\n"
    ":comment without space\n"
    "\n"
    "data: never dispatched\n"s;

std::string with_line_endings(const std::string& lf_text, const std::string& eol) {
    std::string out;
    for (char c : lf_text) {
        if (c == '\n')
            out += eol;
        else
            out += c;
    }
    return out;
}

struct Result {
    std::vector<std::tuple<std::string, std::string, std::string>> events;  // id, event, data
    std::optional<std::chrono::milliseconds> retry;
    std::string last_id;
    std::size_t comments = 0;

    bool operator==(const Result& other) const {
        return events == other.events && retry == other.retry && last_id == other.last_id &&
               comments == other.comments;
    }
};

Result parse_chunks(const std::vector<std::string_view>& chunks) {
    SseParser parser;
    Result r;
    for (auto chunk : chunks) {
        parser.feed(chunk, [&](const SseEvent& e) { r.events.emplace_back(e.id, e.event, e.data); });
    }
    r.retry = parser.retry();
    r.last_id = parser.last_event_id();
    r.comments = parser.comments();
    return r;
}

Result parse_whole(std::string_view text) {
    return parse_chunks({text});
}

Result parse_bytewise(std::string_view text) {
    std::vector<std::string_view> chunks;
    for (std::size_t i = 0; i < text.size(); ++i) chunks.push_back(text.substr(i, 1));
    return parse_chunks(chunks);
}

// Whole == byte at a time == every two-way split == every three-way split on a coarse grid.
void check_chunking_invariant(const std::string& text) {
    const Result whole = parse_whole(text);
    CHECK(parse_bytewise(text) == whole);
    std::string_view view = text;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        INFO("split at " << i);
        REQUIRE(parse_chunks({view.substr(0, i), view.substr(i)}) == whole);
    }
    const std::size_t step = text.size() / 40 + 1;
    for (std::size_t i = 0; i <= text.size(); i += step) {
        for (std::size_t j = i; j <= text.size(); j += step) {
            INFO("split at " << i << " and " << j);
            REQUIRE(parse_chunks({view.substr(0, i), view.substr(i, j - i), view.substr(j)}) == whole);
        }
    }
}

}  // namespace

TEST_CASE("the document's example streams parse into one event each", "[sse]") {
    auto r = parse_whole(kReviewedExample);
    REQUIRE(r.events.size() == 1);
    CHECK(std::get<0>(r.events[0]) == "evt_01JY50DG4S5SJC48W0MVV8R3H2");
    CHECK(std::get<1>(r.events[0]) == "task.reviewed");
    CHECK(std::get<2>(r.events[0])
              .rfind(R"({"id":"evt_01JY50DG4S5SJC48W0MVV8R3H2","type":"task.reviewed")", 0) == 0);
    CHECK(std::get<2>(r.events[0]).back() == '}');
    CHECK(r.retry == 5000ms);
    CHECK(r.comments == 1);
    CHECK(r.last_id == "evt_01JY50DG4S5SJC48W0MVV8R3H2");

    auto both = parse_whole(kReviewedExample + kResumeExample);
    REQUIRE(both.events.size() == 2);
    CHECK(std::get<1>(both.events[1]) == "task.updated");
    CHECK(both.comments == 2);
    CHECK(both.last_id == "evt_01JY50DG4S5SJC48W0MVV8R3H3");
}

TEST_CASE("mixed stream: dispatch, id, retry and field rules", "[sse]") {
    auto r = parse_whole(kMixed);
    using E = std::tuple<std::string, std::string, std::string>;
    std::vector<E> expected{
        E{"", "message", "first\nsecond\n third"},  // only one space after the colon is stripped
        E{"7", "custom", ""},                       // `data` without a colon is an empty data line
        E{"7", "message", "after id"},   // event type reset; blank line without data dispatches nothing
        E{"7", "message", "still 7"},    // id containing NUL ignored; unknown field ignored
        E{"", "message", "id cleared"},  // empty id resets the last id
        E{"9", "message", "{\"a\":1}\n{\"b\":2}"},  // comment inside an event does not end it
    };
    CHECK(r.events == expected);
    CHECK(r.retry == 2500ms);  // "12x" and "" ignored
    CHECK(r.comments == 2);
    CHECK(r.last_id == "9");
}

TEST_CASE("chunking never changes the result", "[sse]") {
    const std::string two = kReviewedExample + kResumeExample;
    SECTION("LF examples") {
        check_chunking_invariant(two);
    }
    SECTION("CRLF") {
        auto crlf = with_line_endings(two, "\r\n");
        check_chunking_invariant(crlf);
        CHECK(parse_whole(crlf) == parse_whole(two));
    }
    SECTION("CR only") {
        auto cr = with_line_endings(two, "\r");
        check_chunking_invariant(cr);
        CHECK(parse_whole(cr) == parse_whole(two));
    }
    SECTION("mixed rules, all line endings") {
        check_chunking_invariant(kMixed);
        check_chunking_invariant(with_line_endings(kMixed, "\r\n"));
        check_chunking_invariant(with_line_endings(kMixed, "\r"));
        CHECK(parse_whole(with_line_endings(kMixed, "\r")) == parse_whole(kMixed));
        CHECK(parse_whole(with_line_endings(kMixed, "\r\n")) == parse_whole(kMixed));
    }
    SECTION("leading BOM") {
        auto bom = "\xEF\xBB\xBF" + two;
        check_chunking_invariant(bom);
        CHECK(parse_whole(bom) == parse_whole(two));
    }
    SECTION("mixed line endings in one stream") {
        std::string text = "data: a\r\ndata: b\rdata: c\n\r\nid: x\rdata: d\r\r: c\n";
        check_chunking_invariant(text);
        auto r = parse_whole(text);
        REQUIRE(r.events.size() == 2);
        CHECK(std::get<2>(r.events[0]) == "a\nb\nc");
        CHECK(std::get<0>(r.events[1]) == "x");
        CHECK(std::get<2>(r.events[1]) == "d");
        CHECK(r.comments == 1);
    }
}

TEST_CASE("CR at the end of a chunk and LF at the start of the next are one line end", "[sse]") {
    SseParser parser;
    std::vector<std::string> data;
    auto on = [&](const SseEvent& e) { data.push_back(e.data); };
    parser.feed("data: a\r", on);
    parser.feed("\ndata: b\r", on);
    parser.feed("\n", on);
    CHECK(data.empty());  // two CRLFs so far, not four line ends: no blank line yet
    parser.feed("\r", on);
    parser.feed("\n", on);
    REQUIRE(data.size() == 1);
    CHECK(data[0] == "a\nb");
}

TEST_CASE("a BOM counts only at the very start", "[sse]") {
    SECTION("split over chunks") {
        auto r = parse_chunks({"\xEF", "\xBB", "\xBF", "data: x\n\n"});
        REQUIRE(r.events.size() == 1);
        CHECK(std::get<2>(r.events[0]) == "x");
    }
    SECTION("a second BOM is content") {
        // "\xEF\xBB\xBF" + "data" is an unknown field name, so the event has no data.
        auto r = parse_whole(
            "\xEF\xBB\xBF\xEF\xBB\xBF"
            "data: x\n\n");
        CHECK(r.events.empty());
    }
    SECTION("a BOM in the middle is content") {
        auto r = parse_whole(
            "data: a\n\n\xEF\xBB\xBF"
            "data: b\n\n");
        REQUIRE(r.events.size() == 1);
        CHECK(std::get<2>(r.events[0]) == "a");
    }
    SECTION("a partial BOM is kept as line content") {
        auto r = parse_chunks({"\xEF\xBB", "data: x\n\n"});
        CHECK(r.events.empty());
        auto ok = parse_chunks({"\xEF", "\n", "data: y\n\n"});
        REQUIRE(ok.events.size() == 1);
        CHECK(std::get<2>(ok.events[0]) == "y");
    }
}

TEST_CASE("events are dispatched only on a blank line", "[sse]") {
    SseParser parser;
    int count = 0;
    auto on = [&](const SseEvent&) { ++count; };
    parser.feed("data: x\n", on);
    CHECK(count == 0);
    parser.feed("\n", on);
    CHECK(count == 1);
    parser.feed("\n\n\n", on);  // blank lines without data dispatch nothing
    CHECK(count == 1);
    parser.feed("event: e\n\ndata: y\n\n", on);
    CHECK(count == 2);
}

TEST_CASE("the event type does not leak into the next event", "[sse]") {
    auto r = parse_whole("event: a\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n");
    REQUIRE(r.events.size() == 3);
    CHECK(std::get<1>(r.events[0]) == "a");
    CHECK(std::get<1>(r.events[1]) == "message");
    CHECK(std::get<1>(r.events[2]) == "message");
}

TEST_CASE("id and retry persist, an id alone moves the resume point", "[sse]") {
    SseParser parser;
    std::vector<std::string> ids;
    auto on = [&](const SseEvent& e) { ids.push_back(e.id); };
    parser.feed("id: 1\ndata: a\n\ndata: b\n\nid: 2\n\n", on);
    CHECK(ids == std::vector<std::string>{"1", "1"});
    CHECK(parser.last_event_id() == "2");
    parser.feed("retry: 100\nretry: 007\n", on);
    CHECK(parser.retry() == 7ms);
    parser.feed("retry: 99999999999999999999999999\n", on);
    REQUIRE(parser.retry());
    CHECK(parser.retry()->count() > 0);  // saturates instead of overflowing
}

TEST_CASE("reset_connection drops the partial line and event, keeps id and retry", "[sse]") {
    SseParser parser;
    std::vector<std::string> data;
    auto on = [&](const SseEvent& e) { data.push_back(e.data); };
    parser.feed("retry: 300\nid: e1\ndata: one\n\nid: e2\ndata: half", on);
    parser.reset_connection();
    parser.feed("\n\n", on);  // would have completed "half" without the reset
    CHECK(data == std::vector<std::string>{"one"});
    CHECK(parser.last_event_id() == "e2");
    CHECK(parser.retry() == 300ms);
    parser.feed("data: two\r", on);
    parser.reset_connection();
    parser.feed("\ndata: three\n\n", on);  // the LF is a line end of its own after a reset
    CHECK(data == std::vector<std::string>{"one", "three"});
}

TEST_CASE("a large event in small chunks", "[sse]") {
    std::string payload(1 << 20, 'x');
    std::string text = "data: " + payload + "\n\n";
    SseParser parser;
    std::size_t size = 0;
    int count = 0;
    for (std::size_t i = 0; i < text.size(); i += 4096) {
        parser.feed(std::string_view(text).substr(i, 4096), [&](const SseEvent& e) {
            size = e.data.size();
            ++count;
        });
    }
    CHECK(count == 1);
    CHECK(size == payload.size());
}

TEST_CASE("many CR-only lines in one chunk", "[sse]") {
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "data: " + std::to_string(i) + "\r\r";
    int count = 0;
    SseParser parser;
    parser.feed(text, [&](const SseEvent&) { ++count; });
    CHECK(count == 20000);
}

TEST_CASE("a handler exception leaves the parser usable", "[sse]") {
    SseParser parser;
    bool fail = true;
    std::vector<std::string> data;
    auto on = [&](const SseEvent& e) {
        if (fail) throw std::runtime_error("handler failed");
        data.push_back(e.data);
    };
    parser.feed("data: par", on);
    CHECK_THROWS(parser.feed("tial\n\n", on));
    fail = false;
    parser.feed("data: next\n\n", on);
    CHECK(data == std::vector<std::string>{"next"});
}

TEST_CASE("a handler takes the event's data with swap_event_data, without a copy", "[sse]") {
    SseParser parser;
    // Longer than a std::string's inline buffer, so the bytes live on the heap and a swap moves them.
    const std::string first = "first line of the first event\nits second line";
    const std::string second = "the data of the second event, also long";
    std::string kept = "what the handler held before the first event";
    std::vector<std::string> taken;
    std::vector<std::string> left;  // the event's data after the swap: what `kept` held
    parser.feed("data: " + first.substr(0, first.find('\n')) +
                    "\ndata: " + first.substr(first.find('\n') + 1) + "\n\nid: 2\ndata: " + second + "\n\n",
                [&](const SseEvent& e) {
                    const void* buffer = e.data.data();
                    parser.swap_event_data(kept);
                    CHECK(static_cast<const void*>(kept.data()) == buffer);  // moved, not copied
                    taken.push_back(kept);
                    left.push_back(e.data);
                });
    CHECK(taken == std::vector<std::string>{first, second});
    CHECK(left == std::vector<std::string>{"what the handler held before the first event", first});
    // The buffers the parser got back are reused and start empty: later events are not mixed with them.
    std::vector<std::string> data;
    parser.feed("data: third\n\n", [&](const SseEvent& e) { data.push_back(e.data); });
    CHECK(data == std::vector<std::string>{"third"});

    std::string outside = "kept";
    parser.swap_event_data(outside);  // no event being dispatched
    CHECK(outside.empty());
    parser.feed("data: fourth\n\n", [&](const SseEvent& e) { data.push_back(e.data); });
    CHECK(data == std::vector<std::string>{"third", "fourth"});
}
