// `agentrail doctor`: checks the setup end to end and says how to fix what is wrong.
//
// Checks, in order, each with an id, a result (ok, warn, fail), a detail and a fix hint (doctor.hpp):
//   config        settings resolved (where from), config file mode; then a client from them
//   reachability  GET /health answers, and how fast
//   clock_skew    the server's `time` against the local clock (warn beyond 60 s)
//   auth          the key is accepted (GET /tasks/mine?limit=1)
//   scopes        the key's scopes, when the server reveals them (a 403's grantedScopes), else "unknown"
//   tasks         how many tasks the key can see
// Exit 0 without a fail; otherwise the error of the first failing check is rethrown, so run_app() reports
// it and maps it to its exit code like any other command.

#include "commands/doctor.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "agentrail/time.hpp"
#include "commands/run.hpp"
#include "config.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"

namespace agentrail::cli {
namespace {

std::string hint_for(const agentrail::Error& e) {
    switch (e.kind()) {
        case ErrorKind::unauthorized:
            return "the key is missing, unknown, rotated or expired: check it with `agentrail config "
                   "explain`, or "
                   "rotate it";
        case ErrorKind::forbidden:
            return "ask an admin for a key with the needed scope";
        case ErrorKind::transport:
            return "is the server running? check the base URL (`agentrail config explain`) and your network";
        case ErrorKind::rate_limited:
            return "wait a minute and retry";
        case ErrorKind::server:
            return "the server has a problem (or is in maintenance mode): retry later";
        case ErrorKind::protocol:
            return "the base URL may not point at an AgentRail server";
        default:
            return "";
    }
}

DoctorResult fail_from(std::string id, std::exception_ptr error) {
    DoctorResult r;
    r.id = std::move(id);
    r.result = "fail";
    r.error = error;
    try {
        std::rethrow_exception(error);
    } catch (const agentrail::Error& e) {
        r.detail = std::string(to_string(e.kind())) + ": " + e.what();
        r.hint = hint_for(e);
    } catch (const Failure& e) {
        r.detail = e.what();
    } catch (const std::exception& e) {
        r.detail = e.what();
    }
    return r;
}

DoctorResult not_checked(std::string id, const std::string& why) {
    return {std::move(id),  "warn", "not checked: " + why, "fix the failing check above first",
            Json::object(), {}};
}

}  // namespace

std::optional<DoctorResult> doctor_check_config(DoctorState& state) {
    try {
        state.settings = &state.ctx.settings();
        const auto* settings = state.settings;
        DoctorResult r{"config", "ok", "", "", Json::object(), {}};
        r.detail = "base URL " + settings->base_url.value + " (" + to_string(settings->base_url.source) + ")";
        r.extra["baseUrl"] = settings->base_url.value;
        r.extra["baseUrlSource"] = to_string(settings->base_url.source);
        r.extra["apiKeySource"] = to_string(settings->api_key.source);
        r.extra["profile"] = settings->profile.value;
        if (settings->api_key.value.empty()) {
            r.result = "warn";
            r.detail += "; no API key";
            r.hint = "export AGENTRAIL_API_KEY, or `agentrail config set api_key_file FILE`";
        } else {
            r.detail += "; key " + mask_secret(settings->api_key.value) + " (" +
                        to_string(settings->api_key.source) + ")";
        }
        if (settings->config_loaded) {
            r.extra["configFile"] = settings->config_path;
            if (auto mode = state.ctx.config_file().loose_mode()) {
                char octal[8];
                std::snprintf(octal, sizeof octal, "%04o", *mode);
                r.result = "warn";
                r.detail += "; config file " + settings->config_path + " has mode " + octal;
                r.hint = "chmod 600 " + settings->config_path;
            }
        }
        return r;
    } catch (...) {
        state.settings = nullptr;
        auto r = fail_from("config", std::current_exception());
        r.hint = "fix the setting named above (`agentrail config explain` shows where each value comes from)";
        return r;
    }
}

std::optional<DoctorResult> doctor_check_client(DoctorState& state) {
    if (state.settings == nullptr) return std::nullopt;
    // A client that does not retry: a doctor should answer fast and show the first error.
    try {
        ClientOptions options = state.ctx.client(Context::KeyNeed::optional).options();
        options.retry.max_attempts = 1;
        options.transport_options.timeout =
            std::min(options.transport_options.timeout, std::chrono::milliseconds(10000));
        options.transport = state.ctx.make_transport(options.transport_options);
        state.client = std::make_unique<Client>(options);
        return std::nullopt;
    } catch (...) {
        return fail_from("config", std::current_exception());
    }
}

std::optional<DoctorResult> doctor_check_reachability(DoctorState& state) {
    if (!state.client) return not_checked("reachability", "no usable settings");
    try {
        auto started = std::chrono::steady_clock::now();
        state.health = state.client->health();
        state.health_local_time =
            std::chrono::duration<double>(state.ctx.deps().clock().time_since_epoch()).count();
        auto ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                .count();
        const auto& status = state.health->data.status;
        DoctorResult r{"reachability", "ok", "", "", Json::object(), {}};
        r.detail = "GET /health: " + status + " in " + std::to_string(ms) + " ms";
        r.extra["latencyMs"] = ms;
        r.extra["status"] = status;
        if (status != "ok") {
            r.result = "warn";
            r.hint = "the server reports it is not healthy";
        } else if (ms > 2000) {
            r.result = "warn";
            r.hint = "the server is slow to answer; check the network or the server's load";
        }
        return r;
    } catch (...) {
        return fail_from("reachability", std::current_exception());
    }
}

std::optional<DoctorResult> doctor_check_clock_skew(DoctorState& state) {
    if (!state.client) return not_checked("clock_skew", "no usable settings");
    if (!state.health) return not_checked("clock_skew", "server unreachable");
    DoctorResult skew{"clock_skew", "ok", "", "", Json::object(), {}};
    const auto& time = state.health->data.time;
    const auto server_time = agentrail::parse_timestamp(time);
    if (!server_time) {
        skew.result = "warn";
        skew.detail = "the server did not report a usable time ('" + time + "')";
        return skew;
    }
    const double server = std::chrono::duration<double>(server_time->time_since_epoch()).count();
    double delta = state.health_local_time - server;
    skew.extra["skewSeconds"] = std::round(delta * 10) / 10;
    char text[64];
    std::snprintf(text, sizeof text, "local clock %s the server by %.1f s",
                  delta >= 0 ? "ahead of" : "behind", std::fabs(delta));
    skew.detail = text;
    if (std::fabs(delta) > 60) {
        skew.result = "warn";
        skew.hint = "synchronise the clock (e.g. enable NTP: timedatectl set-ntp true)";
    }
    return skew;
}

std::optional<DoctorResult> doctor_check_auth(DoctorState& state) {
    if (!state.health) return not_checked("auth", "server unreachable");
    try {
        ListTasksOptions one;
        one.limit = 1;
        state.client->list_my_tasks(one);
        state.authenticated = true;
        return DoctorResult{"auth", "ok", "key accepted (GET /tasks/mine)", "", Json::object(), {}};
    } catch (const ForbiddenError& e) {
        state.authenticated = true;  // the key is valid; it only lacks the scope
        state.can_read_tasks = false;
        return DoctorResult{
            "auth", "ok",           "key accepted, but it may not list tasks: " + e.api_message(),
            "",     Json::object(), {}};
    } catch (...) {
        return fail_from("auth", std::current_exception());
    }
}

namespace {

std::string not_authenticated_reason(const DoctorState& state) {
    return state.health ? "the key was not accepted" : "server unreachable";
}

}  // namespace

std::optional<DoctorResult> doctor_check_scopes(DoctorState& state) {
    if (!state.authenticated) return not_checked("scopes", not_authenticated_reason(state));
    // Scopes are only revealed by a 403 insufficient_scope (its grantedScopes). Cheap reads that need
    // different scopes are tried in turn; each success proves one scope. The key-usage probe uses a
    // well-formed unknown id, so nothing real is read even when it is allowed.
    auto& client = *state.client;
    DoctorResult r{"scopes", "ok", "", "", Json::object(), {}};
    std::vector<std::string> proven;
    if (state.can_read_tasks) proven.emplace_back("tasks:read");
    std::optional<std::vector<std::string>> granted;
    auto probe = [&](const char* scope, const std::function<void()>& call) {
        if (granted) return;
        try {
            call();
            proven.emplace_back(scope);
        } catch (const ForbiddenError& e) {
            auto list = e.granted_scopes();
            if (!list.empty() || !e.required_scope().empty()) granted = list;
        } catch (const agentrail::Error&) {
            // e.g. 401 for the unknown probe id: proves nothing either way
        }
    };
    probe("webhooks:read", [&] { client.list_event_subscriptions(); });
    probe("usage:read", [&] { client.request(Method::get, "/agent-api-keys/akey_doctorprobe/usage"); });
    if (granted) {
        std::string list;
        for (const auto& g : *granted) list += (list.empty() ? "" : ", ") + g;
        r.detail = list.empty() ? std::string("none") : list;
        r.extra["grantedScopes"] = *granted;
        std::vector<std::string> missing;
        for (const char* needed : {"tasks:read", "tasks:write", "events:read"})
            if (std::find(granted->begin(), granted->end(), needed) == granted->end())
                missing.emplace_back(needed);
        if (!missing.empty()) {
            std::string m;
            for (const auto& x : missing) m += (m.empty() ? "" : ", ") + x;
            r.result = "warn";
            r.detail += " (missing " + m + ")";
            r.hint = "commands that need " + m + " fail with exit 4; ask an admin for a key with them";
        }
    } else {
        std::string list;
        for (const auto& g : proven) list += (list.empty() ? "" : ", ") + g;
        r.detail = "unknown" + (list.empty() ? std::string() : " (includes " + list + ")");
        r.extra["provenScopes"] = proven;
    }
    return r;
}

std::optional<DoctorResult> doctor_check_tasks(DoctorState& state) {
    if (!state.authenticated) return not_checked("tasks", not_authenticated_reason(state));
    if (!state.can_read_tasks)
        return DoctorResult{
            "tasks",        "warn", "the key may not list tasks", "ask for a key with tasks:read",
            Json::object(), {}};
    try {
        std::map<std::string, long long> by_status;
        long long total = 0;
        int pages = 0;
        bool more = false;
        ListTasksOptions all;
        all.limit = 100;
        state.client->for_each_task_page(all, [&](const TaskPage& page) {
            for (const auto& task : page.raw_data()) {
                ++total;
                const auto& status = at_pointer(task, json_path<&TaskSummary::status>());
                ++by_status[status.is_string() ? status.get<std::string>() : std::string("unknown")];
            }
            more = page.page && page.page->has_more;
            return ++pages < 20;  // enough to say "2000+" without walking a huge backlog
        });
        std::string counts;
        for (const auto& [status, n] : by_status)
            counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + status;
        DoctorResult t{"tasks", "ok", "", "", Json::object(), {}};
        t.detail = std::to_string(total) + (more ? "+" : "") + " visible task" + (total == 1 ? "" : "s") +
                   (counts.empty() ? "" : " (" + counts + ")");
        t.extra["visibleTasks"] = total;
        t.extra["byStatus"] = by_status;
        if (total == 0) {
            t.result = "warn";
            t.hint = "no task is assigned to this key's agent yet";
        }
        return t;
    } catch (...) {
        return fail_from("tasks", std::current_exception());
    }
}

const std::vector<DoctorCheck>& doctor_checks() {
    static const std::vector<DoctorCheck> checks = {{"config", doctor_check_config},
                                                    {"config", doctor_check_client},
                                                    {"reachability", doctor_check_reachability},
                                                    {"clock_skew", doctor_check_clock_skew},
                                                    {"auth", doctor_check_auth},
                                                    {"scopes", doctor_check_scopes},
                                                    {"tasks", doctor_check_tasks}};
    return checks;
}

std::vector<DoctorResult> run_doctor_checks(Context& ctx) {
    DoctorState state(ctx);
    std::vector<DoctorResult> results;
    for (const auto& check : doctor_checks())
        if (auto r = check.run(state)) results.push_back(std::move(*r));
    return results;
}

namespace {

// One check of doctor's report, as -o json prints it and the table shows it.
#define AGENTRAIL_FIELDS_DoctorCheckView(X)                    \
    X(req, std::string, id, "id")                              \
    X(req, std::string, result, "result") /* ok, warn, fail */ \
    X(req, std::string, detail, "detail")                      \
    X(req, std::string, hint, "hint")                          \
    X(opt, nlohmann::json, data, "data") /* the check's figures, when it has any */
struct DoctorCheckView {
    AGENTRAIL_FIELD_MEMBERS(DoctorCheckView)
};

}  // namespace

int run_doctor(const DoctorOptions&, Context& ctx) {
    using V = DoctorCheckView;
    ctx.set_operation("doctor");
    const auto checks = run_doctor_checks(ctx);
    Json items = Json::array();
    const DoctorResult* first_fail = nullptr;
    for (const auto& c : checks) {
        Json item = {{json_name<&V::id>(), c.id},
                     {json_name<&V::result>(), c.result},
                     {json_name<&V::detail>(), c.detail},
                     {json_name<&V::hint>(), c.hint}};
        if (!c.extra.empty()) item[json_name<&V::data>()] = c.extra;
        items.push_back(std::move(item));
        if (c.result == "fail" && first_fail == nullptr) first_fail = &c;
    }
    Json report = {{"ok", first_fail == nullptr}, {"checks", items}};
    auto& out = ctx.out();
    out.result(report, report, first_fail == nullptr ? "ok" : "fail", [&] {
        out.table(items, {{"CHECK", json_path<&V::id>()},
                          {"RESULT", json_path<&V::result>(), Kind::status},
                          {"DETAIL", json_path<&V::detail>()},
                          {"FIX", json_path<&V::hint>(), Kind::text, true}});
    });
    if (first_fail != nullptr) {
        ctx.set_operation("doctor: " + first_fail->id);
        std::rethrow_exception(first_fail->error);
    }
    return exit_code::ok;
}

void register_doctor(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "doctor",
        "Check settings, reachability, clock, key, scopes and visible tasks, with fixes (--json for agents)");
    bind_run(cmd, ctx, std::make_shared<DoctorOptions>(), run_doctor);
}

}  // namespace agentrail::cli
