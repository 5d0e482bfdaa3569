#include "agentrail/models/task.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

AGENTRAIL_JSON_MODEL(TaskBlocker, "blocker")
AGENTRAIL_JSON_MODEL(TaskSummary, "task")
AGENTRAIL_JSON_MODEL(TaskAssignee, "assignee")
AGENTRAIL_JSON_MODEL(TaskDetail, "task")
AGENTRAIL_JSON_MODEL(TaskBlockerRequest, "blocker_request")
AGENTRAIL_JSON_MODEL(ResolveBlockerRequest, "resolve_blocker_request")

}  // namespace agentrail
