#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "json.hpp"
#include "util.hpp"

namespace mock {

struct Agent {
    std::string id;
    std::string display_name;
    std::string role;
    Json external_identities = Json::array();
};

struct RateLimit {
    int window_seconds = 60;
    int max_requests = 600;
};

struct ApiKey {
    std::string id;
    std::string secret;
    Agent agent;  // identity as given when the key was created
    std::vector<std::string> scopes;
    RateLimit rate_limit;
    std::string status = "active";  // active | rotated | revoked
    std::string created_at;
    std::optional<std::string> expires_at;
    std::optional<std::string> rotated_from;

    // Usage attribution and the fixed rate-limit window.
    long long accepted = 0;
    long long denied = 0;
    std::map<std::string, long long> by_scope;
    std::map<std::string, long long> by_operation;
    std::optional<std::string> last_used_at;
    long long window_start = -1;  // epoch seconds of the current window
    int window_used = 0;
    std::size_t active_streams = 0;

    bool is_admin() const;
    bool has_scope(const std::string& scope) const;
};

struct Blocker {
    std::string source_run_id;
    std::string source_agent_id;
    std::string reason;
    std::string action_required;
    std::string resume_instructions;
    std::string created_at;
};

struct Check {
    std::string name;
    std::string workflow;
    std::string status;
};

struct CiState {
    std::string overall = "queued";  // queued | running | passed | failed | cancelled
    std::string updated_at;
    std::vector<Check> checks;  // empty: derived from overall
    // Pending simulation: becomes final_status at due.
    std::optional<SteadyClock::time_point> due;
    std::string final_status;
};

struct ReviewComment {
    std::string id;
    std::string author_role;
    std::string body;
    std::string severity;
};

struct ReviewState {
    std::string outcome = "pending";  // pending | approved | changes_requested
    std::string summary;
    std::string created_at;
    std::vector<ReviewComment> comments;
    std::optional<SteadyClock::time_point> due;
    std::string final_outcome;
};

struct Submission {
    std::string id;
    std::string mode;
    std::optional<std::string> pr_url;
    std::optional<long long> pr_number;
    std::string head;
    std::string base;
    std::string head_sha;
    std::string action;
    std::string idempotency_key;
    std::string accepted_at;
};

struct Task {
    std::string id;
    std::string identifier;
    std::string title;
    std::string description;
    std::string status;
    std::string priority;
    std::optional<std::string> due_at;
    std::string assignee_agent_id;
    std::vector<std::string> acceptance_criteria;
    std::string issue_url;
    std::optional<std::string> parent_issue_url;
    std::optional<std::string> project;
    std::string goal;
    std::string updated_at;
    long long version = 1;
    std::optional<std::string> assignment_source;
    std::optional<Blocker> blocker;
    std::optional<Submission> submission;
    CiState ci;
    bool ci_last_failed = false;  // the last final CI outcome was a failure (survives a resubmit)
    ReviewState review;
    std::optional<std::string> ship_operation_id;
    std::optional<std::string> linear_issue_id;
    // Routing (operator API): an empty assignee_agent_id means the task waits in triage_queue_id.
    std::optional<std::string> triage_queue_id;
    std::optional<std::string> routing_decision_id;
    Json routing_reason;  // null or the decision's routingReason
    std::optional<double> routing_confidence;
    Json source;  // null: derived from the issue link (see task_source_json)
};

struct Subscription {
    std::string id;
    std::string owner_agent_id;
    bool owner_is_admin = false;
    std::string url;
    std::vector<std::string> event_types;
    std::vector<std::string> task_ids;
    std::string secret;
    std::optional<std::string> description;
    std::string status = "active";  // active | disabled
    std::string created_at;
};

}  // namespace mock
