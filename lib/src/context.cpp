// CallContext: deadline and cancellation shared by a call, its retries, its waits and its transfer.

#include "agentrail/context.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace agentrail {

struct CallContext::State {
    std::optional<Clock::time_point> deadline;  // the earliest of this context's and its ancestors'
    std::atomic<bool> cancelled{false};
    std::mutex mutex;
    std::condition_variable changed;  // cancelled, or a run of callbacks finished
    std::map<unsigned long long, std::function<void()>> callbacks;
    unsigned long long next_id = 1;
    bool running = false;  // cancel() is running callbacks it took out of `callbacks`
    std::thread::id runner;
    Registration parent;  // cancels this state when the parent is cancelled

    static void cancel(State& state) {
        std::vector<std::function<void()>> run;
        {
            std::lock_guard lock(state.mutex);
            if (state.cancelled.load()) return;
            state.cancelled.store(true);
            for (auto& [id, callback] : state.callbacks) run.push_back(std::move(callback));
            state.callbacks.clear();
            state.running = true;
            state.runner = std::this_thread::get_id();
        }
        state.changed.notify_all();
        // Outside the lock: a callback may end the last reference to a child, whose destruction
        // unregisters from this state.
        for (auto& callback : run) callback();
        {
            std::lock_guard lock(state.mutex);
            state.running = false;
        }
        state.changed.notify_all();
    }
};

CallContext::CallContext() : m_state(std::make_shared<State>()) {}

CallContext CallContext::with_deadline(Clock::time_point deadline) const {
    auto state = std::make_shared<State>();
    state->deadline = m_state->deadline ? std::min(*m_state->deadline, deadline) : deadline;
    std::weak_ptr<State> weak = state;
    state->parent = on_cancel([weak] {
        if (auto child = weak.lock()) State::cancel(*child);
    });
    return CallContext(std::move(state));
}

CallContext CallContext::with_timeout(std::chrono::milliseconds timeout) const {
    return with_deadline(Clock::now() + timeout);
}

CallContext CallContext::child() const {
    auto state = std::make_shared<State>();
    state->deadline = m_state->deadline;
    std::weak_ptr<State> weak = state;
    state->parent = on_cancel([weak] {
        if (auto child = weak.lock()) State::cancel(*child);
    });
    return CallContext(std::move(state));
}

void CallContext::cancel() const {
    State::cancel(*m_state);
}

bool CallContext::cancelled() const noexcept {
    return m_state->cancelled.load();
}

bool CallContext::expired() const {
    return m_state->deadline && Clock::now() >= *m_state->deadline;
}

std::optional<CallContext::Clock::time_point> CallContext::deadline() const {
    return m_state->deadline;
}

std::optional<std::chrono::milliseconds> CallContext::remaining() const {
    if (!m_state->deadline) return std::nullopt;
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(*m_state->deadline - Clock::now());
    return std::max(left, std::chrono::milliseconds(0));
}

bool CallContext::sleep_for(std::chrono::milliseconds duration) const {
    const auto start = Clock::now();
    const auto wanted = start + duration;
    const auto until = m_state->deadline ? std::min(wanted, *m_state->deadline) : wanted;
    std::unique_lock lock(m_state->mutex);
    m_state->changed.wait_until(lock, until, [this] { return m_state->cancelled.load(); });
    return !m_state->cancelled.load() && Clock::now() >= wanted;
}

CallContext::Registration CallContext::on_cancel(std::function<void()> callback) const {
    Registration registration;
    {
        std::lock_guard lock(m_state->mutex);
        if (!m_state->cancelled.load()) {
            registration.m_state = m_state;
            registration.m_id = m_state->next_id++;
            m_state->callbacks.emplace(registration.m_id, std::move(callback));
            return registration;
        }
    }
    callback();
    return registration;
}

CallContext::Registration::~Registration() {
    reset();
}

CallContext::Registration::Registration(Registration&& other) noexcept
    : m_state(std::move(other.m_state)), m_id(std::exchange(other.m_id, 0)) {}

CallContext::Registration& CallContext::Registration::operator=(Registration&& other) noexcept {
    if (this != &other) {
        reset();
        m_state = std::move(other.m_state);
        m_id = std::exchange(other.m_id, 0);
    }
    return *this;
}

void CallContext::Registration::reset() noexcept {
    auto state = m_state.lock();
    m_state.reset();
    if (!state) return;
    std::unique_lock lock(state->mutex);
    if (state->callbacks.erase(m_id) == 0) {
        // Taken by a cancel() in progress in another thread: wait until it has run, so that what the
        // callback uses may be destroyed once this returns.
        state->changed.wait(lock,
                            [&] { return !state->running || state->runner == std::this_thread::get_id(); });
    }
    m_id = 0;
}

}  // namespace agentrail
