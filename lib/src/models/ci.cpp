#include "agentrail/models/ci.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

AGENTRAIL_JSON_MODEL(CiCounts, "summary")
AGENTRAIL_JSON_MODEL(CiWorkflow, "workflow")
AGENTRAIL_JSON_MODEL(CiCheck, "check")
AGENTRAIL_JSON_MODEL(CiFailureSummary, "failure_summary")
AGENTRAIL_JSON_MODEL(CiFlakyHint, "flaky_hint")
AGENTRAIL_JSON_MODEL(CiStatus, "ci_status")

}  // namespace agentrail
