// `agentrail keys`: create and rotate agent API keys, and show their usage.
// A new secret is shown exactly once: printed to stdout, or written instead to --save-to FILE or (rotate
// --save) into the active profile of the config file, mode 0600.

#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands/keys.hpp"
#include "commands/run.hpp"
#include "config.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

/// Runs `call` (a request about key `id`). The server answers an unknown key id in the path with 401
/// ("Agent API key was not found."), the status of a bad caller key: say that it is the key id that was
/// not found, without the "check the API key" hint (the caller's own key worked). Exit code stays 3.
template <typename Call>
auto about_key_id(const std::string& id, Call&& call) {
    try {
        return call();
    } catch (const UnauthorizedError& e) {
        std::string message = e.api_message();
        std::transform(message.begin(), message.end(), message.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (message.find("not found") == std::string::npos && message.find("unknown agent api key") != 0)
            throw;
        ApiErrorInfo info = e.info();
        info.message = "API key id " + id + " was not found (server: \"" + e.api_message() + "\")";
        info.available_actions.clear();
        if (info.details.is_object()) info.details.erase("availableActions");
        UnauthorizedError adjusted(std::move(info));
        adjusted.set_idempotency_key(e.idempotency_key());
        throw adjusted;
    }
}

/// "600/60s" -> {600, 60}; the window takes s, m or h (default seconds).
RateLimit parse_rate_limit(const std::string& text) {
    auto fail = [&] {
        return usage_error(
            "--rate-limit: expected REQUESTS/WINDOW such as 600/60s (1-10000 requests, 10s-1h), got '" +
            text + "'");
    };
    auto slash = text.find('/');
    if (slash == std::string::npos) throw fail();
    RateLimit limit;
    try {
        std::size_t used = 0;
        limit.max_requests = std::stoi(text.substr(0, slash), &used);
        if (used != slash) throw fail();
    } catch (const std::logic_error&) {
        throw fail();
    }
    auto window = parse_duration(text.substr(slash + 1), "--rate-limit window");
    if (window.count() % 1000 != 0) throw fail();
    auto seconds = window.count() / 1000;
    if (limit.max_requests < 1 || limit.max_requests > 10000 || seconds < 10 || seconds > 3600) throw fail();
    limit.window_seconds = static_cast<int>(seconds);
    return limit;
}

/// Where a new secret goes instead of stdout: --save-to FILE, or (keys rotate --save) the active profile.
struct SaveTarget {
    std::string file;     // --save-to
    std::string profile;  // --save: the profile's api_key (or the file its api_key_file names)
};

/// Writes the secret to `target`; returns where it went, for the note.
std::string store_secret(Context& ctx, const SaveTarget& target, const std::string& secret) {
    if (!target.file.empty()) {
        write_private_file(target.file, secret + "\n", "--save-to");
        return target.file + " (mode 0600)";
    }
    auto& config = ctx.config_file();
    if (auto file = config.get(target.profile, "api_key_file")) {
        write_private_file(*file, secret + "\n", "api_key_file");
        return *file + " (api_key_file of profile " + target.profile + ", mode 0600)";
    }
    config.set(target.profile, "api_key", secret);
    if (config.current_profile().empty()) config.set_current_profile(target.profile);
    config.save();
    return "profile " + target.profile + " of " + config.path() + " (mode 0600)";
}

// What the key views add to the server's data (for the table view only).
#define AGENTRAIL_FIELDS_KeyView(X) \
    X(opt, std::string, rate_limit_text, "rateLimitText") /* "100 per 60s", "3 of 100 used in ..." */
struct KeyView {
    AGENTRAIL_FIELD_MEMBERS(KeyView)
};

/// Prints a created or rotated key, handling the one-time secret.
void render_new_key(Context& ctx, const Response<ApiKey>& r, const SaveTarget& target) {
    auto& out = ctx.out();
    Json data = r.raw_data();
    Json envelope = r.envelope;
    const auto& secret_json = at_pointer(data, json_path<&ApiKey::api_key>());
    std::string secret = secret_json.is_string() ? secret_json.get<std::string>() : std::string{};
    std::string saved_to;
    if ((!target.file.empty() || !target.profile.empty()) && !secret.empty()) {
        try {
            saved_to = store_secret(ctx, target, secret);
        } catch (const Failure& e) {
            // The key exists now: losing its secret would be worse than printing it.
            out.warn(std::string(e.what()) + "; printing the key instead");
        }
    }
    bool saved = !saved_to.empty();
    if (saved) {
        data.erase(json_name<&ApiKey::api_key>());
        if (envelope.contains("data") && envelope["data"].is_object())
            envelope["data"].erase(json_name<&ApiKey::api_key>());
    }
    Json view = data;
    const auto& window = at_pointer(data, json_path<&ApiKey::rate_limit, &RateLimit::window_seconds>());
    const auto& max = at_pointer(data, json_path<&ApiKey::rate_limit, &RateLimit::max_requests>());
    if (window.is_number() && max.is_number())
        view[json_name<&KeyView::rate_limit_text>()] = max.dump() + " per " + window.dump() + "s";
    const auto& id_json = at_pointer(data, json_path<&ApiKey::id>());
    std::string id = id_json.is_string() ? id_json.get<std::string>() : std::string{};
    // A key just issued: rotating it again is never the next step.
    auto actions = actions_of(envelope);
    actions.erase(std::remove(actions.begin(), actions.end(), "rotate"), actions.end());
    out.result(data, envelope, saved ? id : secret, [&] {
        using K = ApiKey;
        std::vector<Field> fields = {{"ID", json_path<&K::id>()}};
        if (!saved) fields.push_back({"API key", json_path<&K::api_key>(), Kind::secret});
        fields.insert(fields.end(), {{"Agent", json_path<&K::agent, &AgentIdentity::id>()},
                                     {"Name", json_path<&K::agent, &AgentIdentity::display_name>()},
                                     {"Role", json_path<&K::agent, &AgentIdentity::role>()},
                                     {"Scopes", json_path<&K::scopes>(), Kind::list},
                                     {"Rate limit", json_path<&KeyView::rate_limit_text>()},
                                     {"Status", json_path<&K::status>(), Kind::status},
                                     {"Created", json_path<&K::created_at>(), Kind::time},
                                     {"Expires", json_path<&K::expires_at>(), Kind::time},
                                     {"Rotated from", json_path<&K::rotated_from_key_id>()}});
        out.fields(view, fields);
        out.next_steps(actions, id);
    });
    if (saved) {
        out.note("API key written to " + saved_to);
        if (!target.profile.empty() && ctx.deps().lookup("AGENTRAIL_API_KEY") != nullptr)
            out.warn("AGENTRAIL_API_KEY is set: it takes precedence over the key saved in the profile");
    } else if (out.human() && !secret.empty()) {
        out.warn(
            "store this API key now: it is shown only once. To use it from this machine, run "
            "`agentrail config set api_key` and paste it at the prompt (or pipe it in)");
    }
}

/// Fails before the API call when --save-to cannot be written, so a new secret is never lost. Touches
/// nothing: the file may be the very key file this call authenticates with.
void check_save_to(const std::string& path, std::string_view what = "--save-to") {
    if (path.empty()) return;
    // The file, else the nearest directory that exists (the config directory may not exist yet).
    std::string probe = path;
    while (::access(probe.c_str(), F_OK) != 0) {
        auto slash = probe.rfind('/');
        probe = slash == std::string::npos ? "." : slash == 0 ? "/" : probe.substr(0, slash);
    }
    if (::access(probe.c_str(), W_OK) != 0) throw usage_error(std::string(what) + ": cannot write " + path);
}

/// --save: the profile to write, checked before the API call (the config file parses, and it or the key
/// file it names can be written).
std::string check_save_profile(Context& ctx) {
    auto profile = ctx.profile_to_edit();
    auto& config = ctx.config_file();
    if (auto file = config.get(profile, "api_key_file"))
        check_save_to(*file, "--save (api_key_file of profile " + profile + ")");
    else
        check_save_to(config.path(), "--save");
    return profile;
}

}  // namespace

int run_key_create(const KeyCreateOptions& o, Context& ctx) {
    require_agent_id(o.agent_id, "--agent-id");
    require_length(o.display_name, 1, 200, "--display-name");
    require_length(o.role, 1, 200, "--role");
    ApiKeyCreateRequest request;
    request.agent.id = o.agent_id;
    request.agent.display_name = o.display_name;
    request.agent.role = o.role;
    for (const auto& s : o.scopes) {
        require_one_of(s,
                       {"auth:admin", "ci:read", "events:read", "routing:admin", "routing:evaluate",
                        "routing:read", "reviews:read", "ship:write", "tasks:read", "tasks:write",
                        "usage:read", "webhooks:read", "webhooks:write", "providers:write"},
                       "--scope");
        if (std::find(request.scopes.begin(), request.scopes.end(), s) == request.scopes.end())
            request.scopes.push_back(s);
    }
    for (const auto& e : o.externals) {
        auto colon = e.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == e.size())
            throw usage_error("--external: expected PROVIDER:SUBJECT, got '" + e + "'");
        AgentExternalIdentity identity;
        identity.provider = e.substr(0, colon);
        identity.subject = e.substr(colon + 1);
        request.agent.external_identities.push_back(std::move(identity));
    }
    request.rate_limit = parse_rate_limit(o.rate_limit);
    if (!o.expires_at.empty()) {
        require_future_rfc3339(o.expires_at, "--expires-at");
        request.expires_at = o.expires_at;
    }
    ctx.set_operation("create API key for " + o.agent_id);
    ctx.out();
    check_save_to(o.save_to);
    auto r = ctx.client(Context::KeyNeed::optional).create_api_key(request, ctx.mutation_options());
    render_new_key(ctx, r, SaveTarget{o.save_to, {}});
    return exit_code::ok;
}

int run_key_rotate(const KeyRotateOptions& o, Context& ctx) {
    require_key_id(o.id);
    ApiKeyRotateRequest request;
    if (!o.expires_at.empty()) {
        require_future_rfc3339(o.expires_at, "--expires-at");
        request.expires_at = o.expires_at;
    }
    ctx.set_operation("rotate API key " + o.id, o.id);
    ctx.out();
    check_save_to(o.save_to);
    SaveTarget target{o.save_to, o.save ? check_save_profile(ctx) : std::string{}};
    auto r = about_key_id(o.id,
                          [&] { return ctx.client().rotate_api_key(o.id, request, ctx.mutation_options()); });
    render_new_key(ctx, r, target);
    return exit_code::ok;
}

int run_key_usage(const KeyUsageOptions& o, Context& ctx) {
    require_key_id(o.id);
    ctx.set_operation("get usage of API key " + o.id, o.id);
    auto& out = ctx.out();
    auto r = about_key_id(o.id, [&] { return ctx.client().get_api_key_usage(o.id); });
    const auto& data = r.raw_data();
    out.result(data, r.envelope, o.id, [&] {
        using U = ApiKeyUsage;
        using L = UsageRateLimit;
        Json view = data;
        const auto& rl = at_pointer(data, json_path<&U::rate_limit>());
        if (rl.is_object()) {
            auto num = [&](std::string_view p) {
                const auto& v = at_pointer(rl, p);
                return v.is_null() ? std::string("?") : v.dump();
            };
            view[json_name<&KeyView::rate_limit_text>()] =
                num(json_path<&L::current_window, &RateLimitWindow::used>()) + " of " +
                num(json_path<&L::max_requests>()) + " used in this " + num(json_path<&L::window_seconds>()) +
                "s window (" + num(json_path<&L::current_window, &RateLimitWindow::remaining>()) + " left)";
        }
        out.fields(view, {{"Key", json_path<&U::key_id>()},
                          {"Agent", json_path<&U::agent, &AgentIdentity::id>()},
                          {"Name", json_path<&U::agent, &AgentIdentity::display_name>()},
                          {"Status", json_path<&U::status>(), Kind::status},
                          {"Scopes", json_path<&U::scopes>(), Kind::list},
                          {"Last used", json_path<&U::last_used_at>(), Kind::time},
                          {"Accepted", json_path<&U::totals, &UsageTotals::accepted>()},
                          {"Denied", json_path<&U::totals, &UsageTotals::denied>()},
                          {"Rate limit", json_path<&KeyView::rate_limit_text>()},
                          {"Window resets",
                           json_path<&U::rate_limit, &L::current_window, &RateLimitWindow::reset_at>(),
                           Kind::time}});
        out.line("");
        out.table(at_pointer(data, json_path<&U::by_scope>()),
                  {{"SCOPE", json_path<&ScopeUsage::scope>()}, {"COUNT", json_path<&ScopeUsage::count>()}});
        out.line("");
        out.table(at_pointer(data, json_path<&U::by_operation>()),
                  {{"OPERATION", json_path<&OperationUsage::operation>()},
                   {"COUNT", json_path<&OperationUsage::count>()}});
        out.next_steps(actions_of(r.envelope), o.id);
    });
    return exit_code::ok;
}

// ---- wiring: flags bound to the options, the callback calls run ---------------------------------------

namespace {

void add_create(CLI::App& keys, Context& ctx) {
    auto* cmd = keys.add_subcommand("create", "Issue an API key for an agent identity (needs auth:admin)");
    auto o = std::make_shared<KeyCreateOptions>();
    cmd->add_option("--agent-id", o->agent_id, "Agent id (agt_...)")->required();
    cmd->add_option("--display-name", o->display_name, "Agent display name")->required();
    cmd->add_option("--role", o->role, "Agent role, e.g. platform_ci")->required();
    cmd->add_option("--scope", o->scopes, "Scope to grant, repeatable (e.g. tasks:read)")->required();
    cmd->add_option("--rate-limit", o->rate_limit, "REQUESTS/WINDOW, e.g. 600/60s")->capture_default_str();
    cmd->add_option("--external", o->externals, "External identity PROVIDER:SUBJECT, repeatable");
    cmd->add_option("--expires-at", o->expires_at, "Expiry, RFC 3339 (default: none)");
    cmd->add_option("--save-to", o->save_to,
                    "Write the new key to this file (mode 0600) instead of printing it");
    bind_run(cmd, ctx, o, run_key_create);
}

void add_rotate(CLI::App& keys, Context& ctx) {
    auto* cmd = keys.add_subcommand("rotate", "Replace a key with a new secret; the old one stops working");
    auto o = std::make_shared<KeyRotateOptions>();
    cmd->add_option("key_id", o->id, "Key id (akey_...)")->required();
    cmd->add_option("--expires-at", o->expires_at,
                    "Expiry of the new key, RFC 3339 (default: keep the old one)");
    auto* save_to_option = cmd->add_option(
        "--save-to", o->save_to, "Write the new key to this file (mode 0600) instead of printing it");
    cmd->add_flag(
           "--save", o->save,
           "Write the new key into the active profile (--profile) of the config file, mode 0600, instead "
           "of printing it")
        ->excludes(save_to_option);
    bind_run(cmd, ctx, o, run_key_rotate);
}

void add_usage(CLI::App& keys, Context& ctx) {
    auto* cmd = keys.add_subcommand("usage", "Show usage counters and the rate-limit window of a key");
    auto o = std::make_shared<KeyUsageOptions>();
    cmd->add_option("key_id", o->id, "Key id (akey_...)")->required();
    bind_run(cmd, ctx, o, run_key_usage);
}

}  // namespace

void register_keys(CLI::App& app, Context& ctx) {
    auto* keys = app.add_subcommand("keys", "Create and rotate agent API keys, show their usage");
    keys->require_subcommand(1);
    add_create(*keys, ctx);
    add_rotate(*keys, ctx);
    add_usage(*keys, ctx);
}

}  // namespace agentrail::cli
