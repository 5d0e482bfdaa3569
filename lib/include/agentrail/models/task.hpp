#pragma once
// Tasks: the list summary, the full detail, and the blocker requests.
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

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

#define AGENTRAIL_FIELDS_TaskBlocker(X)                            \
    X(req, std::string, kind, "kind") /* "awaiting_user" */        \
    X(req, std::string, source_run_id, "sourceRunId")              \
    X(req, std::string, source_agent_id, "sourceAgentId")          \
    X(req, std::string, reason, "reason")                          \
    X(req, std::string, action_required, "actionRequired")         \
    X(req, std::string, resume_instructions, "resumeInstructions") \
    X(req, std::string, created_at, "createdAt")
/// Why a task waits for the user (status `blocked`).
struct TaskBlocker {
    AGENTRAIL_FIELD_MEMBERS(TaskBlocker)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskSummary(X)                                        \
    X(req, std::string, id, "id")                                              \
    X(req, std::string, identifier, "identifier")                              \
    X(req, std::string, title, "title")                                        \
    X(req, std::string, status, "status")     /* see agentrail::task_status */ \
    X(req, std::string, priority, "priority") /* see agentrail::priority */    \
    X(opt, std::optional<std::string>, due_at, "dueAt")                        \
    X(req, std::string, updated_at, "updatedAt")                               \
    X(req, std::vector<std::string>, available_actions, "availableActions")    \
    X(opt, std::optional<TaskBlocker>, blocker, "blocker")
/// One item of GET /tasks/mine.
struct TaskSummary {
    AGENTRAIL_FIELD_MEMBERS(TaskSummary)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskAssignee(X) \
    X(req, std::string, id, "id")        \
    X(req, std::string, name, "name")
struct TaskAssignee {
    AGENTRAIL_FIELD_MEMBERS(TaskAssignee)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskDetail(X)                                           \
    X(req, std::string, id, "id")                                                \
    X(req, std::string, identifier, "identifier")                                \
    X(req, std::string, title, "title")                                          \
    X(req, std::string, description, "description")                              \
    X(req, std::string, status, "status")     /* see agentrail::task_status */   \
    X(req, std::string, priority, "priority") /* see agentrail::priority */      \
    X(opt, std::optional<TaskAssignee>, assignee, "assignee")                    \
    X(req, std::vector<std::string>, acceptance_criteria, "acceptanceCriteria")  \
    X(req, nlohmann::json, links, "links")     /* {issue, parentIssue} */        \
    X(req, nlohmann::json, context, "context") /* {project, goal} */             \
    X(req, std::string, updated_at, "updatedAt")                                 \
    X(opt, std::optional<std::string>, submission_id, "submissionId")            \
    X(opt, std::optional<std::string>, pr_url, "prUrl")                          \
    X(opt, std::optional<std::int64_t>, pr_number, "prNumber")                   \
    X(opt, std::optional<std::string>, branch, "branch")                         \
    X(opt, std::optional<std::string>, base_branch, "baseBranch")                \
    X(opt, std::optional<std::string>, head_sha, "headSha")                      \
    X(opt, std::optional<std::string>, assignee_agent_id, "assigneeAgentId")     \
    X(opt, std::optional<std::string>, triage_queue_id, "triageQueueId")         \
    X(opt, std::optional<std::string>, assignment_source, "assignmentSource")    \
    X(opt, std::optional<std::string>, routing_decision_id, "routingDecisionId") \
    /* {summary, matchedRules, classifier, conflictReasons}; null when absent */ \
    X(opt, nlohmann::json, routing_reason, "routingReason")                      \
    X(opt, std::optional<double>, routing_confidence, "routingConfidence")       \
    X(req, std::vector<std::string>, available_actions, "availableActions")      \
    X(opt, std::optional<TaskBlocker>, blocker, "blocker")                       \
    X(opt, nlohmann::json, ci, "ci") /* reference server extra (CI snapshot); null when absent or null */
/// GET /tasks/{id} and the answers of start, blocker and resolve-blocker.
struct TaskDetail {
    AGENTRAIL_FIELD_MEMBERS(TaskDetail)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskBlockerRequest(X)                          \
    X(req, std::string, source_run_id, "sourceRunId")     /* run_... */ \
    X(req, std::string, source_agent_id, "sourceAgentId") /* agt_... */ \
    X(req, std::string, reason, "reason")                               \
    X(req, std::string, action_required, "actionRequired")              \
    X(req, std::string, resume_instructions, "resumeInstructions")
/// Body of POST /tasks/{id}/blocker.
struct TaskBlockerRequest {
    AGENTRAIL_FIELD_MEMBERS(TaskBlockerRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ResolveBlockerRequest(X) X(req, std::string, resolution_summary, "resolutionSummary")
/// Body of POST /tasks/{id}/resolve-blocker.
struct ResolveBlockerRequest {
    AGENTRAIL_FIELD_MEMBERS(ResolveBlockerRequest)
    nlohmann::json extra = nlohmann::json::object();
};

void to_json(nlohmann::json& j, const TaskBlocker& v);
void from_json(const nlohmann::json& j, TaskBlocker& v);
void to_json(nlohmann::json& j, const TaskSummary& v);
void from_json(const nlohmann::json& j, TaskSummary& v);
void to_json(nlohmann::json& j, const TaskAssignee& v);
void from_json(const nlohmann::json& j, TaskAssignee& v);
void to_json(nlohmann::json& j, const TaskDetail& v);
void from_json(const nlohmann::json& j, TaskDetail& v);
void to_json(nlohmann::json& j, const TaskBlockerRequest& v);
void from_json(const nlohmann::json& j, TaskBlockerRequest& v);
void to_json(nlohmann::json& j, const ResolveBlockerRequest& v);
void from_json(const nlohmann::json& j, ResolveBlockerRequest& v);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
