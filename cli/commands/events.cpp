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

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "agentrail/json.hpp"
#include "agentrail/models/enums.hpp"
#include "commands/events.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "render/sanitize.hpp"
#include "task_ref.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

struct TailArgs {
    std::vector<std::string> types;
    std::string task;
    std::string since;
    bool from_start = false;
    std::string state_file;
    int heartbeat = 0;
    std::string until;
    long long count = 0;
    std::string timeout;
};

/// The last processed event id, persisted so that a restarted tail resumes after it. One tail at a time
/// owns a state file: FILE.lock holds an exclusive flock (and the owner's PID, for the message a second
/// tail gets), released when the process ends however it ends.
class StateFile {
public:
    explicit StateFile(std::string path) : m_path(std::move(path)) { lock(); }
    ~StateFile() {
        if (m_lock_fd >= 0) ::close(m_lock_fd);
    }
    StateFile(const StateFile&) = delete;
    StateFile& operator=(const StateFile&) = delete;

    /// The saved id, or empty when the file does not exist or is empty.
    std::string load() const {
        if (access(m_path.c_str(), F_OK) != 0) return {};
        return trim(read_small_file(m_path, "--state-file"));
    }

    /// Replaces the file atomically: a reader (or a restart after a crash) sees the old id or the new one.
    /// The temporary file has a name of its own (mkstemp) and is removed when anything fails.
    void save(std::string_view id) {
        if (id.empty() || id == m_saved) return;
        std::string temp = m_path + ".tmp.XXXXXX";
        int fd = ::mkstemp(temp.data());
        bool ok = fd >= 0;
        int error = errno;
        if (ok) {
            std::string content = std::string(id) + "\n";
            ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
            error = errno;
            ok = ::close(fd) == 0 && ok;
            if (ok && std::rename(temp.c_str(), m_path.c_str()) != 0) {
                ok = false;
                error = errno;
            }
            if (!ok) ::unlink(temp.c_str());
        }
        if (!ok) {
            throw Failure(exit_code::unexpected, "state_file",
                          "--state-file: cannot write " + m_path + ": " + std::strerror(error));
        }
        m_saved = id;
    }

private:
    void lock() {
        const std::string lock_path = m_path + ".lock";
        m_lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (m_lock_fd < 0)
            throw usage_error("--state-file: cannot open " + lock_path + ": " + std::strerror(errno));
        if (::flock(m_lock_fd, LOCK_EX | LOCK_NB) != 0) {
            int error = errno;
            char pid[32] = {};
            auto n = ::pread(m_lock_fd, pid, sizeof pid - 1, 0);
            ::close(m_lock_fd);
            m_lock_fd = -1;
            if (error != EWOULDBLOCK)
                throw usage_error("--state-file: cannot lock " + lock_path + ": " + std::strerror(error));
            std::string owner = trim(std::string_view(pid, n > 0 ? static_cast<std::size_t>(n) : 0));
            throw Failure(exit_code::conflict, "state_file_in_use",
                          "--state-file " + m_path + " is already in use by " +
                              (owner.empty() ? std::string("another process") : "PID " + owner) +
                              " (one events tail per state file)",
                          {"stop the other tail, or give this one its own --state-file"});
        }
        std::string pid = std::to_string(::getpid()) + "\n";
        if (::ftruncate(m_lock_fd, 0) != 0 || ::pwrite(m_lock_fd, pid.data(), pid.size(), 0) < 0) {
            // The lock holds without the PID; a second tail just cannot name the owner.
        }
    }

    std::string m_path;
    std::string m_saved;
    int m_lock_fd = -1;
};

/// Writes lines to stdout in batches: push() queues a line, flush() writes what is queued in one write()
/// and then records the id of the last event written (in the state file, when there is one). The event
/// stream calls flush() after each network read (StreamOptions::on_chunk_end), so a burst costs one
/// large write per read, as `curl -N` does, while a lone event is written as soon as it arrives; no
/// thread and no wake-up per event.
class LineWriter {
public:
    explicit LineWriter(StateFile* state) : m_state(state) {}
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
        m_pending_id.assign(id);
        if (m_pending.size() >= kMaxPending) flush();  // a huge read: keep memory bounded
    }

    void flush() {
        if (m_pending.empty()) return;
        write_all(m_pending);
        m_pending.clear();
        if (m_pending.capacity() > 4 * kMaxPending) std::string().swap(m_pending);
        if (m_state != nullptr) m_state->save(m_pending_id);
    }

    /// Writes what is queued.
    void close() { flush(); }

private:
    static void write_all(std::string_view bytes) {
        while (!bytes.empty()) {
            auto n = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
            if (n < 0) {
                if (errno == EINTR) continue;
                throw_output_error(errno);
            }
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    static constexpr std::size_t kMaxPending = 64 * 1024;
    StateFile* m_state;
    std::string m_pending;
    std::string m_pending_id;
};

std::string str_at(const Json& value, std::string_view pointer) {
    const auto& v = at_pointer(value, pointer);
    return v.is_string() ? v.get<std::string>() : std::string{};
}

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
    // Every field is server text on its way to a terminal: sanitized before colour is added.
    const auto& data = at_pointer(event, "/data");
    std::string task = str_at(data, "/taskIdentifier");
    if (task.empty()) task = str_at(data, "/taskId");
    task = sanitize(task);
    std::string status = sanitize(str_at(data, "/status"));
    std::string type = str_at(event, "/type");
    std::string summary = str_at(data, "/summary");
    if (summary.empty()) summary = event_type_label(type, str_at(data, "/reviewOutcome"));
    summary = sanitize(summary);
    std::string line = out.paint(pad(sanitize(clock_time(str_at(event, "/occurredAt"))), 9), Style::dim);
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
        return str_at(*parsed, "/data/taskId") == task || str_at(*parsed, "/data/taskIdentifier") == task;
    }
};

enum class TailView { raw, human, machine };

void tail(Context& ctx, TailArgs a) {
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
        writer.emplace(state.get());
        options.on_chunk_end = [&writer] { writer->flush(); };
    }
    auto& client = ctx.client();
    auto stream = client.stream_events(options);
    if (view == TailView::human) {
        stream.on_state([&out](StreamState s, std::string_view reason) {
            if (s == StreamState::connected) out.note(reason.empty() ? "connected" : std::string(reason));
        });
    }

    Context::InterruptScope interruptible;
    long long printed = 0;
    bool reached = false;  // --count or --until was satisfied
    try {
        stream.run([&](const StreamEvent& event) {
            std::optional<Json> parsed;
            if (view == TailView::raw) {
                writer->push(event.data, event.id);
            } else {
                parsed = agentrail::parse_json(event.data);
                if (parsed->is_discarded())
                    throw Error(ErrorKind::protocol, "event " + event.id + ": data is not valid JSON");
                if (view == TailView::human) {
                    out.line(event_human_line(out, *parsed));
                    out.flush();
                } else {
                    out.stream_item(*parsed, event.data, event.id, [] {});
                }
                if (state) state->save(event.id);
            }
            ++printed;
            if ((a.count > 0 && printed >= a.count) ||
                (until && until->matches(event, parsed ? &*parsed : nullptr))) {
                reached = true;
                return false;
            }
            return true;
        });
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
    if (timed_out()) out.note("timeout reached after " + std::to_string(printed) + " events");
    // With --no-retry a stream the server closed ends run() without an error; that is not the end the
    // user asked for (--count, --until, --timeout or Ctrl-C), so it must not exit 0.
    if (!reached && !timed_out() && !Context::interrupted())
        throw Failure(exit_code::network, "stream_ended",
                      "the server closed the event stream after " + std::to_string(printed) +
                          " events; not reconnecting (--no-retry)");
}

}  // namespace

void register_events(CLI::App& app, Context& ctx) {
    auto* events = app.add_subcommand("events", "Follow the task lifecycle event stream");
    events->require_subcommand(1);
    auto* cmd = events->add_subcommand(
        "tail", "Print events as they happen; resumes after disconnects (and restarts, with --state-file)");
    auto a = std::make_shared<TailArgs>();
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
    cmd->footer(
        "Output: human lines on a terminal; NDJSON (the server's event JSON, one per line) when piped or "
        "with "
        "-o ndjson. Exit 0 on --until/--count/--timeout, 130 on Ctrl-C (after a clean stop), 15 when the "
        "resume cursor is outside the replay window. Network errors and 5xx reconnect (each attempt is "
        "logged) until --retries N consecutive failures; --no-retry: no reconnect (a lost or closed "
        "stream exits 10). 401, 403 and 404 end it at once (exit 3, 4, 5).");
    cmd->callback([&ctx, a] { tail(ctx, *a); });
}

}  // namespace agentrail::cli
