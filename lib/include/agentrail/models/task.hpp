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

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// Why a task waits for the user (status `blocked`).
struct TaskBlocker {
    std::string kind;  // "awaiting_user"
    std::string source_run_id;
    std::string source_agent_id;
    std::string reason;
    std::string action_required;
    std::string resume_instructions;
    std::string created_at;
    nlohmann::json extra = nlohmann::json::object();
};

/// One item of GET /tasks/mine.
struct TaskSummary {
    std::string id;
    std::string identifier;
    std::string title;
    std::string status;    // see agentrail::task_status
    std::string priority;  // see agentrail::priority
    std::optional<std::string> due_at;
    std::string updated_at;
    std::vector<std::string> available_actions;
    std::optional<TaskBlocker> blocker;
    nlohmann::json extra = nlohmann::json::object();
};

struct TaskAssignee {
    std::string id;
    std::string name;
    nlohmann::json extra = nlohmann::json::object();
};

/// GET /tasks/{id} and the answers of start, blocker and resolve-blocker.
struct TaskDetail {
    std::string id;
    std::string identifier;
    std::string title;
    std::string description;
    std::string status;    // see agentrail::task_status
    std::string priority;  // see agentrail::priority
    std::optional<TaskAssignee> assignee;
    std::vector<std::string> acceptance_criteria;
    nlohmann::json links;    // {issue, parentIssue}
    nlohmann::json context;  // {project, goal}
    std::string updated_at;
    std::optional<std::string> submission_id;
    std::optional<std::string> pr_url;
    std::optional<std::int64_t> pr_number;
    std::optional<std::string> branch;
    std::optional<std::string> base_branch;
    std::optional<std::string> head_sha;
    std::optional<std::string> assignee_agent_id;
    std::optional<std::string> triage_queue_id;
    std::optional<std::string> assignment_source;
    std::optional<std::string> routing_decision_id;
    nlohmann::json routing_reason;  // {summary, matchedRules, classifier, conflictReasons}; null when absent
    std::optional<double> routing_confidence;
    std::vector<std::string> available_actions;
    std::optional<TaskBlocker> blocker;
    nlohmann::json ci;  // reference server extra (CI snapshot); null when absent or null
    nlohmann::json extra = nlohmann::json::object();
};

/// Body of POST /tasks/{id}/blocker.
struct TaskBlockerRequest {
    std::string source_run_id;    // run_...
    std::string source_agent_id;  // agt_...
    std::string reason;
    std::string action_required;
    std::string resume_instructions;
    nlohmann::json extra = nlohmann::json::object();
};

/// Body of POST /tasks/{id}/resolve-blocker.
struct ResolveBlockerRequest {
    std::string resolution_summary;
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
