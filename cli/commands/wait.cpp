// `agentrail task wait ID --until CONDITION` and `agentrail task ci ID --watch`: flags, the live progress
// and the result. The waiting itself is the library's agentrail::wait_until() (agentrail/wait.hpp): it
// reads the state from the API when the task's event stream connects and after every event for the task,
// and polls when the stream cannot be used.

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "agentrail/wait.hpp"
#include "commands/run.hpp"
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

/// --until KEY=VALUE as the library's condition; a usage error (exit 2) when it is not one.
WaitCondition parse_condition(const std::string& text) {
    auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
        throw usage_error(
            "--until: expected KEY=VALUE (ci=passed, review=approved, status=done, action=ship), got '" +
            text + "'");
    auto key = text.substr(0, eq);
    auto value = text.substr(eq + 1);
    if (key == "ci") {
        require_one_of(value, {"passed", "failed", "finished"}, "--until ci");
        return WaitCondition::ci(value);
    }
    if (key == "review") {
        require_one_of(value, {"approved", "changes_requested"}, "--until review");
        return WaitCondition::review(value);
    }
    if (key == "status") {
        require_one_of(value, {"todo", "in_progress", "in_review", "blocked", "done", "cancelled"},
                       "--until status");
        return WaitCondition::status(value);
    }
    if (key == "action") {
        if (!std::all_of(value.begin(), value.end(),
                         [](char ch) { return (ch >= 'a' && ch <= 'z') || ch == '_'; }))
            throw usage_error("--until action: '" + value + "' is not an action name (e.g. ship, submit)");
        return WaitCondition::action(value);
    }
    throw usage_error("--until: unknown condition '" + key + "' (use ci, review, status or action)");
}

/// Columns of stderr's terminal, 0 when it is not one (a test's Deps give the terminal's facts).
std::size_t stderr_width(const Context& ctx) {
    if (ctx.deps().terminal) return ctx.deps().terminal->width;
    winsize ws{};
    if (isatty(STDERR_FILENO) != 0 && ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    if (const char* columns = ctx.deps().getenv("COLUMNS")) return std::strtoul(columns, nullptr, 10);
    return 0;
}

/// The data of a read that may not have been made: as the server sent it, or null.
template <typename T>
const Json& data_of(const std::optional<Response<T>>& response) {
    static const Json null_json;
    return response ? response->raw_data() : null_json;
}

/// The JSON a snapshot carries, as the server sent it (CI and review: null when not read).
struct Seen {
    const Json& task;
    const Json& envelope;
    const Json& ci;
    const Json& review;
    explicit Seen(const WaitSnapshot& s)
        : task(s.task.raw_data()), envelope(s.task.envelope), ci(data_of(s.ci)), review(data_of(s.review)) {}
};

// What `task wait` prints: the task, the condition, how it ended and what was read last (-o json prints it
// as is; the table shows some of it).
#define AGENTRAIL_FIELDS_WaitResultView(X)                                                      \
    X(req, std::string, task_id, "taskId")                                                      \
    X(req, std::string, until, "until")     /* ci=passed, ... */                                \
    X(req, std::string, outcome, "outcome") /* reached, failed, timeout */                      \
    X(req, std::string, detail, "detail")   /* "CI passed", "task is in_review", ... */         \
    X(req, double, waited_seconds, "waitedSeconds", 0)                                          \
    X(req, std::string, status, "status") /* the task's */                                      \
    X(req, std::vector<std::string>, available_actions, "availableActions")                     \
    X(req, TaskDetail, task, "task")                                                            \
    X(opt, std::optional<CiStatus>, ci, "ci")               /* ci conditions; null: not read */ \
    X(opt, std::optional<ReviewFeedback>, review, "review") /* review conditions */
struct WaitResultView {
    AGENTRAIL_FIELD_MEMBERS(WaitResultView)
};

/// Follows the task with the library's wait_until() until it decides, the timeout passes or Ctrl-C (the
/// result is then `cancelled`). `on_check` sees every look.
WaitResult follow(Context& ctx, const std::string& id, const WaitCondition& condition, WaitOptions options,
                  std::function<void(const WaitSnapshot&)> on_check) {
    Context::InterruptScope interruptible;
    options.context = Context::interrupt_context();
    options.max_reconnects = 3;
    options.on_check = std::move(on_check);
    const auto interval = options.poll_interval;
    options.on_polling = [&ctx, interval](std::string_view reason) {
        ctx.log_info("event stream unavailable (" + std::string(reason) + "); polling every " +
                     std::to_string(interval.count()) + " ms");
    };
    return wait_until(ctx.client(), id, condition, options);
}

/// "CI running 2/3": the overall status and how many checks have finished.
std::string ci_progress(const Json& ci) {
    if (ci.is_null()) return "CI not started";
    using C = CiStatus;
    using N = CiCounts;
    std::string text = "CI " + sanitize(string_at(ci, json_pointer<&C::overall_status>()));
    const auto& total = at_pointer(ci, json_pointer<&C::summary, &N::total>());
    if (total.is_number_integer() && total.get<long long>() > 0) {
        long long done = 0;
        for (auto pointer :
             {json_pointer<&C::summary, &N::passed>(), json_pointer<&C::summary, &N::failed>(),
              json_pointer<&C::summary, &N::cancelled>(), json_pointer<&C::summary, &N::skipped>()}) {
            const auto& v = at_pointer(ci, pointer);
            if (v.is_number_integer()) done += v.get<long long>();
        }
        text += " " + std::to_string(done) + "/" + std::to_string(total.get<long long>());
    }
    return text;
}

/// The live status of a wait: what the task is doing now, for the condition waited for. CI and review
/// are read once the task has a submission, so one that was not read means there is none yet.
std::string wait_status(const WaitCondition& c, const WaitSnapshot& s) {
    const Seen seen(s);
    std::string text = "task " + sanitize(string_at(seen.task, json_pointer<&TaskDetail::status>()));
    if (c.kind == WaitCondition::Kind::ci) {
        text += !s.ci ? ", no submission yet" : ", " + ci_progress(seen.ci);
    } else if (c.kind == WaitCondition::Kind::review) {
        auto outcome = sanitize(string_at(
            seen.review, json_pointer<&ReviewFeedback::latest_decision, &ReviewDecision::outcome>()));
        text += !s.review         ? ", no submission yet"
                : outcome.empty() ? ", review pending"
                                  : ", review " + outcome;
    }
    return text;
}

/// "reached", "failed" or "timeout": the outcome as `task wait` prints it.
const char* outcome_text(WaitOutcome outcome) {
    switch (outcome) {
        case WaitOutcome::reached:
            return "reached";
        case WaitOutcome::unreachable:
            return "failed";
        case WaitOutcome::timed_out:
        case WaitOutcome::cancelled:
            break;
    }
    return "timeout";
}

Json result_json(const std::string& id, const WaitCondition& c, const WaitResult& r) {
    using V = WaitResultView;
    const Seen seen(r.last);
    Json j = {{json_name<&V::task_id>(), id},
              {json_name<&V::until>(), c.text()},
              {json_name<&V::outcome>(), outcome_text(r.outcome)},
              {json_name<&V::detail>(), r.last.detail},
              {json_name<&V::waited_seconds>(), static_cast<double>(r.waited.count()) / 1000.0},
              {json_name<&V::status>(), at_pointer(seen.task, json_pointer<&TaskDetail::status>())},
              {json_name<&V::available_actions>(), actions_of(seen.envelope)},
              {json_name<&V::task>(), seen.task}};
    if (c.kind == WaitCondition::Kind::ci) j[json_name<&V::ci>()] = seen.ci;
    if (c.kind == WaitCondition::Kind::review) j[json_name<&V::review>()] = seen.review;
    return j;
}

// ---- task ci --watch -------------------------------------------------------------------------------------

std::string ci_summary(const Json& ci) {
    using C = CiStatus;
    using N = CiCounts;
    std::string out;
    for (auto [k, pointer] :
         {std::pair{json_name<&N::passed>(), json_pointer<&C::summary, &N::passed>()},
          std::pair{json_name<&N::failed>(), json_pointer<&C::summary, &N::failed>()},
          std::pair{json_name<&N::running>(), json_pointer<&C::summary, &N::running>()},
          std::pair{json_name<&N::queued>(), json_pointer<&C::summary, &N::queued>()},
          std::pair{json_name<&N::cancelled>(), json_pointer<&C::summary, &N::cancelled>()},
          std::pair{json_name<&N::skipped>(), json_pointer<&C::summary, &N::skipped>()}}) {
        const auto& v = at_pointer(ci, pointer);
        if (v.is_number() && v.get<long long>() > 0)
            out += (out.empty() ? "" : ", ") + v.dump() + " " + std::string(k);
    }
    return out;
}

/// The live CI view: on a TTY the block is redrawn in place; piped, one line per change.
class CiView {
public:
    CiView(Renderer& out, std::string id) : m_out(out), m_id(std::move(id)) {}

    void update(const WaitSnapshot& s) {
        const Seen seen(s);
        std::string overall = seen.ci.is_null()
                                  ? std::string("waiting")
                                  : sanitize(string_at(seen.ci, json_pointer<&CiStatus::overall_status>()));
        if (!m_out.settings().stdout_tty) {
            std::string line = overall;
            auto counts = ci_summary(seen.ci);
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
        auto counts = ci_summary(seen.ci);
        if (!counts.empty()) head += "  " + counts;
        lines.push_back(head);
        const auto& checks = at_pointer(seen.ci, json_pointer<&CiStatus::checks>());
        std::size_t width = 5;
        if (checks.is_array())
            for (const auto& c : checks)
                width =
                    std::max(width, display_width(sanitize(string_at(c, json_pointer<&CiCheck::name>()))));
        if (checks.is_array()) {
            for (const auto& c : checks) {
                auto name = sanitize(string_at(c, json_pointer<&CiCheck::name>()));
                name.append(width - display_width(name), ' ');
                lines.push_back("  " + name + "  " +
                                m_out.paint_status(sanitize(string_at(c, json_pointer<&CiCheck::status>()))));
            }
        }
        if (!m_live) {
            m_out.flush();
            m_live.emplace(m_out.settings().out, true, m_out.settings().width);
        }
        m_live->set_block(std::move(lines));
        m_live->set(ci_progress(seen.ci));
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

}  // namespace

int run_task_wait(const TaskWaitOptions& o, Context& ctx) {
    const auto condition = parse_condition(o.until);
    WaitOptions options;
    if (!o.timeout.empty()) options.timeout = parse_duration(o.timeout, "--timeout");
    options.poll_interval = parse_duration(o.poll_interval, "--poll-interval");
    const auto shown = sanitize(o.id);  // as the user named it (a key reads better than an id)
    const auto id = resolve_task(ctx, o.id);
    const auto until = condition.text();
    ctx.set_operation("wait for task " + id + " until " + until, id);
    auto& out = ctx.out();
    // Progress on stderr (stdout holds the result): live on a terminal, else one line per change for a
    // person reading a log; nothing with -q or a machine format that is not on a terminal.
    const auto& settings = out.settings();
    std::optional<LiveStatus> status;
    if (!settings.quiet && (settings.stderr_tty || out.human()))
        status.emplace(settings.err, settings.stderr_tty, stderr_width(ctx), shown + ": ");
    if (status) status->set("waiting for " + until);
    auto r = follow(ctx, id, condition, options, [&](const WaitSnapshot& s) {
        ctx.log_info(id + ": " + (s.verdict == WaitVerdict::unreachable ? "failed" : to_string(s.verdict)) +
                     " (" + s.detail + ")");
        if (status)
            status->set(s.verdict == WaitVerdict::pending
                            ? "waiting for " + until + ": " + wait_status(condition, s)
                            : wait_status(condition, s));
    });
    if (status) status->stop();
    if (r.outcome == WaitOutcome::cancelled) return exit_code::ok;  // Ctrl-C: run_app() exits 130
    const auto result = result_json(id, condition, r);
    const auto actions = actions_of(r.last.task.envelope);
    const char* outcome = outcome_text(r.outcome);
    out.result(result, result, outcome, [&] {
        using V = WaitResultView;
        std::vector<Field> fields = {{"Task", json_path<&V::task_id>()},
                                     {"Until", json_path<&V::until>()},
                                     {"Outcome", json_path<&V::outcome>(), Kind::status},
                                     {"Detail", json_path<&V::detail>()},
                                     {"Status", json_path<&V::status>(), Kind::status}};
        if (condition.kind == WaitCondition::Kind::ci)
            fields.push_back({"CI", json_path<&V::ci, &CiStatus::overall_status>(), Kind::status});
        if (condition.kind == WaitCondition::Kind::review)
            fields.push_back(
                {"Review",
                 json_path<&V::review, &ReviewFeedback::latest_decision, &ReviewDecision::outcome>(),
                 Kind::status});
        fields.push_back({"Waited (s)", json_path<&V::waited_seconds>()});
        out.fields(result, fields);
        out.next_steps(actions, id);
    });
    if (r.outcome == WaitOutcome::timed_out)
        throw Failure(exit_code::wait_timeout, "wait_timeout",
                      "timed out after " + o.timeout + " waiting for " + until + " (" + r.last.detail + ")");
    if (r.outcome == WaitOutcome::unreachable)
        throw Failure(exit_code::wait_failed, "wait_failed", until + " cannot be reached: " + r.last.detail,
                      actions);
    return exit_code::ok;
}

int run_ci_watch(const CiWatchOptions& o, Context& ctx) {
    WaitOptions options;
    if (!o.timeout.empty()) options.timeout = parse_duration(o.timeout, "--timeout");
    const auto id = resolve_task(ctx, o.id);
    ctx.set_operation("watch CI of task " + id, id);
    auto& out = ctx.out();
    const bool live = out.human();
    CiView view(out, id);
    auto r = follow(ctx, id, WaitCondition::ci("finished"), options, [&](const WaitSnapshot& s) {
        if (live) view.update(s);
    });
    view.stop();
    if (r.outcome == WaitOutcome::cancelled) return exit_code::ok;  // Ctrl-C: run_app() exits 130
    const Seen seen(r.last);
    const auto actions = actions_of(seen.envelope);
    if (!live) {
        const auto& overall = at_pointer(seen.ci, json_pointer<&CiStatus::overall_status>());
        out.result(seen.ci, seen.ci, overall.is_string() ? overall.get<std::string>() : std::string{}, [] {});
    } else {
        out.next_steps(actions, id);
    }
    if (r.outcome == WaitOutcome::timed_out)
        throw Failure(exit_code::wait_timeout, "wait_timeout",
                      "timed out after " + o.timeout + " (" + r.last.detail + ")");
    if (string_at(seen.ci, json_pointer<&CiStatus::overall_status>()) != "passed")
        throw Failure(exit_code::wait_failed, "ci_failed", r.last.detail, actions);
    return exit_code::ok;
}

void register_wait(CLI::App& app, Context& ctx) {
    auto* tasks = app.get_subcommand("tasks");

    auto* wait = tasks->add_subcommand(
        "wait", "Block until the task reaches a state (exit 0), or cannot (13), or time runs out (14)");
    auto o = std::make_shared<TaskWaitOptions>();
    wait->add_option("id", o->id, "Task id (tsk_...) or key (DEMO-1)")->required();
    wait->add_option(
            "--until", o->until,
            "ci=passed|failed|finished, review=approved|changes_requested, status=STATUS or action=ACTION")
        ->required();
    wait->add_option("--timeout", o->timeout,
                     "Give up after this long, e.g. 10m (exit 14); default: no limit");
    wait->add_option("--poll-interval", o->poll_interval, "Poll period when the event stream is unavailable")
        ->capture_default_str();
    bind_run(wait, ctx, o, run_task_wait);
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
            ctx.set_exit_code(run_ci_watch(CiWatchOptions{*id, *timeout}, ctx));
        else
            ctx.set_exit_code(run_task_ci(TaskRefOptions{*id}, ctx));
    });
}

}  // namespace agentrail::cli
