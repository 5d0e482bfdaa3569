// `agentrail events tail`: the live task event stream, resumable across disconnects and restarts.
//
// Output paths, chosen once per run:
//   raw     NDJSON (piped, or -o ndjson): the server's `data:` text verbatim, one line per event, never
//           parsed unless --until needs a task id. Lines are written once per network read (the
//           stream's on_chunk_end), so a burst costs a few large writes (like `curl -N`) while a lone
//           event is still written at once.
//   human   a TTY: one aligned line per event (time, type, task, status, summary).
//   machine -o json, --jq, --raw, --quiet: through the renderer, one event at a time.
// The --state-file is rewritten (temp file + rename) after each event has been written to stdout, so a
// restarted tail resumes after the last event it actually printed: nothing lost, nothing repeated.

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "agentrail/cursor_file.hpp"
#include "agentrail/json.hpp"
#include "agentrail/models/enums.hpp"
#include "agentrail/models/event.hpp"
#include "commands/events.hpp"
#include "commands/run.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "render/sanitize.hpp"
#include "task_ref.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

/// While alive, SIGCONT (the tail was stopped and continued, e.g. Ctrl-Z then fg, or SIGSTOP) makes the
/// event stream reconnect at once instead of waiting out a connection that probably died meanwhile.
class ContinueSignal {
public:
    ContinueSignal() {
        struct sigaction action {};
        action.sa_handler = [](int) { agentrail::notify_process_continued(); };
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        m_installed = ::sigaction(SIGCONT, &action, &m_previous) == 0;
    }
    ~ContinueSignal() {
        if (m_installed) ::sigaction(SIGCONT, &m_previous, nullptr);
    }
    ContinueSignal(const ContinueSignal&) = delete;
    ContinueSignal& operator=(const ContinueSignal&) = delete;

private:
    struct sigaction m_previous {};
    bool m_installed = false;
};

/// "2026-05-01T03:21:04.123Z"
std::string utc_time(std::chrono::system_clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &utc);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
    return out;
}

/// The stderr report of a stretch in which events may have been missed: one line, or one JSON object
/// with --errors json.
std::string gap_report(const StreamGap& gap, bool json) {
    const std::string check = "agentrail tasks list --all";
    if (json) {
        Json body = {{"from", utc_time(gap.from)},
                     {"to", utc_time(gap.to)},
                     {"reason", gap.reason},
                     {"lastEventId", gap.last_event_id.empty() ? Json() : Json(gap.last_event_id)},
                     {"check", check}};
        return Json{{"gap", body}}.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
    std::string why = gap.reason == "cursor_expired"
                          ? "the server no longer has the position after " + gap.last_event_id
                      : gap.last_event_id.empty() ? std::string("reconnected with no event to resume from")
                                                  : "reconnected without a cursor after " + gap.last_event_id;
    return "warning: events from " + utc_time(gap.from) + " to " + utc_time(gap.to) + " may be missing (" +
           why + "); check the tasks' current state with `" + check + "`";
}

/// --state-file: the library's CursorFile, with its errors as the CLI reports them (exit 2 for a file
/// that cannot be used, 6 when another tail owns it).
class StateFile {
public:
    explicit StateFile(const std::string& path) : m_file(open(path)) {}

    /// The saved id, or empty when the file does not exist or is empty.
    std::string load() const {
        try {
            return m_file->load();
        } catch (const CursorFileInUseError&) {
            throw;
        } catch (const Error& e) {
            throw usage_error(std::string("--state-file: ") + e.what());
        }
    }

    void save(std::string_view id) {
        try {
            m_file->save(id);
        } catch (const Error& e) {
            throw Failure(exit_code::unexpected, "state_file", std::string("--state-file: ") + e.what());
        }
    }

private:
    static std::unique_ptr<CursorFile> open(const std::string& path) {
        try {
            return std::make_unique<CursorFile>(path);
        } catch (const CursorFileInUseError& e) {
            throw Failure(exit_code::conflict, "state_file_in_use",
                          std::string("--state-file ") + e.what() + " (one events tail per state file)",
                          {"stop the other tail, or give this one its own --state-file"});
        } catch (const Error& e) {
            throw usage_error(std::string("--state-file: ") + e.what());
        }
    }

    std::unique_ptr<CursorFile> m_file;
};

/// Writes lines to stdout in batches: push() queues a line, flush() writes what is queued in one write()
/// and then records the id of the last event written (in the state file, when there is one). The event
/// stream calls flush() after each network read (StreamOptions::on_chunk_end), so a burst costs one
/// large write per read, as `curl -N` does, while a lone event is written as soon as it arrives; no
/// thread and no wake-up per event.
class LineWriter {
public:
    LineWriter(std::FILE* out, StateFile* state) : m_out(out), m_state(state) {}
    ~LineWriter() {
        try {
            flush();  // the lines of events received before an error are still printed
        } catch (...) {
            // Already unwinding from another error: that one is reported.
        }
    }
    LineWriter(const LineWriter&) = delete;
    LineWriter& operator=(const LineWriter&) = delete;

    void push(std::string_view text, std::string_view id) {
        m_pending.append(text);
        m_pending.push_back('\n');
        if (m_state != nullptr) m_pending_id.assign(id);  // only a state file records it
        if (m_pending.size() >= kMaxPending) flush();     // a huge read: keep memory bounded
    }

    void flush() {
        if (m_pending.empty()) return;
        write_all(m_out, m_pending);
        m_pending.clear();
        if (m_pending.capacity() > 4 * kMaxPending) std::string().swap(m_pending);
        if (m_state != nullptr) m_state->save(m_pending_id);
    }

    /// Writes what is queued.
    void close() { flush(); }

private:
    static void write_all(std::FILE* out, std::string_view bytes) {
        const int fd = ::fileno(out);
        if (fd < 0) {  // a stream with no descriptor (a test's memory stream): through stdio
            if (std::fwrite(bytes.data(), 1, bytes.size(), out) != bytes.size() || std::fflush(out) != 0)
                throw_output_error(errno);
            return;
        }
        // Whatever stdio holds goes first, then the lines in one write() per read, bypassing its buffer.
        if (std::fflush(out) != 0) throw_output_error(errno);
        while (!bytes.empty()) {
            auto n = ::write(fd, bytes.data(), bytes.size());
            if (n < 0) {
                if (errno == EINTR) continue;
                throw_output_error(errno);
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    static constexpr std::size_t kMaxPending = 64 * 1024;
    std::FILE* m_out;
    StateFile* m_state;
    std::string m_pending;
    std::string m_pending_id;
};

/// "15:04:05" in local time for an RFC 3339 time (any offset); the text as sent when it does not parse.
std::string clock_time(const std::string& rfc3339) {
    const auto t = parse_rfc3339(rfc3339);
    if (!t) return rfc3339;
    std::tm local{};
    localtime_r(&*t, &local);
    char buf[16];
    std::strftime(buf, sizeof buf, "%H:%M:%S", &local);
    return buf;
}

/// What happened, in words, for an event that carries no summary of its own. Covers the document's four
/// types and the four the reference server adds; anything else is named by its type alone.
std::string event_type_label(std::string_view type, const std::string& review_outcome) {
    if (type == event_type::task_updated) return "task updated";
    if (type == event_type::task_awaiting_user) return "awaiting user input";
    if (type == event_type::task_reviewed)
        return review_outcome.empty() ? "reviewed" : "reviewed: " + review_outcome;
    if (type == event_type::task_shipped) return "shipped";
    if (type == event_type::task_ci_failed) return "CI failed";
    if (type == event_type::task_ci_recovered) return "CI passed again after a failure";
    if (type == event_type::task_review_approved) return "review approved";
    if (type == event_type::task_review_changes_requested) return "review requested changes";
    return {};
}

std::string pad(std::string text, std::size_t width) {
    auto w = display_width(text);
    if (w < width) text.append(width - w, ' ');
    return text;
}

}  // namespace

std::string event_human_line(const Renderer& out, const Json& event) {
    // Every field is server text on its way to a terminal: sanitized before colour is added. The line
    // is the same for every event type (unknown ones too): the members it reads are named after
    // task.updated's and task.reviewed's data, which the other types share.
    using agentrail::TaskEvent, agentrail::TaskReviewedData, agentrail::TaskUpdatedData;
    const auto& data = at_pointer(event, json_path<&TaskEvent::data>());
    std::string task = string_at(data, json_path<&TaskUpdatedData::task_identifier>());
    if (task.empty()) task = string_at(data, json_path<&TaskUpdatedData::task_id>());
    task = sanitize(task);
    std::string status = sanitize(string_at(data, json_path<&TaskUpdatedData::status>()));
    std::string type = string_at(event, json_path<&TaskEvent::type>());
    std::string summary = string_at(data, json_path<&TaskUpdatedData::summary>());
    if (summary.empty())
        summary = event_type_label(type, string_at(data, json_path<&TaskReviewedData::review_outcome>()));
    summary = sanitize(summary);
    std::string line = out.paint(
        pad(sanitize(clock_time(string_at(event, json_path<&TaskEvent::occurred_at>()))), 9), Style::dim);
    line += pad(sanitize(type), 30);
    line += out.paint(pad(task.empty() ? "-" : task, 10), Style::bold);
    line += ' ';
    line += status.empty() ? pad("-", 12) : out.paint_status(pad(status, 12));
    line += ' ';
    line += summary;
    return line;
}

namespace {

/// --until TYPE[:TASK]: TASK matches data.taskId or data.taskIdentifier.
struct UntilSpec {
    std::string type;
    std::string task;

    static std::optional<UntilSpec> parse(const std::string& text) {
        if (text.empty()) return std::nullopt;
        UntilSpec spec;
        auto colon = text.find(':');
        spec.type = text.substr(0, colon);
        if (colon != std::string::npos) spec.task = text.substr(colon + 1);
        if (spec.type.empty() || (colon != std::string::npos && spec.task.empty()))
            throw usage_error("--until: expected TYPE or TYPE:TASK_ID, got '" + text + "'");
        return spec;
    }

    bool matches(const StreamEvent& event, const Json* parsed) const {
        if (event.type != type) return false;
        if (task.empty()) return true;
        if (event.data.find(task) == std::string::npos) return false;  // cheap reject before parsing
        Json local;
        if (parsed == nullptr) {
            local = agentrail::parse_json(event.data);
            parsed = &local;
        }
        const auto& data = at_pointer(*parsed, json_path<&agentrail::TaskEvent::data>());
        return string_at(data, json_path<&agentrail::TaskUpdatedData::task_id>()) == task ||
               string_at(data, json_path<&agentrail::TaskUpdatedData::task_identifier>()) == task;
    }
};

enum class TailView { raw, human, machine };

}  // namespace

int run_events_tail(const EventsTailOptions& o, Context& ctx) {
    EventsTailOptions a = o;
    auto until = UntilSpec::parse(a.until);
    if (!a.task.empty()) a.task = resolve_task(ctx, a.task);
    std::optional<std::chrono::steady_clock::time_point> deadline;
    if (!a.timeout.empty())
        deadline = std::chrono::steady_clock::now() + parse_duration(a.timeout, "--timeout");

    std::unique_ptr<StateFile> state;
    StreamOptions options;
    if (!a.state_file.empty()) {
        state = std::make_unique<StateFile>(a.state_file);
        if (a.since.empty()) {
            auto saved = state->load();
            if (!saved.empty()) options.cursor = saved;
        }
    }
    if (!a.since.empty()) options.cursor = a.since;
    // Sequence 0 comes before every event: the oldest one the server still retains is replayed first.
    if (a.from_start) options.cursor = "0";
    options.event_types = a.types;
    if (!a.task.empty()) options.task_id = a.task;
    if (a.heartbeat > 0) options.heartbeat_seconds = a.heartbeat;
    // Ctrl-C or --timeout end the stream at once (its transfer and any wait to reconnect).
    const auto interrupt = Context::interrupt_context();
    const agentrail::CallContext stop = deadline ? interrupt.with_deadline(*deadline) : interrupt.child();
    options.context = stop;
    const auto timed_out = [&stop] { return !Context::interrupted() && stop.expired(); };
    if (!a.stall_timeout.empty()) {
        options.stall_timeout = parse_duration(a.stall_timeout, "--stall-timeout");
        if (options.stall_timeout.count() <= 0) throw usage_error("--stall-timeout: must be more than 0");
    }
    // A tail that outlived the server's replay window (or a server restart) carries on live and says
    // what may be missing; a cursor given with --since or --state-file that is already gone exits 15.
    options.continue_after_expired_cursor = true;
    // Duplicates can only come from a server re-sending events around a reconnect; 2048 recent ids cover
    // that, and unlike the library's default of 10,000 they keep memory flat over a long tail.
    options.dedupe_window = 2048;
    // A tail outlives outages: network errors and 5xx reconnect with capped backoff for as long as it
    // runs, unless --no-retry (no reconnect at all) or --retries N (N consecutive failed reconnects).
    // 401/403/404/410 end it at once in the library, whatever these say.
    if (ctx.options().no_retry)
        options.reconnect = false;
    else if (auto retries = ctx.retries())  // --retries, or the profile's `retries`
        options.max_reconnects = *retries;

    auto& out = ctx.out();
    const auto& settings = out.settings();
    std::FILE* const err = settings.err;
    TailView view = TailView::machine;
    if (settings.jq.empty() && !settings.raw && !settings.quiet) {
        if (settings.format == OutputFormat::ndjson ||
            (settings.format == OutputFormat::table && !settings.format_explicit && !settings.stdout_tty))
            view = TailView::raw;
        else if (settings.format == OutputFormat::table)
            view = TailView::human;
    }

    ctx.set_operation(options.cursor ? "tail events after " + *options.cursor : std::string("tail events"));
    std::optional<LineWriter> writer;
    if (view == TailView::raw) {
        writer.emplace(settings.out, state.get());
        options.on_chunk_end = [&writer] { writer->flush(); };
    }
    auto& client = ctx.client();
    auto stream = client.stream_events(options);
    // On a terminal, one status line that is rewritten while reconnecting and cleared once connected.
    const bool status_line = settings.stderr_tty && !settings.quiet;
    auto status_shown = std::make_shared<bool>(false);
    auto ever_connected = std::make_shared<bool>(false);
    stream.on_state([&out, err, view, status_shown, ever_connected](StreamState s, std::string_view reason) {
        if (s != StreamState::connected) return;
        *ever_connected = true;
        if (*status_shown) {
            std::fputs("\r\x1b[K", err);
            *status_shown = false;
        }
        if (view == TailView::human) out.note(reason.empty() ? "connected" : std::string(reason));
    });
    // A server that answers (even 503) is running: only connections that never got an answer at all mean
    // "no server" at the end of a --timeout.
    auto server_answered = std::make_shared<bool>(false);
    stream.on_reconnect([err, status_line, status_shown, server_answered](const ReconnectInfo& r) {
        if (r.reason.rfind("HTTP ", 0) == 0) *server_answered = true;
        if (!status_line) return;
        const auto seconds = (r.delay.count() + 999) / 1000;
        std::fprintf(err, "\r\x1b[Kreconnecting (attempt %d, next in %lld s)", r.attempt,
                     static_cast<long long>(seconds));
        std::fflush(err);
        *status_shown = true;
    });
    const bool json_errors = ctx.error_format() == ErrorFormat::json;
    stream.on_gap([&ctx, out_file = settings.out, err, json_errors, status_shown](const StreamGap& gap) {
        std::fflush(out_file);
        if (*status_shown) {
            std::fputs("\r\x1b[K", err);
            *status_shown = false;
        }
        std::fprintf(err, "%s\n", sanitize(ctx.redact(gap_report(gap, json_errors))).c_str());
        std::fflush(err);
    });

    Context::InterruptScope interruptible;
    ContinueSignal continued;
    long long printed = 0;
    bool reached = false;  // --count or --until was satisfied
    try {
        // True (and `reached`) when this event ends the tail (--count, --until).
        const auto last = [&](const StreamEvent& event, const Json* parsed) {
            ++printed;
            reached = (a.count > 0 && printed >= a.count) || (until && until->matches(event, parsed));
            return reached;
        };
        // The raw view on a path of its own: it runs for every event of a burst, and needs no more than this.
        const auto raw = [&](const StreamEvent& event) {
            writer->push(event.data, event.id);
            return !last(event, nullptr);
        };
        const auto rendered = [&](const StreamEvent& event) {
            Json parsed = agentrail::parse_json(event.data);
            if (parsed.is_discarded())
                throw Error(ErrorKind::protocol, "event " + event.id + ": data is not valid JSON");
            if (view == TailView::human) {
                out.line(event_human_line(out, parsed));
                out.flush();
            } else {
                out.stream_item(parsed, event.data, event.id, [] {});
            }
            if (state) state->save(event.id);
            return !last(event, &parsed);
        };
        if (view == TailView::raw)
            stream.run(raw);
        else
            stream.run(rendered);
    } catch (const CursorExpiredError& e) {
        if (writer) writer->close();
        std::vector<std::string> hints = {"agentrail events tail (without --since: start at the live tail)"};
        if (state) hints.insert(hints.begin(), "rm " + a.state_file);
        if (a.from_start && printed == 0) {
            // The reference server answers cursor 0 with 410 and offers no way to learn its oldest id.
            throw Failure(
                exit_code::cursor_expired, "cursor_expired",
                "this server cannot replay from the start of its replay window: it rejected cursor 0 (" +
                    e.api_message() + ")",
                {"agentrail events tail --since EVENT_ID (an event id you saved, e.g. with --state-file)",
                 "agentrail events tail (start at the live tail)"},
                e.details());
        }
        throw Failure(exit_code::cursor_expired, "cursor_expired",
                      "the cursor " +
                          (stream.last_event_id().empty() ? options.cursor.value_or("(none)")
                                                          : stream.last_event_id()) +
                          " is outside the server's replay window (" + e.api_message() + ")",
                      hints, e.details());
    }
    if (writer) writer->close();
    // A --timeout that passed while no server ever answered is not a quiet stream: nothing was watched at
    // all, so it must not exit 0.
    if (timed_out() && !*ever_connected && !*server_answered)
        throw Failure(exit_code::network, "network",
                      "no server answered the event stream before --timeout " + a.timeout +
                          "; is the server running at " + ctx.settings().base_url.value + "?",
                      {"agentrail doctor"});
    if (timed_out()) out.note("timeout reached after " + std::to_string(printed) + " events");
    // With --no-retry a stream the server closed ends run() without an error; that is not the end the
    // user asked for (--count, --until, --timeout or Ctrl-C), so it must not exit 0.
    if (!reached && !timed_out() && !Context::interrupted())
        throw Failure(exit_code::network, "stream_ended",
                      "the server closed the event stream after " + std::to_string(printed) +
                          " events; not reconnecting (--no-retry)");
    return exit_code::ok;
}

// ---- wiring: flags bound to the options, the callback calls run ---------------------------------------

void register_events(CLI::App& app, Context& ctx) {
    auto* events = app.add_subcommand("events", "Follow the task lifecycle event stream");
    events->require_subcommand(1);
    auto* cmd = events->add_subcommand(
        "tail", "Print events as they happen; resumes after disconnects (and restarts, with --state-file)");
    auto a = std::make_shared<EventsTailOptions>();
    cmd->add_option("--type", a->types, "Only events of this type (e.g. task.updated)");
    cmd->add_option("--task", a->task, "Only events of this task (id tsk_... or key DEMO-1)");
    auto* since_opt = cmd->add_option(
        "--since", a->since, "Start strictly after this event id or sequence (overrides --state-file)");
    cmd->add_flag("--from-start", a->from_start,
                  "Start at the oldest event the server still retains (its replay window); a server that "
                  "cannot replay from there exits 15")
        ->excludes(since_opt);
    cmd->add_option("--state-file", a->state_file,
                    "Resume after the id saved in FILE, and save each event's id there once printed");
    cmd->add_option("--heartbeat", a->heartbeat, "Ask the server for keepalives every S seconds (10-60)")
        ->check(CLI::Range(10, 60));
    cmd->add_option("--until", a->until,
                    "Stop after the first event of TYPE (of task TASK_ID: TYPE:TASK_ID)");
    cmd->add_option("--count", a->count, "Stop after N events")->check(positive_count());
    cmd->add_option("--timeout", a->timeout, "Stop after this long, e.g. 30s, 10m (exit 0)");
    cmd->add_option("--stall-timeout", a->stall_timeout,
                    "Reconnect when nothing (not even a keepalive) arrives for this long, e.g. 20s "
                    "(default: 3 heartbeats + 5s)");
    cmd->footer(
        "Output: human lines on a terminal; NDJSON (the server's event JSON, one per line) when piped or "
        "with "
        "-o ndjson. Exit 0 on --until/--count/--timeout, 130 on Ctrl-C (after a clean stop), 15 when the "
        "resume cursor is outside the replay window. Network errors and 5xx reconnect (each attempt is "
        "logged) until --retries N consecutive failures; --no-retry: no reconnect (a lost or closed "
        "stream exits 10). 401, 403 and 404 end it at once (exit 3, 4, 5). Whenever events may have been "
        "missed (a reconnect with no event id to resume from, or a server that lost the position) a "
        "warning on stderr gives the time span ({\"gap\":...} with --errors json). After a suspend or "
        "SIGSTOP/SIGCONT the stream reconnects at once.");
    bind_run(cmd, ctx, a, run_events_tail);
}

}  // namespace agentrail::cli
