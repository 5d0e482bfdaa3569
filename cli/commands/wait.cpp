// `agentrail task wait ID --until CONDITION` and `agentrail task ci ID --watch`: block until a task reaches
// a state, driven by the event stream, with polling as the fallback.
//
// The state is always read from the API (task, CI status, review feedback), never inferred from event
// payloads: events only say "look again". The order avoids a gap: the stream connects first, the state is
// checked once it is connected, and every event for the task after that triggers another check. When the
// stream cannot be used (no events:read scope, repeated disconnects), the state is polled instead.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/ioctl.h>
#include <unistd.h>

#include <spdlog/logger.h>
#include <CLI/CLI.hpp>

#include "commands/tasks.hpp"
#include "commands/wait.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/live_status.hpp"
#include "render/render.hpp"
#include "render/sanitize.hpp"
#include "task_ref.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct Condition {
    enum class Kind { ci, review, status, action };
    Kind kind = Kind::status;
    std::string value;
    std::string text;  // as given, e.g. "ci=passed"

    static Condition parse(const std::string& text) {
        auto eq = text.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
            throw usage_error(
                "--until: expected KEY=VALUE (ci=passed, review=approved, status=done, action=ship), got '" +
                text + "'");
        Condition c;
        c.text = text;
        auto key = text.substr(0, eq);
        c.value = text.substr(eq + 1);
        if (key == "ci") {
            c.kind = Kind::ci;
            require_one_of(c.value, {"passed", "failed", "finished"}, "--until ci");
        } else if (key == "review") {
            c.kind = Kind::review;
            require_one_of(c.value, {"approved", "changes_requested"}, "--until review");
        } else if (key == "status") {
            c.kind = Kind::status;
            require_one_of(c.value, {"todo", "in_progress", "in_review", "blocked", "done", "cancelled"},
                           "--until status");
        } else if (key == "action") {
            c.kind = Kind::action;
            if (!std::all_of(c.value.begin(), c.value.end(),
                             [](char ch) { return (ch >= 'a' && ch <= 'z') || ch == '_'; }))
                throw usage_error("--until action: '" + c.value +
                                  "' is not an action name (e.g. ship, submit)");
        } else {
            throw usage_error("--until: unknown condition '" + key + "' (use ci, review, status or action)");
        }
        return c;
    }
};

/// Columns of the terminal on `fd`, 0 when it is not one.
std::size_t terminal_width(int fd) {
    winsize ws{};
    if (isatty(fd) != 0 && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    if (const char* columns = std::getenv("COLUMNS")) return std::strtoul(columns, nullptr, 10);
    return 0;
}

enum class Verdict { pending, reached, failed };

const char* to_string(Verdict v) {
    switch (v) {
        case Verdict::pending:
            return "pending";
        case Verdict::reached:
            return "reached";
        case Verdict::failed:
            return "failed";
    }
    return "pending";
}

/// One look at the task: its detail, CI status and review feedback (the last two only when the condition
/// needs them; null when the task has no submission yet).
struct Snapshot {
    Verdict verdict = Verdict::pending;
    std::string detail;
    Json task;
    Json task_envelope;
    Json ci;      // ci-status data, or null
    Json review;  // review-feedback data, or null
};

std::string str_at(const Json& value, std::string_view pointer) {
    const auto& v = at_pointer(value, pointer);
    return v.is_string() ? v.get<std::string>() : std::string{};
}

/// False only when the task says it has no submission (`submissionId` null); a task detail without the
/// member is asked about its CI and review like any other.
bool has_submission(const Json& task) {
    if (!task.is_object()) return true;
    auto it = task.find("submissionId");
    return it == task.end() || !it->is_null();
}

Snapshot look(Client& client, const std::string& id, const Condition& c) {
    Snapshot s;
    auto task = client.get_task(id);
    s.task = task.raw_data();
    s.task_envelope = task.envelope;
    auto status = str_at(s.task, "/status");
    bool terminal = status == "done" || status == "cancelled";

    switch (c.kind) {
        case Condition::Kind::status:
            if (status == c.value) {
                s.verdict = Verdict::reached;
                s.detail = "task is " + status;
            }
            break;
        case Condition::Kind::action: {
            auto actions = actions_of(task.envelope);
            if (std::find(actions.begin(), actions.end(), c.value) != actions.end()) {
                s.verdict = Verdict::reached;
                s.detail = "task offers " + c.value;
            }
            break;
        }
        case Condition::Kind::ci: {
            // No submission yet, so no CI yet: keep waiting. Once there is one, every error (a 404 "CI
            // source not found" included) ends the wait with its exit code instead of looking like
            // "CI waiting" until the timeout.
            if (!has_submission(s.task)) break;
            s.ci = client.get_task_ci_status(id).raw_data();
            auto overall = str_at(s.ci, "/overallStatus");
            bool finished = overall == "passed" || overall == "failed" || overall == "cancelled";
            if (!finished) break;
            if (c.value == "finished" || overall == c.value) {
                s.verdict = Verdict::reached;
            } else {
                s.verdict = Verdict::failed;
            }
            s.detail = "CI " + overall;
            return s;
        }
        case Condition::Kind::review: {
            if (!has_submission(s.task)) break;
            s.review = client.get_task_review_feedback(id).raw_data();
            auto outcome = str_at(s.review, "/latestDecision/outcome");
            if (outcome == c.value) {
                s.verdict = Verdict::reached;
                s.detail = "review " + outcome;
                return s;
            }
            if (outcome == "approved" || outcome == "changes_requested") {
                s.verdict = Verdict::failed;
                s.detail = "review " + outcome;
                return s;
            }
            break;
        }
    }
    if (s.verdict == Verdict::pending && terminal) {
        s.verdict = Verdict::failed;
        s.detail = "task is " + status + " and can no longer reach " + c.text;
    }
    if (s.verdict == Verdict::pending) s.detail = "task is " + status;
    return s;
}

struct WaitOptions {
    std::optional<std::chrono::milliseconds> timeout;
    std::chrono::milliseconds poll_interval{5000};
};

enum class WaitEnd { decided, timed_out, interrupted };

/// Follows the task until `look` decides, the deadline passes or Ctrl-C. `on_look` sees every snapshot.
WaitEnd follow(Context& ctx, const std::string& id, const Condition& condition, const WaitOptions& options,
               Snapshot& last, const std::function<void(const Snapshot&)>& on_look) {
    auto& client = ctx.client();
    // Ctrl-C or the timeout end the wait; a decision ends its stream at once (stop.cancel()).
    Context::InterruptScope interruptible;
    const auto interrupt = Context::interrupt_context();
    const agentrail::CallContext stop =
        options.timeout ? interrupt.with_timeout(*options.timeout) : interrupt.child();
    auto ended = [&] {
        if (Context::interrupted()) return WaitEnd::interrupted;
        return stop.expired() ? WaitEnd::timed_out : WaitEnd::decided;
    };
    auto check = [&] {
        last = look(client, id, condition);
        on_look(last);
        return last.verdict != Verdict::pending;
    };

    // The stream gets a client of its own: state checks run while its transfer is in progress.
    ClientOptions stream_options = client.options();
    stream_options.transport = nullptr;
    Client stream_client(stream_options);
    StreamOptions so;
    so.task_id = id;
    so.context = stop;
    so.max_reconnects = 3;
    auto stream = stream_client.stream_events(so);
    std::exception_ptr check_error;
    bool decided = false;
    bool checked = false;
    stream.on_state([&](StreamState state, std::string_view) {
        if (state != StreamState::connected || decided || check_error) return;
        try {
            checked = true;
            if (check()) {
                decided = true;
                stop.cancel();  // ends the transfer at once
            }
        } catch (...) {
            check_error = std::current_exception();
            stop.cancel();
        }
    });
    try {
        stream.run([&](const StreamEvent&) {
            try {
                if (check()) decided = true;
            } catch (...) {
                check_error = std::current_exception();
            }
            return !decided && !check_error;
        });
    } catch (const agentrail::Error& e) {
        if (check_error) std::rethrow_exception(check_error);
        if (stop.done()) return ended();
        ctx.log().info("event stream unavailable ({}); polling every {} ms", e.what(),
                       options.poll_interval.count());
    }
    if (check_error) std::rethrow_exception(check_error);
    if (decided) return WaitEnd::decided;
    if (stop.done()) {
        // Stopped by the deadline or Ctrl-C; a check that never ran (stream never connected) runs once.
        if (!checked && !Context::interrupted()) check();
        return last.verdict != Verdict::pending ? WaitEnd::decided : ended();
    }

    // Polling fallback.
    for (;;) {
        if (check()) return WaitEnd::decided;
        stop.sleep_for(options.poll_interval);
        if (stop.done()) return last.verdict != Verdict::pending ? WaitEnd::decided : ended();
    }
}

/// "CI running 2/3": the overall status and how many checks have finished.
std::string ci_progress(const Json& ci) {
    if (ci.is_null()) return "CI not started";
    std::string text = "CI " + sanitize(str_at(ci, "/overallStatus"));
    const auto& total = at_pointer(ci, "/summary/total");
    if (total.is_number_integer() && total.get<long long>() > 0) {
        long long done = 0;
        for (const char* k : {"passed", "failed", "cancelled", "skipped"}) {
            const auto& v = at_pointer(ci, std::string("/summary/") + k);
            if (v.is_number_integer()) done += v.get<long long>();
        }
        text += " " + std::to_string(done) + "/" + std::to_string(total.get<long long>());
    }
    return text;
}

/// The live status of a wait: what the task is doing now, for the condition waited for.
std::string wait_status(const Condition& c, const Snapshot& s) {
    std::string text = "task " + sanitize(str_at(s.task, "/status"));
    if (c.kind == Condition::Kind::ci) {
        text += s.ci.is_null() && !has_submission(s.task) ? ", no submission yet" : ", " + ci_progress(s.ci);
    } else if (c.kind == Condition::Kind::review) {
        auto outcome = sanitize(str_at(s.review, "/latestDecision/outcome"));
        text += s.review.is_null() && !has_submission(s.task) ? ", no submission yet"
                : outcome.empty()                             ? ", review pending"
                                                              : ", review " + outcome;
    }
    return text;
}

Json result_json(const std::string& id, const Condition& c, const Snapshot& s, const char* outcome,
                 std::chrono::milliseconds waited) {
    Json j = {{"taskId", id},
              {"until", c.text},
              {"outcome", outcome},
              {"detail", s.detail},
              {"waitedSeconds", static_cast<double>(waited.count()) / 1000.0},
              {"status", at_pointer(s.task, "/status")},
              {"availableActions", actions_of(s.task_envelope)},
              {"task", s.task}};
    if (c.kind == Condition::Kind::ci) j["ci"] = s.ci;
    if (c.kind == Condition::Kind::review) j["review"] = s.review;
    return j;
}

struct WaitArgs {
    std::string id;
    std::string until;
    std::string timeout;
    std::string poll_interval = "5s";
};

void wait_command(Context& ctx, WaitArgs a) {
    auto condition = Condition::parse(a.until);
    WaitOptions options;
    if (!a.timeout.empty()) options.timeout = parse_duration(a.timeout, "--timeout");
    options.poll_interval = parse_duration(a.poll_interval, "--poll-interval");
    const auto shown = sanitize(a.id);  // as the user named it (a key reads better than an id)
    a.id = resolve_task(ctx, a.id);
    ctx.set_operation("wait for task " + a.id + " until " + condition.text, a.id);
    auto& out = ctx.out();
    auto started = Clock::now();
    Snapshot last;
    // Progress on stderr (stdout holds the result): live on a terminal, else one line per change for a
    // person reading a log; nothing with -q or a machine format that is not on a terminal.
    const auto& settings = out.settings();
    std::optional<LiveStatus> status;
    if (!settings.quiet && (settings.stderr_tty || out.human()))
        status.emplace(stderr, settings.stderr_tty, terminal_width(STDERR_FILENO), shown + ": ");
    if (status) status->set("waiting for " + condition.text);
    auto end = follow(ctx, a.id, condition, options, last, [&](const Snapshot& s) {
        ctx.log().info("{}: {} ({})", a.id, to_string(s.verdict), s.detail);
        if (status)
            status->set(s.verdict == Verdict::pending
                            ? "waiting for " + condition.text + ": " + wait_status(condition, s)
                            : wait_status(condition, s));
    });
    if (status) status->stop();
    if (end == WaitEnd::interrupted) return;
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    const char* outcome = end == WaitEnd::timed_out ? "timeout" : to_string(last.verdict);
    auto result = result_json(a.id, condition, last, outcome, waited);
    out.result(result, result, outcome, [&] {
        std::vector<Field> fields = {{"Task", "/taskId"},
                                     {"Until", "/until"},
                                     {"Outcome", "/outcome", Kind::status},
                                     {"Detail", "/detail"},
                                     {"Status", "/status", Kind::status}};
        if (condition.kind == Condition::Kind::ci)
            fields.push_back({"CI", "/ci/overallStatus", Kind::status});
        if (condition.kind == Condition::Kind::review)
            fields.push_back({"Review", "/review/latestDecision/outcome", Kind::status});
        fields.push_back({"Waited (s)", "/waitedSeconds"});
        out.fields(result, fields);
        out.next_steps(actions_of(last.task_envelope), a.id);
    });
    if (end == WaitEnd::timed_out)
        throw Failure(
            exit_code::wait_timeout, "wait_timeout",
            "timed out after " + a.timeout + " waiting for " + condition.text + " (" + last.detail + ")");
    if (last.verdict == Verdict::failed)
        throw Failure(exit_code::wait_failed, "wait_failed",
                      condition.text + " cannot be reached: " + last.detail, actions_of(last.task_envelope));
}

// ---- task ci --watch -------------------------------------------------------------------------------------

std::string ci_summary(const Json& ci) {
    std::string out;
    for (const char* k : {"passed", "failed", "running", "queued", "cancelled", "skipped"}) {
        const auto& v = at_pointer(ci, std::string("/summary/") + k);
        if (v.is_number() && v.get<long long>() > 0) out += (out.empty() ? "" : ", ") + v.dump() + " " + k;
    }
    return out;
}

/// The live CI view: on a TTY the block is redrawn in place; piped, one line per change.
class CiView {
public:
    CiView(Renderer& out, std::string id) : m_out(out), m_id(std::move(id)) {}

    void update(const Snapshot& s) {
        std::string overall =
            s.ci.is_null() ? std::string("waiting") : sanitize(str_at(s.ci, "/overallStatus"));
        if (!m_out.settings().stdout_tty) {
            std::string line = overall;
            auto counts = ci_summary(s.ci);
            if (!counts.empty()) line += " (" + counts + ")";
            if (line != m_last_line) {
                m_out.line(m_id + ": CI " + line);
                m_out.flush();
                m_last_line = line;
            }
            return;
        }
        std::vector<std::string> lines;
        std::string head =
            m_out.paint("CI", Style::bold) + " for " + m_id + ": " + m_out.paint_status(overall);
        auto counts = ci_summary(s.ci);
        if (!counts.empty()) head += "  " + counts;
        lines.push_back(head);
        const auto& checks = at_pointer(s.ci, "/checks");
        std::size_t width = 5;
        if (checks.is_array())
            for (const auto& c : checks) width = std::max(width, display_width(sanitize(str_at(c, "/name"))));
        if (checks.is_array()) {
            for (const auto& c : checks) {
                auto name = sanitize(str_at(c, "/name"));
                name.append(width - display_width(name), ' ');
                lines.push_back("  " + name + "  " + m_out.paint_status(sanitize(str_at(c, "/status"))));
            }
        }
        if (!m_live) {
            m_out.flush();
            m_live.emplace(stdout, true, m_out.settings().width);
        }
        m_live->set_block(std::move(lines));
        m_live->set(ci_progress(s.ci));
    }

    /// Ends the live view (the block stays on screen, the spinner line goes).
    void stop() {
        if (m_live) m_live->stop();
    }

private:
    Renderer& m_out;
    std::string m_id;
    std::string m_last_line;
    std::optional<LiveStatus> m_live;
};

void watch_ci(Context& ctx, const std::string& task, const std::string& timeout) {
    auto condition = Condition::parse("ci=finished");
    WaitOptions options;
    if (!timeout.empty()) options.timeout = parse_duration(timeout, "--timeout");
    const auto id = resolve_task(ctx, task);
    ctx.set_operation("watch CI of task " + id, id);
    auto& out = ctx.out();
    bool live = out.human();
    CiView view(out, id);
    Snapshot last;
    auto end = follow(ctx, id, condition, options, last, [&](const Snapshot& s) {
        if (live) view.update(s);
    });
    view.stop();
    if (end == WaitEnd::interrupted) return;
    if (!live) {
        const auto& overall = at_pointer(last.ci, "/overallStatus");
        out.result(last.ci, last.ci, overall.is_string() ? overall.get<std::string>() : std::string{}, [] {});
    } else {
        out.next_steps(actions_of(last.task_envelope), id);
    }
    if (end == WaitEnd::timed_out)
        throw Failure(exit_code::wait_timeout, "wait_timeout",
                      "timed out after " + timeout + " (" + last.detail + ")");
    if (str_at(last.ci, "/overallStatus") != "passed")
        throw Failure(exit_code::wait_failed, "ci_failed", last.detail, actions_of(last.task_envelope));
}

}  // namespace

void register_wait(CLI::App& app, Context& ctx) {
    auto* tasks = app.get_subcommand("tasks");

    auto* wait = tasks->add_subcommand(
        "wait", "Block until the task reaches a state (exit 0), or cannot (13), or time runs out (14)");
    auto a = std::make_shared<WaitArgs>();
    wait->add_option("id", a->id, "Task id (tsk_...) or key (DEMO-1)")->required();
    wait->add_option(
            "--until", a->until,
            "ci=passed|failed|finished, review=approved|changes_requested, status=STATUS or action=ACTION")
        ->required();
    wait->add_option("--timeout", a->timeout,
                     "Give up after this long, e.g. 10m (exit 14); default: no limit");
    wait->add_option("--poll-interval", a->poll_interval, "Poll period when the event stream is unavailable")
        ->capture_default_str();
    wait->callback([&ctx, a] { wait_command(ctx, *a); });
}

void add_ci_watch(CLI::App& ci, Context& ctx, std::shared_ptr<std::string> id) {
    auto watch = std::make_shared<bool>(false);
    auto timeout = std::make_shared<std::string>();
    ci.add_flag("--watch", *watch, "Follow the CI run live until it finishes (exit 13 when it fails)");
    ci.add_option("--timeout", *timeout, "With --watch: give up after this long (exit 14)");
    ci.callback([&ctx, watch, timeout, id] {
        if (!*watch && !timeout->empty())
            throw usage_error(
                "--timeout after `task ci` needs --watch (a request timeout goes before the command)");
        if (*watch)
            watch_ci(ctx, *id, *timeout);
        else
            show_ci_status(ctx, *id);
    });
}

}  // namespace agentrail::cli
