#pragma once
// RawTaskPage: one page of GET /tasks/mine exactly as the server sent it (Client::for_each_raw_task_page).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agentrail/export.hpp"
#include "agentrail/response.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// One page of the caller's tasks as the server sent it (Client::for_each_raw_task_page): no models and
/// no JSON values are built, so unknown fields, member order and the spelling of numbers and strings
/// are kept byte for byte.
struct RawTaskPage {
    std::string body;          // the answer as received
    std::optional<Page> page;  // envelope["page"]
    int status = 0;            // HTTP status
    std::string request_id;    // x-request-id when the server sent one
    /// Each element of envelope["data"]: offset and size in `body` (in `reserialised` when not empty).
    std::vector<std::pair<std::size_t, std::size_t>> items;
    /// Set only when the answer was unusual enough to need a full parse (a member this API reads written
    /// with escapes or repeated, a byte-order mark): then each item re-serialised compactly.
    std::string reserialised;
    /// False when some item has whitespace between its tokens (a pretty-printed answer).
    bool compact = true;

    std::size_t size() const { return items.size(); }
    /// The exact text of item `i`.
    std::string_view item(std::size_t i) const {
        const std::string& text = reserialised.empty() ? body : reserialised;
        return std::string_view(text).substr(items[i].first, items[i].second);
    }
};

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
