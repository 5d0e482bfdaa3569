#include "render/raw_stream.hpp"

#include <cstring>

namespace agentrail::cli {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// The index just past the string that starts (with its quote) at `i`.
std::size_t string_end(std::string_view json, std::size_t i) {
    for (++i; i < json.size(); ++i) {
        const char* p = static_cast<const char*>(std::memchr(json.data() + i, '"', json.size() - i));
        if (!p) return json.size();
        i = static_cast<std::size_t>(p - json.data());
        // The quote ends the string unless an odd number of backslashes precede it.
        std::size_t backslashes = 0;
        while (backslashes < i && json[i - 1 - backslashes] == '\\') ++backslashes;
        if (backslashes % 2 == 0) return i + 1;
    }
    return json.size();
}

void newline(std::string& out, std::size_t spaces) {
    out += '\n';
    out.append(spaces, ' ');
}

}  // namespace

void append_compact_json(std::string& out, std::string_view json) {
    std::size_t i = 0;
    while (i < json.size()) {
        const char c = json[i];
        if (c == '"') {
            const std::size_t end = string_end(json, i);
            out.append(json.substr(i, end - i));
            i = end;
        } else {
            if (!is_space(c)) out += c;
            ++i;
        }
    }
}

void append_indented_json(std::string& out, std::string_view json, std::size_t indent) {
    std::size_t level = 0;
    std::size_t i = 0;
    const auto next_token = [&](std::size_t from) {
        while (from < json.size() && is_space(json[from])) ++from;
        return from;
    };
    while (i < json.size()) {
        const char c = json[i];
        switch (c) {
            case '"': {
                const std::size_t end = string_end(json, i);
                out.append(json.substr(i, end - i));
                i = end;
                continue;
            }
            case '{':
            case '[': {
                const std::size_t next = next_token(i + 1);
                if (next < json.size() && json[next] == (c == '{' ? '}' : ']')) {
                    out += c;
                    out += json[next];
                    i = next + 1;
                    continue;
                }
                out += c;
                ++level;
                newline(out, indent + 2 * level);
                i = next;
                continue;
            }
            case '}':
            case ']':
                if (level > 0) --level;
                newline(out, indent + 2 * level);
                out += c;
                break;
            case ',':
                out += ',';
                newline(out, indent + 2 * level);
                i = next_token(i + 1);
                continue;
            case ':':
                out += ": ";
                i = next_token(i + 1);
                continue;
            default:
                if (!is_space(c)) out += c;
                break;
        }
        ++i;
    }
}

}  // namespace agentrail::cli
