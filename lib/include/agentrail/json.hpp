#pragma once
// JSON from untrusted sources (server answers, event data, webhook bodies) parsed with a nesting limit:
// a deeply nested document would otherwise exhaust the stack in the recursive copy, compare or dump
// of the value built from it.

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// Deepest nesting of arrays and objects parse_json accepts by default (API answers nest < 10 levels).
inline constexpr std::size_t default_max_json_depth = 512;

/// Parses `text`. Returns a discarded value (`is_discarded()`) when it is not JSON, as
/// nlohmann::json::parse(text, nullptr, false) does; throws Error{protocol} whose message says
/// "nested too deeply" when arrays/objects nest deeper than `max_depth` (checked before building anything).
nlohmann::json parse_json(std::string_view text, std::size_t max_depth = default_max_json_depth);

/// True when `text` nests arrays/objects deeper than `max_depth` (strings are skipped; no other checking).
bool json_too_deep(std::string_view text, std::size_t max_depth = default_max_json_depth) noexcept;

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
