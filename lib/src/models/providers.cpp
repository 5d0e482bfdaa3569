#include "agentrail/models/providers.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

AGENTRAIL_JSON_MODEL(CircleCiWebhookReceipt, "circleci_receipt")
AGENTRAIL_JSON_MODEL(LinearIssueIntakeRequest, "linear_issue")
AGENTRAIL_JSON_MODEL(LinearIssueIntake, "linear_intake")
AGENTRAIL_JSON_MODEL(LinearWebhookReceipt, "linear_receipt")
AGENTRAIL_JSON_MODEL(LinearCommentRequest, "linear_comment")
AGENTRAIL_JSON_MODEL(LinearWorkflowStateRequest, "linear_workflow_state")

}  // namespace agentrail
