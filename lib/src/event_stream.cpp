// EventStream: the resumable GET /task-events/stream subscription (reconnect, resume, de-duplication).

#include <algorithm>
#include <charconv>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "agentrail/errors.hpp"
#include "agentrail/events.hpp"
#include "agentrail/json.hpp"
#include "agentrail/recent_ids.hpp"
#include "agentrail/time.hpp"
#include "client_core.hpp"
#include "client_impl.hpp"
#include "pipeline.hpp"
#include "wake.hpp"

namespace agentrail {

namespace {

constexpr std::string_view kStreamPath = "/task-events/stream";
constexpr std::chrono::seconds kDefaultHeartbeat{20};
constexpr std::chrono::seconds kStallGrace{5};
// Upper bound on a server's `retry:` so a hostile or bogus value cannot park the client for long.
constexpr std::chrono::milliseconds kMaxServerRetry = std::chrono::seconds(60);

const char* to_string(StreamState state) {
    switch (state) {
        case StreamState::connecting:
            return "connecting";
        case StreamState::connected:
            return "connected";
        case StreamState::reconnecting:
            return "reconnecting";
        case StreamState::stopped:
            return "stopped";
    }
    return "unknown";
}

std::optional<int> parse_positive_int(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
    return value;
}

// `type` of a JSON event envelope, or empty when the text is not such an envelope.
std::string envelope_type(std::string_view data) {
    nlohmann::json json;
    try {
        json = parse_json(data);
    } catch (const Error&) {
        return {};  // nested too deeply: not an envelope this stream can classify
    }
    if (!json.is_object()) return {};
    auto it = json.find("type");
    return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// `occurredAt` of a JSON event envelope, when it has a valid one.
std::optional<Timestamp> occurred_at(std::string_view data) {
    nlohmann::json json;
    try {
        json = parse_json(data);
    } catch (const Error&) {
        return std::nullopt;
    }
    if (!json.is_object()) return std::nullopt;
    auto it = json.find("occurredAt");
    if (it == json.end() || !it->is_string()) return std::nullopt;
    return parse_timestamp(it->get_ref<const std::string&>());
}

// True when the envelope's data.taskId equals `task_id`. Most events of other tasks do not even contain
// the id's text, so those are rejected without parsing.
bool envelope_has_task(std::string_view data, std::string_view task_id) {
    if (data.find(task_id) == std::string_view::npos) return false;
    nlohmann::json json;
    try {
        json = parse_json(data);
    } catch (const Error&) {
        return false;
    }
    if (!json.is_object()) return false;
    auto inner = json.find("data");
    if (inner == json.end() || !inner->is_object()) return false;
    auto id = inner->find("taskId");
    return id != inner->end() && id->is_string() && id->get_ref<const std::string&>() == task_id;
}

}  // namespace

TaskEvent StreamEvent::parse() const {
    nlohmann::json json;
    try {
        json = parse_json(data);
    } catch (const Error& e) {
        throw Error(ErrorKind::protocol, "event " + id + ": " + e.what());
    }
    if (json.is_discarded()) throw Error(ErrorKind::protocol, "event " + id + ": data is not valid JSON");
    if (!json.is_object()) throw Error(ErrorKind::protocol, "event " + id + ": data is not a JSON object");
    try {
        return json.get<TaskEvent>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::protocol, "event " + id + ": not an event envelope: " + e.what());
    }
}

struct EventStream::Impl {
    std::shared_ptr<detail::ClientCore> core;
    StreamOptions options;
    CallContext context;  // the stream's (options.context, else the client's)
    std::function<void(StreamState, std::string_view)> on_state;
    std::function<void(const StreamGap&)> on_gap;
    std::function<void(const ReconnectInfo&)> on_reconnect;
    detail::WakeDetector wake;
    int gaps = 0;
    SseParser parser;
    std::string last_id;  // last id handed to the handler, or the initial cursor
    std::string resume;   // Last-Event-ID of the next connection
    int connections = 0;
    std::optional<int> server_heartbeat;  // from the last response's header
    std::unique_ptr<RecentIds> seen;      // de-duplication window
    StreamEvent current;  // reused for every delivery so steady-state delivery does not allocate

    // Cancelled, or past the context's deadline: the stream ends.
    bool cancelled() const { return context.done(); }
    const char* stop_reason(bool handler_stopped) const {
        if (handler_stopped) return "handler stopped";
        return context.cancelled() ? "cancelled" : "deadline reached";
    }

    void set_state(StreamState state, std::string_view reason) {
        core->log(state == StreamState::reconnecting ? LogLevel::warn : LogLevel::info,
                  std::string("event stream ") + to_string(state) + (reason.empty() ? "" : ": ") +
                      std::string(reason));
        if (on_state) on_state(state, reason);
    }

    std::chrono::milliseconds stall_timeout() const {
        if (options.stall_timeout.count() > 0) return options.stall_timeout;
        std::chrono::seconds heartbeat = kDefaultHeartbeat;
        if (server_heartbeat)
            heartbeat = std::chrono::seconds(*server_heartbeat);
        else if (options.heartbeat_seconds && *options.heartbeat_seconds > 0)
            heartbeat = std::chrono::seconds(*options.heartbeat_seconds);
        return 3 * heartbeat + kStallGrace;
    }

    // True when `id` is in the window (seen before); otherwise remembers it.
    bool is_duplicate(const std::string& id) { return !seen->insert(id); }

    detail::Call build_call(bool first) const {
        std::string query;
        auto add = [&query](std::string_view key, std::string_view escaped_value) {
            query += query.empty() ? '?' : '&';
            query += detail::percent_escape(key);
            query += '=';
            query += escaped_value;
        };
        if (!options.event_types.empty()) {
            std::string joined;
            for (const auto& type : options.event_types) {
                if (!joined.empty()) joined += ',';
                joined += detail::percent_escape(type);
            }
            add("eventTypes", joined);
        }
        if (options.task_id) add("taskId", detail::percent_escape(*options.task_id));
        if (options.heartbeat_seconds) add("heartbeatSeconds", std::to_string(*options.heartbeat_seconds));
        for (const auto& [key, value] : options.extra_query) add(key, detail::percent_escape(value));
        if (first && options.cursor && !options.cursor->empty())
            add("cursor", detail::percent_escape(*options.cursor));

        detail::Call call;
        call.path = std::string(kStreamPath) + query;
        call.retry = false;  // reconnecting is this stream's own loop
        auto& request = call.request;
        request.method = Method::get;
        request.url = core->url_for(call.path);
        request.headers.emplace_back("Accept", "text/event-stream");
        request.headers.emplace_back("Cache-Control", "no-cache");
        if (!resume.empty()) request.headers.emplace_back("Last-Event-ID", resume);
        request.idle_timeout = stall_timeout();
        request.context = context;
        if (options.reconnect_on_wake) request.interrupt = [this] { return wake.woke(); };
        return call;
    }

    // The id to resume after: that of the last event the server sent and this stream processed
    // (delivered, filtered out or duplicate alike), else the initial cursor. Events the parser dispatched
    // after the handler asked to stop were not processed, so they do not move it.
    const std::string& resume_id() const { return resume; }

    void wait(std::chrono::milliseconds delay) const {
        // A custom sleep (tests) is called once with the whole delay; otherwise the wait ends at once when
        // the context is cancelled.
        if (delay.count() <= 0) return;
        if (core->options.sleep)
            core->options.sleep(delay);
        else
            context.sleep_for(delay);
    }

    // Delay before the next connection after `failures` consecutive failures. `server_wait` is what the
    // error answer asked for (Retry-After or retryAfterSeconds), if there was one.
    std::chrono::milliseconds reconnect_delay(int failures,
                                              const std::optional<std::chrono::seconds>& server_wait) const {
        std::optional<std::chrono::milliseconds> hint;
        if (server_wait) hint = *server_wait;
        if (auto retry = parser.retry()) {
            auto server = std::min(*retry, kMaxServerRetry);
            hint = hint ? std::max(*hint, server) : server;
        }
        if (hint) return *hint;
        return core->options.retry.backoff(failures, core->retrying->random01());
    }

    void report_gap(std::chrono::system_clock::time_point from, const std::string& reason) {
        ++gaps;
        // The events that may be missing come after the last one delivered, so they cannot be older than
        // it: when that event says when it occurred, and that is earlier than when its bytes arrived (a
        // tail that lagged behind a burst), the gap starts there.
        if (!current.data.empty())
            // Compared in microseconds: a time far from now would overflow the clock's nanoseconds (one
            // before 1970 is not believed either).
            if (auto occurred = occurred_at(current.data);
                occurred && *occurred >= Timestamp{} &&
                *occurred < std::chrono::time_point_cast<std::chrono::microseconds>(from))
                from = std::chrono::time_point_cast<std::chrono::system_clock::duration>(*occurred);
        StreamGap gap{from, std::chrono::system_clock::now(), last_id, reason};
        core->log(LogLevel::info, "event stream gap (" + reason + "): events since the last one (" +
                                      (last_id.empty() ? std::string("none yet") : last_id) +
                                      ") may be missing");
        if (on_gap) on_gap(gap);
    }

    void run(const Handler& handler);
};

void EventStream::Impl::run(const Handler& handler) {
    int failures = 0;  // consecutive connections that ended without delivering any event
    std::exception_ptr last_error;
    bool was_connected = false;  // some connection delivered bytes: the stream has a position
    // Last moment the stream was known to be complete (the last byte of a connection), and why the next
    // connection may leave a gap after it (empty: none).
    auto complete_until = std::chrono::system_clock::now();
    std::string gap_reason;
    set_state(StreamState::connecting, options.cursor ? "resuming after " + *options.cursor : std::string());

    for (;;) {
        const bool first = connections == 0;  // the cursor goes on the stream's very first connection only
        if (cancelled()) {
            set_state(StreamState::stopped, stop_reason(false));
            return;
        }
        if (was_connected && resume.empty() && gap_reason.empty()) gap_reason = "no_cursor";
        wake.reset();
        detail::Call call = build_call(first);
        parser.reset_connection();
        ++connections;

        bool stop = false;
        bool announced = false;
        auto on_event = [&](const SseEvent& event) {
            if (stop) return;
            failures = 0;
            if (!event.id.empty()) resume = event.id;
            if (is_duplicate(event.id)) return;
            current.id = event.id;
            if (std::string_view(event.event) != "message")  // sizes first: no compare for other types
                current.type = event.event;
            else
                current.type = envelope_type(event.data);
            if (current.type.empty()) current.type = event.event;
            if (!options.event_types.empty() &&
                std::find(options.event_types.begin(), options.event_types.end(), current.type) ==
                    options.event_types.end())
                return;
            if (options.task_id && !envelope_has_task(event.data, *options.task_id)) return;
            // The parser's buffer becomes the delivered data, and the one `current` held is its next buffer.
            parser.swap_event_data(current.data);
            if (!event.id.empty()) last_id = event.id;
            if (!handler(current)) stop = true;
        };
        const std::function<bool(std::string_view)> on_chunk = [&](std::string_view chunk) {
            if (!announced) {
                announced = true;
                set_state(StreamState::connected, first            ? ""
                                                  : resume.empty() ? "reconnected without a cursor"
                                                                   : "resumed after " + resume_id());
                if (!gap_reason.empty()) report_gap(complete_until, gap_reason);
                gap_reason.clear();
                was_connected = true;
            }
            parser.feed(chunk, on_event);
            if (options.on_chunk_end) options.on_chunk_end();
            complete_until = std::chrono::system_clock::now();
            return !stop && !cancelled() && !parser.overflowed();
        };

        std::string reason;
        HttpResponse response;
        bool have_response = false;
        std::optional<std::chrono::seconds> server_wait;
        call.on_chunk = &on_chunk;
        try {
            response = core->pipeline->send(call);
            have_response = true;
        } catch (const ApiError& e) {
            // The pipeline's error mapping: the retry policy's statuses reconnect, any other ends the stream.
            if (cancelled()) {
                set_state(StreamState::stopped, stop_reason(false));
                return;
            }
            reason = "HTTP " + std::to_string(e.status()) + (e.code().empty() ? "" : " " + e.code());
            // Only a 410 for a cursor that was sent (never one without: that would loop).
            if (e.status() == 410 && e.code() == "cursor_expired" && !resume.empty() &&
                options.continue_after_expired_cursor && was_connected && options.reconnect) {
                // The server no longer has our position: carry on live and say what may be missing.
                set_state(StreamState::reconnecting,
                          "cursor " + resume + " expired (HTTP 410); reconnecting without a cursor");
                resume.clear();
                gap_reason = "cursor_expired";
                continue;
            }
            if (!detail::is_retryable_status(core->options.retry, e.status())) {
                set_state(StreamState::stopped, reason);
                throw;
            }
            last_error = std::current_exception();
            server_wait = e.retry_after();
        } catch (const TransportError& e) {
            if (stop || cancelled()) {
                set_state(StreamState::stopped, stop_reason(stop));
                return;
            }
            last_error = std::current_exception();
            reason = e.timed_out() ? std::string("stalled: ") + e.what()
                                   : std::string("connection lost: ") + e.what();
        }
        // Stopped (SIGSTOP) or suspended meanwhile: whatever the connection said, it is likely stale and
        // every timer ran while nothing could be read. Resume at once instead of after a backoff.
        const bool woke = options.reconnect_on_wake && wake.woke();

        if (have_response) {
            if (stop || cancelled()) {
                set_state(StreamState::stopped, stop_reason(stop));
                return;
            }
            if (auto hb = find_header(response.headers, "x-agentrail-stream-heartbeat-seconds")) {
                if (auto seconds = parse_positive_int(*hb)) server_heartbeat = *seconds;
            }
            if (parser.overflowed()) {
                const std::string what =
                    "malformed response: an event stream line or event is larger than "
                    "the limit of " +
                    format_bytes(parser.max_event_bytes()) + " (max_event_bytes)";
                reason = what + "; connection dropped";
                last_error = std::make_exception_ptr(Error(ErrorKind::protocol, what));
            } else {
                reason = "server closed the stream";
                last_error = std::make_exception_ptr(
                    TransportError("the event stream ended without delivering an event", 0));
                if (!options.reconnect) {
                    set_state(StreamState::stopped, reason);
                    return;
                }
            }
        }

        if (woke && options.reconnect) {
            reason += " (the process was stopped or the machine slept)";
            if (on_reconnect) on_reconnect(ReconnectInfo{failures + 1, std::chrono::milliseconds(0), reason});
            set_state(StreamState::reconnecting, reason + "; reconnecting now");
            continue;
        }
        ++failures;
        if (!options.reconnect || (options.max_reconnects >= 0 && failures > options.max_reconnects)) {
            set_state(StreamState::stopped,
                      options.reconnect
                          ? "giving up after " + std::to_string(failures) + " failed connections: " + reason
                          : reason);
            std::rethrow_exception(last_error);
        }
        auto delay = reconnect_delay(failures, server_wait);
        if (on_reconnect) on_reconnect(ReconnectInfo{failures, delay, reason});
        set_state(StreamState::reconnecting,
                  reason + "; retrying in " + std::to_string(delay.count()) + " ms");
        wait(delay);
    }
}

EventStream::EventStream(const Client& client, StreamOptions options) : m_impl(std::make_unique<Impl>()) {
    m_impl->core = client.m_impl->core;
    m_impl->options = std::move(options);
    m_impl->context = m_impl->options.context ? *m_impl->options.context : client.m_impl->call_context();
    m_impl->parser = SseParser(m_impl->options.max_event_bytes);
    m_impl->seen = std::make_unique<RecentIds>(m_impl->options.dedupe_window);
    if (m_impl->options.cursor) {
        m_impl->last_id = *m_impl->options.cursor;
        m_impl->resume = *m_impl->options.cursor;
    }
}

EventStream::~EventStream() = default;
EventStream::EventStream(EventStream&&) noexcept = default;
EventStream& EventStream::operator=(EventStream&&) noexcept = default;

void EventStream::run(const Handler& on_event) {
    m_impl->run(on_event);
}

void EventStream::on_state(std::function<void(StreamState, std::string_view reason)> callback) {
    m_impl->on_state = std::move(callback);
}

void EventStream::on_gap(std::function<void(const StreamGap&)> callback) {
    m_impl->on_gap = std::move(callback);
}

void EventStream::on_reconnect(std::function<void(const ReconnectInfo&)> callback) {
    m_impl->on_reconnect = std::move(callback);
}

int EventStream::gaps() const {
    return m_impl->gaps;
}

const std::string& EventStream::last_event_id() const {
    return m_impl->last_id;
}

int EventStream::connections() const {
    return m_impl->connections;
}

}  // namespace agentrail
