#pragma once
// Noticing that the process was stopped and continued (SIGCONT) or the machine was suspended, so a
// long-lived connection can be replaced at once instead of waiting out a stall timer.

#include <cstdint>

namespace agentrail::detail {

class WakeDetector {
public:
    WakeDetector() { reset(); }
    /// Takes the present as the reference point.
    void reset() noexcept;
    /// True when, since the last reset(), notify_process_continued() was called or CLOCK_BOOTTIME ran
    /// at least a second ahead of CLOCK_MONOTONIC (which stands still while the machine sleeps).
    bool woke() const noexcept;

private:
    unsigned m_generation = 0;
    std::int64_t m_suspended_ns = 0;
};

}  // namespace agentrail::detail
