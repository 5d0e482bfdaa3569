#pragma once
// GET /tasks/{id}/ci-status: the CI summary of a task's latest submission.
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

struct CiCounts {
    int total = 0;
    int passed = 0;
    int failed = 0;
    int running = 0;
    int queued = 0;
    int cancelled = 0;
    int skipped = 0;
    nlohmann::json extra = nlohmann::json::object();
};

struct CiWorkflow {
    std::string name;
    std::optional<std::string> path;
    std::string status;  // see agentrail::ci_status
    int passed = 0;
    int failed = 0;
    int running = 0;
    int queued = 0;
    int cancelled = 0;
    int skipped = 0;
    std::optional<std::string> url;
    nlohmann::json extra = nlohmann::json::object();
};

struct CiCheck {
    std::string name;
    std::string workflow;
    std::string status;  // see agentrail::ci_status
    std::optional<std::string> url;
    std::optional<std::int64_t> duration_seconds;
    int failure_count = 0;
    nlohmann::json extra = nlohmann::json::object();
};

struct CiFailureSummary {
    std::string check_name;
    std::string workflow;
    std::string test_name;
    std::optional<std::string> file;
    std::optional<int> line;
    std::string message;
    nlohmann::json extra = nlohmann::json::object();
};

struct CiFlakyHint {
    std::string check_name;
    std::string confidence;  // low, medium, high
    std::string reason;
    nlohmann::json extra = nlohmann::json::object();
};

struct CiStatus {
    std::string task_id;
    std::optional<std::string> submission_id;
    std::string overall_status;  // see agentrail::ci_status
    CiCounts summary;
    std::vector<CiWorkflow> workflows;
    std::vector<CiCheck> checks;
    std::vector<CiFailureSummary> failure_summaries;
    std::vector<CiFlakyHint> flaky_hints;
    std::optional<std::string> updated_at;  // nullable in the document
    std::optional<std::string> head_sha;
    std::vector<std::string> available_actions;
    nlohmann::json extra = nlohmann::json::object();
};

void to_json(nlohmann::json& j, const CiCounts& v);
void from_json(const nlohmann::json& j, CiCounts& v);
void to_json(nlohmann::json& j, const CiWorkflow& v);
void from_json(const nlohmann::json& j, CiWorkflow& v);
void to_json(nlohmann::json& j, const CiCheck& v);
void from_json(const nlohmann::json& j, CiCheck& v);
void to_json(nlohmann::json& j, const CiFailureSummary& v);
void from_json(const nlohmann::json& j, CiFailureSummary& v);
void to_json(nlohmann::json& j, const CiFlakyHint& v);
void from_json(const nlohmann::json& j, CiFlakyHint& v);
void to_json(nlohmann::json& j, const CiStatus& v);
void from_json(const nlohmann::json& j, CiStatus& v);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
