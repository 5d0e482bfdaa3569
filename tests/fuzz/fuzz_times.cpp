// libFuzzer harness for the duration and time parsers: --timeout style durations (cli/context.cpp),
// Retry-After (lib/src/client_core.cpp), RFC 3339 times as validated (cli/validate.cpp), shown relative
// in tables (cli/render/render.cpp), shown as a clock time by `events tail` (cli/commands/events.cpp) and
// compared with the local clock by `doctor` (all through agentrail::parse_timestamp, lib/src/time.cpp). The
// input is the text.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "agentrail/time.hpp"
#include "client_core.hpp"
#include "commands/events.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "validate.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
    std::fputs(what, stderr);
    std::fputc('\n', stderr);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(bytes), size);
    using namespace agentrail::cli;

    try {
        auto d = parse_duration(text, "--timeout");
        if (d.count() < 1 || d.count() > 1000000000000LL) fail("parse_duration out of its documented range");
    } catch (const Failure&) {
    }

    const auto now = std::chrono::system_clock::from_time_t(1764000000);
    if (auto ra = agentrail::detail::parse_retry_after(text, now); ra && ra->count() < 0)
        fail("negative Retry-After");

    bool valid = true;
    try {
        require_rfc3339(text, "--expires-at");
    } catch (const Failure&) {
        valid = false;
    }

    OutputSettings settings;
    settings.stdout_tty = true;  // relative times are shown only on a terminal
    static Renderer renderer(settings);
    const std::string shown = renderer.time(text);
    if (shown.empty() && !text.empty()) fail("Renderer::time lost the text");

    const Json event = {{"occurredAt", text}, {"type", "task.updated"}, {"data", Json::object()}};
    (void)event_human_line(renderer, event);

    const auto parsed = agentrail::parse_timestamp(text);
    if (valid != parsed.has_value()) fail("--expires-at and parse_timestamp disagree");
    // A valid time with plausible fields is after 1970 (T or t, Z or z, any offset).
    const auto field = [&](std::size_t pos) { return std::atoi(text.substr(pos, 2).c_str()); };
    if (valid && text[0] >= '2' && field(5) >= 1 && field(5) <= 12 && field(8) >= 1 && field(11) < 24 &&
        field(14) < 60 && field(17) < 60 && parsed->time_since_epoch().count() < 0)
        fail("parse_timestamp puts a time after 2000 before 1970");
    return 0;
}
