#pragma once
// GET /tasks/{id}/review-feedback: the latest reviewer decision and comments.
//
// Every model keeps the JSON members it does not know in `extra` (plus known optional members the server
// sent as null), and to_json writes them back, so nothing the server sent is lost.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agentrail/export.hpp"
#include "agentrail/models/enums.hpp"
#include "agentrail/models/fields.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

#define AGENTRAIL_FIELDS_Reviewer(X) \
    X(req, std::string, id, "id")    \
    X(req, std::string, role, "role")
struct Reviewer {
    AGENTRAIL_FIELD_MEMBERS(Reviewer)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ReviewDecision(X)                                      \
    X(req, std::string, outcome, "outcome") /* see agentrail::review_outcome */ \
    X(req, Reviewer, reviewer, "reviewer")                                      \
    X(req, std::string, created_at, "createdAt")                                \
    X(opt, std::optional<std::string>, head_sha, "headSha")                     \
    X(req, std::string, summary, "summary")
struct ReviewDecision {
    AGENTRAIL_FIELD_MEMBERS(ReviewDecision)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ReviewComment(X)                                          \
    X(req, std::string, id, "id")                                                  \
    X(req, std::string, author_role, "authorRole")                                 \
    X(req, std::string, body, "body")                                              \
    X(req, std::string, severity, "severity") /* see agentrail::review_severity */ \
    X(opt, std::optional<std::string>, file, "file")                               \
    X(opt, std::optional<int>, line, "line")                                       \
    X(opt, std::optional<std::string>, suggested_action, "suggestedAction")
struct ReviewComment {
    AGENTRAIL_FIELD_MEMBERS(ReviewComment)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ReviewFeedback(X)                                   \
    X(req, std::string, task_id, "taskId")                                   \
    X(opt, std::optional<ReviewDecision>, latest_decision, "latestDecision") \
    X(req, std::vector<ReviewComment>, comments, "comments")                 \
    X(req, std::vector<std::string>, available_actions, "availableActions")
struct ReviewFeedback {
    AGENTRAIL_FIELD_MEMBERS(ReviewFeedback)
    nlohmann::json extra = nlohmann::json::object();
};

void to_json(nlohmann::json& j, const Reviewer& v);
void from_json(const nlohmann::json& j, Reviewer& v);
void to_json(nlohmann::json& j, const ReviewDecision& v);
void from_json(const nlohmann::json& j, ReviewDecision& v);
void to_json(nlohmann::json& j, const ReviewComment& v);
void from_json(const nlohmann::json& j, ReviewComment& v);
void to_json(nlohmann::json& j, const ReviewFeedback& v);
void from_json(const nlohmann::json& j, ReviewFeedback& v);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
