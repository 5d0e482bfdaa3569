// `agentrail config`: where settings come from, and the profiles of the config file.
// Secrets never go on argv: `config set api_key` prompts for the key (echo off) on a terminal, else reads
// it from standard input. Edits keep the file's comments, order and unknown keys (config.hpp).

#include <unistd.h>
#include <cstdlib>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "agentrail/redact.hpp"
#include "commands/config_commands.hpp"
#include "commands/run.hpp"
#include "config.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "prompt.hpp"
#include "render/render.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

void require_known_key(const std::string& key) {
    for (auto k : profile_keys)
        if (k == key) return;
    throw usage_error("unknown key '" + key + "' (known: base_url, api_key, api_key_file, retries, timeout)");
}

/// A base URL as shown: a password in it (https://user:PASSWORD@host) is masked.
std::string shown_url(const std::string& url) {
    return agentrail::redact(url);
}

Json setting_json(const Setting& s, bool secret) {
    Json j = {{"value", secret ? mask_secret(s.value) : s.value}, {"source", to_string(s.source)}};
    if (!s.origin.empty()) j["origin"] = s.origin;
    return j;
}

}  // namespace

int run_config_explain(const ConfigExplainOptions&, Context& ctx) {
    ctx.set_operation("explain config");
    auto& out = ctx.out();
    const auto& s = ctx.settings();
    Json data = {
        {"profile", setting_json(s.profile, false)},
        {"baseUrl", setting_json({shown_url(s.base_url.value), s.base_url.source, s.base_url.origin}, false)},
        {"apiKey", setting_json(s.api_key, true)},
        {"timeout", setting_json(s.timeout, false)},
        {"retries", setting_json(s.retries, false)},
        {"configFile", {{"path", s.config_path}, {"read", s.config_loaded}}}};
    out.result(data, data, shown_url(s.base_url.value), [&] {
        auto describe = [](const Setting& setting, const std::string& value) {
            std::string from = to_string(setting.source);
            if (!setting.origin.empty()) from += ": " + setting.origin;
            return (value.empty() ? std::string("(none)") : value) + "  (" + from + ")";
        };
        Json view = {{"profile", describe(s.profile, s.profile.value)},
                     {"base", describe(s.base_url, shown_url(s.base_url.value))},
                     {"key", describe(s.api_key, mask_secret(s.api_key.value))},
                     {"timeout", describe(s.timeout, s.timeout.value)},
                     {"retries", describe(s.retries, s.retries.value)},
                     {"file", s.config_path + (s.config_loaded ? "" : "  (not read or missing)")}};
        out.fields(view, {{"Profile", "/profile"},
                          {"Base URL", "/base"},
                          {"API key", "/key"},
                          {"Timeout", "/timeout"},
                          {"Retries", "/retries"},
                          {"Config file", "/file"}});
        out.line("");
        out.line(
            "Precedence: flags > environment (AGENTRAIL_BASE_URL, AGENTRAIL_API_KEY, AGENTRAIL_PROFILE) "
            "> config file profile > default.");
    });
    return exit_code::ok;
}

int run_config_set(const ConfigSetOptions& o, Context& ctx) {
    const std::string& key = o.key;
    require_known_key(key);
    std::string v = o.value;
    ctx.set_operation("set " + key);
    auto profile = ctx.profile_to_edit();
    auto& config = ctx.config_file();
    if (key == "api_key") {
        if (!v.empty())
            throw usage_error(
                "api_key is a secret and would show in the process list; run without a value to be "
                "prompted for it, pipe it on standard input, or use api_key_file");
        v = read_secret(ctx.deps(), "API key for profile " + profile + " (input hidden): ", "api_key");
    } else if (v.empty()) {
        throw usage_error("missing value for " + key);
    }
    if (key == "base_url") require_http_url(v, "base_url");
    if (key == "api_key_file" && ::access(v.c_str(), R_OK) != 0)
        ctx.out().warn("api_key_file " + v + " is not readable (yet)");
    if (key == "timeout") (void)parse_duration(v, "timeout");
    if (key == "retries") {
        if (v.empty() || v.size() > 2 || v.find_first_not_of("0123456789") != std::string::npos ||
            std::stoi(v) > 10)
            throw usage_error("retries: expected a number from 0 to 10, got '" + v + "'");
        config.set_integer(profile, key, std::stoi(v));
    } else {
        config.set(profile, key, v);
    }
    // A profile has one key source: the one just set replaces the other.
    if (key == "api_key") config.unset(profile, "api_key_file");
    if (key == "api_key_file") config.unset(profile, "api_key");
    if (config.current_profile().empty()) config.set_current_profile(profile);
    config.save();
    ctx.out().note("set " + key + " in [profile." + profile + "] of " + config.path() +
                   (config.holds_api_key() ? " (mode 0600)" : ""));
    return exit_code::ok;
}

int run_config_unset(const ConfigUnsetOptions& o, Context& ctx) {
    require_known_key(o.key);
    auto profile = ctx.profile_to_edit();
    auto& config = ctx.config_file();
    if (!config.unset(profile, o.key))
        throw Failure(exit_code::not_found, "not_set", o.key + " is not set in [profile." + profile + "]");
    config.save();
    return exit_code::ok;
}

int run_config_get(const ConfigGetOptions& o, Context& ctx) {
    require_known_key(o.key);
    auto profile = ctx.profile_to_edit();
    auto value = ctx.config_file().entry(profile, o.key);
    if (!value)
        throw Failure(exit_code::not_found, "not_set", o.key + " is not set in [profile." + profile + "]");
    std::string shown = o.key == "api_key" ? mask_secret(value->text) : value->text;
    auto& out = ctx.out();
    out.result(Json(shown), Json(shown), shown, [&] { out.line(shown); });
    return exit_code::ok;
}

int run_config_list(const ConfigListOptions&, Context& ctx) {
    auto& config = ctx.config_file();
    auto& out = ctx.out();
    auto current = config.current_profile();
    Json profiles = Json::object();
    Json rows = Json::array();
    for (const auto& name : config.profiles()) {
        Json entries = Json::object();
        for (const auto& e : config.entries(name)) {
            if (!e.is_string)
                entries[e.key] = e.integer ? Json(*e.integer) : Json(e.text);
            else
                entries[e.key] = e.key == "api_key"    ? mask_secret(e.text)
                                 : e.key == "base_url" ? shown_url(e.text)
                                                       : e.text;
        }
        profiles[name] = entries;
        auto text = [](const Json& j) { return j.is_string() ? j.get<std::string>() : j.dump(); };
        std::string key_source = entries.contains("api_key_file") ? "file " + text(entries["api_key_file"])
                                 : entries.contains("api_key")    ? "inline " + text(entries["api_key"])
                                                                  : "-";
        rows.push_back({{"current", name == current ? "*" : ""},
                        {"name", name},
                        {"base_url", entries.contains("base_url") && entries["base_url"].is_string()
                                         ? entries["base_url"].get<std::string>()
                                         : std::string("-")},
                        {"key", key_source}});
    }
    Json data = {{"path", config.path()}, {"currentProfile", current}, {"profiles", profiles}};
    // --quiet: the names, one per line.
    out.result(data, data, config.profiles(), [&] {
        out.table(rows,
                  {{"", "/current"}, {"PROFILE", "/name"}, {"BASE URL", "/base_url"}, {"API KEY", "/key"}});
    });
    return exit_code::ok;
}

int run_config_use_profile(const ConfigUseProfileOptions& o, Context& ctx) {
    const std::string& name = o.name;
    if (!valid_profile_name(name)) throw usage_error("invalid profile name '" + name + "'");
    auto& config = ctx.config_file();
    auto names = config.profiles();
    if (std::find(names.begin(), names.end(), name) == names.end())
        throw Failure(exit_code::usage, "unknown_profile", "no profile '" + name + "' in " + config.path(),
                      {"agentrail config set --profile " + name + " base_url URL"});
    config.set_current_profile(name);
    config.save();
    ctx.out().note("current profile: " + name);
    return exit_code::ok;
}

// ---- wiring: flags bound to the options, the callback calls run ---------------------------------------

namespace {

void add_config_explain(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("explain", "Show each setting, its value and where it came from");
    bind_run(cmd, ctx, std::make_shared<ConfigExplainOptions>(), run_config_explain);
}

void add_config_set(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand(
        "set",
        "Set a key of a profile, keeping the file's comments and order (api_key: prompted for or stdin)");
    auto o = std::make_shared<ConfigSetOptions>();
    cmd->add_option("key", o->key, "base_url, api_key, api_key_file, retries or timeout")->required();
    cmd->add_option("value", o->value, "The value (not for api_key: it is prompted for, or read from stdin)");
    cmd->footer("To check a key with the server as well: agentrail login");
    bind_run(cmd, ctx, o, run_config_set);
}

void add_config_unset(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("unset", "Remove a key from a profile");
    auto o = std::make_shared<ConfigUnsetOptions>();
    cmd->add_option("key", o->key, "base_url, api_key, api_key_file, retries or timeout")->required();
    bind_run(cmd, ctx, o, run_config_unset);
}

void add_config_get(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("get", "Print one key of a profile (api_key masked)");
    auto o = std::make_shared<ConfigGetOptions>();
    cmd->add_option("key", o->key, "base_url, api_key, api_key_file, retries or timeout")->required();
    bind_run(cmd, ctx, o, run_config_get);
}

void add_config_list(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("list", "List the profiles of the config file (api_key masked)");
    bind_run(cmd, ctx, std::make_shared<ConfigListOptions>(), run_config_list);
}

void add_config_use_profile(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("use-profile", "Make a profile the default one");
    auto o = std::make_shared<ConfigUseProfileOptions>();
    cmd->add_option("name", o->name, "Profile name")->required();
    bind_run(cmd, ctx, o, run_config_use_profile);
}

void add_config_path(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("path", "Print the config file path");
    cmd->callback([&ctx] { ctx.out().line(ctx.config_path()); });
}

}  // namespace

void register_config(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("config", "Settings: profiles, base URL, API key source");
    group->require_subcommand(1);
    add_config_explain(*group, ctx);
    add_config_set(*group, ctx);
    add_config_unset(*group, ctx);
    add_config_get(*group, ctx);
    add_config_list(*group, ctx);
    add_config_use_profile(*group, ctx);
    add_config_path(*group, ctx);
}

}  // namespace agentrail::cli
