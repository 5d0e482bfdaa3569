#include "agentrail/models/ship.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

void to_json(json& j, const TaskShipRequest& v) {
    Writer w(j, v.extra);
    w.put("mode", v.mode);
    w.put("targetEnvironment", v.target_environment);
    w.put("expectedHeadSha", v.expected_head_sha);
}

void from_json(const json& j, TaskShipRequest& v) {
    Reader r(j, "ship_request");
    r.req("mode", v.mode);
    r.req("targetEnvironment", v.target_environment);
    r.req("expectedHeadSha", v.expected_head_sha);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ShipResult& v) {
    Writer w(j, v.extra);
    w.put("taskId", v.task_id);
    w.put("operationId", v.operation_id);
    w.put("status", v.status);
    w.opt("queuedAt", v.queued_at);
    w.put("availableActions", v.available_actions);
}

void from_json(const json& j, ShipResult& v) {
    Reader r(j, "ship");
    r.req("taskId", v.task_id);
    r.req("operationId", v.operation_id);
    r.req("status", v.status);
    r.opt("queuedAt", v.queued_at);
    r.req("availableActions", v.available_actions);
    r.collect_extra(v.extra);
}

}  // namespace agentrail
