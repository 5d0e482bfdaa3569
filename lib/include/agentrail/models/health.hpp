#pragma once
// GET /health: the service health snapshot (a bare object, not an envelope).

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

struct Health {
    std::string status;  // "ok"
    std::string service;
    std::string public_base_url;
    std::optional<std::string> path_prefix;  // e.g. "/v1"; empty when the server has none
    std::string time;                        // RFC 3339, as sent
    std::int64_t uptime_seconds = 0;
    nlohmann::json extra =
        nlohmann::json::object();  // members this struct does not know, re-emitted by to_json
};

void to_json(nlohmann::json& j, const Health& v);
void from_json(const nlohmann::json& j, Health& v);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
