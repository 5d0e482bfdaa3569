#pragma once
// POST /tasks/{id}/submit: the request and the accepted submission.
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

struct SubmitArtifact {
    std::string type;  // see agentrail::artifact_type
    std::string url;
    nlohmann::json extra = nlohmann::json::object();
};

struct SubmitCheck {
    std::string name;
    std::string status;  // see agentrail::check_status
    nlohmann::json extra = nlohmann::json::object();
};

/// Optional provider PR hints for adapter-managed submit.
struct PullRequestOptions {
    std::optional<std::string> title;
    std::optional<std::string> body;
    std::optional<std::string> head;
    std::optional<std::string> base;
    std::optional<bool> draft;
    std::vector<std::string> reviewers;  // omitted when empty
    nlohmann::json extra = nlohmann::json::object();
};

struct TaskSubmitRequest {
    std::string summary;
    std::optional<std::string> mode;  // see agentrail::submit_mode; server default adapter_managed
    std::optional<PullRequestOptions> pull_request;
    std::vector<SubmitArtifact> artifacts;  // omitted when empty
    std::vector<SubmitCheck> checks;        // omitted when empty
    std::optional<std::string> notes;
    nlohmann::json extra = nlohmann::json::object();
};

struct ReviewParticipant {
    std::string id;
    std::string role;
    nlohmann::json extra = nlohmann::json::object();
};

/// The accepted submission. Reference-server extras (owner, repo, ciProvider) are in `extra`.
struct TaskSubmission {
    std::string submission_id;
    std::string task_id;
    std::string status;  // "in_review"
    std::optional<std::string> pr_url;
    std::optional<std::int64_t> pr_number;
    std::optional<std::string> head;
    std::optional<std::string> base;
    std::optional<std::string> head_sha;
    std::optional<std::string> action;  // see agentrail::submit_action
    std::optional<std::string> idempotency_key;
    /// reviewRoute.participants (other reviewRoute members, if any, stay in extra["reviewRoute"]).
    std::vector<ReviewParticipant> review_participants;
    std::string accepted_at;
    std::vector<std::string> available_actions;
    nlohmann::json extra = nlohmann::json::object();
};

void to_json(nlohmann::json& j, const SubmitArtifact& v);
void from_json(const nlohmann::json& j, SubmitArtifact& v);
void to_json(nlohmann::json& j, const SubmitCheck& v);
void from_json(const nlohmann::json& j, SubmitCheck& v);
void to_json(nlohmann::json& j, const PullRequestOptions& v);
void from_json(const nlohmann::json& j, PullRequestOptions& v);
void to_json(nlohmann::json& j, const TaskSubmitRequest& v);
void from_json(const nlohmann::json& j, TaskSubmitRequest& v);
void to_json(nlohmann::json& j, const ReviewParticipant& v);
void from_json(const nlohmann::json& j, ReviewParticipant& v);
void to_json(nlohmann::json& j, const TaskSubmission& v);
void from_json(const nlohmann::json& j, TaskSubmission& v);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
