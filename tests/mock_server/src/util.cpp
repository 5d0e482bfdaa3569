#include "util.hpp"
#include <algorithm>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <random>

namespace mock {
namespace {

std::mt19937_64& rng() {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return engine;
}

constexpr std::string_view kUpperAlnum = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";  // Crockford base32
constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::tm to_utc(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm;
}

}  // namespace

std::string iso_time(Clock::time_point tp) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(tp.time_since_epoch()).count();
    auto secs = static_cast<std::time_t>(ms / 1000);
    auto tm = to_utc(secs);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

std::string iso_now() {
    return iso_time(Clock::now());
}

std::string iso_time_seconds(Clock::time_point tp) {
    auto tm = to_utc(Clock::to_time_t(tp));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::optional<Clock::time_point> parse_iso_time(std::string_view text) {
    // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
    std::string s(text);
    int year = 0, mon = 0, day = 0, hour = 0, min = 0, sec = 0;
    int consumed = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &year, &mon, &day, &hour, &min, &sec,
                    &consumed) != 6 ||
        consumed != 19) {
        return std::nullopt;
    }
    if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return std::nullopt;
    std::size_t pos = 19;
    long long millis = 0;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        std::size_t digits = 0;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
            if (digits < 3) millis = millis * 10 + (s[pos] - '0');
            ++digits;
            ++pos;
        }
        if (digits == 0) return std::nullopt;
        for (std::size_t i = digits; i < 3; ++i) millis *= 10;
    }
    long long offset_secs = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
    } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
        int oh = 0, om = 0;
        if (std::sscanf(s.c_str() + pos + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
        offset_secs = (oh * 3600LL + om * 60LL) * (s[pos] == '+' ? 1 : -1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != s.size()) return std::nullopt;
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = mon - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = min;
    tm.tm_sec = sec;
    // Clock counts nanoseconds, which end in 2262: a later time ("expires in 2999") is kept as the latest
    // second the mock represents, far enough for every comparison it makes.
    constexpr long long latest = 9'000'000'000LL;  // 2255-03-14
    const long long secs = std::clamp(static_cast<long long>(timegm(&tm)) - offset_secs, -latest, latest);
    return Clock::from_time_t(static_cast<std::time_t>(secs)) + std::chrono::milliseconds(millis);
}

std::string random_alnum(std::size_t length) {
    std::uniform_int_distribution<std::size_t> dist(0, kUpperAlnum.size() - 1);
    std::string out(length, '0');
    for (auto& c : out) c = kUpperAlnum[dist(rng())];
    return out;
}

std::string random_hex(std::size_t length) {
    static constexpr std::string_view hex = "0123456789abcdef";
    std::uniform_int_distribution<int> dist(0, 15);
    std::string out(length, '0');
    for (auto& c : out) c = hex[static_cast<std::size_t>(dist(rng()))];
    return out;
}

std::string random_secret(std::size_t length) {
    std::string out(length, '0');
    std::vector<unsigned char> bytes(length);
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        std::uniform_int_distribution<int> dist(0, 255);
        for (auto& b : bytes) b = static_cast<unsigned char>(dist(rng()));
    }
    for (std::size_t i = 0; i < length; ++i) out[i] = kBase62[bytes[i] % kBase62.size()];
    return out;
}

std::string make_id(std::string_view prefix) {
    // ULID-like: 10 characters of millisecond time, 16 random, so ids sort roughly by creation.
    auto ms = static_cast<unsigned long long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count());
    std::string time_part(10, '0');
    for (int i = 9; i >= 0; --i) {
        time_part[static_cast<std::size_t>(i)] = kUpperAlnum[ms % 32];
        ms /= 32;
    }
    return std::string(prefix) + time_part + random_alnum(16);
}

double random_unit() {
    std::uniform_real_distribution<double> dist(0.0, 1.0);
    return dist(rng());
}

std::string base64url_encode(std::string_view data) {
    static constexpr std::string_view tbl =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    while (i + 2 < data.size()) {
        auto n = (static_cast<unsigned char>(data[i]) << 16) |
                 (static_cast<unsigned char>(data[i + 1]) << 8) | static_cast<unsigned char>(data[i + 2]);
        out += tbl[(n >> 18) & 63];
        out += tbl[(n >> 12) & 63];
        out += tbl[(n >> 6) & 63];
        out += tbl[n & 63];
        i += 3;
    }
    if (i + 1 == data.size()) {
        auto n = static_cast<unsigned char>(data[i]) << 16;
        out += tbl[(n >> 18) & 63];
        out += tbl[(n >> 12) & 63];
    } else if (i + 2 == data.size()) {
        auto n = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8);
        out += tbl[(n >> 18) & 63];
        out += tbl[(n >> 12) & 63];
        out += tbl[(n >> 6) & 63];
    }
    return out;
}

std::optional<std::string> base64url_decode(std::string_view data) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '-' || c == '+') return 62;
        if (c == '_' || c == '/') return 63;
        return -1;
    };
    while (!data.empty() && data.back() == '=') data.remove_suffix(1);
    if (data.size() % 4 == 1) return std::nullopt;
    std::string out;
    unsigned int buffer = 0;
    int bits = 0;
    for (char c : data) {
        int v = value(c);
        if (v < 0) return std::nullopt;
        buffer = (buffer << 6) | static_cast<unsigned int>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFF);
        }
    }
    return out;
}

std::string hmac_sha256_hex(std::string_view secret, std::string_view body) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest.data(), &len);
    static constexpr std::string_view hex = "0123456789abcdef";
    std::string out;
    out.reserve(len * 2);
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 15];
    }
    return out;
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

std::vector<std::string> split(std::string_view text, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        auto pos = text.find(sep, start);
        out.emplace_back(
            text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return out;
}

std::string trim(std::string_view text) {
    auto b = text.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(b, e - b + 1));
}

bool all_digits(std::string_view text) {
    if (text.empty()) return false;
    for (char c : text)
        if (c < '0' || c > '9') return false;
    return true;
}

bool is_alnum_id(std::string_view text, std::string_view prefix, bool allow_underscore) {
    if (!starts_with(text, prefix) || text.size() == prefix.size()) return false;
    for (char c : text.substr(prefix.size())) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  (allow_underscore && c == '_');
        if (!ok) return false;
    }
    return true;
}

std::optional<long long> parse_int(std::string_view text) {
    long long value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
    return value;
}

}  // namespace mock
