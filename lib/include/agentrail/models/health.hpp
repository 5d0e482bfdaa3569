#pragma once
// GET /health: the service health snapshot (a bare object, not an envelope).

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agentrail/export.hpp"
#include "agentrail/models/fields.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

#define AGENTRAIL_FIELDS_Health(X)                                \
    X(req, std::string, status, "status") /* "ok" */              \
    X(req, std::string, service, "service")                       \
    X(req, std::string, public_base_url, "publicBaseUrl")         \
    /* e.g. "/v1"; empty when the server has none */              \
    X(opt, std::optional<std::string>, path_prefix, "pathPrefix") \
    X(req, std::string, time, "time") /* RFC 3339, as sent */     \
    X(req, std::int64_t, uptime_seconds, "uptimeSeconds", 0)
struct Health {
    AGENTRAIL_FIELD_MEMBERS(Health)
    nlohmann::json extra = nlohmann::json::object();
};

void to_json(nlohmann::json& j, const Health& v);
void from_json(const nlohmann::json& j, Health& v);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
