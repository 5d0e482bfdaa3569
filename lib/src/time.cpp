#include "agentrail/time.hpp"

#include <ctime>

namespace agentrail {

std::optional<Timestamp> parse_timestamp(std::string_view v) {
    const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
    const auto digits = [&](std::size_t pos, std::size_t n) {
        if (pos + n > v.size()) return false;
        for (std::size_t i = pos; i < pos + n; ++i)
            if (!is_digit(v[i])) return false;
        return true;
    };
    const auto num = [&](std::size_t pos, std::size_t n) {
        int out = 0;
        for (std::size_t i = pos; i < pos + n; ++i) out = out * 10 + (v[i] - '0');
        return out;
    };
    if (!(v.size() >= 20 && digits(0, 4) && v[4] == '-' && digits(5, 2) && v[7] == '-' && digits(8, 2) &&
          (v[10] == 'T' || v[10] == 't') && digits(11, 2) && v[13] == ':' && digits(14, 2) && v[16] == ':' &&
          digits(17, 2)))
        return std::nullopt;
    std::size_t pos = 19;
    long long micros = 0;
    if (v[pos] == '.') {
        const std::size_t start = ++pos;
        long long scale = 100000;
        while (pos < v.size() && is_digit(v[pos])) {
            micros += (v[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == start) return std::nullopt;
    }
    const auto zone = v.substr(pos);
    long long offset = 0;
    if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && digits(pos + 1, 2) && zone[3] == ':' &&
        digits(pos + 4, 2))
        offset = (zone[0] == '+' ? 1 : -1) * (num(pos + 1, 2) * 3600LL + num(pos + 4, 2) * 60LL);
    else if (zone != "Z" && zone != "z")
        return std::nullopt;
    std::tm tm{};
    tm.tm_year = num(0, 4) - 1900;
    tm.tm_mon = num(5, 2) - 1;
    tm.tm_mday = num(8, 2);
    tm.tm_hour = num(11, 2);
    tm.tm_min = num(14, 2);
    tm.tm_sec = num(17, 2);
    const long long seconds = static_cast<long long>(timegm(&tm)) - offset;
    return Timestamp(std::chrono::microseconds(seconds * 1000000LL + micros));
}

}  // namespace agentrail
