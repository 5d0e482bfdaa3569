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

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

struct TaskShipRequest {
    std::string mode;                // see agentrail::ship_mode
    std::string target_environment;  // see agentrail::ship_environment
    std::string expected_head_sha;   // 40 lowercase hex digits
    nlohmann::json extra = nlohmann::json::object();
};

struct ShipResult {
    std::string task_id;
    std::string operation_id;
    std::string status;  // see agentrail::ship_status; the reference server answers "merged"
    std::optional<std::string> queued_at;  // the reference server omits it
    std::vector<std::string> available_actions;
    nlohmann::json extra = nlohmann::json::object();
};

void to_json(nlohmann::json& j, const TaskShipRequest& v);
void from_json(const nlohmann::json& j, TaskShipRequest& v);
void to_json(nlohmann::json& j, const ShipResult& v);
void from_json(const nlohmann::json& j, ShipResult& v);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
