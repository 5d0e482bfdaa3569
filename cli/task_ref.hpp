#pragma once
// A task named on the command line: its id (tsk_...) or its key (DEMO-1, or any identifier the server
// gives it). Every command that takes a task goes through resolve_task(), so a key works everywhere an id
// does. The lookup itself is agentrail::find_task_by_key() (lib/include/agentrail/task_lookup.hpp).

#include <string>

namespace agentrail::cli {

class Context;

/// The id of the task `ref` names: an id is returned as it is (nothing is sent); a key is looked up in the
/// caller's tasks (GET /tasks/mine, page by page until found). Unknown or ambiguous key: Failure with exit
/// 5 naming the candidates. Empty or control characters: usage Failure (exit 2).
std::string resolve_task(Context& ctx, const std::string& ref);

}  // namespace agentrail::cli
