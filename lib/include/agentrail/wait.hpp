#pragma once
// Waiting until a task reaches a state (as Azure's PollUntilDone): the state is read from the API (the
// task, and its CI status or review feedback when the condition needs them), never inferred from event
// payloads; events on the live stream only say "look again". The stream connects first and the state is
// read once it is connected, then again after every event for the task, so nothing falls into a gap;
// when the stream cannot be used (no events:read scope, repeated disconnects) the state is polled.
//
//   agentrail::WaitOptions options;
//   options.timeout = std::chrono::minutes(30);
//   auto r = agentrail::wait_until(client, "tsk_1", agentrail::WaitCondition::ci("passed"), options);
//   if (r.outcome == agentrail::WaitOutcome::reached) ship(r.last.task.data);

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "agentrail/context.hpp"
#include "agentrail/export.hpp"
#include "agentrail/models/ci.hpp"
#include "agentrail/models/review.hpp"
#include "agentrail/models/task.hpp"
#include "agentrail/response.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

class Client;

/// What wait_until() waits for. Make one with the named constructors; `value` is not checked here (a
/// status or action the server never reports is simply never reached).
struct WaitCondition {
    enum class Kind { status, action, ci, review };
    Kind kind = Kind::status;
    std::string value;

    /// The task's status is `status` (todo, in_progress, in_review, blocked, done, cancelled).
    static WaitCondition status(std::string status) { return {Kind::status, std::move(status)}; }
    /// The task offers `action` among its availableActions (e.g. ship).
    static WaitCondition action(std::string action) { return {Kind::action, std::move(action)}; }
    /// CI of the current submission finished: "passed", "failed" or "finished" (either, or cancelled).
    static WaitCondition ci(std::string outcome) { return {Kind::ci, std::move(outcome)}; }
    /// The latest review decision is `outcome` ("approved" or "changes_requested").
    static WaitCondition review(std::string outcome) { return {Kind::review, std::move(outcome)}; }

    /// "ci=passed", "status=done", ...: KEY=VALUE, as the CLI's --until takes it.
    std::string text() const;
};

/// Where one look at the task leaves the condition.
enum class WaitVerdict {
    pending,     // not yet
    reached,     // the condition holds
    unreachable  // it never will: CI or review decided otherwise, or the task is done or cancelled
};
/// "pending", "reached", "unreachable".
const char* to_string(WaitVerdict verdict) noexcept;

/// One look at the task: what was read and what it means for the condition.
struct WaitSnapshot {
    WaitVerdict verdict = WaitVerdict::pending;
    /// Why, in a few words: "task is in_review", "CI passed", "review changes_requested", "task is done and
    /// can no longer reach ci=passed".
    std::string detail;
    Response<TaskDetail> task;  // GET /tasks/{id}
    /// GET /tasks/{id}/ci-status, read for a ci condition once the task has a submission; else unset.
    std::optional<Response<CiStatus>> ci;
    /// GET /tasks/{id}/review-feedback, read for a review condition once the task has a submission.
    std::optional<Response<ReviewFeedback>> review;
};

/// Reads the task (and its CI status or review feedback, as `condition` needs) once and judges it. A
/// task whose `submissionId` is null has no CI or review yet: pending, without asking for them. Errors of
/// the reads propagate (the client's retry policy has already repeated what is worth repeating).
WaitSnapshot check_condition(Client& client, std::string_view task_id, const WaitCondition& condition);

/// How wait_until() ended.
enum class WaitOutcome {
    reached,      // the condition holds
    unreachable,  // it never will (see WaitVerdict::unreachable)
    timed_out,    // the timeout or the context's deadline passed first
    cancelled     // the context was cancelled
};
/// "reached", "unreachable", "timed_out", "cancelled".
const char* to_string(WaitOutcome outcome) noexcept;

struct WaitResult {
    WaitOutcome outcome = WaitOutcome::timed_out;
    /// The last look. Its `task` is empty only when no look could be made (cancelled before the first).
    WaitSnapshot last;
    int checks = 0;       // looks made
    bool polled = false;  // the event stream was unavailable and the state was polled
    std::chrono::milliseconds waited{0};
};

struct WaitOptions {
    /// Total time for the whole wait; unset: only the context's deadline bounds it.
    std::optional<std::chrono::milliseconds> timeout;
    /// Cancellation and deadline of the wait, its reads and its stream; unset: the client's
    /// ClientOptions::context (for a client made by Client::with_context(), pass that context here).
    std::optional<CallContext> context;
    /// Period of the fallback poll when the event stream is unavailable.
    std::chrono::milliseconds poll_interval{5000};
    /// Consecutive failed stream reconnects before falling back to polling.
    int max_reconnects = 3;
    /// False: poll only, never open the event stream.
    bool use_stream = true;
    /// Called after every look (for a progress display), on the thread running wait_until().
    std::function<void(const WaitSnapshot&)> on_check;
    /// Called once when the stream turned out unusable and polling takes over, with the stream's error.
    std::function<void(std::string_view reason)> on_polling;
};

/// Blocks until `condition` holds for task `task_id` (outcome reached), can no longer hold (unreachable),
/// the timeout or deadline passes (timed_out) or the context is cancelled (cancelled); a condition that
/// already holds returns after one look. Reads run under the wait's context, so a cancel or the deadline
/// ends a read in flight too. An error of a read that the client's retry policy could not clear (401,
/// 403, 404, a 5xx that outlasted the retries, ...) ends the wait at once: it is thrown. The event stream's
/// own failures never end the wait: after `max_reconnects` the state is polled instead.
WaitResult wait_until(Client& client, std::string_view task_id, const WaitCondition& condition,
                      const WaitOptions& options = {});

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
