#include "agentrail/models/health.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

AGENTRAIL_JSON_MODEL(Health, "health")

}  // namespace agentrail
