#pragma once
// Private helpers shared by the JSON models: typed reads that fail with a protocol Error naming the field,
// capture of every member a model does not know, and writes that skip unset optionals.
//
// Conventions kept by every model:
// - required member absent, or of the wrong JSON type          -> Error{protocol, "<path>: missing|expected
// T"}
// - optional member absent or null                             -> empty; a null is kept in `extra` so it is
//                                                                 re-emitted as null
// - array / free-form member absent, null or empty             -> empty; an empty or null one is kept in
// `extra`
// - optional plain string absent or null                      -> ""; written only when non-empty
// - any member the model does not know                         -> `extra`, re-emitted by to_json

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "agentrail/errors.hpp"

namespace agentrail::detail {

[[noreturn]] inline void protocol_error(const std::string& path, std::string_view problem) {
    throw Error(ErrorKind::protocol, path + ": " + std::string(problem));
}

template <typename T>
struct is_std_vector : std::false_type {};
template <typename T>
struct is_std_vector<std::vector<T>> : std::true_type {};

/// Converts one JSON value into `out`; `path()` names it when the JSON type does not fit. The path is
/// built only then: decoding a page of 100 tasks used to build (and free) thousands of them.
template <typename T, typename PathFn>
void read_value_at(const nlohmann::json& v, T& out, const PathFn& path) {
    if constexpr (std::is_same_v<T, nlohmann::json>) {
        out = v;
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (!v.is_string()) protocol_error(path(), "expected string");
        out = v.get_ref<const std::string&>();
    } else if constexpr (std::is_same_v<T, bool>) {
        if (!v.is_boolean()) protocol_error(path(), "expected boolean");
        out = v.get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
        // Some encoders write integers as 42.0; accept those when the value is integral and exact.
        std::int64_t i = 0;
        if (v.is_number_unsigned()) {
            auto u = v.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                protocol_error(path(), "out of range");
            i = static_cast<std::int64_t>(u);
        } else if (v.is_number_integer()) {
            i = v.get<std::int64_t>();
        } else if (v.is_number_float()) {
            auto d = v.get<double>();
            constexpr double exact = 9007199254740992.0;  // 2^53
            if (!(d >= -exact && d <= exact) || d != std::trunc(d))
                protocol_error(path(), "expected integer");
            i = static_cast<std::int64_t>(d);
        } else {
            protocol_error(path(), "expected integer");
        }
        bool fits = i < 0 ? i >= static_cast<std::int64_t>(std::numeric_limits<T>::min())
                          : static_cast<std::uint64_t>(i) <=
                                static_cast<std::uint64_t>(std::numeric_limits<T>::max());
        if (!fits) protocol_error(path(), "out of range");
        out = static_cast<T>(i);
    } else if constexpr (std::is_floating_point_v<T>) {
        if (!v.is_number()) protocol_error(path(), "expected number");
        out = v.get<T>();
    } else if constexpr (is_std_vector<T>::value) {
        if (!v.is_array()) protocol_error(path(), "expected array");
        T items;
        items.reserve(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) {
            typename T::value_type item{};
            read_value_at(v[i], item, [&] { return path() + "[" + std::to_string(i) + "]"; });
            items.push_back(std::move(item));
        }
        out = std::move(items);
    } else {
        // A nested model: its from_json names fields from its own root ("task_blocker.kind: missing");
        // re-root the message at this path ("task.blocker.kind: missing").
        if (!v.is_object()) protocol_error(path(), "expected object");
        try {
            v.get_to(out);
        } catch (const Error& e) {
            std::string message = e.what();
            auto cut = message.find_first_of(".[:");
            throw Error(ErrorKind::protocol,
                        cut == std::string::npos ? path() + ": " + message : path() + message.substr(cut));
        }
    }
}

/// read_value_at with a path that is already built.
template <typename T>
void read_value(const nlohmann::json& v, T& out, const std::string& path) {
    read_value_at(v, out, [&path] { return path; });
}

/// Reads the members of one JSON object, remembering which it consumed so the rest can go to `extra`.
class Reader {
public:
    Reader(const nlohmann::json& j, std::string root) : m_j(j), m_root(std::move(root)) {
        if (!m_j.is_object()) protocol_error(m_root, "expected object");
        m_known.reserve(24);  // one allocation per object rather than one per doubling
    }

    /// A member that must be present (null counts as present, and fails unless T is nlohmann::json).
    template <typename T>
    void req(std::string_view key, T& out) {
        auto it = m_j.find(key);
        if (it == m_j.end()) protocol_error(path(key), "missing");
        read_value_at(*it, out, [&] { return path(key); });
        m_known.push_back(key);
    }

    /// An optional scalar or object: absent or null leaves it empty (a null stays in `extra`).
    template <typename T>
    void opt(std::string_view key, std::optional<T>& out) {
        out.reset();
        auto it = m_j.find(key);
        if (it == m_j.end() || it->is_null()) return;
        T value{};
        read_value_at(*it, value, [&] { return path(key); });
        out = std::move(value);
        m_known.push_back(key);
    }

    /// An optional array: absent or null means empty; an empty or null one stays in `extra` so it
    /// round-trips.
    template <typename T>
    void opt(std::string_view key, std::vector<T>& out) {
        out.clear();
        auto it = m_j.find(key);
        if (it == m_j.end() || it->is_null()) return;
        read_value_at(*it, out, [&] { return path(key); });
        if (!out.empty()) m_known.push_back(key);
    }

    /// An optional free-form member: absent or null leaves it null (a null stays in `extra`).
    void opt(std::string_view key, nlohmann::json& out) {
        out = nullptr;
        auto it = m_j.find(key);
        if (it == m_j.end() || it->is_null()) return;
        out = *it;
        m_known.push_back(key);
    }

    /// An optional plain string: absent or null reads as "" (a null stays in `extra`).
    void opt(std::string_view key, std::string& out) {
        std::optional<std::string> value;
        opt(key, value);
        out = value.value_or(std::string());
    }

    /// An optional JSON object (the `obj` kind): absent or null leaves it null (a null stays in `extra`);
    /// anything else but an object is a protocol error.
    void obj(std::string_view key, nlohmann::json& out) {
        out = nullptr;
        if (const nlohmann::json* value = take_object(key)) out = *value;
    }

    /// Claims an object member the caller decodes itself; nullptr when absent or null.
    const nlohmann::json* take_object(std::string_view key) {
        auto it = m_j.find(key);
        if (it == m_j.end() || it->is_null()) return nullptr;
        if (!it->is_object()) protocol_error(path(key), "expected object");
        m_known.push_back(key);
        return &*it;
    }

    /// Every member not consumed above.
    void collect_extra(nlohmann::json& extra) const {
        extra = nlohmann::json::object();
        for (const auto& [key, value] : m_j.items()) {
            bool known = false;
            for (auto k : m_known) known = known || k == key;
            if (!known) extra[key] = value;
        }
    }

    std::string path(std::string_view key) const { return m_root + "." + std::string(key); }

private:
    const nlohmann::json& m_j;
    std::string m_root;
    std::vector<std::string_view> m_known;
};

/// Builds one JSON object: starts from the model's `extra`, then sets the known members over it.
class Writer {
public:
    Writer(nlohmann::json& j, const nlohmann::json& extra) : m_j(j) {
        m_j = extra.is_object() ? extra : nlohmann::json::object();
    }

    /// A required member (the `req` kind of a field list): always written.
    template <typename T>
    void req(const char* key, const T& value) {
        m_j[key] = value;
    }
    template <typename T>
    void opt(const char* key, const std::optional<T>& value) {
        if (value) m_j[key] = *value;
    }
    /// Arrays are written only when non-empty (an empty one the server sent comes back through `extra`).
    template <typename T>
    void opt(const char* key, const std::vector<T>& value) {
        if (!value.empty()) m_j[key] = value;
    }
    void opt(const char* key, const nlohmann::json& value) {
        if (!value.is_null()) m_j[key] = value;
    }
    /// A plain string is written only when non-empty.
    void opt(const char* key, const std::string& value) {
        if (!value.empty()) m_j[key] = value;
    }
    void obj(const char* key, const nlohmann::json& value) { opt(key, value); }

    nlohmann::json& json() { return m_j; }

private:
    nlohmann::json& m_j;
};

}  // namespace agentrail::detail

// ---- field lists (agentrail/models/fields.hpp) expanded into to_json / from_json
// ------------------------------

/// One field of a field list as a Writer or Reader call: w.req("id", v.id); r.opt("dueAt", v.due_at); ...
#define AGENTRAIL_DETAIL_WRITE_FIELD(kind, type, member, json_name, ...) w.kind(json_name, v.member);
#define AGENTRAIL_DETAIL_READ_FIELD(kind, type, member, json_name, ...) r.kind(json_name, v.member);
/// Every field of Model's list, for a to_json / from_json that also does something by hand (needs `w` / `r`
/// and `v` in scope).
#define AGENTRAIL_WRITE_FIELDS(Model) AGENTRAIL_FIELDS_##Model(AGENTRAIL_DETAIL_WRITE_FIELD)
#define AGENTRAIL_READ_FIELDS(Model) AGENTRAIL_FIELDS_##Model(AGENTRAIL_DETAIL_READ_FIELD)

/// to_json and from_json of a model that is exactly its field list plus `extra`; `root` names the object in
/// protocol errors ("task.updatedAt: missing"). Use inside namespace agentrail.
#define AGENTRAIL_JSON_MODEL(Model, root)               \
    void to_json(nlohmann::json& j, const Model& v) {   \
        ::agentrail::detail::Writer w(j, v.extra);      \
        AGENTRAIL_WRITE_FIELDS(Model)                   \
    }                                                   \
    void from_json(const nlohmann::json& j, Model& v) { \
        ::agentrail::detail::Reader r(j, root);         \
        AGENTRAIL_READ_FIELDS(Model)                    \
        r.collect_extra(v.extra);                       \
    }
