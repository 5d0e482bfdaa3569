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
#include "agentrail/models/fields.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

#define AGENTRAIL_FIELDS_CiCounts(X)       \
    X(req, int, total, "total", 0)         \
    X(req, int, passed, "passed", 0)       \
    X(req, int, failed, "failed", 0)       \
    X(req, int, running, "running", 0)     \
    X(req, int, queued, "queued", 0)       \
    X(req, int, cancelled, "cancelled", 0) \
    X(req, int, skipped, "skipped", 0)
struct CiCounts {
    AGENTRAIL_FIELD_MEMBERS(CiCounts)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_CiWorkflow(X)                                   \
    X(req, std::string, name, "name")                                    \
    X(opt, std::optional<std::string>, path, "path")                     \
    X(req, std::string, status, "status") /* see agentrail::ci_status */ \
    X(req, int, passed, "passed", 0)                                     \
    X(req, int, failed, "failed", 0)                                     \
    X(req, int, running, "running", 0)                                   \
    X(req, int, queued, "queued", 0)                                     \
    X(req, int, cancelled, "cancelled", 0)                               \
    X(req, int, skipped, "skipped", 0)                                   \
    X(opt, std::optional<std::string>, url, "url")
struct CiWorkflow {
    AGENTRAIL_FIELD_MEMBERS(CiWorkflow)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_CiCheck(X)                                          \
    X(req, std::string, name, "name")                                        \
    X(req, std::string, workflow, "workflow")                                \
    X(req, std::string, status, "status") /* see agentrail::ci_status */     \
    X(opt, std::optional<std::string>, url, "url")                           \
    X(opt, std::optional<std::int64_t>, duration_seconds, "durationSeconds") \
    X(req, int, failure_count, "failureCount", 0)
struct CiCheck {
    AGENTRAIL_FIELD_MEMBERS(CiCheck)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_CiFailureSummary(X)         \
    X(req, std::string, check_name, "checkName")     \
    X(req, std::string, workflow, "workflow")        \
    X(req, std::string, test_name, "testName")       \
    X(opt, std::optional<std::string>, file, "file") \
    X(opt, std::optional<int>, line, "line")         \
    X(req, std::string, message, "message")
struct CiFailureSummary {
    AGENTRAIL_FIELD_MEMBERS(CiFailureSummary)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_CiFlakyHint(X)                                   \
    X(req, std::string, check_name, "checkName")                          \
    X(req, std::string, confidence, "confidence") /* low, medium, high */ \
    X(req, std::string, reason, "reason")
struct CiFlakyHint {
    AGENTRAIL_FIELD_MEMBERS(CiFlakyHint)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_CiStatus(X)                                                           \
    X(req, std::string, task_id, "taskId")                                                     \
    X(opt, std::optional<std::string>, submission_id, "submissionId")                          \
    X(req, std::string, overall_status, "overallStatus") /* see agentrail::ci_status */        \
    X(req, CiCounts, summary, "summary")                                                       \
    X(req, std::vector<CiWorkflow>, workflows, "workflows")                                    \
    X(req, std::vector<CiCheck>, checks, "checks")                                             \
    X(req, std::vector<CiFailureSummary>, failure_summaries, "failureSummaries")               \
    X(req, std::vector<CiFlakyHint>, flaky_hints, "flakyHints")                                \
    X(opt, std::optional<std::string>, updated_at, "updatedAt") /* nullable in the document */ \
    X(opt, std::optional<std::string>, head_sha, "headSha")                                    \
    X(req, std::vector<std::string>, available_actions, "availableActions")
struct CiStatus {
    AGENTRAIL_FIELD_MEMBERS(CiStatus)
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
