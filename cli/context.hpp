#pragma once
// agentrail::cli::Context: what every command shares. Global flags, the resolved settings (flags > env >
// config file), the API client (built on first use, so commands that do not call the API stay cheap),
// the renderer for stdout, the stderr logger, and SIGINT handling.
//
// Everything it reaches outside the process (transport, stdout/stderr, clock, TTY facts, environment) comes
// from its Deps (deps.hpp), so a test builds a Context on fakes and runs commands in-process.
//
// A command group registers itself with `void register_<group>(CLI::App&, Context&)`; each command is an
// options struct, a run function and wiring that binds flags to the options (commands/run.hpp):
//   int run_task_submit(const TaskSubmitOptions& o, Context& ctx) {
//       ctx.set_operation("submit task " + o.id);      // "what failed" if it throws
//       auto r = ctx.client().submit_task(o.id, req, ctx.mutation_options());
//       ctx.out().object(r.raw_data(), r.envelope, fields, "/submissionId", o.id);
//       return exit_code::ok;
//   }
// Errors are not caught in commands: agentrail::Error and cli::Failure propagate to run_app() (app.cpp).

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agentrail/agentrail.hpp"
#include "deps.hpp"

namespace CLI {
class App;
}
namespace spdlog {
class logger;
}

namespace agentrail::cli {

class ConfigFile;
class Renderer;
enum class OutputFormat;  // render/render.hpp

enum class ErrorFormat { text, json };

/// Every global flag as parsed (bound by Context::add_global_options; accepted before or after the
/// subcommand). Prefer the Context accessors, which validate and resolve these.
struct GlobalOptions {
    std::string output;  // "", "table", "wide", "json", "ndjson" ("" = not given)
    bool no_pager = false;
    bool json = false;
    std::string jq;
    bool raw = false;
    bool quiet = false;
    std::string base_url;
    std::string api_key_file;
    bool api_key_stdin = false;
    std::string profile;
    std::string timeout;   // duration text, "" = library default
    std::string deadline;  // duration text, "" = none
    std::string max_body;  // size text, "" = library default
    int retries = -1;      // retries after the first attempt, -1 = library default
    bool no_retry = false;
    std::string idempotency_key;
    std::string cacert;
    bool insecure = false;
    bool allow_insecure_http = false;
    int verbosity = 0;  // -v = 1, -vv = 2
    bool debug = false;
    std::string errors = "text";
};

enum class SettingSource { flag, env, config, fallback, unset };
/// "flag", "env", "config", "default", "unset".
const char* to_string(SettingSource source) noexcept;

/// One resolved setting and where it came from (for `config explain`).
struct Setting {
    std::string value;
    SettingSource source = SettingSource::unset;
    std::string
        origin;  // e.g. "--base-url", "AGENTRAIL_BASE_URL", "~/.config/agentrail/config.toml [profile.ci]"
};

struct ResolvedSettings {
    Setting profile;
    Setting base_url;
    Setting api_key;  // value is the secret: display only through mask_secret()
    Setting timeout;  // duration text ("30s"); the default is the library's
    Setting retries;  // retries after the first attempt ("3"); the default is the library's
    std::string config_path;
    bool config_loaded = false;
};

/// "ar_l…_key": enough to recognise a secret, not enough to use it.
std::string mask_secret(std::string_view secret);

/// Parses a duration: "500ms", "30s", "2m", "1h", "1m30s", or plain seconds ("30", "2.5").
/// Throws a usage Failure naming `what` when it is malformed or not positive.
std::chrono::milliseconds parse_duration(std::string_view text, std::string_view what);

/// Parses a byte size: "1000", "500K", "64M", "64MiB", "1G" (K, M, G are powers of 1024; a trailing "B",
/// "iB" is optional). Throws a usage Failure naming `what` when it is malformed.
std::size_t parse_size(std::string_view text, std::string_view what);

class Context {
public:
    /// `deps`: the transport, streams, clock, terminal and environment commands use (default: the process's).
    explicit Context(Deps deps = Deps::system());
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    const Deps& deps() const { return m_deps; }
    /// Environment lookup through deps(): the value, or null when unset or empty.
    const char* env(const char* name) const { return m_deps.getenv(name); }
    /// $XDG_CONFIG_HOME/agentrail/config.toml, else ~/.config/agentrail/config.toml, in deps()'s environment.
    std::string config_path() const;
    /// A transport for a client with these options: deps()'s (a test's fake), else null (the library then
    /// makes a curl transport from them).
    std::shared_ptr<agentrail::Transport> make_transport(const agentrail::TransportOptions& options) const;

    /// Registers the global flags on the root app.
    void add_global_options(CLI::App& app);
    GlobalOptions& options() { return m_options; }

    /// Profile, base URL, API key, timeout and retries after flags > environment > config file. The config
    /// file is read only when flags and environment leave something open. Reads the key file / stdin once.
    const ResolvedSettings& settings();
    /// The config file, loaded on first use (for the `config` commands). Its warnings (unknown keys,
    /// wrong types, a key in a file others can read) are logged then.
    ConfigFile& config_file();
    /// The profile that edits of the config file act on (`config set`, `login`, `keys rotate --save`):
    /// --profile, AGENTRAIL_PROFILE, the file's current_profile, else "default".
    std::string profile_to_edit();
    /// For a command that creates the profile (login): a --profile or AGENTRAIL_PROFILE that is not in the
    /// config file is not an error. Call before settings().
    void allow_new_profile() { m_allow_new_profile = true; }

    /// The API client, built on first use from settings() and the global flags. With `need` required (the
    /// default) and no API key configured, throws a Failure (exit 3) that names the ways to set one, before
    /// anything is sent. Commands that work without a key (health, api, keys create while the server has
    /// no keys, doctor) pass KeyNeed::optional.
    enum class KeyNeed { required, optional };
    agentrail::Client& client(KeyNeed need = KeyNeed::required);
    /// Mutation options carrying --idempotency-key when given (else the library makes a random one).
    agentrail::MutationOptions mutation_options() const;
    /// --timeout, else the profile's `timeout` (once settings() has been resolved); nullopt: the default.
    std::optional<std::chrono::milliseconds> timeout() const;
    /// Retries after a failed attempt: --no-retry (0), --retries, else the profile's `retries`; nullopt:
    /// the library's default.
    std::optional<int> retries();

    /// The renderer for results on stdout (built on first use from -o/--json/--jq/--raw/--quiet).
    Renderer& out();
    /// Table columns named by a --columns option (headers, any case). Call before the first out().
    void choose_columns(std::vector<std::string> columns) { m_columns = std::move(columns); }
    ErrorFormat error_format() const;

    /// A line on the log (stderr, through the redacting, terminal-safe sink): info is shown with -v, debug
    /// with -vv. Messages are built by the caller: the logger's templates are compiled in context.cpp only.
    void log_info(std::string_view message);
    void log_debug(std::string_view message);
    /// Removes the resolved API key, bearer tokens, ar_* keys, whsec_* secrets and secret/apiKey JSON
    /// values from `text`. Applied to everything the logger prints.
    std::string redact(std::string_view text) const;

    /// Describes the operation in progress ("submit task tsk_1"); app.cpp reports it as what failed.
    /// `subject` is the id the operation is about: error hints suggest commands for it.
    void set_operation(std::string description, std::string subject = {}) {
        m_operation = std::move(description);
        m_subject = std::move(subject);
    }
    const std::string& operation() const { return m_operation; }
    const std::string& subject() const { return m_subject; }

    /// Flushes buffered stdout (when a renderer was built) at the end of the command: paged output is
    /// printed or handed to the pager, which is waited for.
    void flush();

    /// Exit code returned when the command finishes without throwing (e.g. a verify that printed
    /// "invalid"). Default 0.
    void set_exit_code(int code) { m_exit_code = code; }
    int exit_code() const { return m_exit_code; }

    // SIGINT. By default Ctrl-C ends the process at once with exit code 130. A command that can stop
    // cleanly (a stream, a wait, a listener) holds an InterruptScope while it runs: Ctrl-C then only sets
    // the flag, which it polls via interrupted() or hands to the library (StreamOptions::cancel,
    // HttpRequest::cancel). A second Ctrl-C still ends the process. run_app() returns 130 when the flag is
    // set.
    static void install_signal_handlers();
    static bool interrupted() noexcept;
    static const std::atomic<bool>* interrupt_flag() noexcept;
    /// A call context cancelled by Ctrl-C (under an InterruptScope): hand it, or a child of it, to the
    /// library so that waits and transfers end at once.
    static agentrail::CallContext interrupt_context();
    class InterruptScope {
    public:
        InterruptScope();
        ~InterruptScope();
        InterruptScope(const InterruptScope&) = delete;
        InterruptScope& operator=(const InterruptScope&) = delete;
    };

private:
    void resolve_settings();
    void setup_logging();
    /// spdlog logger on stderr: warn by default, info with -v, debug with -vv, trace with --debug.
    spdlog::logger& log();

    Deps m_deps;
    GlobalOptions m_options;
    std::optional<ResolvedSettings> m_settings;
    std::unique_ptr<ConfigFile> m_config;
    std::unique_ptr<agentrail::Client> m_client;
    std::unique_ptr<Renderer> m_renderer;
    std::vector<std::string> m_columns;
    std::shared_ptr<spdlog::logger> m_logger;
    std::string m_operation;
    std::string m_subject;
    int m_exit_code = 0;
    bool m_allow_new_profile = false;
    std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();  // --deadline
};

}  // namespace agentrail::cli
