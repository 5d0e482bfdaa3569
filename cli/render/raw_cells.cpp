#include "render/raw_cells.hpp"

#include "agentrail/json.hpp"
#include "render/raw_stream.hpp"
#include "render/sanitize.hpp"

namespace agentrail::cli {

std::vector<std::string> member_keys(const std::vector<Column>& columns) {
    std::vector<std::string> keys;
    keys.reserve(columns.size());
    for (const auto& c : columns) keys.push_back(c.pointer.substr(1, c.pointer.find('/', 1) - 1));
    return keys;
}

void append_raw_cells(const Renderer& renderer, std::string_view object, const std::vector<Column>& columns,
                      const std::vector<std::string>& keys, Cells& out) {
    const auto values = member_values(object, keys);
    if (!values) {
        const auto item = agentrail::parse_json(object);
        for (const auto& c : columns) out.push_back(renderer.format(at_pointer(item, c.pointer), c.kind));
        return;
    }
    for (std::size_t k = 0; k < columns.size(); ++k) {
        const auto& c = columns[k];
        const std::string_view value = (*values)[k];
        const std::string_view rest = std::string_view(c.pointer).substr(1 + keys[k].size());
        // The two cells of almost every row without a JSON value: a plain string (a string without
        // escapes is its own text, and holds no newline) and a missing or null member.
        if (rest.empty() && value.size() >= 2 && value.front() == '"' &&
            value.find('\\') == std::string_view::npos) {
            const auto text = value.substr(1, value.size() - 2);
            out.push_back(sanitize(c.kind == Kind::time ? renderer.time(text) : std::string(text)));
        } else if (value.empty() || (rest.empty() && value == "null")) {
            out.push_back("-");
        } else {
            const auto member = member_value(value);
            out.push_back(renderer.format(rest.empty() ? member : at_pointer(member, rest), c.kind));
        }
    }
}

}  // namespace agentrail::cli
