#include "json_scan.hpp"

#include <array>
#include <cstring>

#include <nlohmann/json.hpp>

namespace agentrail::detail {
namespace {

using Byte = unsigned char;

// Bytes a string can hold as they are: printable ASCII other than '"' and '\'.
constexpr std::array<bool, 256> plain_string_bytes = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c) t[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    return t;
}();

bool is_digit(Byte c) {
    return c >= '0' && c <= '9';
}

class Scanner {
public:
    Scanner(std::string_view text, std::size_t max_depth)
        : m_begin(reinterpret_cast<const Byte*>(text.data())),
          m_p(m_begin),
          m_end(m_begin + text.size()),
          m_max_depth(max_depth) {}

    bool document(ListPageScan& out) {
        ws();
        if (!at('{')) return false;
        bool seen_data = false;
        bool seen_page = false;
        const bool members_ok = members<true>([&](std::string_view key) {
            if (key == "data") {
                if (seen_data || !at('[')) return false;
                seen_data = true;
                return items(out);
            }
            if (key == "page") {
                if (seen_page) return false;
                seen_page = true;
                return at('{') ? page(out) : value();
            }
            return value();
        });
        if (!members_ok) return false;
        ws();
        return m_p == m_end && seen_data;
    }

private:
    bool at(char c) const { return m_p < m_end && *m_p == static_cast<Byte>(c); }

    void ws() {
        const Byte* start = m_p;
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t')) ++m_p;
        if (m_p != start) m_saw_ws = true;
    }

    bool enter() {
        if (++m_depth > m_max_depth) return false;
        ++m_p;
        return true;
    }

    // A member name, then ':' (both with the whitespace around them). With `plain`, a name with escapes is
    // refused and `key` is the name; else any string is a name and `key` stays empty.
    bool member_name(bool plain, std::string_view& key) {
        if (!at('"')) return false;
        const Byte* start = m_p;
        bool escaped = false;
        if (!string(&escaped) || (plain && escaped)) return false;
        if (plain)
            key = std::string_view(reinterpret_cast<const char*>(start + 1),
                                   static_cast<std::size_t>(m_p - start - 2));
        ws();
        if (!at(':')) return false;
        ++m_p;
        ws();
        return true;
    }

    enum class After { more, closed, bad };
    // After a member or an element: ',' (more follow) or `close` (consumed, and the depth given back).
    After after_item(char close) {
        ws();
        if (at(',')) {
            ++m_p;
            ws();
            return After::more;
        }
        if (!at(close)) return After::bad;
        ++m_p;
        --m_depth;
        return After::closed;
    }

    // The members of an object, each value read by `member(key)`; the braces, names, colons, commas,
    // whitespace and the depth limit are handled here once. With PlainKeys, names with escapes are
    // refused and `key` is the name; else `key` is empty.
    template <bool PlainKeys, typename Member>
    bool members(Member&& member) {
        if (!enter()) return false;
        ws();
        if (at('}')) {
            ++m_p;
            --m_depth;
            return true;
        }
        for (;;) {
            std::string_view key;
            if (!member_name(PlainKeys, key) || !member(key)) return false;
            const After next = after_item('}');
            if (next != After::more) return next == After::closed;
        }
    }

    bool value() {
        if (m_p >= m_end) return false;
        switch (*m_p) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string(nullptr);
            case 't':
                return literal("true", 4);
            case 'f':
                return literal("false", 5);
            case 'n':
                return literal("null", 4);
            default:
                return (*m_p == '-' || is_digit(*m_p)) && number();
        }
    }

    bool object() {
        return members<false>([this](std::string_view) { return value(); });
    }

    bool array() {
        return elements([this] { return value(); });
    }

    // The elements of an array, each read by `element` (which consumes one value); the brackets, commas,
    // whitespace and the depth limit are handled here once.
    template <typename Element>
    bool elements(Element&& element) {
        if (!enter()) return false;
        ws();
        if (at(']')) {
            ++m_p;
            --m_depth;
            return true;
        }
        for (;;) {
            if (!element()) return false;
            const After next = after_item(']');
            if (next != After::more) return next == After::closed;
        }
    }

    // The "data" array: each element's extent is recorded.
    bool items(ListPageScan& out) {
        return elements([this, &out] {
            const Byte* start = m_p;
            m_saw_ws = false;
            if (!value()) return false;
            if (m_saw_ws) out.items_have_whitespace = true;
            out.items.push_back(
                {static_cast<std::size_t>(start - m_begin), static_cast<std::size_t>(m_p - start)});
            return true;
        });
    }

    // The "page" object: nextCursor (a string) and hasMore (a boolean) are read, like the typed path does.
    bool page(ListPageScan& out) {
        out.has_page = true;
        bool seen_cursor = false;
        bool seen_more = false;
        return members<true>([&](std::string_view key) {
            if (key == "nextCursor") {
                if (seen_cursor) return false;
                seen_cursor = true;
                if (!at('"')) return value();
                const Byte* start = m_p;
                bool escaped = false;
                if (!string(&escaped)) return false;
                std::string_view token(reinterpret_cast<const char*>(start),
                                       static_cast<std::size_t>(m_p - start));
                out.next_cursor = escaped ? nlohmann::json::parse(token).get<std::string>()
                                          : std::string(token.substr(1, token.size() - 2));
                return true;
            }
            if (key == "hasMore") {
                if (seen_more) return false;
                seen_more = true;
                if (at('t') && literal("true", 4)) {
                    out.has_more = true;
                    return true;
                }
                return value();
            }
            return value();
        });
    }

    bool string(bool* escaped) {
        ++m_p;  // the opening quote
        for (;;) {
            while (m_p < m_end && plain_string_bytes[*m_p]) ++m_p;
            if (m_p >= m_end) return false;
            const Byte c = *m_p;
            if (c == '"') {
                ++m_p;
                return true;
            }
            if (c == '\\') {
                if (escaped) *escaped = true;
                if (!escape()) return false;
            } else if (c < 0x20 || !utf8()) {
                return false;
            }
        }
    }

    bool hex4(unsigned& value) {
        if (m_end - m_p < 4) return false;
        value = 0;
        for (int i = 0; i < 4; ++i) {
            const Byte c = *m_p++;
            unsigned digit;
            if (c >= '0' && c <= '9')
                digit = c - '0';
            else if (c >= 'a' && c <= 'f')
                digit = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                digit = c - 'A' + 10;
            else
                return false;
            value = value * 16 + digit;
        }
        return true;
    }

    bool escape() {
        ++m_p;  // the backslash
        if (m_p >= m_end) return false;
        switch (*m_p) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                ++m_p;
                return true;
            case 'u':
                break;
            default:
                return false;
        }
        ++m_p;
        unsigned code = 0;
        if (!hex4(code)) return false;
        if (code >= 0xDC00 && code <= 0xDFFF) return false;  // a low surrogate alone
        if (code >= 0xD800 && code <= 0xDBFF) {              // must be followed by its low half
            if (m_end - m_p < 2 || m_p[0] != '\\' || m_p[1] != 'u') return false;
            m_p += 2;
            unsigned low = 0;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
        }
        return true;
    }

    // One multi-byte UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
    bool utf8() {
        const Byte c = *m_p;
        std::size_t n = 0;
        Byte low = 0x80;
        Byte high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
        } else if (c == 0xE0) {
            n = 2;
            low = 0xA0;
        } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
            n = 2;
        } else if (c == 0xED) {
            n = 2;
            high = 0x9F;
        } else if (c == 0xF0) {
            n = 3;
            low = 0x90;
        } else if (c >= 0xF1 && c <= 0xF3) {
            n = 3;
        } else if (c == 0xF4) {
            n = 3;
            high = 0x8F;
        } else {
            return false;
        }
        if (static_cast<std::size_t>(m_end - m_p) <= n) return false;
        if (m_p[1] < low || m_p[1] > high) return false;
        for (std::size_t i = 2; i <= n; ++i)
            if (m_p[i] < 0x80 || m_p[i] > 0xBF) return false;
        m_p += n + 1;
        return true;
    }

    bool digits() {
        const Byte* start = m_p;
        while (m_p < m_end && is_digit(*m_p)) ++m_p;
        return m_p != start;
    }

    bool number() {
        if (at('-')) ++m_p;
        if (at('0')) {
            ++m_p;
        } else if (!digits()) {
            return false;
        }
        if (at('.')) {
            ++m_p;
            if (!digits()) return false;
        }
        if (at('e') || at('E')) {
            ++m_p;
            if (at('+') || at('-')) ++m_p;
            if (!digits()) return false;
        }
        return true;
    }

    bool literal(const char* word, std::size_t size) {
        if (static_cast<std::size_t>(m_end - m_p) < size || std::memcmp(m_p, word, size) != 0) return false;
        m_p += size;
        return true;
    }

    const Byte* m_begin;
    const Byte* m_p;
    const Byte* m_end;
    std::size_t m_max_depth;
    std::size_t m_depth = 0;
    bool m_saw_ws = false;
};

}  // namespace

bool scan_list_page(std::string_view text, ListPageScan& out, std::size_t max_depth) {
    out = ListPageScan{};
    Scanner scanner(text, max_depth);
    return scanner.document(out);
}

}  // namespace agentrail::detail
