#pragma once
// The CLI's exit codes. Published in docs/exit-codes.md and `agentrail help exit-codes`; once released a
// code never changes meaning. app.cpp is the only place that maps an error to one of these.

#include <array>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace agentrail::cli {

namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int unexpected = 1;
inline constexpr int usage = 2;               // bad flags or bad local input, nothing was sent
inline constexpr int unauthorized = 3;        // 401: missing, unknown, rotated or expired key
inline constexpr int forbidden = 4;           // 403: forbidden or insufficient scope
inline constexpr int not_found = 5;           // 404
inline constexpr int conflict = 6;            // 409, idempotency mismatch, action not available now
inline constexpr int validation = 7;          // 400 and other 4xx: the server rejected the input
inline constexpr int rate_limited = 8;        // 429 after retries
inline constexpr int server = 9;              // 5xx after retries, not implemented, maintenance
inline constexpr int network = 10;            // no response: refused, DNS, TLS, timeout
inline constexpr int protocol = 11;           // a response that does not parse or has the wrong shape, a 3xx
inline constexpr int signature_invalid = 12;  // webhook signature did not verify
inline constexpr int wait_failed = 13;        // a wait reached a terminal bad state (CI failed, ...)
inline constexpr int wait_timeout = 14;       // a wait timed out
inline constexpr int cursor_expired = 15;     // the event stream cursor is outside the replay window
inline constexpr int interrupted = 130;       // SIGINT
}  // namespace exit_code

/// One row of the published table.
struct ExitCodeInfo {
    int code;
    const char* name;
    const char* meaning;
};

/// The published table, in code order (used by `agentrail help exit-codes` and kept equal to docs/).
inline constexpr std::array<ExitCodeInfo, 17> exit_code_table{{
    {exit_code::ok, "ok", "Success."},
    {exit_code::unexpected, "unexpected",
     "Unexpected failure (a bug, or an error the CLI does not classify)."},
    {exit_code::usage, "usage", "Bad command line or bad local input (ids, enums, files); nothing was sent."},
    {exit_code::unauthorized, "unauthorized",
     "401: the API key is missing, unknown, rotated or expired (keys usage/rotate: the key id was not "
     "found)."},
    {exit_code::forbidden, "forbidden",
     "403: the key lacks the scope, or the task belongs to another agent."},
    {exit_code::not_found, "not_found",
     "404: no such task, key, subscription or route; or a task key (DEMO-1) that names none or several of "
     "your tasks."},
    {exit_code::conflict, "conflict",
     "409: state conflict or Idempotency-Key reused with another body; or the action is not available."},
    {exit_code::validation, "validation",
     "400, or another 4xx without a code of its own (405, 413, 414, ...): the server rejected the request."},
    {exit_code::rate_limited, "rate_limited", "429: still rate limited after the retries."},
    {exit_code::server, "server", "5xx after the retries, not implemented (501), maintenance mode (503)."},
    {exit_code::network, "network", "No response: connection refused, DNS, TLS or timeout."},
    {exit_code::protocol, "protocol",
     "The server answered something that is not the API's JSON (unparsable, nested too deeply, larger than "
     "--max-body, a cycling page cursor), or redirected (3xx; redirects are not followed)."},
    {exit_code::signature_invalid, "signature_invalid", "A webhook signature did not verify."},
    {exit_code::wait_failed, "wait_failed",
     "A wait ended in a terminal bad state (CI failed, changes requested)."},
    {exit_code::wait_timeout, "wait_timeout", "A wait ran out of time."},
    {exit_code::cursor_expired, "cursor_expired", "The event stream cursor is outside the replay window."},
    {exit_code::interrupted, "interrupted", "Interrupted by SIGINT (Ctrl-C)."},
}};

/// A failure detected by the CLI itself (bad local input, an action the task does not offer, a wait that
/// failed). Commands throw it; app.cpp reports it like an API error and exits with `exit_code()`.
class Failure : public std::runtime_error {
public:
    /// `code` is the short machine code shown after the operation ("invalid_argument", ...).
    Failure(int exit_code, std::string code, const std::string& message, std::vector<std::string> hints = {},
            nlohmann::json details = nlohmann::json::object())
        : std::runtime_error(message),
          m_exit_code(exit_code),
          m_code(std::move(code)),
          m_hints(std::move(hints)),
          m_details(std::move(details)) {}

    int exit_code() const noexcept { return m_exit_code; }
    const std::string& code() const noexcept { return m_code; }
    /// availableActions-style hints ("start", ...) rendered as `next:` in the error line.
    const std::vector<std::string>& hints() const noexcept { return m_hints; }
    const nlohmann::json& details() const noexcept { return m_details; }

private:
    int m_exit_code;
    std::string m_code;
    std::vector<std::string> m_hints;
    nlohmann::json m_details;
};

/// Bad local input: exit 2, nothing was sent.
inline Failure usage_error(const std::string& message) {
    return Failure(exit_code::usage, "invalid_argument", message);
}

}  // namespace agentrail::cli
