#pragma once
// agentrail::cli::Deps: what a command needs from the world outside the process, in one injectable bundle
// (as gh's cmdutil.Factory). The binary uses Deps::system(): the curl transport, the real stdout/stderr,
// the system clock, the terminal as detected, getenv(). A test passes a fake transport, streams it reads
// back, a fixed clock, the terminal facts it wants and an environment of its own, then runs a command's
// run function (or the whole command line, run_app()) in milliseconds without a server:
//
//   auto fake = std::make_shared<test::FakeTransport>();
//   Deps deps;
//   deps.transport = [fake](const TransportOptions&) { return fake; };
//   deps.out = captured_stdout;   // e.g. open_memstream()
//   deps.env = [](const char* name) -> const char* { ... };

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace agentrail {
class Transport;
struct TransportOptions;
}  // namespace agentrail

namespace agentrail::cli {

/// What is known about the terminal: which standard streams are TTYs, and its size.
struct Terminal {
    bool stdin_tty = false;
    bool stdout_tty = false;
    bool stderr_tty = false;
    std::size_t width = 0;   // columns of stdout's terminal (ioctl, else COLUMNS), 0 = unknown
    std::size_t height = 0;  // rows of stdout's terminal (ioctl only), 0 = unknown
};

struct Deps {
    using TransportFactory = std::function<std::shared_ptr<Transport>(const TransportOptions&)>;
    using EnvLookup = std::function<const char*(const char* name)>;
    using Clock = std::function<std::chrono::system_clock::time_point()>;
    using InputReader = std::function<std::string(std::size_t max_bytes, std::string_view what)>;

    /// Makes the transport of the API client; empty: the library's curl transport.
    TransportFactory transport;
    /// Where results (stdout) and diagnostics (stderr) go.
    std::FILE* out = stdout;
    std::FILE* err = stderr;
    /// Wall clock (relative times, generated run ids, doctor's clock check); empty: the system clock.
    Clock now;
    /// TTY facts; nullopt: detected from the process's file descriptors.
    std::optional<Terminal> terminal;
    /// Environment lookup (returns null when unset); empty: getenv().
    EnvLookup env;
    /// How the client waits between retries; empty: it sleeps.
    std::function<void(std::chrono::milliseconds)> sleep;
    /// Reads standard input when it is not a terminal (the key `login` and `config set api_key` read from
    /// a pipe), at most max_bytes; empty: the process's stdin.
    InputReader input;

    /// The real process: every member at its default.
    static Deps system() { return {}; }

    /// The variable's value, or null when it is unset or empty.
    const char* getenv(const char* name) const;
    /// The variable's value as set (possibly empty), or null when unset.
    const char* lookup(const char* name) const;
    std::chrono::system_clock::time_point clock() const;
    /// `terminal`, else the facts of the process's stdin, stdout and stderr.
    Terminal tty() const;
};

}  // namespace agentrail::cli
