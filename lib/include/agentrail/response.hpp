#pragma once
// What every Client call returns: the typed `data` plus the whole envelope as the server sent it,
// so nothing the server said (unknown fields, meta, page) is lost.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// Pagination state of a list answer.
struct Page {
    std::optional<std::string> next_cursor;
    bool has_more = false;
};

template <typename T>
struct Response {
    T data{};                                    // typed view of envelope["data"]
    nlohmann::json envelope;                     // the whole body as received
    int status = 0;                              // HTTP status
    std::vector<std::string> available_actions;  // envelope["availableActions"]
    std::optional<Page> page;                    // envelope["page"] on lists
    std::string idempotency_key;                 // key sent with a mutation (empty for reads)
    std::string request_id;                      // x-request-id when the server sent one

    /// envelope["data"] exactly as the server sent it.
    const nlohmann::json& raw_data() const {
        static const nlohmann::json null_json;
        auto it = envelope.find("data");
        return it == envelope.end() ? null_json : *it;
    }
    /// True when `action` is among the envelope's availableActions.
    bool can(std::string_view action) const {
        for (const auto& a : available_actions)
            if (a == action) return true;
        return false;
    }
};

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
