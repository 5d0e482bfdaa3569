// cli::parse_rfc3339: the CLI's one parser of RFC 3339 times (validation of user input, relative times in
// tables, event lines, key expiry checks).

#include <ctime>

#include <catch2/catch.hpp>

#include "exit_codes.hpp"
#include "validate.hpp"

using agentrail::cli::parse_rfc3339;

TEST_CASE("parse_rfc3339 reads UTC, offsets and fractions", "[rfc3339]") {
    CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == std::time_t{0});
    CHECK(parse_rfc3339("2026-06-01T12:30:15Z") == std::time_t{1780317015});
    CHECK(parse_rfc3339("2026-06-01t12:30:15z") == std::time_t{1780317015});
    CHECK(parse_rfc3339("2026-06-01T12:30:15.123456Z") == std::time_t{1780317015});
    // The same instant written in two other zones.
    CHECK(parse_rfc3339("2026-06-01T14:30:15+02:00") == std::time_t{1780317015});
    CHECK(parse_rfc3339("2026-06-01T07:00:15-05:30") == std::time_t{1780317015});
}

TEST_CASE("parse_rfc3339 refuses what is not an RFC 3339 date-time", "[rfc3339]") {
    for (const char* bad : {"", "2026-06-01", "2026-06-01T12:30:15", "2026-06-01 12:30:15Z",
                            "2026-06-01T12:30:15.Z", "2026-06-01T12:30:15+0200", "2026-06-01T12:30:15Zjunk",
                            "2026/06/01T12:30:15Z", "2026-06-01T12:30:1xZ", "2026-06-01T12:30:15+02:0x"})
        CHECK_FALSE(parse_rfc3339(bad));
}

TEST_CASE("require_future_rfc3339 counts the zone offset", "[rfc3339]") {
    CHECK_THROWS_AS(agentrail::cli::require_future_rfc3339("2020-01-01T00:00:00Z", "--expires-at"),
                    agentrail::cli::Failure);
    CHECK_NOTHROW(agentrail::cli::require_future_rfc3339("2999-01-01T00:00:00+02:00", "--expires-at"));
}
