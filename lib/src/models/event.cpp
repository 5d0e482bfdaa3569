#include "agentrail/models/event.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

AGENTRAIL_JSON_MODEL(TaskEventActor, "actor")
AGENTRAIL_JSON_MODEL(TaskUpdatedData, "data")
AGENTRAIL_JSON_MODEL(TaskAwaitingUserData, "data")
AGENTRAIL_JSON_MODEL(TaskReviewedData, "data")
AGENTRAIL_JSON_MODEL(TaskShippedData, "data")

void to_json(json& j, const TaskEvent& v) {
    Writer w(j, v.extra);
    AGENTRAIL_WRITE_FIELDS(TaskEvent)
}

void from_json(const json& j, TaskEvent& v) {
    Reader r(j, "event");
    AGENTRAIL_READ_FIELDS(TaskEvent)
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
