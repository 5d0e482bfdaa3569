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
#include "agentrail/models/fields.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

#define AGENTRAIL_FIELDS_SubmitArtifact(X)                               \
    X(req, std::string, type, "type") /* see agentrail::artifact_type */ \
    X(req, std::string, url, "url")
struct SubmitArtifact {
    AGENTRAIL_FIELD_MEMBERS(SubmitArtifact)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_SubmitCheck(X) \
    X(req, std::string, name, "name")   \
    X(req, std::string, status, "status") /* see agentrail::check_status */
struct SubmitCheck {
    AGENTRAIL_FIELD_MEMBERS(SubmitCheck)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_PullRequestOptions(X)         \
    X(opt, std::optional<std::string>, title, "title") \
    X(opt, std::optional<std::string>, body, "body")   \
    X(opt, std::optional<std::string>, head, "head")   \
    X(opt, std::optional<std::string>, base, "base")   \
    X(opt, std::optional<bool>, draft, "draft")        \
    X(opt, std::vector<std::string>, reviewers, "reviewers") /* omitted when empty */
/// Optional provider PR hints for adapter-managed submit.
struct PullRequestOptions {
    AGENTRAIL_FIELD_MEMBERS(PullRequestOptions)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskSubmitRequest(X)                                            \
    X(req, std::string, summary, "summary")                                              \
    /* see agentrail::submit_mode; server default adapter_managed */                     \
    X(opt, std::optional<std::string>, mode, "mode")                                     \
    X(opt, std::optional<PullRequestOptions>, pull_request, "pullRequest")               \
    X(opt, std::vector<SubmitArtifact>, artifacts, "artifacts") /* omitted when empty */ \
    X(opt, std::vector<SubmitCheck>, checks, "checks")          /* omitted when empty */ \
    X(opt, std::optional<std::string>, notes, "notes")
struct TaskSubmitRequest {
    AGENTRAIL_FIELD_MEMBERS(TaskSubmitRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ReviewParticipant(X) \
    X(req, std::string, id, "id")             \
    X(req, std::string, role, "role")
struct ReviewParticipant {
    AGENTRAIL_FIELD_MEMBERS(ReviewParticipant)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_TaskSubmission(X)                                                  \
    X(req, std::string, submission_id, "submissionId")                                      \
    X(req, std::string, task_id, "taskId")                                                  \
    X(req, std::string, status, "status") /* "in_review" */                                 \
    X(opt, std::optional<std::string>, pr_url, "prUrl")                                     \
    X(opt, std::optional<std::int64_t>, pr_number, "prNumber")                              \
    X(opt, std::optional<std::string>, head, "head")                                        \
    X(opt, std::optional<std::string>, base, "base")                                        \
    X(opt, std::optional<std::string>, head_sha, "headSha")                                 \
    X(opt, std::optional<std::string>, action, "action") /* see agentrail::submit_action */ \
    X(opt, std::optional<std::string>, idempotency_key, "idempotencyKey")                   \
    X(req, std::string, accepted_at, "acceptedAt")                                          \
    X(req, std::vector<std::string>, available_actions, "availableActions")
/// The accepted submission. Reference-server extras (owner, repo, ciProvider) are in `extra`.
struct TaskSubmission {
    AGENTRAIL_FIELD_MEMBERS(TaskSubmission)
    /// reviewRoute.participants (other reviewRoute members, if any, stay in extra["reviewRoute"]).
    std::vector<ReviewParticipant> review_participants;
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
