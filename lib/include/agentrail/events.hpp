#pragma once
// Server-Sent Events: a pure, chunk-fed parser and the resumable task event stream built on it.

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "agentrail/context.hpp"
#include "agentrail/export.hpp"
#include "agentrail/models/event.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

class Client;

/// One dispatched SSE event (W3C EventSource semantics).
struct SseEvent {
    std::string id;     // the last id: seen (persists across events, as in EventSource)
    std::string event;  // event: field, "message" when absent
    std::string data;   // data: lines joined with '\n'
};

/// Default cap on one SSE line and on one event's data (see SseParser::overflowed).
inline constexpr std::size_t default_max_sse_event_bytes = std::size_t{16} << 20;

/// Incremental SSE parser: feed it bytes in chunks of any size; it knows nothing about sockets.
/// Handles LF, CRLF and CR line endings, a leading BOM, comments, multi-line data, id, event and retry.
class SseParser {
public:
    using EventHandler = std::function<void(const SseEvent&)>;
    SseParser() = default;
    /// A line or an event's data longer than `max_event_bytes` (0: no limit) overflows the parser.
    explicit SseParser(std::size_t max_event_bytes) : m_max(max_event_bytes) {}
    /// Parses `chunk`, calling `on_event` for each completed event.
    void feed(std::string_view chunk, const EventHandler& on_event);
    /// Inside `on_event`: exchanges the dispatched event's data with `other`, so a handler that keeps the
    /// data takes it without a copy (the event's `data` then holds what `other` held; the parser reuses
    /// that buffer). Outside a handler, `other` gets an empty string.
    void swap_event_data(std::string& other) noexcept { m_dispatch.data.swap(other); }
    /// The last `retry:` value seen, if any.
    std::optional<std::chrono::milliseconds> retry() const { return m_retry; }
    /// The last event id seen (the value to resume from).
    const std::string& last_event_id() const { return m_last_id; }
    /// Number of comment lines (keepalives) seen.
    std::size_t comments() const { return m_comments; }
    /// Forgets a partial line/event (a new connection starts clean); keeps last id and retry.
    void reset_connection();
    /// True once a line or an event's data passed the limit: the partial event was dropped and further
    /// input is ignored until reset_connection(). The connection should be dropped (and resumed).
    bool overflowed() const { return m_overflowed; }
    std::size_t max_event_bytes() const { return m_max; }

private:
    void process_line(std::string_view line, const EventHandler& on_event);
    std::string m_line;
    std::string m_data;
    std::string m_event;
    std::string m_last_id;
    SseEvent m_dispatch;  // handed to the handler; reused so steady-state dispatch does not allocate
    bool m_has_data = false;
    bool m_seen_first = false;
    bool m_last_was_cr = false;
    std::optional<std::chrono::milliseconds> m_retry;
    std::size_t m_comments = 0;
    std::size_t m_max = default_max_sse_event_bytes;
    bool m_overflowed = false;
    void overflow();
};

/// One task lifecycle event off the stream. `data` is the server's JSON text, untouched.
struct StreamEvent {
    std::string id;
    std::string type;
    std::string data;
    /// Parses `data` into the typed envelope (throws Error{protocol} when it is not valid JSON).
    TaskEvent parse() const;
};

struct StreamOptions {
    std::vector<std::string> event_types;  // empty: all
    std::optional<std::string> task_id;
    std::optional<std::string> cursor;     // resume strictly after this event id (or sequence)
    std::optional<int> heartbeat_seconds;  // 10..60, sent as heartbeatSeconds
    bool reconnect = true;                 // false: the first failure ends run() (no reconnect at all)
    int max_reconnects = -1;               // consecutive failed reconnects before giving up; -1 = forever
    /// No byte (event or keepalive) for this long means the connection stalled: reconnect.
    /// Zero: 3 heartbeat intervals (from the server's header) plus 5 s.
    std::chrono::milliseconds stall_timeout{0};
    /// Longest SSE line or event data accepted; a longer one drops the connection with a protocol error
    /// and the stream resumes from the last event id (or fails with Error{protocol} without reconnect).
    std::size_t max_event_bytes = default_max_sse_event_bytes;
    std::size_t dedupe_window = 10000;                             // event ids remembered to drop duplicates
    std::vector<std::pair<std::string, std::string>> extra_query;  // additional query parameters
    /// Called after the events of each network read were handed to the handler: a consumer that
    /// buffers output per event writes it here (one write per read, as `curl -N` does).
    std::function<void()> on_chunk_end;
    /// Cancelling it ends run() at once (the transfer in flight and a wait to reconnect alike); at its
    /// deadline run() ends too. Unset: the client's context.
    std::optional<CallContext> context;
    /// On a reconnect (the cursor came from this stream, not from `cursor`), a 410 cursor_expired
    /// reports a StreamGap and reconnects without a cursor instead of ending run() with
    /// CursorExpiredError. A 410 for the caller's own `cursor` always throws.
    bool continue_after_expired_cursor = false;
    /// Reconnect at once, resuming from the last event id, when the machine was suspended
    /// (CLOCK_BOOTTIME ran ahead of CLOCK_MONOTONIC) or the process was stopped and continued
    /// (notify_process_continued()): the connection is likely dead and the stall timer is no guide.
    bool reconnect_on_wake = true;
};

/// A stretch of time in which events may have been missed: the stream reconnected without a cursor it
/// could resume from (no event seen yet), or the server no longer had the cursor (410). Events that
/// happened in [from, to] may not have been delivered; list them with a query (e.g. tasks changed since
/// `from`). A reconnect that resumes from a known cursor is no gap: the server replays what was missed.
struct StreamGap {
    // Last moment the stream was known to be complete: when the last bytes before the gap arrived, or
    // the `occurredAt` of the last event delivered when that is earlier (a tail that lagged behind).
    std::chrono::system_clock::time_point from;
    std::chrono::system_clock::time_point to;  // when the new connection was established
    std::string last_event_id;                 // last event delivered before the gap; empty: none yet
    std::string reason;                        // "no_cursor" or "cursor_expired"
};

/// Progress of a reconnect, for status displays.
struct ReconnectInfo {
    int attempt = 1;                  // consecutive attempt number (1 = first retry)
    std::chrono::milliseconds delay;  // wait before this attempt (0 after a detected wake)
    std::string reason;               // why the previous connection ended
};

/// Tells every EventStream that the process was stopped and has just continued (SIGCONT), so open
/// streams reconnect at once. Async-signal-safe: call it from a SIGCONT handler.
void notify_process_continued() noexcept;

enum class StreamState { connecting, connected, reconnecting, stopped };

/// A resumable subscription to GET /task-events/stream. run() connects, hands each new event to the
/// handler, and on a disconnect or stall reconnects with Last-Event-ID after the server's `retry:`
/// delay (capped at 60 s) or Retry-After, dropping events already delivered. Network errors and the
/// retry policy's statuses (429, 5xx) reconnect, up to `max_reconnects` consecutive failures (none when
/// `reconnect` is false); any other error status ends it at once with its ApiError (401, 403, 404, and
/// 410 cursor_expired as a CursorExpiredError), since reconnecting cannot fix those. Whenever events may
/// have been missed (a reconnect without a usable cursor) it says so through on_gap().
class EventStream {
public:
    ~EventStream();
    EventStream(EventStream&&) noexcept;
    EventStream& operator=(EventStream&&) noexcept;

    using Handler = std::function<bool(const StreamEvent&)>;  // return false to stop
    /// Blocks until the handler returns false, the context is cancelled or reaches its deadline, or the
    /// stream fails for good.
    void run(const Handler& on_event);
    /// Called on each state change with a short reason (for logs and progress display).
    void on_state(std::function<void(StreamState, std::string_view reason)> callback);
    /// Called when the stream may have missed events (see StreamGap), on the thread running run(),
    /// before any event of the new connection is handed to the handler.
    void on_gap(std::function<void(const StreamGap&)> callback);
    /// Called before each reconnect attempt with its number and delay.
    void on_reconnect(std::function<void(const ReconnectInfo&)> callback);
    /// Gaps reported so far.
    int gaps() const;
    /// Id of the last event handed to the handler (or the initial cursor).
    const std::string& last_event_id() const;
    /// Connections opened so far (1 + reconnects).
    int connections() const;

private:
    friend class Client;  // Client::stream_events() makes streams
    EventStream(const Client& client, StreamOptions options);

    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
