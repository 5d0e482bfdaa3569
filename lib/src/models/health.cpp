#include "agentrail/models/health.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

void to_json(json& j, const Health& v) {
    Writer w(j, v.extra);
    w.put("status", v.status);
    w.put("service", v.service);
    w.put("publicBaseUrl", v.public_base_url);
    w.opt("pathPrefix", v.path_prefix);
    w.put("time", v.time);
    w.put("uptimeSeconds", v.uptime_seconds);
}

void from_json(const json& j, Health& v) {
    Reader r(j, "health");
    r.req("status", v.status);
    r.req("service", v.service);
    r.req("publicBaseUrl", v.public_base_url);
    r.opt("pathPrefix", v.path_prefix);
    r.req("time", v.time);
    r.req("uptimeSeconds", v.uptime_seconds);
    r.collect_extra(v.extra);
}

}  // namespace agentrail
