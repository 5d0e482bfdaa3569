#include "agentrail/models/ship.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

AGENTRAIL_JSON_MODEL(TaskShipRequest, "ship_request")
AGENTRAIL_JSON_MODEL(ShipResult, "ship")

}  // namespace agentrail
