#include "agentrail/json.hpp"

#include <string>

#include "agentrail/errors.hpp"

namespace agentrail {

bool json_too_deep(std::string_view text, std::size_t max_depth) noexcept {
    // One pass counting brackets outside strings. Unbalanced or invalid text is left to the parser.
    std::size_t depth = 0;
    const std::size_t size = text.size();
    for (std::size_t i = 0; i < size; ++i) {
        const char c = text[i];
        if (c == '"') {
            for (++i; i < size && text[i] != '"'; ++i) {
                if (text[i] == '\\') ++i;  // the escaped character cannot end the string
            }
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return true;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return false;
}

nlohmann::json parse_json(std::string_view text, std::size_t max_depth) {
    if (json_too_deep(text, max_depth)) {
        throw Error(ErrorKind::protocol,
                    "JSON nested too deeply (more than " + std::to_string(max_depth) + " levels)");
    }
    return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace agentrail
