// libFuzzer harness for SseParser: arbitrary bytes must never crash it, and feeding them in chunks of
// fuzzer-chosen sizes must give exactly what feeding them at once gives.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "agentrail/events.hpp"

namespace {

struct Outcome {
    std::vector<std::tuple<std::string, std::string, std::string>> events;
    std::string last_id;
    long long retry = -1;
    std::size_t comments = 0;

    bool operator==(const Outcome& other) const {
        return events == other.events && last_id == other.last_id && retry == other.retry &&
               comments == other.comments;
    }
};

template <typename Feed>
Outcome run(Feed&& feed) {
    agentrail::SseParser parser;
    Outcome out;
    feed(parser, [&out](const agentrail::SseEvent& e) { out.events.emplace_back(e.id, e.event, e.data); });
    out.last_id = parser.last_event_id();
    out.retry = parser.retry() ? parser.retry()->count() : -1;
    out.comments = parser.comments();
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    if (size == 0) return 0;
    // The first byte seeds the chunk sizes; the rest is the stream.
    const unsigned seed = bytes[0];
    const std::string_view text(reinterpret_cast<const char*>(bytes + 1), size - 1);

    const Outcome whole = run([&](agentrail::SseParser& p, const auto& on) { p.feed(text, on); });
    const Outcome chunked = run([&](agentrail::SseParser& p, const auto& on) {
        std::size_t pos = 0;
        unsigned state = seed;
        while (pos < text.size()) {
            state = state * 1103515245u + 12345u;
            std::size_t len = (state >> 16) % 17;  // 0..16, empty chunks included
            if (len > text.size() - pos) len = text.size() - pos;
            p.feed(text.substr(pos, len), on);
            pos += len;
        }
    });
    if (!(whole == chunked)) std::abort();
    return 0;
}
