#include "agentrail/redact.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

namespace agentrail {
namespace {

bool is_word(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool is_key_char(char c) noexcept {
    return is_word(c) || c == '-';
}

bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_with_icase(std::string_view text, std::string_view prefix) noexcept {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (lower(text[i]) != prefix[i]) return false;
    return true;
}

std::size_t skip_spaces(std::string_view text, std::size_t pos) noexcept {
    while (pos < text.size() && is_space(text[pos])) ++pos;
    return pos;
}

std::size_t skip_key_chars(std::string_view text, std::size_t pos) noexcept {
    while (pos < text.size() && is_key_char(text[pos])) ++pos;
    return pos;
}

struct Secret {
    std::size_t keep;  // bytes of the match kept as they are (e.g. "Bearer ")
    std::size_t end;   // end of the match; [keep, end) becomes "***"
};

// The secret that starts at `pos`, if any. Every case scans forward only to the end of its own match,
// and the caller continues after a match, so the whole pass stays linear (std::regex recursed once per
// matched character and overflowed the stack on a 50 KB key-like string).
std::optional<Secret> secret_at(std::string_view text, std::size_t pos) {
    const auto rest = text.substr(pos);
    const bool boundary = pos == 0 || !is_word(text[pos - 1]);
    switch (text[pos]) {
        case 'B':
        case 'b':
            if (starts_with_icase(rest, "bearer")) {
                const std::size_t token = skip_spaces(text, pos + 6);
                std::size_t end = token;
                while (end < text.size() && !is_space(text[end]) && text[end] != '"' && text[end] != '\'' &&
                       text[end] != ',' && text[end] != ';')
                    ++end;
                if (token > pos + 6 && end > token) return Secret{token, end};
            }
            break;
        case 'a':
            if (boundary && rest.starts_with("ar_")) {
                const std::size_t end = skip_key_chars(text, pos + 3);
                if (end - (pos + 3) >= 4) return Secret{pos, end};
            }
            break;
        case 'w':
            if (boundary && rest.starts_with("whsec_")) {
                const std::size_t end = skip_key_chars(text, pos + 6);
                if (end > pos + 6) return Secret{pos, end};
            }
            break;
        case '"':
            for (std::string_view name : {"\"apiKey\"", "\"secret\"", "\"api_key\""}) {
                if (!rest.starts_with(name)) continue;
                std::size_t at = skip_spaces(text, pos + name.size());
                if (at >= text.size() || text[at] != ':') break;
                at = skip_spaces(text, at + 1);
                if (at >= text.size() || text[at] != '"') break;
                std::size_t end = at + 1;
                while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
                return Secret{at + 1, std::min(end, text.size())};
            }
            break;
        case ':':
            // scheme://user:password@host: the password goes, the user name stays.
            if (rest.starts_with("://")) {
                std::size_t end = pos + 3;
                std::size_t colon = std::string_view::npos;
                while (end < text.size() && text[end] != '@' && text[end] != '/' && !is_space(text[end]) &&
                       text[end] != '"' && text[end] != '\'') {
                    if (text[end] == ':' && colon == std::string_view::npos) colon = end;
                    ++end;
                }
                if (end < text.size() && text[end] == '@' && colon != std::string_view::npos)
                    return Secret{colon + 1, end};
            }
            break;
        default:
            break;
    }
    return std::nullopt;
}

/// Start offsets of every occurrence of `needle` in `text` (Knuth-Morris-Pratt: linear, so a hostile
/// text cannot make the search quadratic).
std::vector<std::size_t> occurrences(std::string_view text, std::string_view needle) {
    std::vector<std::size_t> found;
    std::vector<std::size_t> border(needle.size() + 1, 0);
    for (std::size_t i = 1, k = 0; i < needle.size(); ++i) {
        while (k > 0 && needle[i] != needle[k]) k = border[k];
        if (needle[i] == needle[k]) ++k;
        border[i + 1] = k;
    }
    for (std::size_t i = 0, k = 0; i < text.size(); ++i) {
        while (k > 0 && text[i] != needle[k]) k = border[k];
        if (text[i] == needle[k]) ++k;
        if (k == needle.size()) {
            found.push_back(i + 1 - k);
            k = border[k];
        }
    }
    return found;
}

}  // namespace

std::string redact(std::string_view text) {
    return redact(text, {});
}

std::string redact(std::string_view text, std::span<const std::string> secrets) {
    // Exact secrets first: [start, end) ranges, sorted, consumed as the scan passes them.
    std::vector<std::pair<std::size_t, std::size_t>> ranges;
    for (const auto& secret : secrets) {
        if (secret.size() < 4) continue;
        for (auto start : occurrences(text, secret)) ranges.emplace_back(start, start + secret.size());
    }
    std::sort(ranges.begin(), ranges.end());
    std::size_t next_range = 0;

    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (next_range < ranges.size() && ranges[next_range].first < pos) ++next_range;
        if (next_range < ranges.size() && ranges[next_range].first == pos) {
            std::size_t end = ranges[next_range].second;
            // Overlapping occurrences are masked as one.
            while (next_range < ranges.size() && ranges[next_range].first < end)
                end = std::max(end, ranges[next_range++].second);
            out.append(text.substr(copied, pos - copied));
            out.append("***");
            copied = pos = end;
            continue;
        }
        const char c = text[pos];
        // Only these bytes can start a secret (a plain loop: string_view::find_first_of calls memchr
        // once per byte of the text).
        if (c != 'B' && c != 'b' && c != 'a' && c != 'w' && c != '"' && c != ':') {
            ++pos;
            continue;
        }
        const auto secret = secret_at(text, pos);
        // An exact secret that starts in the part of this match that would be kept ("Bearer ") wins: it
        // is masked when the scan reaches it.
        if (!secret || (next_range < ranges.size() && ranges[next_range].first < secret->keep)) {
            ++pos;
            continue;
        }
        std::size_t end = secret->end;
        // An exact secret that starts inside this match is masked to its end too.
        while (next_range < ranges.size() && ranges[next_range].first < end)
            end = std::max(end, ranges[next_range++].second);
        out.append(text.substr(copied, secret->keep - copied));
        out.append("***");
        copied = pos = end;
    }
    out.append(text.substr(copied));
    return out;
}

}  // namespace agentrail
