#pragma once
// Task lifecycle events: the envelope shared by the SSE stream and webhook deliveries, and the typed
// payloads of the document's four event types. Unknown event types are plain TaskEvents with their type
// string and `data` kept as JSON.
//
// Every model keeps the JSON members it does not know in `extra` (plus known optional members the server
// sent as null), and to_json writes them back, so nothing the server sent is lost.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agentrail/export.hpp"
#include "agentrail/models/enums.hpp"
#include "agentrail/models/fields.hpp"
#include "agentrail/models/task.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

#define AGENTRAIL_FIELDS_TaskEventActor(X) \
    X(req, std::string, id, "id")          \
    X(req, std::string, role, "role")
struct TaskEventActor {
    AGENTRAIL_FIELD_MEMBERS(TaskEventActor)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskUpdatedData(X)                                 \
    X(req, std::string, task_id, "taskId")                                  \
    X(req, std::string, task_identifier, "taskIdentifier")                  \
    X(req, std::string, status, "status")                                   \
    /* empty: the task entered the lifecycle */                             \
    X(opt, std::optional<std::string>, previous_status, "previousStatus")   \
    X(req, std::vector<std::string>, changed_fields, "changedFields")       \
    X(req, TaskEventActor, actor, "actor")                                  \
    X(req, std::string, summary, "summary")                                 \
    X(req, std::vector<std::string>, available_actions, "availableActions") \
    X(opt, std::optional<TaskBlocker>, blocker, "blocker")                  \
    X(req, nlohmann::json, links, "links") /* {task, reviewFeedback, ciStatus, shipOperation} */
/// data of task.updated.
struct TaskUpdatedData {
    AGENTRAIL_FIELD_MEMBERS(TaskUpdatedData)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskAwaitingUserData(X)                            \
    X(req, std::string, task_id, "taskId")                                  \
    X(req, std::string, task_identifier, "taskIdentifier")                  \
    X(req, std::string, status, "status") /* "blocked" */                   \
    X(opt, std::optional<std::string>, previous_status, "previousStatus")   \
    X(req, std::vector<std::string>, changed_fields, "changedFields")       \
    X(req, TaskEventActor, actor, "actor")                                  \
    X(req, std::string, summary, "summary")                                 \
    X(req, std::vector<std::string>, available_actions, "availableActions") \
    X(req, TaskBlocker, blocker, "blocker")                                 \
    X(req, nlohmann::json, links, "links")
/// data of task.awaiting_user.
struct TaskAwaitingUserData {
    AGENTRAIL_FIELD_MEMBERS(TaskAwaitingUserData)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskReviewedData(X)                                                 \
    X(req, std::string, task_id, "taskId")                                                   \
    X(req, std::string, task_identifier, "taskIdentifier")                                   \
    X(req, std::string, status, "status")                                                    \
    X(req, std::string, review_outcome, "reviewOutcome") /* see agentrail::review_outcome */ \
    X(req, TaskEventActor, reviewer, "reviewer")                                             \
    X(req, std::string, summary, "summary")                                                  \
    X(req, std::vector<std::string>, available_actions, "availableActions")                  \
    X(req, nlohmann::json, links, "links")
/// data of task.reviewed.
struct TaskReviewedData {
    AGENTRAIL_FIELD_MEMBERS(TaskReviewedData)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskShippedData(X)                                                            \
    X(req, std::string, task_id, "taskId")                                                             \
    X(req, std::string, task_identifier, "taskIdentifier")                                             \
    X(req, std::string, status, "status")                                                              \
    X(req, std::string, ship_status, "shipStatus") /* see agentrail::ship_status */                    \
    X(req, std::string, operation_id, "operationId")                                                   \
    X(req, std::string, target_environment, "targetEnvironment") /* see agentrail::ship_environment */ \
    X(req, std::string, summary, "summary")                                                            \
    X(req, std::vector<std::string>, available_actions, "availableActions")                            \
    X(req, nlohmann::json, links, "links")
/// data of task.shipped.
struct TaskShippedData {
    AGENTRAIL_FIELD_MEMBERS(TaskShippedData)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskEvent(X)                                                                      \
    X(req, std::string, id, "id")     /* evt_...; deduplicate on it */                                     \
    X(req, std::string, type, "type") /* see agentrail::event_type; unknown types are kept */              \
    X(req, std::string, occurred_at, "occurredAt")                                                         \
    X(opt, std::optional<std::int64_t>, sequence, "sequence") /* global outbox sequence (resume cursor) */ \
    X(opt, std::optional<std::int64_t>, task_version, "taskVersion") /* per-task ordering */               \
    X(opt, std::optional<std::string>, trace_id, "traceId")                                                \
    X(opt, nlohmann::json, data, "data") /* the type-specific payload, as received */
/// The event envelope, whatever its type.
struct TaskEvent {
    AGENTRAIL_FIELD_MEMBERS(TaskEvent)
    nlohmann::json raw;  // the whole envelope as received (set by from_json; not re-emitted separately)
    nlohmann::json extra = nlohmann::json::object();

    /// The typed payload when `type` matches, else nullopt; throws Error{protocol} when `data` does not
    /// have that type's shape.
    std::optional<TaskUpdatedData> as_updated() const;
    std::optional<TaskAwaitingUserData> as_awaiting_user() const;
    std::optional<TaskReviewedData> as_reviewed() const;
    std::optional<TaskShippedData> as_shipped() const;
    /// data.taskId, or "" when absent.
    std::string task_id() const;
    /// True for the types this library knows (the document's four and the server's extra ones).
    bool is_known_type() const;
};

void to_json(nlohmann::json& j, const TaskEventActor& v);
void from_json(const nlohmann::json& j, TaskEventActor& v);
void to_json(nlohmann::json& j, const TaskUpdatedData& v);
void from_json(const nlohmann::json& j, TaskUpdatedData& v);
void to_json(nlohmann::json& j, const TaskAwaitingUserData& v);
void from_json(const nlohmann::json& j, TaskAwaitingUserData& v);
void to_json(nlohmann::json& j, const TaskReviewedData& v);
void from_json(const nlohmann::json& j, TaskReviewedData& v);
void to_json(nlohmann::json& j, const TaskShippedData& v);
void from_json(const nlohmann::json& j, TaskShippedData& v);
void to_json(nlohmann::json& j, const TaskEvent& v);
void from_json(const nlohmann::json& j, TaskEvent& v);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
