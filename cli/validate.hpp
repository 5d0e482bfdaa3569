#pragma once
// Local input checks shared by the commands. Each throws a usage Failure (exit 2) with a message that
// names the flag or argument, so nothing malformed is ever sent.

#include <ctime>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace CLI {
class Validator;
}

namespace agentrail::cli {

/// CLI11 check for a count option: a whole number of at least 1 (CLI11 puts the option name first).
CLI::Validator positive_count();

/// tsk_[A-Za-z0-9]+
void require_task_id(std::string_view id);
/// akey_[A-Za-z0-9]+
void require_key_id(std::string_view id);
/// evsub_[A-Za-z0-9]+
void require_subscription_id(std::string_view id);
/// agt_[A-Za-z0-9_]+
void require_agent_id(std::string_view id, std::string_view what);
/// run_[A-Za-z0-9_]+
void require_run_id(std::string_view id, std::string_view what);
/// 40 lower-case hex digits.
void require_sha(std::string_view sha, std::string_view what);
/// Seconds since the epoch of an RFC 3339 date-time (any offset, optional fraction, which is dropped), or
/// nullopt when `value` is not one: agentrail::parse_timestamp, to the second.
std::optional<std::time_t> parse_rfc3339(std::string_view value);
/// An RFC 3339 date-time such as 2026-06-01T00:00:00Z.
void require_rfc3339(std::string_view value, std::string_view what);
/// An RFC 3339 date-time that is still in the future (e.g. a key expiry: a past one would create a key
/// that is dead on arrival).
void require_future_rfc3339(std::string_view value, std::string_view what);
/// An http:// or https:// URL.
void require_http_url(std::string_view value, std::string_view what);
/// `value` is one of `allowed`.
void require_one_of(std::string_view value, std::initializer_list<std::string_view> allowed,
                    std::string_view what);
/// Length within [min, max] characters (bytes).
void require_length(std::string_view value, std::size_t min, std::size_t max, std::string_view what);

/// True when `value` is `prefix` followed by one or more characters of [A-Za-z0-9] (plus '_' if allowed).
bool matches_id(std::string_view value, std::string_view prefix, bool allow_underscore = false);

/// Default size limit of read_file() and read_stdin(): far above any request body.
inline constexpr std::size_t max_input_bytes = 64u << 20;
/// Size limit of read_small_file(): API keys, webhook secrets, state files.
inline constexpr std::size_t max_small_file_bytes = 4096;

/// Whole content of a file ("-": standard input), at most `max_bytes`; usage Failure naming `what` when
/// it cannot be read or is larger. Pipes and FIFOs are read (e.g. --data @<(command)).
std::string read_file(const std::string& path, std::string_view what,
                      std::size_t max_bytes = max_input_bytes);
/// A key, secret or state file: a regular file of at most `max_bytes` (no FIFO that could block, no
/// device such as /dev/zero that never ends); usage Failure naming `what` otherwise. "-": standard input.
std::string read_small_file(const std::string& path, std::string_view what,
                            std::size_t max_bytes = max_small_file_bytes);
/// Everything on standard input, at most `max_bytes` (usage Failure naming `what` when there is more).
std::string read_stdin(std::size_t max_bytes = max_input_bytes, std::string_view what = "standard input");
/// First line of `text` without surrounding whitespace (for secrets read from files or stdin).
std::string trim(std::string_view text);
/// Writes `content` to `path` with mode 0600 (replacing the file); usage Failure on error.
void write_private_file(const std::string& path, std::string_view content, std::string_view what);

}  // namespace agentrail::cli
