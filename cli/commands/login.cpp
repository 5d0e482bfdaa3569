// `agentrail login`: asks for an API key (input hidden on a terminal, else read from standard input), checks
// it with the server, and stores it in the profile. The config file is edited in place and written with
// mode 0600. Nothing is saved when the server rejects the key or cannot be reached.

#include <cstdlib>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/login.hpp"
#include "commands/run.hpp"
#include "config.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "prompt.hpp"
#include "render/render.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

struct KeyCheck {
    std::string service;   // what /health calls itself
    bool can_list = true;  // false: the key is valid but lacks tasks:read
};

/// One health call (is this an AgentRail server?) and one authenticated call (GET /tasks/mine?limit=1)
/// with `key`, without retries: 401 means the key is wrong; 403 means it is valid but cannot list tasks.
KeyCheck check_key(Context& ctx, const std::string& key) {
    ClientOptions options = ctx.client(Context::KeyNeed::optional).options();
    options.transport = ctx.make_transport(options.transport_options);  // a fresh one (a test's fake)
    options.api_key = key;
    options.retry.max_attempts = 1;
    Client client(std::move(options));
    KeyCheck result;
    ctx.set_operation("check the server at " + ctx.settings().base_url.value);
    result.service = client.health().data.service;
    ctx.set_operation("check the API key");
    try {
        ListTasksOptions list;
        list.limit = 1;
        (void)client.list_my_tasks(list);
    } catch (const UnauthorizedError& e) {
        throw Failure(exit_code::unauthorized, e.code().empty() ? "unauthorized" : e.code(),
                      "the server at " + ctx.settings().base_url.value + " rejected this API key (" +
                          e.api_message() + "); nothing was saved",
                      {"check the key (agentrail keys create issues one; a rotated key stops working)"});
    } catch (const ForbiddenError&) {
        result.can_list = false;  // authenticated: the key exists, it only lacks the scope
    }
    return result;
}

}  // namespace

int run_login(const LoginOptions&, Context& ctx) {
    const auto& o = ctx.options();
    if (!o.api_key_file.empty() || o.api_key_stdin)
        throw usage_error(
            "login reads the key itself (prompted for on a terminal, else from standard input): drop "
            "--api-key-file/--api-key-stdin");
    ctx.set_operation("log in");
    ctx.allow_new_profile();
    auto profile = ctx.profile_to_edit();
    const auto& settings = ctx.settings();
    const auto& base_url = settings.base_url.value;
    auto key = read_secret(ctx.deps(), "API key for " + base_url + " (input hidden): ", "API key");
    auto check = check_key(ctx, key);

    ctx.set_operation("save the API key");
    auto& config = ctx.config_file();
    config.set(profile, "api_key", key);
    config.unset(profile, "api_key_file");
    // A URL given with --base-url is where this key works: keep them together.
    bool url_saved = settings.base_url.source == SettingSource::flag;
    if (url_saved) config.set(profile, "base_url", base_url);
    if (config.current_profile().empty()) config.set_current_profile(profile);
    config.save();

    auto& out = ctx.out();
    Json data = {{"profile", profile},
                 {"baseUrl", base_url},
                 {"service", check.service},
                 {"apiKey", mask_secret(key)},
                 {"canListTasks", check.can_list},
                 {"configFile", config.path()},
                 {"baseUrlSaved", url_saved}};
    out.result(data, data, profile, [&] {
        out.line("Logged in to " + base_url + (check.service.empty() ? "" : " (" + check.service + ")") +
                 " with key " + mask_secret(key) + ".");
        out.line("Saved " + std::string(url_saved ? "base_url and api_key" : "api_key") + " in [profile." +
                 profile + "] of " + config.path() + " (mode 0600).");
    });
    if (!check.can_list) out.warn("this key cannot list tasks (it lacks the tasks:read scope)");
    if (settings.api_key.source == SettingSource::env)
        out.warn("AGENTRAIL_API_KEY is set: it takes precedence over the key just saved");
    if (settings.base_url.source == SettingSource::env)
        out.warn("AGENTRAIL_BASE_URL is set: the profile's base_url is used only without it");
    return exit_code::ok;
}

// ---- wiring ---------------------------------------------------------------------------------------------

void register_login(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand(
        "login", "Check an API key with the server and store it in the profile (prompted for, input hidden)");
    cmd->footer(
        "The key is prompted for with the input hidden; in a pipe it is read from standard input. It is\n"
        "checked with one call to the server, then stored in the active profile (--profile) of the config\n"
        "file, mode 0600. With --base-url the URL is stored too.");
    bind_run(cmd, ctx, std::make_shared<LoginOptions>(), run_login);
}

}  // namespace agentrail::cli
