#include "context.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <thread>
#include <utility>

#include <spdlog/logger.h>
#include <spdlog/sinks/ansicolor_sink.h>
#include <CLI/CLI.hpp>

#include "agentrail/redact.hpp"
#include "config.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "render/sanitize.hpp"
#include "validate.hpp"

#ifndef AGENTRAIL_CLI_VERSION
#define AGENTRAIL_CLI_VERSION "0.0.0"
#endif

namespace agentrail::cli {
namespace {

constexpr const char* default_base_url = "http://127.0.0.1:3000";

std::atomic<bool> g_interrupted{false};
std::atomic<int> g_cooperative{0};
std::atomic<int> g_wake_fd{-1};  // write end of the pipe that wakes the interrupt thread

extern "C" void on_sigint(int) {
    // Only async-signal-safe work here: set the flag for a command that stops cleanly (and wake the
    // thread that cancels the interrupt context), else leave now.
    if (g_cooperative.load() > 0 && !g_interrupted.load()) {
        g_interrupted.store(true);
        if (const int fd = g_wake_fd.load(); fd >= 0) {
            const int saved = errno;
            const char byte = 1;
            [[maybe_unused]] const auto n = write(fd, &byte, 1);
            errno = saved;
        }
        return;
    }
    _exit(exit_code::interrupted);
}

spdlog::level::level_enum to_spdlog(LogLevel level) {
    switch (level) {
        case LogLevel::trace:
            return spdlog::level::trace;
        case LogLevel::debug:
            return spdlog::level::debug;
        case LogLevel::info:
            return spdlog::level::info;
        case LogLevel::warn:
            return spdlog::level::warn;
        case LogLevel::error:
            return spdlog::level::err;
    }
    return spdlog::level::info;
}

/// stderr log sink that makes every message safe for a terminal first: log lines carry server text
/// (error bodies, event fields, --debug bodies).
using StderrSink = spdlog::sinks::ansicolor_sink<spdlog::details::console_nullmutex>;
class TerminalSafeSink final : public StderrSink {
public:
    using StderrSink::StderrSink;
    void log(const spdlog::details::log_msg& msg) override {
        auto clean = sanitize(std::string_view(msg.payload.data(), msg.payload.size()));
        spdlog::details::log_msg copy = msg;
        copy.payload = spdlog::string_view_t(clean.data(), clean.size());
        StderrSink::log(copy);
    }
};

}  // namespace

const char* to_string(SettingSource source) noexcept {
    switch (source) {
        case SettingSource::flag:
            return "flag";
        case SettingSource::env:
            return "env";
        case SettingSource::config:
            return "config";
        case SettingSource::fallback:
            return "default";
        case SettingSource::unset:
            return "unset";
    }
    return "unset";
}

std::string mask_secret(std::string_view secret) {
    if (secret.empty()) return "";
    if (secret.size() < 12) return "***";
    return std::string(secret.substr(0, 4)) + "..." + std::string(secret.substr(secret.size() - 4));
}

std::chrono::milliseconds parse_duration(std::string_view text, std::string_view what) {
    auto fail = [&] {
        return usage_error(std::string(what) + ": invalid duration '" + std::string(text) +
                           "' (use e.g. 30s, 500ms, 2m, 1h30m, or a number of seconds)");
    };
    if (text.empty()) throw fail();
    double total_ms = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t start = i;
        while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
        if (start == i) throw fail();
        double number = 0;
        try {
            number = std::stod(std::string(text.substr(start, i - start)));
        } catch (const std::exception&) {
            throw fail();
        }
        std::size_t unit_start = i;
        while (i < text.size() && text[i] >= 'a' && text[i] <= 'z') ++i;
        auto unit = text.substr(unit_start, i - unit_start);
        double factor = 0;
        if (unit.empty()) {
            if (start != 0 || i != text.size()) throw fail();  // a bare number is only allowed alone
            factor = 1000;
        } else if (unit == "ms") {
            factor = 1;
        } else if (unit == "s") {
            factor = 1000;
        } else if (unit == "m") {
            factor = 60000;
        } else if (unit == "h") {
            factor = 3600000;
        } else {
            throw fail();
        }
        total_ms += number * factor;
    }
    if (total_ms < 1 || total_ms > 1e12) throw fail();
    return std::chrono::milliseconds(static_cast<long long>(total_ms));
}

std::size_t parse_size(std::string_view text, std::string_view what) {
    auto fail = [&] {
        return usage_error(std::string(what) + ": invalid size '" + std::string(text) +
                           "' (use e.g. 64M, 500K, 1G or a number of bytes; 0 for no limit)");
    };
    std::size_t i = 0;
    unsigned long long number = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        if (number > (1ULL << 50)) throw fail();
        number = number * 10 + static_cast<unsigned>(text[i] - '0');
        ++i;
    }
    if (i == 0) throw fail();
    const auto unit = text.substr(i);
    int shift = -1;
    for (const auto& [name, bits] : {std::pair<std::string_view, int>{"", 0},
                                     {"B", 0},
                                     {"K", 10},
                                     {"KB", 10},
                                     {"KiB", 10},
                                     {"M", 20},
                                     {"MB", 20},
                                     {"MiB", 20},
                                     {"G", 30},
                                     {"GB", 30},
                                     {"GiB", 30}}) {
        if (unit == name) shift = bits;
    }
    if (shift < 0) throw fail();
    if (number > (std::numeric_limits<std::size_t>::max() >> shift)) throw fail();
    return static_cast<std::size_t>(number << shift);
}

namespace {
/// Before anything is sent: a request without a key would only come back 401.
Failure no_api_key_failure() {
    return Failure(exit_code::unauthorized, "no_api_key",
                   "this command needs an API key and none is set; nothing was sent",
                   {"printf '%s' \"$KEY\" | agentrail config set api_key", "export AGENTRAIL_API_KEY=KEY",
                    "agentrail --api-key-file FILE COMMAND"});
}
}  // namespace

Context::Context(Deps deps) : m_deps(std::move(deps)) {}
Context::~Context() = default;

void Context::add_global_options(CLI::App& app) {
    auto& o = m_options;
    const char* output = "Output";
    const char* connection = "Connection";
    const char* diagnostics = "Diagnostics";
    app.add_option("-o,--output", o.output,
                   "Output format: table (default), wide (a table with every column, nothing cut), json or "
                   "ndjson")
        ->check(CLI::IsMember({"table", "wide", "json", "ndjson"}))
        ->group(output);
    app.add_flag("--json", o.json, "Shorthand for --output json")->group(output);
    app.add_option("--jq", o.jq, "Filter the JSON output with a jq expression (no jq binary needed)")
        ->group(output);
    app.add_flag("--raw", o.raw, "Print the whole response envelope (availableActions, page, meta)")
        ->group(output);
    app.add_flag("-q,--quiet", o.quiet, "Print only the essential value (e.g. an id)")->group(output);
    app.add_flag(
           "--no-pager", o.no_pager,
           "Do not send long output on a terminal through the pager (AGENTRAIL_PAGER, PAGER, less -FRX)")
        ->group(output);
    app.add_option("--base-url", o.base_url,
                   "API base URL (env AGENTRAIL_BASE_URL; default http://127.0.0.1:3000)")
        ->group(connection);
    app.add_option("--api-key-file", o.api_key_file,
                   "Read the API key from this file (env AGENTRAIL_API_KEY)")
        ->group(connection);
    app.add_flag("--api-key-stdin", o.api_key_stdin, "Read the API key from standard input")
        ->group(connection);
    app.add_option("--profile", o.profile, "Config file profile to use (env AGENTRAIL_PROFILE)")
        ->group(connection);
    app.add_option("--timeout", o.timeout, "Timeout of each HTTP request, e.g. 30s, 500ms")
        ->group(connection);
    app.add_option("--deadline", o.deadline,
                   "Total time for the command's API calls, retries and Retry-After waits included, e.g. 1m")
        ->group(connection);
    app.add_option("--max-body", o.max_body,
                   "Largest response body accepted, after decompression (default 64M; 0: no limit)")
        ->group(connection);
    app.add_option("--retries", o.retries, "Retries after a failed attempt (429, 5xx, network)")
        ->check(CLI::Range(0, 10))
        ->group(connection);
    app.add_flag("--no-retry", o.no_retry, "Do not retry failed requests")->group(connection);
    app.add_option(
           "--idempotency-key", o.idempotency_key,
           "Idempotency-Key for a mutation (default: a new random key per command, kept for its retries)")
        ->group(connection);
    app.add_option("--cacert", o.cacert, "PEM bundle of CA certificates to trust")->group(connection);
    app.add_flag("--insecure", o.insecure, "Do not verify TLS certificates")->group(connection);
    app.add_flag("--allow-insecure-http", o.allow_insecure_http,
                 "Allow sending the key over plain http:// to a non-loopback host")
        ->group(connection);
    app.add_flag("-v,--verbose", o.verbosity, "More logs on stderr (-v info, -vv debug)")->group(diagnostics);
    app.add_flag("--debug", o.debug, "Log each HTTP request and response on stderr (secrets redacted)")
        ->group(diagnostics);
    app.add_option("--errors", o.errors, "Error format on stderr: text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->group(diagnostics);
}

void Context::resolve_settings() {
    ResolvedSettings s;
    const auto& o = m_options;

    if (!o.base_url.empty()) {
        s.base_url = {o.base_url, SettingSource::flag, "--base-url"};
    } else if (const char* v = env("AGENTRAIL_BASE_URL")) {
        s.base_url = {v, SettingSource::env, "AGENTRAIL_BASE_URL"};
    }

    if (!o.api_key_file.empty() && o.api_key_stdin)
        throw usage_error("--api-key-file and --api-key-stdin cannot be used together");
    if (!o.api_key_file.empty()) {
        s.api_key = {trim(read_small_file(o.api_key_file, "--api-key-file")), SettingSource::flag,
                     "--api-key-file " + o.api_key_file};
        if (s.api_key.value.empty()) throw usage_error("--api-key-file: " + o.api_key_file + " is empty");
    } else if (o.api_key_stdin) {
        s.api_key = {trim(read_stdin(max_small_file_bytes, "--api-key-stdin")), SettingSource::flag,
                     "--api-key-stdin"};
        if (s.api_key.value.empty())
            throw usage_error("--api-key-stdin: nothing was read from standard input");
    } else if (const char* v = env("AGENTRAIL_API_KEY")) {
        s.api_key = {trim(v), SettingSource::env, "AGENTRAIL_API_KEY"};
    }

    if (!o.profile.empty()) {
        s.profile = {o.profile, SettingSource::flag, "--profile"};
    } else if (const char* v = env("AGENTRAIL_PROFILE")) {
        s.profile = {v, SettingSource::env, "AGENTRAIL_PROFILE"};
    }
    if (s.profile.source != SettingSource::unset && !valid_profile_name(s.profile.value))
        throw usage_error(s.profile.origin + ": invalid profile name '" + s.profile.value + "'");

    if (o.no_retry) {
        s.retries = {"0", SettingSource::flag, "--no-retry"};
    } else if (o.retries >= 0) {
        s.retries = {std::to_string(o.retries), SettingSource::flag, "--retries"};
    }
    if (!o.timeout.empty()) s.timeout = {o.timeout, SettingSource::flag, "--timeout"};

    s.config_path = config_path();
    // The file is read only when flags and environment leave something open. A profile that is not in
    // it is an error only when it was to give the URL or the key.
    const bool connection_open =
        s.base_url.source == SettingSource::unset || s.api_key.source == SettingSource::unset;
    if (connection_open || s.retries.source == SettingSource::unset ||
        s.timeout.source == SettingSource::unset) {
        auto& config = config_file();
        s.config_loaded = config.exists();
        if (s.profile.source == SettingSource::unset) {
            auto current = config.current_profile();
            if (!current.empty())
                s.profile = {current, SettingSource::config, config.path() + " current_profile"};
            else
                s.profile = {"default", SettingSource::fallback, ""};
        }
        const auto& name = s.profile.value;
        auto names = config.profiles();
        bool known = std::find(names.begin(), names.end(), name) != names.end();
        if (!known && s.profile.source != SettingSource::fallback && connection_open &&
            !m_allow_new_profile) {
            throw Failure(exit_code::usage, "unknown_profile",
                          "profile '" + name + "' (from " + s.profile.origin + ") is not in " + config.path(),
                          {"agentrail config set --profile " + name + " base_url URL"});
        }
        auto where = config.path() + " [profile." + name + "]";
        if (s.base_url.source == SettingSource::unset) {
            if (auto v = config.get(name, "base_url")) s.base_url = {*v, SettingSource::config, where};
        }
        if (s.api_key.source == SettingSource::unset) {
            if (auto file = config.get(name, "api_key_file")) {
                s.api_key = {trim(read_small_file(*file, "api_key_file in " + where)), SettingSource::config,
                             where + " api_key_file"};
            } else if (auto v = config.get(name, "api_key")) {
                s.api_key = {trim(*v), SettingSource::config, where + " api_key"};
            }
        }
        // Checked as their flags are: a bad value is a usage error, not something silently replaced.
        if (s.retries.source == SettingSource::unset) {
            if (auto e = config.entry(name, "retries"); e && e->integer) {
                if (*e->integer < 0 || *e->integer > 10)
                    throw usage_error("retries in " + where + ": " + e->text + " is not in 0-10");
                s.retries = {e->text, SettingSource::config, where + " retries"};
            }
        }
        if (s.timeout.source == SettingSource::unset) {
            if (auto e = config.entry(name, "timeout"); e && (e->is_string || e->integer)) {
                auto text = e->is_string ? e->text : e->text + "s";
                (void)parse_duration(text, "timeout in " + where);
                s.timeout = {text, SettingSource::config, where + " timeout"};
            }
        }
    }
    if (s.profile.source == SettingSource::unset) s.profile = {"default", SettingSource::fallback, ""};
    if (s.base_url.source == SettingSource::unset)
        s.base_url = {default_base_url, SettingSource::fallback, ""};
    const ClientOptions defaults;
    if (s.retries.source == SettingSource::unset)
        s.retries = {std::to_string(defaults.retry.max_attempts - 1), SettingSource::fallback, ""};
    if (s.timeout.source == SettingSource::unset) {
        auto ms = defaults.transport_options.timeout.count();
        s.timeout = {ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms",
                     SettingSource::fallback, ""};
    }
    require_http_url(s.base_url.value, "base URL (" + std::string(to_string(s.base_url.source)) + ")");
    m_settings = std::move(s);
}

const ResolvedSettings& Context::settings() {
    if (!m_settings) resolve_settings();
    return *m_settings;
}

ConfigFile& Context::config_file() {
    if (!m_config) {
        m_config = std::make_unique<ConfigFile>(ConfigFile::load(config_path()));
        for (const auto& warning : m_config->warnings()) log().warn("{}", warning);
        if (auto mode = m_config->loose_mode(); mode && m_config->holds_api_key()) {
            log().warn(
                "config file {} holds an API key and is readable by others (mode {:04o}); run: chmod 600 {}",
                m_config->path(), *mode, m_config->path());
        }
    }
    return *m_config;
}

std::string Context::profile_to_edit() {
    std::string name = m_options.profile;
    if (name.empty()) {
        if (const char* v = env("AGENTRAIL_PROFILE")) name = v;
    }
    if (name.empty()) name = config_file().current_profile();
    if (name.empty()) name = "default";
    if (!valid_profile_name(name))
        throw usage_error("invalid profile name '" + name + "' (use A-Z a-z 0-9 _ -)");
    return name;
}

agentrail::Client& Context::client(KeyNeed need) {
    if (need == KeyNeed::required && settings().api_key.value.empty()) throw no_api_key_failure();
    if (m_client) return *m_client;
    const auto& s = settings();
    const auto& o = m_options;
    ClientOptions options;
    options.base_url = s.base_url.value;
    options.api_key = s.api_key.value;
    if (auto t = timeout()) {
        options.transport_options.timeout = *t;
        options.transport_options.connect_timeout = std::min(options.transport_options.connect_timeout, *t);
    }
    // --deadline is the whole command's budget: every call (each page of --all, each poll of a wait)
    // must end by the same moment, counted from the start of the process.
    if (!o.deadline.empty()) options.deadline_at = m_started + parse_duration(o.deadline, "--deadline");
    if (!o.max_body.empty()) options.transport_options.max_body_bytes = parse_size(o.max_body, "--max-body");
    options.transport_options.ca_bundle = o.cacert;
    options.transport_options.verify_tls = !o.insecure;
    options.transport_options.user_agent = "agentrail-cli/" AGENTRAIL_CLI_VERSION;
    if (auto n = retries()) options.retry.max_attempts = *n + 1;
    options.allow_insecure_http = o.allow_insecure_http;
    options.transport = make_transport(options.transport_options);
    if (m_deps.sleep) options.sleep = m_deps.sleep;
    auto& logger = log();
    options.log = [this, &logger](LogLevel level, std::string_view message) {
        auto lvl = to_spdlog(level);
        if (logger.should_log(lvl)) logger.log(lvl, "{}", redact(message));
    };
    // Messages the logger would drop are not even built by the library (bodies are traced only with --debug).
    options.log_level = m_options.debug            ? LogLevel::trace
                        : m_options.verbosity >= 2 ? LogLevel::debug
                        : m_options.verbosity == 1 ? LogLevel::info
                                                   : LogLevel::warn;
    if (s.api_key.value.empty())
        logger.info(
            "no API key configured (flags, AGENTRAIL_API_KEY or the config file); requests are sent without "
            "one");
    logger.debug("base URL {} (from {})", redact(s.base_url.value), to_string(s.base_url.source));
    m_client = std::make_unique<agentrail::Client>(std::move(options));
    return *m_client;
}

agentrail::MutationOptions Context::mutation_options() const {
    MutationOptions options;
    if (!m_options.idempotency_key.empty()) options.idempotency_key = m_options.idempotency_key;
    return options;
}

std::optional<std::chrono::milliseconds> Context::timeout() const {
    if (!m_options.timeout.empty()) return parse_duration(m_options.timeout, "--timeout");
    if (m_settings && m_settings->timeout.source == SettingSource::config)
        return parse_duration(m_settings->timeout.value, m_settings->timeout.origin);
    return std::nullopt;
}

std::optional<int> Context::retries() {
    const auto& s = settings();
    if (s.retries.source != SettingSource::flag && s.retries.source != SettingSource::config)
        return std::nullopt;
    return std::stoi(s.retries.value);
}

std::string Context::config_path() const {
    return ConfigFile::default_path(m_deps.lookup("XDG_CONFIG_HOME"), m_deps.lookup("HOME"));
}

std::shared_ptr<agentrail::Transport> Context::make_transport(
    const agentrail::TransportOptions& options) const {
    return m_deps.transport ? m_deps.transport(options) : nullptr;
}

Renderer& Context::out() {
    if (m_renderer) return *m_renderer;
    auto settings = OutputSettings::detect(m_deps);
    const auto& o = m_options;
    if (o.json && !o.output.empty() && o.output != "json")
        throw usage_error("--json and --output " + o.output + " cannot be used together");
    if (o.json || o.output == "json") {
        settings.format = OutputFormat::json;
        settings.format_explicit = true;
    } else if (o.output == "ndjson") {
        settings.format = OutputFormat::ndjson;
        settings.format_explicit = true;
    } else if (o.output == "table" || o.output == "wide") {
        settings.format_explicit = true;
        settings.wide = o.output == "wide";
    }
    settings.raw = o.raw;
    settings.quiet = o.quiet;
    settings.jq = o.jq;
    settings.columns = m_columns;
    settings.pager = !o.no_pager;
    m_renderer = std::make_unique<Renderer>(std::move(settings));
    return *m_renderer;
}

void Context::flush() {
    if (m_renderer) m_renderer->end_page();
}

ErrorFormat Context::error_format() const {
    return m_options.errors == "json" ? ErrorFormat::json : ErrorFormat::text;
}

spdlog::logger& Context::log() {
    if (!m_logger) setup_logging();
    return *m_logger;
}

void Context::log_info(std::string_view message) {
    log().info(message);
}

void Context::log_debug(std::string_view message) {
    log().debug(message);
}

void Context::setup_logging() {
    auto sink = std::make_shared<TerminalSafeSink>(m_deps.err, spdlog::color_mode::never);
    bool color = m_deps.tty().stderr_tty && env("NO_COLOR") == nullptr;
    if (const char* force = env("CLICOLOR_FORCE"); force != nullptr && std::string_view(force) != "0")
        color = env("NO_COLOR") == nullptr;
    sink->set_color_mode(color ? spdlog::color_mode::always : spdlog::color_mode::never);
    m_logger = std::make_shared<spdlog::logger>("agentrail", std::move(sink));
    auto level = spdlog::level::warn;
    if (m_options.debug)
        level = spdlog::level::trace;
    else if (m_options.verbosity >= 2)
        level = spdlog::level::debug;
    else if (m_options.verbosity == 1)
        level = spdlog::level::info;
    m_logger->set_level(level);
    m_logger->set_pattern(level <= spdlog::level::debug ? "%H:%M:%S.%e %^%l%$: %v" : "%^%l%$: %v");
}

std::string Context::redact(std::string_view text) const {
    if (!m_settings) return agentrail::redact(text);
    return agentrail::redact(text, {&m_settings->api_key.value, 1});
}

void Context::install_signal_handlers() {
    struct sigaction action {};
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, nullptr);
}

bool Context::interrupted() noexcept {
    return g_interrupted.load();
}

const std::atomic<bool>* Context::interrupt_flag() noexcept {
    return &g_interrupted;
}

agentrail::CallContext Context::interrupt_context() {
    // Made on first use, by the commands that stop cleanly: a thread blocked on a pipe that the SIGINT
    // handler writes to cancels the context (cancel() is not async-signal-safe; a write is). It blocks in
    // read(), so it costs nothing until Ctrl-C, and lives until the process exits.
    static const agentrail::CallContext context;
    static std::once_flag once;
    std::call_once(once, [] {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0) return;  // Ctrl-C then still sets interrupted(), for polling code
        std::thread([read_fd = fds[0]] {
            char byte = 0;
            while (read(read_fd, &byte, 1) < 0 && errno == EINTR) {
            }
            context.cancel();
        }).detach();
        g_wake_fd.store(fds[1]);
        if (g_interrupted.load()) context.cancel();  // Ctrl-C came before the pipe existed
    });
    return context;
}

Context::InterruptScope::InterruptScope() {
    g_cooperative.fetch_add(1);
}

Context::InterruptScope::~InterruptScope() {
    g_cooperative.fetch_sub(1);
}

}  // namespace agentrail::cli
