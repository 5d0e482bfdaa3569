#include "render/raw_stream.hpp"

#include <algorithm>
#include <cstring>

#include "agentrail/json.hpp"

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

// The index just past the value that starts at `i` (a string, an object, an array or a scalar).
std::size_t value_end(std::string_view json, std::size_t i) {
    if (i >= json.size()) return i;
    if (json[i] == '"') return string_end(json, i);
    if (json[i] == '{' || json[i] == '[') {
        std::size_t depth = 0;
        while (i < json.size()) {
            const char c = json[i];
            if (c == '"') {
                i = string_end(json, i);
                continue;
            }
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0) return i + 1;
            }
            ++i;
        }
        return json.size();
    }
    while (i < json.size() && json[i] != ',' && json[i] != '}' && json[i] != ']' && !is_space(json[i])) ++i;
    return i;
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

nlohmann::json member_value(std::string_view value) {
    const auto plain_string = [](std::string_view v) {
        return v.size() >= 2 && v.front() == '"' && v.back() == '"' && v.find('\\') == std::string_view::npos;
    };
    if (plain_string(value)) return std::string(value.substr(1, value.size() - 2));
    if (value == "null") return nullptr;
    if (value == "true") return true;
    if (value == "false") return false;
    if (value.size() >= 2 && value.front() == '[') {
        nlohmann::json items = nlohmann::json::array();
        std::size_t i = 1;
        const auto skip_space = [&] {
            while (i < value.size() && is_space(value[i])) ++i;
        };
        skip_space();
        if (i + 1 == value.size() && value[i] == ']') return items;
        while (i < value.size() && value[i] == '"') {
            const std::size_t end = string_end(value, i);
            const auto item = value.substr(i, end - i);
            if (!plain_string(item)) break;
            items.push_back(std::string(item.substr(1, item.size() - 2)));
            i = end;
            skip_space();
            if (i < value.size() && value[i] == ',') {
                ++i;
                skip_space();
                continue;
            }
            if (i + 1 == value.size() && value[i] == ']') return items;
            break;
        }
    }
    return agentrail::parse_json(value);
}

std::optional<std::vector<std::string_view>> member_values(std::string_view object,
                                                           const std::vector<std::string>& keys) {
    std::vector<std::string_view> values(keys.size());
    std::size_t i = 0;
    const auto skip_space = [&] {
        while (i < object.size() && is_space(object[i])) ++i;
    };
    skip_space();
    if (i >= object.size() || object[i] != '{') return std::nullopt;
    ++i;
    skip_space();
    if (i < object.size() && object[i] == '}') return values;
    while (i < object.size()) {
        if (object[i] != '"') return std::nullopt;
        const std::size_t key_end = string_end(object, i);
        if (key_end - i < 2) return std::nullopt;
        const std::string_view key = object.substr(i + 1, key_end - i - 2);
        if (key.find('\\') != std::string_view::npos) return std::nullopt;
        i = key_end;
        skip_space();
        if (i >= object.size() || object[i] != ':') return std::nullopt;
        ++i;
        skip_space();
        const std::size_t start = i;
        i = value_end(object, i);
        if (i <= start) return std::nullopt;
        // A repeated key: the last one wins, as in parse_json.
        for (std::size_t k = 0; k < keys.size(); ++k)
            if (keys[k] == key) values[k] = object.substr(start, i - start);
        skip_space();
        if (i < object.size() && object[i] == ',') {
            ++i;
            skip_space();
            continue;
        }
        if (i < object.size() && object[i] == '}') return values;
        return std::nullopt;
    }
    return std::nullopt;
}

nlohmann::json pick_members(std::string_view object, const std::vector<std::string>& keys) {
    const auto values = member_values(object, keys);
    if (!values) return agentrail::parse_json(object);
    nlohmann::json out = nlohmann::json::object();
    for (std::size_t k = 0; k < keys.size(); ++k)
        if (!(*values)[k].empty()) out[keys[k]] = member_value((*values)[k]);
    return out;
}

}  // namespace agentrail::cli
