#pragma once

#include <nlohmann/json.hpp>

namespace mock {

// Responses keep the field order of the OpenAPI document, which makes them easier to read.
using Json = nlohmann::ordered_json;

}  // namespace mock
