#pragma once
// The one place each model field is written. Every model header defines, before its struct, a field list
// (shown here without its line-continuation backslashes)
//
//     #define AGENTRAIL_FIELDS_TaskAssignee(X)
//         X(req, std::string, id, "id")
//         X(opt, std::optional<std::string>, email, "email")
//
// with one X(kind, C++ type, member, "jsonName"[, default]) per field, and expands it inside the struct with
// AGENTRAIL_FIELD_MEMBERS to declare the members. The library expands the same list into to_json/from_json
// (lib/src/models/json_fields.hpp), so the JSON name, the member and required/optional cannot drift apart.
// Kinds:
//   req  required: always written; absent or of the wrong JSON type is Error{protocol} naming its path
//   opt  optional: written when set (non-empty for arrays and plain strings, non-null for JSON); absent or
//        null reads as empty, and a null or empty array the server sent is kept in `extra`
//   obj  optional JSON object: as opt, and anything but an object or null is Error{protocol}
// Members the JSON does not map one to one (e.g. TaskEvent::raw) are declared as plain members and handled in
// the model's .cpp. Comments inside a field list must be /* */ (a // comment would swallow the line
// continuation). This header has no includes: the model headers include what their member types need.

#define AGENTRAIL_FIELD_MEMBER(kind, type, member, json_name, ...) type member{__VA_ARGS__};
#define AGENTRAIL_FIELD_VISIT(kind, type, member, json_name, ...) visit(json_name, self.member);
#define AGENTRAIL_FIELD_POINTER(kind, type, member, json_name, ...) \
    visit(json_name, &agentrail_model::member);
/// Declares the members of a field list, e.g. AGENTRAIL_FIELD_MEMBERS(TaskAssignee) inside the struct, and
/// `Model::for_each_field(model, visit)`, which calls visit("jsonName", model.member) for each field in order
/// (`model` const or not), for code that walks a model's fields generically, and the compile-time
/// `Model::for_each_field_pointer(visit)`, which calls visit("jsonName", &Model::member) (for
/// agentrail/models/field_path.hpp: JSON pointers spelled from members).
// clang-format off
#define AGENTRAIL_FIELD_MEMBERS(Model)                                \
    AGENTRAIL_FIELDS_##Model(AGENTRAIL_FIELD_MEMBER)                  \
    template <typename Self, typename Visit>                          \
    static void for_each_field(Self& self, Visit&& visit) {           \
        AGENTRAIL_FIELDS_##Model(AGENTRAIL_FIELD_VISIT)               \
    }                                                                 \
    template <typename Visit>                                         \
    static constexpr void for_each_field_pointer(Visit&& visit) {     \
        using agentrail_model = Model;                                \
        AGENTRAIL_FIELDS_##Model(AGENTRAIL_FIELD_POINTER)             \
    }
// clang-format on
