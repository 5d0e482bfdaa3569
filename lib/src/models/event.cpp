#include "agentrail/models/event.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

void to_json(json& j, const TaskEventActor& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("role", v.role);
}

void from_json(const json& j, TaskEventActor& v) {
    Reader r(j, "actor");
    r.req("id", v.id);
    r.req("role", v.role);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskUpdatedData& v) {
    Writer w(j, v.extra);
    w.put("taskId", v.task_id);
    w.put("taskIdentifier", v.task_identifier);
    w.put("status", v.status);
    w.opt("previousStatus", v.previous_status);
    w.put("changedFields", v.changed_fields);
    w.put("actor", v.actor);
    w.put("summary", v.summary);
    w.put("availableActions", v.available_actions);
    w.opt("blocker", v.blocker);
    w.put("links", v.links);
}

void from_json(const json& j, TaskUpdatedData& v) {
    Reader r(j, "data");
    r.req("taskId", v.task_id);
    r.req("taskIdentifier", v.task_identifier);
    r.req("status", v.status);
    r.opt("previousStatus", v.previous_status);
    r.req("changedFields", v.changed_fields);
    r.req("actor", v.actor);
    r.req("summary", v.summary);
    r.req("availableActions", v.available_actions);
    r.opt("blocker", v.blocker);
    r.req("links", v.links);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskAwaitingUserData& v) {
    Writer w(j, v.extra);
    w.put("taskId", v.task_id);
    w.put("taskIdentifier", v.task_identifier);
    w.put("status", v.status);
    w.opt("previousStatus", v.previous_status);
    w.put("changedFields", v.changed_fields);
    w.put("actor", v.actor);
    w.put("summary", v.summary);
    w.put("availableActions", v.available_actions);
    w.put("blocker", v.blocker);
    w.put("links", v.links);
}

void from_json(const json& j, TaskAwaitingUserData& v) {
    Reader r(j, "data");
    r.req("taskId", v.task_id);
    r.req("taskIdentifier", v.task_identifier);
    r.req("status", v.status);
    r.opt("previousStatus", v.previous_status);
    r.req("changedFields", v.changed_fields);
    r.req("actor", v.actor);
    r.req("summary", v.summary);
    r.req("availableActions", v.available_actions);
    r.req("blocker", v.blocker);
    r.req("links", v.links);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskReviewedData& v) {
    Writer w(j, v.extra);
    w.put("taskId", v.task_id);
    w.put("taskIdentifier", v.task_identifier);
    w.put("status", v.status);
    w.put("reviewOutcome", v.review_outcome);
    w.put("reviewer", v.reviewer);
    w.put("summary", v.summary);
    w.put("availableActions", v.available_actions);
    w.put("links", v.links);
}

void from_json(const json& j, TaskReviewedData& v) {
    Reader r(j, "data");
    r.req("taskId", v.task_id);
    r.req("taskIdentifier", v.task_identifier);
    r.req("status", v.status);
    r.req("reviewOutcome", v.review_outcome);
    r.req("reviewer", v.reviewer);
    r.req("summary", v.summary);
    r.req("availableActions", v.available_actions);
    r.req("links", v.links);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskShippedData& v) {
    Writer w(j, v.extra);
    w.put("taskId", v.task_id);
    w.put("taskIdentifier", v.task_identifier);
    w.put("status", v.status);
    w.put("shipStatus", v.ship_status);
    w.put("operationId", v.operation_id);
    w.put("targetEnvironment", v.target_environment);
    w.put("summary", v.summary);
    w.put("availableActions", v.available_actions);
    w.put("links", v.links);
}

void from_json(const json& j, TaskShippedData& v) {
    Reader r(j, "data");
    r.req("taskId", v.task_id);
    r.req("taskIdentifier", v.task_identifier);
    r.req("status", v.status);
    r.req("shipStatus", v.ship_status);
    r.req("operationId", v.operation_id);
    r.req("targetEnvironment", v.target_environment);
    r.req("summary", v.summary);
    r.req("availableActions", v.available_actions);
    r.req("links", v.links);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskEvent& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("type", v.type);
    w.put("occurredAt", v.occurred_at);
    w.opt("sequence", v.sequence);
    w.opt("taskVersion", v.task_version);
    w.opt("traceId", v.trace_id);
    w.opt("data", v.data);
}

void from_json(const json& j, TaskEvent& v) {
    Reader r(j, "event");
    r.req("id", v.id);
    r.req("type", v.type);
    r.req("occurredAt", v.occurred_at);
    r.opt("sequence", v.sequence);
    r.opt("taskVersion", v.task_version);
    r.opt("traceId", v.trace_id);
    r.opt("data", v.data);
    r.collect_extra(v.extra);
    v.raw = j;
}

namespace {

// Parses `event.data` as T when the event has type `type`; errors are rooted at "event.data".
template <typename T>
std::optional<T> data_as(const TaskEvent& event, std::string_view type) {
    if (event.type != type) return std::nullopt;
    T out{};
    detail::read_value(event.data, out, "event.data");
    return out;
}

}  // namespace

std::optional<TaskUpdatedData> TaskEvent::as_updated() const {
    return data_as<TaskUpdatedData>(*this, event_type::task_updated);
}

std::optional<TaskAwaitingUserData> TaskEvent::as_awaiting_user() const {
    return data_as<TaskAwaitingUserData>(*this, event_type::task_awaiting_user);
}

std::optional<TaskReviewedData> TaskEvent::as_reviewed() const {
    return data_as<TaskReviewedData>(*this, event_type::task_reviewed);
}

std::optional<TaskShippedData> TaskEvent::as_shipped() const {
    return data_as<TaskShippedData>(*this, event_type::task_shipped);
}

std::string TaskEvent::task_id() const {
    if (!data.is_object()) return {};
    auto it = data.find("taskId");
    return it != data.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool TaskEvent::is_known_type() const {
    return is_known_event_type(type);
}

}  // namespace agentrail
