#include "idempotency.hpp"

#include <nlohmann/json.hpp>

namespace mock {

std::string IdempotencyStore::scope(const std::string& operation, const std::string& resource,
                                    const std::string& caller, const std::string& key) {
    std::string s;
    s.reserve(operation.size() + resource.size() + caller.size() + key.size() + 3);
    s += operation;
    s += '\x1f';
    s += resource;
    s += '\x1f';
    s += caller;
    s += '\x1f';
    s += key;
    return s;
}

const StoredResponse* IdempotencyStore::find(const std::string& scope) const {
    auto it = m_records.find(scope);
    return it == m_records.end() ? nullptr : &it->second;
}

void IdempotencyStore::put(const std::string& scope, StoredResponse response) {
    m_records[scope] = std::move(response);
}

std::string request_fingerprint(const std::string& body) {
    auto first = body.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    // nlohmann::json (not ordered_json) sorts object keys, which makes the dump canonical.
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded()) return "raw:" + body;
    return parsed.dump();
}

}  // namespace mock
