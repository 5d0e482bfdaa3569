#pragma once
// A validating one-pass scan of a list answer that finds where each element of "data" starts and ends,
// and reads "page", without building any JSON value: the raw page access (Client::for_each_raw_task_page)
// hands the server's bytes on instead of parsing them into a DOM and serialising that again.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentrail::detail {

struct ListPageScan {
    struct Span {
        std::size_t offset = 0;
        std::size_t size = 0;
    };
    std::vector<Span> items;             // envelope["data"] elements, exact bytes
    bool items_have_whitespace = false;  // whitespace between the tokens of some element
    bool has_page = false;               // envelope["page"] is an object
    std::optional<std::string> next_cursor;
    bool has_more = false;
};

/// Scans `text`. True when it is one well-formed JSON document (the grammar of RFC 8259, strings of
/// valid UTF-8 without raw control characters and without lone surrogate escapes, arrays and objects
/// nested at most `max_depth` deep) whose top level is an object with a "data" array, and none of the
/// members this scan reads ("data", "page", "nextCursor", "hasMore") is repeated or written with
/// escapes. False otherwise: the caller then takes the general path (a full parse), which either
/// accepts the text or reports the same error as any other answer.
bool scan_list_page(std::string_view text, ListPageScan& out, std::size_t max_depth);

}  // namespace agentrail::detail
