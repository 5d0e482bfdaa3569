// WakeDetector and notify_process_continued(): see wake.hpp.

#include "wake.hpp"

#include <time.h>

#include <atomic>

#include "agentrail/events.hpp"

namespace agentrail {

namespace {

// Bumped by notify_process_continued(); lock-free so a signal handler may touch it.
std::atomic<unsigned> g_continued{0};
static_assert(std::atomic<unsigned>::is_always_lock_free);

constexpr std::int64_t kSuspendThresholdNs = 1'000'000'000;

std::int64_t ns_of(clockid_t clock) noexcept {
    timespec ts{};
    if (::clock_gettime(clock, &ts) != 0) return 0;
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Time the machine spent suspended since boot: CLOCK_BOOTTIME counts it, CLOCK_MONOTONIC does not.
std::int64_t suspended_ns() noexcept {
#ifdef CLOCK_BOOTTIME
    return ns_of(CLOCK_BOOTTIME) - ns_of(CLOCK_MONOTONIC);
#else
    return 0;
#endif
}

}  // namespace

void notify_process_continued() noexcept {
    g_continued.fetch_add(1, std::memory_order_relaxed);
}

namespace detail {

void WakeDetector::reset() noexcept {
    m_generation = g_continued.load(std::memory_order_relaxed);
    m_suspended_ns = suspended_ns();
}

bool WakeDetector::woke() const noexcept {
    if (g_continued.load(std::memory_order_relaxed) != m_generation) return true;
    return suspended_ns() - m_suspended_ns >= kSuspendThresholdNs;
}

}  // namespace detail
}  // namespace agentrail
