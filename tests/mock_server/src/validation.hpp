#pragma once

#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "json.hpp"

namespace mock {

// Collects {field, reason} pairs for 400 validation_error responses. Field names use dotted paths
// (rateLimit.maxRequests, artifacts[0].url).
class FieldErrors {
public:
    void add(const std::string& field, const std::string& reason);
    bool empty() const { return m_errors.empty(); }
    const Json& json() const { return m_errors; }

private:
    Json m_errors = Json::array();
};

// Checks one JSON object against a hand-written schema, mirroring the document's constraints.
class ObjectChecker {
public:
    ObjectChecker(const Json& obj, FieldErrors& errors, std::string path = "");

    // additionalProperties: false
    void only(std::initializer_list<const char*> allowed);
    bool has(const char* name) const;
    std::optional<std::string> string(const char* name, bool required, std::size_t min_len = 0,
                                      std::size_t max_len = 100000, bool nullable = false);
    std::optional<std::string> enum_string(const char* name, bool required,
                                           const std::set<std::string>& values);
    std::optional<std::string> pattern_string(const char* name, bool required, const char* regex,
                                              const char* description);
    std::optional<std::string> date_time(const char* name, bool required, bool nullable);
    std::optional<std::string> uri(const char* name, bool required, bool nullable = false);
    std::optional<long long> integer(const char* name, bool required, long long min, long long max);
    std::optional<bool> boolean(const char* name, bool required);
    // Returns the array when present and of the right type and size.
    const Json* array(const char* name, bool required, std::size_t min_items, std::size_t max_items,
                      bool unique = false);
    const Json* object(const char* name, bool required, bool nullable = false);

    std::string field(const char* name) const;

private:
    const Json* get(const char* name, bool required, bool nullable);

    const Json& m_obj;
    FieldErrors& m_errors;
    std::string m_path;
};

bool is_http_uri(const std::string& value);

}  // namespace mock
