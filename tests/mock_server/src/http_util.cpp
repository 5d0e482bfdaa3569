#include "http_util.hpp"

namespace mock {

void send_json(httplib::Response& res, int status, const Json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json");
}

Json error_body(const std::string& code, const std::string& message, Json details, Json actions) {
    if (!details.is_object()) details = Json::object();
    if (!details.contains("availableActions"))
        details["availableActions"] = actions.is_array() ? actions : Json::array();
    return Json{{"error", Json{{"code", code}, {"message", message}, {"details", details}}}};
}

void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message,
                Json details, Json actions) {
    send_json(res, status, error_body(code, message, std::move(details), std::move(actions)));
}

void send_not_found(httplib::Response& res) {
    send_error(res, 404, "not_found", "Resource not found.", Json::object(), Json{"list_my_tasks"});
}

void send_validation_error(httplib::Response& res, const Json& field_errors) {
    send_error(res, 400, "validation_error", "Invalid request payload.", Json{{"fieldErrors", field_errors}},
               Json{"retry"});
}

void send_validation_error(httplib::Response& res, const std::string& field, const std::string& reason) {
    send_validation_error(res, Json::array({Json{{"field", field}, {"reason", reason}}}));
}

}  // namespace mock
