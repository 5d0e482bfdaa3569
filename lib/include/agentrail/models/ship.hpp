#pragma once
// POST /tasks/{id}/ship: the request and the ship operation.
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

#define AGENTRAIL_FIELDS_TaskShipRequest(X)                                                            \
    X(req, std::string, mode, "mode")                            /* see agentrail::ship_mode */        \
    X(req, std::string, target_environment, "targetEnvironment") /* see agentrail::ship_environment */ \
    X(req, std::string, expected_head_sha, "expectedHeadSha")    /* 40 lowercase hex digits */
struct TaskShipRequest {
    AGENTRAIL_FIELD_MEMBERS(TaskShipRequest)
    nlohmann::json extra = nlohmann::json::object();
};

#define AGENTRAIL_FIELDS_ShipResult(X)                                                            \
    X(req, std::string, task_id, "taskId")                                                        \
    X(req, std::string, operation_id, "operationId")                                              \
    /* see agentrail::ship_status; the reference server answers "merged" */                       \
    X(req, std::string, status, "status")                                                         \
    X(opt, std::optional<std::string>, queued_at, "queuedAt") /* the reference server omits it */ \
    X(req, std::vector<std::string>, available_actions, "availableActions")
struct ShipResult {
    AGENTRAIL_FIELD_MEMBERS(ShipResult)
    nlohmann::json extra = nlohmann::json::object();
};

void to_json(nlohmann::json& j, const TaskShipRequest& v);
void from_json(const nlohmann::json& j, TaskShipRequest& v);
void to_json(nlohmann::json& j, const ShipResult& v);
void from_json(const nlohmann::json& j, ShipResult& v);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
