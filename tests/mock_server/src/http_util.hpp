#pragma once

#include <httplib.h>

#include <string>

#include "json.hpp"

namespace mock {

// Sends a JSON body with the given status.
void send_json(httplib::Response& res, int status, const Json& body);

// The document's error envelope: {"error": {code, message, details}}. details.availableActions is
// filled with `actions` unless details already has it.
Json error_body(const std::string& code, const std::string& message, Json details = Json::object(),
                Json actions = Json::array());
void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message,
                Json details = Json::object(), Json actions = Json::array());

void send_not_found(httplib::Response& res);
// 400 validation_error with details.fieldErrors.
void send_validation_error(httplib::Response& res, const Json& field_errors);
void send_validation_error(httplib::Response& res, const std::string& field, const std::string& reason);

}  // namespace mock
