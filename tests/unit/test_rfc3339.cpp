// agentrail::parse_timestamp: the one parser of RFC 3339 times, and cli::parse_rfc3339 on it (validation
// of user input, relative times in tables, event lines, key expiry checks).

#include <chrono>
#include <ctime>
#include <type_traits>

#include <catch2/catch.hpp>

#include "agentrail/time.hpp"
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

TEST_CASE("parse_timestamp keeps the fraction to the microsecond, with any offset", "[rfc3339]") {
    using agentrail::parse_timestamp;
    using std::chrono::microseconds;
    auto micros = [](const char* text) { return parse_timestamp(text)->time_since_epoch().count(); };
    CHECK(micros("2026-06-01T12:30:15Z") == 1780317015LL * 1000000);
    CHECK(micros("2026-06-01T12:30:15.123Z") == 1780317015LL * 1000000 + 123000);
    CHECK(micros("2026-06-01T12:30:15.123456789Z") == 1780317015LL * 1000000 + 123456);
    CHECK(micros("2026-06-01T14:30:15.5+02:00") == 1780317015LL * 1000000 + 500000);
    CHECK(micros("2026-06-01T07:00:15.000001-05:30") == 1780317015LL * 1000000 + 1);
    CHECK_FALSE(parse_timestamp("2026-06-01T12:30:15.Z"));
    CHECK_FALSE(parse_timestamp("2026-06-01T12:30:15"));
    static_assert(std::is_same_v<agentrail::Timestamp::duration, microseconds>);
}
