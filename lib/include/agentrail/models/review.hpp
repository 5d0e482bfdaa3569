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

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

struct Reviewer {
    std::string id;
    std::string role;
    nlohmann::json extra = nlohmann::json::object();
};

struct ReviewDecision {
    std::string outcome;  // see agentrail::review_outcome
    Reviewer reviewer;
    std::string created_at;
    std::optional<std::string> head_sha;
    std::string summary;
    nlohmann::json extra = nlohmann::json::object();
};

struct ReviewComment {
    std::string id;
    std::string author_role;
    std::string body;
    std::string severity;  // see agentrail::review_severity
    std::optional<std::string> file;
    std::optional<int> line;
    std::optional<std::string> suggested_action;
    nlohmann::json extra = nlohmann::json::object();
};

struct ReviewFeedback {
    std::string task_id;
    std::optional<ReviewDecision> latest_decision;
    std::vector<ReviewComment> comments;
    std::vector<std::string> available_actions;
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
