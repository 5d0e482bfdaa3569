// libFuzzer harness for the duration and time parsers: --timeout style durations (cli/context.cpp),
// Retry-After (lib/src/client_core.cpp), RFC 3339 times as validated (cli/validate.cpp), shown relative
// in tables (cli/render/render.cpp), shown as a clock time by `events tail` (cli/commands/events.cpp) and
// compared with the local clock by `doctor` (cli/commands/doctor.cpp). The input is the text.
//
// doctor.cpp is compiled into this harness (it is not part of the agentrail-fuzz-cli library) so its
// file-local parser can be called without widening the CLI's interfaces.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "client_core.hpp"
#include "commands/doctor.cpp"  // NOLINT(bugprone-suspicious-include): see above
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

    const double epoch = epoch_seconds(text);
    if (!std::isfinite(epoch)) fail("doctor's time parser returned a non-finite time");
    // What --expires-at accepts, with plausible fields, doctor reads too (T or t, Z or z, any offset).
    const auto field = [&](std::size_t pos) { return std::atoi(text.substr(pos, 2).c_str()); };
    if (valid && text[0] >= '2' && field(5) >= 1 && field(5) <= 12 && field(8) >= 1 && field(11) < 24 &&
        field(14) < 60 && field(17) < 60 && epoch < 0)
        fail("doctor rejects a valid RFC 3339 time");
    return 0;
}
