#pragma once
// Naming a task by its key: `DEMO-1`, `AGENTRAIL-LOCAL-1` or any other `identifier` the server gives a task,
// besides its id (tsk_...). The API has no lookup by key, so the caller's tasks (GET /tasks/mine) are
// read page by page until the key is found. Nothing is cached: a key is looked up afresh every time.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agentrail/client.hpp"
#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// One task a key may name.
struct TaskKeyMatch {
    std::string id;
    std::string identifier;
    std::string title;
};

/// What find_task_by_key() found.
struct TaskKeyLookup {
    /// The one task the key names; empty when the key is unknown or ambiguous.
    std::optional<TaskKeyMatch> task;
    /// When `task` is empty: the tasks the key could mean (ambiguous), or up to five keys close to it
    /// (unknown), to suggest.
    std::vector<TaskKeyMatch> candidates;
    bool ambiguous = false;
};

/// True when `text` has the form of a task id (tsk_ followed by letters and digits): it is used as it is.
bool is_task_id(std::string_view text) noexcept;

/// Finds the caller's task whose `identifier` is `key`. An exact match ends the search at once (pages
/// after it are not read). Without one, every page is read and the key matches, ignoring case, a whole
/// identifier or its last segment after ':' or '/' (`ENG-1` for `linear:acme:issues/ENG-1`): one such task
/// is the answer, several are ambiguous. API errors propagate (agentrail::Error).
TaskKeyLookup find_task_by_key(Client& client, std::string_view key);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
