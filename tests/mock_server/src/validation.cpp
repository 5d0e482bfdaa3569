#include "validation.hpp"

#include <regex>

#include "util.hpp"

namespace mock {

void FieldErrors::add(const std::string& field, const std::string& reason) {
    m_errors.push_back(Json{{"field", field}, {"reason", reason}});
}

ObjectChecker::ObjectChecker(const Json& obj, FieldErrors& errors, std::string path)
    : m_obj(obj), m_errors(errors), m_path(std::move(path)) {}

std::string ObjectChecker::field(const char* name) const {
    return m_path.empty() ? name : m_path + "." + name;
}

void ObjectChecker::only(std::initializer_list<const char*> allowed) {
    for (auto it = m_obj.begin(); it != m_obj.end(); ++it) {
        bool ok = false;
        for (const char* a : allowed)
            if (it.key() == a) ok = true;
        if (!ok) m_errors.add(field(it.key().c_str()), "unknown field");
    }
}

bool ObjectChecker::has(const char* name) const {
    return m_obj.contains(name) && !m_obj.at(name).is_null();
}

const Json* ObjectChecker::get(const char* name, bool required, bool nullable) {
    auto it = m_obj.find(name);
    if (it == m_obj.end()) {
        if (required) m_errors.add(field(name), "is required");
        return nullptr;
    }
    if (it->is_null()) {
        if (!nullable) m_errors.add(field(name), required ? "is required" : "must not be null");
        return nullptr;
    }
    return &*it;
}

std::optional<std::string> ObjectChecker::string(const char* name, bool required, std::size_t min_len,
                                                 std::size_t max_len, bool nullable) {
    const Json* v = get(name, required, nullable);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        m_errors.add(field(name), "must be a string");
        return std::nullopt;
    }
    auto s = v->get<std::string>();
    if (s.size() < min_len) {
        m_errors.add(field(name), min_len == 1
                                      ? "must not be empty"
                                      : "must be at least " + std::to_string(min_len) + " characters");
        return std::nullopt;
    }
    if (s.size() > max_len) {
        m_errors.add(field(name), "must be at most " + std::to_string(max_len) + " characters");
        return std::nullopt;
    }
    return s;
}

std::optional<std::string> ObjectChecker::enum_string(const char* name, bool required,
                                                      const std::set<std::string>& values) {
    auto s = string(name, required);
    if (!s) return s;
    if (!values.count(*s)) {
        std::string list;
        for (const auto& v : values) list += (list.empty() ? "" : ", ") + v;
        m_errors.add(field(name), "must be one of: " + list);
        return std::nullopt;
    }
    return s;
}

std::optional<std::string> ObjectChecker::pattern_string(const char* name, bool required, const char* regex,
                                                         const char* description) {
    auto s = string(name, required);
    if (!s) return s;
    if (!std::regex_match(*s, std::regex(regex))) {
        m_errors.add(field(name), description);
        return std::nullopt;
    }
    return s;
}

std::optional<std::string> ObjectChecker::date_time(const char* name, bool required, bool nullable) {
    auto s = string(name, required, 0, 100, nullable);
    if (!s) return s;
    if (!parse_iso_time(*s)) {
        m_errors.add(field(name), "must be an RFC 3339 date-time");
        return std::nullopt;
    }
    return s;
}

bool is_http_uri(const std::string& value) {
    static const std::regex re(R"(^https?://[^\s/?#]+([/?#][^\s]*)?$)", std::regex::icase);
    return std::regex_match(value, re);
}

std::optional<std::string> ObjectChecker::uri(const char* name, bool required, bool nullable) {
    auto s = string(name, required, 0, 100000, nullable);
    if (!s) return s;
    static const std::regex re(R"(^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$)");
    if (!std::regex_match(*s, re)) {
        m_errors.add(field(name), "must be an absolute URI");
        return std::nullopt;
    }
    return s;
}

std::optional<long long> ObjectChecker::integer(const char* name, bool required, long long min,
                                                long long max) {
    const Json* v = get(name, required, false);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) {
        m_errors.add(field(name), "must be an integer");
        return std::nullopt;
    }
    auto n = v->get<long long>();
    if (n < min || n > max) {
        m_errors.add(field(name), "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    return n;
}

std::optional<bool> ObjectChecker::boolean(const char* name, bool required) {
    const Json* v = get(name, required, false);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) {
        m_errors.add(field(name), "must be a boolean");
        return std::nullopt;
    }
    return v->get<bool>();
}

const Json* ObjectChecker::array(const char* name, bool required, std::size_t min_items,
                                 std::size_t max_items, bool unique) {
    const Json* v = get(name, required, false);
    if (!v) return nullptr;
    if (!v->is_array()) {
        m_errors.add(field(name), "must be an array");
        return nullptr;
    }
    if (v->size() < min_items) {
        m_errors.add(field(name), "must have at least " + std::to_string(min_items) + " item(s)");
        return nullptr;
    }
    if (v->size() > max_items) {
        m_errors.add(field(name), "must have at most " + std::to_string(max_items) + " items");
        return nullptr;
    }
    if (unique) {
        std::set<std::string> seen;
        for (const auto& item : *v) {
            if (!seen.insert(item.dump()).second) {
                m_errors.add(field(name), "items must be unique");
                return nullptr;
            }
        }
    }
    return v;
}

const Json* ObjectChecker::object(const char* name, bool required, bool nullable) {
    const Json* v = get(name, required, nullable);
    if (!v) return nullptr;
    if (!v->is_object()) {
        m_errors.add(field(name), "must be an object");
        return nullptr;
    }
    return v;
}

}  // namespace mock
