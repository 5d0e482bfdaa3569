#pragma once
// Table cells of `tasks list --all` straight from the items' bytes (render/raw_stream.hpp): a row needs a
// few members of a task, and most of them are plain strings, shown as they are.

#include <string>
#include <string_view>
#include <vector>

#include "render/render.hpp"

namespace agentrail::cli {

/// The member each column's pointer starts with ("/assignee/name": "assignee"); every pointer starts with
/// "/" and names a member.
std::vector<std::string> member_keys(const std::vector<Column>& columns);

/// Appends the table cells of `object` (one well-formed JSON object, a list item), one per column, as
/// Renderer::format(at_pointer(item, column.pointer), column.kind) gives them for the parsed item, without
/// parsing the members no column shows, nor plain strings and nulls. `keys` is member_keys(columns).
/// Throws what parse_json throws.
void append_raw_cells(const Renderer& renderer, std::string_view object, const std::vector<Column>& columns,
                      const std::vector<std::string>& keys, Cells& out);

}  // namespace agentrail::cli
