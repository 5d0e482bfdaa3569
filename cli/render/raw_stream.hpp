#pragma once
// JSON text passed on as the server sent it (`tasks list --all -o ndjson|json` without --jq): the items'
// bytes are copied, never parsed into values and serialised again, so unknown fields, member order and
// the spelling of numbers and strings are kept by construction. Only the layout between tokens changes,
// to the one the renderer gives parsed values: one line per item (ndjson) or nlohmann's indented form
// (json), so a server that sends compact JSON with sorted members (as the mock and nlohmann do) gets
// exactly the text the parse-and-dump path printed. JSON output is not sanitised on either path: its
// strings stay escaped by JSON itself (the scan rejected raw control characters and invalid UTF-8).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace agentrail::cli {

/// Appends `json` (one well-formed JSON value) without the whitespace between its tokens.
void append_compact_json(std::string& out, std::string_view json);

/// Appends `json` (one well-formed JSON value) indented by 2 per level as nlohmann's dump(2) lays it out
/// ("key": value, empty containers as {} and []), every line after the first indented by `indent` more.
void append_indented_json(std::string& out, std::string_view json, std::size_t indent);

/// The members named `keys` of `object` (the text of one well-formed JSON object), as parse_json would
/// give them, in an object of their own; the other members are skipped, never parsed (a table row needs a
/// few members of a task, not the whole). Anything else than a plain object (not an object, a key written
/// with escapes) is parsed whole with parse_json. Throws what parse_json throws.
nlohmann::json pick_members(std::string_view object, const std::vector<std::string>& keys);

/// The JSON value of `value` (the text of one well-formed JSON value, e.g. from member_values), as
/// parse_json gives it; the small values table columns hold are made without the parser: a string without
/// escapes (the page scan rejected control characters and invalid UTF-8, so it is its own text), null,
/// true, false, and an array of such strings (availableActions).
nlohmann::json member_value(std::string_view value);

/// The texts of the members named `keys` of `object` (one well-formed JSON object), in the order of
/// `keys`: an empty view for a member that is absent, the last one for a repeated key. Nothing when
/// `object` is not a plain object this scan reads (not an object, a key written with escapes).
std::optional<std::vector<std::string_view>> member_values(std::string_view object,
                                                           const std::vector<std::string>& keys);

}  // namespace agentrail::cli
