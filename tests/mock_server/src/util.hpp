#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mock {

using Clock = std::chrono::system_clock;
using SteadyClock = std::chrono::steady_clock;

// RFC 3339 UTC timestamp with millisecond precision, e.g. 2026-05-01T03:25:15.123Z.
std::string iso_time(Clock::time_point tp);
std::string iso_now();
// Second-precision variant for header-like values.
std::string iso_time_seconds(Clock::time_point tp);
// Parses an RFC 3339 date-time; nullopt when malformed.
std::optional<Clock::time_point> parse_iso_time(std::string_view text);

// Random alphanumeric string (A-Z0-9), thread safe.
std::string random_alnum(std::size_t length);
// Random lowercase hex string.
std::string random_hex(std::size_t length);
// Cryptographically random base62 string for secrets.
std::string random_secret(std::size_t length);
// Id with a prefix, e.g. make_id("sub_") -> sub_01K...; 26 characters after the prefix.
std::string make_id(std::string_view prefix);
// Random double in [0, 1).
double random_unit();

std::string base64url_encode(std::string_view data);
std::optional<std::string> base64url_decode(std::string_view data);

// Lowercase hex HMAC-SHA256 of body keyed with secret.
std::string hmac_sha256_hex(std::string_view secret, std::string_view body);

bool starts_with(std::string_view text, std::string_view prefix);
std::vector<std::string> split(std::string_view text, char sep);
std::string trim(std::string_view text);
bool all_digits(std::string_view text);
bool is_alnum_id(std::string_view text, std::string_view prefix, bool allow_underscore = false);
std::optional<long long> parse_int(std::string_view text);

}  // namespace mock
