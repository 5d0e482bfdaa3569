#pragma once
// The context a call runs under: a deadline (total, across retries and the waits between them) and
// cancellation. Waits in the library block on it (a condition variable) and transfers in flight are
// woken by it, so a cancel or a passed deadline ends a call at once, without polling.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// A shared handle: copies see the same state. Every member is thread-safe. A child (with_deadline(),
/// child()) is cancelled with its parent, can be cancelled alone, and its deadline is the earlier of its
/// own and its parent's.
class CallContext {
public:
    using Clock = std::chrono::steady_clock;

    /// A fresh root context: no deadline, not cancelled.
    CallContext();

    /// A child whose deadline is `deadline` (or the parent's, when that is earlier).
    CallContext with_deadline(Clock::time_point deadline) const;
    /// A child whose deadline is `timeout` from now (or the parent's, when that is earlier).
    CallContext with_timeout(std::chrono::milliseconds timeout) const;
    /// A child with the parent's deadline that can be cancelled on its own.
    CallContext child() const;

    /// Cancels this context and its children; waiters wake and transfers in flight end with a
    /// TransportError. Idempotent. Not async-signal-safe: from a signal handler, wake a thread that calls it.
    void cancel() const;
    /// True once cancel() was called on this context or an ancestor.
    bool cancelled() const noexcept;
    /// True once the deadline has passed.
    bool expired() const;
    /// cancelled() or expired(): no further work should start.
    bool done() const { return cancelled() || expired(); }
    /// The deadline, if any (the earliest of this context's and its ancestors').
    std::optional<Clock::time_point> deadline() const;
    /// Time left before the deadline (zero when passed); nullopt without a deadline.
    std::optional<std::chrono::milliseconds> remaining() const;

    /// Blocks for `duration`, or until cancelled or the deadline passes, whichever comes first. Returns
    /// true when the whole duration elapsed.
    bool sleep_for(std::chrono::milliseconds duration) const;

private:
    struct State;

public:
    /// Keeps a cancel callback registered; destroying it unregisters the callback (and waits for a run of
    /// it that is in progress, so what the callback uses may be destroyed afterwards).
    class Registration {
    public:
        Registration() = default;
        ~Registration();
        Registration(Registration&& other) noexcept;
        Registration& operator=(Registration&& other) noexcept;
        Registration(const Registration&) = delete;
        Registration& operator=(const Registration&) = delete;

    private:
        friend class CallContext;
        std::weak_ptr<CallContext::State> m_state;
        unsigned long long m_id = 0;
        void reset() noexcept;
    };
    /// Runs `callback` once when the context is cancelled (at once, in this thread, when it already is),
    /// in the thread that cancels. Keep it short and do not call back into this context from it.
    [[nodiscard]] Registration on_cancel(std::function<void()> callback) const;

private:
    explicit CallContext(std::shared_ptr<State> state) : m_state(std::move(state)) {}
    std::shared_ptr<State> m_state;
};

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
