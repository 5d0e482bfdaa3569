#pragma once
// RFC 3339 date-times ("2026-05-01T03:21:04.123Z", "2026-05-01T05:21:04+02:00"): the one parser the
// library and the CLI use for times the server sends and times users type.

#include <chrono>
#include <optional>
#include <string_view>

#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// A point in time as the server writes it, to the microsecond.
using Timestamp = std::chrono::time_point<std::chrono::system_clock, std::chrono::microseconds>;

/// Parses YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM), any offset, 'T'/'Z' in either case. Digits
/// of the fraction beyond microseconds are dropped. Nullopt when `text` is not such a date-time.
std::optional<Timestamp> parse_timestamp(std::string_view text);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
