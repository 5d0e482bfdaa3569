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
#include "agentrail/models/task.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

struct TaskEventActor {
    std::string id;
    std::string role;
    nlohmann::json extra = nlohmann::json::object();
};

/// data of task.updated.
struct TaskUpdatedData {
    std::string task_id;
    std::string task_identifier;
    std::string status;
    std::optional<std::string> previous_status;  // empty: the task entered the lifecycle
    std::vector<std::string> changed_fields;
    TaskEventActor actor;
    std::string summary;
    std::vector<std::string> available_actions;
    std::optional<TaskBlocker> blocker;
    nlohmann::json links;  // {task, reviewFeedback, ciStatus, shipOperation}
    nlohmann::json extra = nlohmann::json::object();
};

/// data of task.awaiting_user.
struct TaskAwaitingUserData {
    std::string task_id;
    std::string task_identifier;
    std::string status;  // "blocked"
    std::optional<std::string> previous_status;
    std::vector<std::string> changed_fields;
    TaskEventActor actor;
    std::string summary;
    std::vector<std::string> available_actions;
    TaskBlocker blocker;
    nlohmann::json links;
    nlohmann::json extra = nlohmann::json::object();
};

/// data of task.reviewed.
struct TaskReviewedData {
    std::string task_id;
    std::string task_identifier;
    std::string status;
    std::string review_outcome;  // see agentrail::review_outcome
    TaskEventActor reviewer;
    std::string summary;
    std::vector<std::string> available_actions;
    nlohmann::json links;
    nlohmann::json extra = nlohmann::json::object();
};

/// data of task.shipped.
struct TaskShippedData {
    std::string task_id;
    std::string task_identifier;
    std::string status;
    std::string ship_status;  // see agentrail::ship_status
    std::string operation_id;
    std::string target_environment;  // see agentrail::ship_environment
    std::string summary;
    std::vector<std::string> available_actions;
    nlohmann::json links;
    nlohmann::json extra = nlohmann::json::object();
};

/// The event envelope, whatever its type.
struct TaskEvent {
    std::string id;    // evt_...; deduplicate on it
    std::string type;  // see agentrail::event_type; unknown types are kept
    std::string occurred_at;
    std::optional<std::int64_t> sequence;      // global outbox sequence (also a resume cursor)
    std::optional<std::int64_t> task_version;  // per-task ordering
    std::optional<std::string> trace_id;
    nlohmann::json data;  // the type-specific payload, as received
    nlohmann::json raw;   // the whole envelope as received (set by from_json; not re-emitted separately)
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
