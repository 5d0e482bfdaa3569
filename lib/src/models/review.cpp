#include "agentrail/models/review.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

AGENTRAIL_JSON_MODEL(Reviewer, "reviewer")
AGENTRAIL_JSON_MODEL(ReviewDecision, "decision")
AGENTRAIL_JSON_MODEL(ReviewComment, "comment")
AGENTRAIL_JSON_MODEL(ReviewFeedback, "review_feedback")

}  // namespace agentrail
