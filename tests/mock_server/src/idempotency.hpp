#pragma once

#include <string>
#include <unordered_map>

namespace mock {

struct StoredResponse {
    std::string fingerprint;  // canonical request body
    int status = 0;
    std::string body;
    std::string content_type;
};

// Idempotency records, keyed by operation, resource (task or key id) and caller, so the same
// Idempotency-Key used for two different tasks means two different requests. Guarded by the
// store mutex.
class IdempotencyStore {
public:
    static std::string scope(const std::string& operation, const std::string& resource,
                             const std::string& caller, const std::string& key);
    const StoredResponse* find(const std::string& scope) const;
    void put(const std::string& scope, StoredResponse response);
    void clear() { m_records.clear(); }
    std::size_t size() const { return m_records.size(); }

private:
    std::unordered_map<std::string, StoredResponse> m_records;
};

// Canonical form of a JSON request body for comparison (key order and whitespace do not matter);
// bodies that do not parse compare by their raw text.
std::string request_fingerprint(const std::string& body);

}  // namespace mock
