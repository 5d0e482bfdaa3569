#include "render/sanitize.hpp"

namespace agentrail::cli {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

void escape_byte(std::string& out, unsigned char byte, std::string_view prefix) {
    out.append(prefix);
    out += hex_digits[byte >> 4];
    out += hex_digits[byte & 0x0f];
}

/// Length of the well-formed UTF-8 sequence that starts `text` (lead byte >= 0x80), 0 when it is not one
/// (stray continuation byte, overlong form, surrogate, beyond U+10FFFF, truncated).
std::size_t utf8_length(std::string_view text) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;   // overlong
        if (lead == 0xED) high = 0x9F;  // surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;   // overlong
        if (lead == 0xF4) high = 0x8F;  // beyond U+10FFFF
    } else {
        return 0;
    }
    if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
    for (std::size_t i = 2; i < length; ++i)
        if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
    return length;
}

}  // namespace

std::string sanitize(std::string_view text, bool keep_newlines) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7F) {
            // A run of printable ASCII (most text) in one append.
            std::size_t end = i + 1;
            while (end < text.size() && static_cast<unsigned char>(text[end]) >= 0x20 &&
                   static_cast<unsigned char>(text[end]) < 0x7F)
                ++end;
            out.append(text, i, end - i);
            i = end;
        } else if (c < 0x80) {
            if (c == '\n' && keep_newlines)
                out += '\n';
            else
                escape_byte(out, c, "\\x");  // C0 controls and DEL
            ++i;
        } else if (auto length = utf8_length(text.substr(i)); length == 0) {
            escape_byte(out, c, "\\x");  // not UTF-8: shown, never passed on
            ++i;
        } else if (c == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
            escape_byte(out, static_cast<unsigned char>(text[i + 1]), "\\u00");  // C1 controls
            i += 2;
        } else {
            out.append(text, i, length);
            i += length;
        }
    }
    return out;
}

}  // namespace agentrail::cli
