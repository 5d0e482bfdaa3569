// wait_until(): one look at a task judged against a condition, repeated on every event of the task's live
// stream, or on a timer when the stream cannot be used. See agentrail/wait.hpp.

#include "agentrail/wait.hpp"

#include <algorithm>
#include <exception>
#include <string>

#include <nlohmann/json.hpp>

#include "agentrail/client.hpp"
#include "agentrail/errors.hpp"
#include "agentrail/events.hpp"

namespace agentrail {
namespace {

using Clock = std::chrono::steady_clock;

/// False only when the task says it has no submission (`submissionId` null); a task detail without the
/// member is asked about its CI and review like any other.
bool task_has_submission(const nlohmann::json& task) {
    if (!task.is_object()) return true;
    auto it = task.find("submissionId");
    return it == task.end() || !it->is_null();
}

/// The action is offered in the envelope's availableActions or the task's own.
bool task_offers(const Response<TaskDetail>& task, const std::string& action) {
    const auto& own = task.data.available_actions;
    return task.can(action) || std::find(own.begin(), own.end(), action) != own.end();
}

}  // namespace

std::string WaitCondition::text() const {
    switch (kind) {
        case Kind::status:
            return "status=" + value;
        case Kind::action:
            return "action=" + value;
        case Kind::ci:
            return "ci=" + value;
        case Kind::review:
            return "review=" + value;
    }
    return value;
}

const char* to_string(WaitVerdict verdict) noexcept {
    switch (verdict) {
        case WaitVerdict::pending:
            return "pending";
        case WaitVerdict::reached:
            return "reached";
        case WaitVerdict::unreachable:
            return "unreachable";
    }
    return "pending";
}

const char* to_string(WaitOutcome outcome) noexcept {
    switch (outcome) {
        case WaitOutcome::reached:
            return "reached";
        case WaitOutcome::unreachable:
            return "unreachable";
        case WaitOutcome::timed_out:
            return "timed_out";
        case WaitOutcome::cancelled:
            return "cancelled";
    }
    return "timed_out";
}

WaitSnapshot check_condition(Client& client, std::string_view task_id, const WaitCondition& c) {
    WaitSnapshot s;
    s.task = client.get_task(task_id);
    const std::string& status = s.task.data.status;
    const bool terminal = status == "done" || status == "cancelled";

    switch (c.kind) {
        case WaitCondition::Kind::status:
            if (status == c.value) {
                s.verdict = WaitVerdict::reached;
                s.detail = "task is " + status;
            }
            break;
        case WaitCondition::Kind::action:
            if (task_offers(s.task, c.value)) {
                s.verdict = WaitVerdict::reached;
                s.detail = "task offers " + c.value;
            }
            break;
        case WaitCondition::Kind::ci: {
            // No submission yet, so no CI yet: keep waiting. Once there is one, every error (a 404 "CI
            // source not found" included) ends the wait instead of looking like "CI waiting" until the
            // deadline.
            if (!task_has_submission(s.task.raw_data())) break;
            s.ci = client.get_task_ci_status(task_id);
            const std::string& overall = s.ci->data.overall_status;
            if (overall != "passed" && overall != "failed" && overall != "cancelled") break;
            s.verdict =
                c.value == "finished" || overall == c.value ? WaitVerdict::reached : WaitVerdict::unreachable;
            s.detail = "CI " + overall;
            return s;
        }
        case WaitCondition::Kind::review: {
            if (!task_has_submission(s.task.raw_data())) break;
            s.review = client.get_task_review_feedback(task_id);
            const auto& decision = s.review->data.latest_decision;
            const std::string outcome = decision ? decision->outcome : std::string();
            if (outcome == c.value) {
                s.verdict = WaitVerdict::reached;
                s.detail = "review " + outcome;
                return s;
            }
            if (outcome == "approved" || outcome == "changes_requested") {
                s.verdict = WaitVerdict::unreachable;
                s.detail = "review " + outcome;
                return s;
            }
            break;
        }
    }
    if (s.verdict == WaitVerdict::pending && terminal) {
        s.verdict = WaitVerdict::unreachable;
        s.detail = "task is " + status + " and can no longer reach " + c.text();
    }
    if (s.verdict == WaitVerdict::pending) s.detail = "task is " + status;
    return s;
}

namespace {

/// One wait: its contexts, the looks made so far and how they ended.
class Waiter {
public:
    Waiter(Client& client, std::string_view task_id, const WaitCondition& condition,
           const WaitOptions& options)
        : m_client(client),
          m_id(task_id),
          m_condition(condition),
          m_options(options),
          m_base(options.context ? *options.context : client.options().context),
          // Ended by the timeout, by the caller (through m_base), or by a decision (which ends the stream's
          // transfer at once).
          m_stop(options.timeout ? m_base.with_timeout(*options.timeout) : m_base.child()),
          m_reader(client.with_context(m_stop)) {}

    WaitResult run() {
        if (m_options.use_stream) {
            if (auto end = follow_stream()) return finish(*end);
            m_result.polled = true;
        }
        // Polling: the stream is off or gave up.
        for (;;) {
            switch (look(m_reader, m_stop)) {
                case Look::decided:
                    return finish(decided());
                case Look::stopped:
                    return finish(ended());
                case Look::pending:
                    break;
            }
            m_stop.sleep_for(m_options.poll_interval);
            if (m_stop.done()) return finish(ended());
        }
    }

private:
    enum class Look { pending, decided, stopped };

    /// One look through `reader`, whose calls run under `context`; `stopped` when that context ended the
    /// read (its error is then no verdict on the task).
    Look look(Client& reader, const CallContext& context) {
        try {
            m_result.last = check_condition(reader, m_id, m_condition);
        } catch (const Error&) {
            if (context.done()) return Look::stopped;
            throw;
        }
        m_looked = true;
        ++m_result.checks;
        if (m_options.on_check) m_options.on_check(m_result.last);
        return m_result.last.verdict == WaitVerdict::pending ? Look::pending : Look::decided;
    }

    /// Looks when the stream connects and after each event for the task. Returns how the wait ended, or
    /// nullopt when the stream failed for good and polling must take over.
    std::optional<WaitOutcome> follow_stream() {
        StreamOptions so;
        so.task_id = m_id;
        so.context = m_stop;
        so.max_reconnects = m_options.max_reconnects;
        auto stream = m_reader.stream_events(std::move(so));
        std::exception_ptr error;
        bool is_decided = false;
        bool stopped = false;
        auto judge = [&](Look l) {
            if (l == Look::decided) is_decided = true;
            if (l == Look::stopped) stopped = true;
        };
        // Every (re)connection looks again: the state may have changed while no stream was open.
        stream.on_state([&](StreamState state, std::string_view) {
            if (state != StreamState::connected || is_decided || stopped || error) return;
            try {
                judge(look(m_reader, m_stop));
            } catch (...) {
                error = std::current_exception();
            }
            if (is_decided || error) m_stop.cancel();  // ends the transfer at once
        });
        std::string failure;
        try {
            stream.run([&](const StreamEvent&) {
                try {
                    judge(look(m_reader, m_stop));
                } catch (...) {
                    error = std::current_exception();
                }
                return !is_decided && !stopped && !error;
            });
        } catch (const Error& e) {
            failure = e.what();
        }
        if (error) std::rethrow_exception(error);
        if (is_decided) return decided();
        if (stopped || m_stop.done()) {
            // The deadline or a cancel. When the stream never connected no look was made: make one (under
            // the caller's context, as the wait's own has ended) so that the result shows the state.
            if (!m_looked && !m_base.done()) {
                Client reader = m_client.with_context(m_base);
                if (look(reader, m_base) == Look::decided) return decided();
            }
            return ended();
        }
        if (failure.empty()) failure = "the event stream ended";
        if (m_options.on_polling) m_options.on_polling(failure);
        return std::nullopt;
    }

    WaitOutcome decided() const {
        return m_result.last.verdict == WaitVerdict::reached ? WaitOutcome::reached
                                                             : WaitOutcome::unreachable;
    }
    WaitOutcome ended() const { return m_base.cancelled() ? WaitOutcome::cancelled : WaitOutcome::timed_out; }

    WaitResult finish(WaitOutcome outcome) {
        m_result.outcome = outcome;
        m_result.waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_started);
        return std::move(m_result);
    }

    Client& m_client;
    std::string m_id;
    const WaitCondition& m_condition;
    const WaitOptions& m_options;
    CallContext m_base;
    CallContext m_stop;
    Client m_reader;
    Clock::time_point m_started = Clock::now();
    WaitResult m_result;
    bool m_looked = false;
};

}  // namespace

WaitResult wait_until(Client& client, std::string_view task_id, const WaitCondition& condition,
                      const WaitOptions& options) {
    return Waiter(client, task_id, condition, options).run();
}

}  // namespace agentrail
