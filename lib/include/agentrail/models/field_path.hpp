#pragma once
// Compile-checked JSON pointers into what the server sent, spelled from the models' field lists
// (fields.hpp), so code that reads a response's JSON (e.g. Response::raw_data(), to keep unknown fields
// and the server's bytes) names model members instead of strings:
//
//     json_path<&TaskDetail::assignee, &TaskAssignee::name>()     "/assignee/name"
//     json_path<&TaskDetail::blocker, &TaskBlocker::reason>()     "/blocker/reason"   (std::optional step)
//     json_path<&ApiKeyUsage::by_scope>()                         "/byScope"          (an array: last step)
//     json_path<&TaskDetail::links, json_key{"issue"}>()          "/links/issue"      (inside a JSON member)
//     json_name<&TaskSummary::due_at>()                           "dueAt"
//
// Each step is a member of the previous step's type (of T for a std::optional<T> member) that is in its
// model's field list; anything else does not compile (the constraint names the chain). A std::vector
// member ends a path: a pointer into an array needs an index, and a table addresses its items' members
// from the item (json_path<&RoutingRule::id>()). Only where a model keeps a member as raw JSON (e.g.
// TaskDetail::links) may a json_key step name what the model does not describe. The text is built at
// compile time; json_path() returns one static string per path.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <nlohmann/json.hpp>

namespace agentrail {

/// A member of a JSON object that no model describes, as a step after a member of JSON type.
template <std::size_t N>
struct json_key {
    char name[N]{};
    consteval json_key(const char (&text)[N]) {  // NOLINT: implicit, for json_key{"issue"}
        for (std::size_t i = 0; i < N; ++i) name[i] = text[i];
    }
    constexpr std::string_view view() const { return {name, N - 1}; }
};

namespace field_path_detail {

template <typename T>
struct member_of {
    static constexpr bool data_member = false;
};
template <typename Model, typename T>
struct member_of<T Model::*> {
    static constexpr bool data_member = !std::is_function_v<T>;
    using model = Model;
    using type = T;
};

// The type a path continues in after a member of type T: std::optional<T> steps into T.
template <typename T>
struct step_type {
    using type = T;
};
template <typename T>
struct step_type<std::optional<T>> {
    using type = T;
};

template <typename T>
struct is_key_type : std::false_type {};
template <std::size_t N>
struct is_key_type<json_key<N>> : std::true_type {};
template <typename T>  // a class-type template argument is a const object
using is_key = is_key_type<std::remove_cv_t<T>>;

struct ignore_field {
    template <typename Pointer>
    constexpr void operator()(std::string_view, Pointer) const {}
};
template <typename Model>
concept has_field_list = requires {
    Model::for_each_field_pointer(ignore_field{});
};

// A JSON pointer token needs no escaping when it holds neither '/' nor '~' (no field name does).
// A plain loop: GCC 12 with -fsanitize=undefined does not evaluate string_view::find on a template
// parameter object in a constant expression.
constexpr bool plain_token(std::string_view name) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i)
        if (name[i] == '/' || name[i] == '~') return false;
    return true;
}

// The JSON name of a member pointer, "" when the member is not in its model's field list.
template <auto Member>
consteval std::string_view listed_name() {
    std::string_view found;
    member_of<decltype(Member)>::model::for_each_field_pointer([&](std::string_view name, auto pointer) {
        if constexpr (std::is_same_v<decltype(pointer), decltype(Member)>)
            if (pointer == Member) found = name;
    });
    return found;
}

template <auto Step>
consteval std::string_view step_name() {
    if constexpr (is_key<decltype(Step)>::value)
        return Step.view();
    else
        return listed_name<Step>();
}

// Whether Steps... is a path starting in Current (void: in any model).
template <typename Current, auto Step, auto... Rest>
consteval bool valid_chain() {
    using S = decltype(Step);
    if constexpr (is_key<S>::value) {
        if constexpr (!std::is_same_v<Current, nlohmann::json>) {
            return false;  // a json_key only goes where a model keeps raw JSON
        } else {
            if (!plain_token(Step.view())) return false;
            if constexpr (sizeof...(Rest) == 0)
                return true;
            else
                return valid_chain<nlohmann::json, Rest...>();
        }
    } else if constexpr (!member_of<S>::data_member) {
        return false;
    } else {
        using Model = typename member_of<S>::model;
        if constexpr (!has_field_list<Model>) {
            return false;
        } else if constexpr (!std::is_void_v<Current> && !std::is_same_v<Current, Model>) {
            return false;  // not a member of the previous step's type
        } else {
            if (!plain_token(listed_name<Step>())) return false;  // not in the field list
            if constexpr (sizeof...(Rest) == 0)
                return true;
            else
                return valid_chain<typename step_type<typename member_of<S>::type>::type, Rest...>();
        }
    }
}

template <auto... Steps>
concept path = sizeof...(Steps) > 0 && valid_chain<void, Steps...>();

template <auto... Steps>
inline constexpr auto path_chars = [] {
    std::array<char, (std::size_t{0} + ... + (1 + step_name<Steps>().size()))> out{};
    std::size_t at = 0;
    auto append = [&](std::string_view name) {
        out[at++] = '/';
        for (char c : name) out[at++] = c;
    };
    (append(step_name<Steps>()), ...);
    return out;
}();

}  // namespace field_path_detail

/// The JSON pointer of a chain of model members, e.g. json_path<&TaskDetail::assignee,
/// &TaskAssignee::name>() is "/assignee/name" (one static string per path).
template <auto... Steps>
requires field_path_detail::path<Steps...>
const std::string& json_path() {
    static const std::string text(field_path_detail::path_chars<Steps...>.data(),
                                  field_path_detail::path_chars<Steps...>.size());
    return text;
}

/// The same pointer as a compile-time constant.
template <auto... Steps>
requires field_path_detail::path<Steps...>
constexpr std::string_view json_pointer() {
    return {field_path_detail::path_chars<Steps...>.data(), field_path_detail::path_chars<Steps...>.size()};
}

/// The JSON name of one model member, e.g. json_name<&TaskDetail::updated_at>() is "updatedAt".
template <auto Member>
requires field_path_detail::path<Member>
constexpr std::string_view json_name() {
    return field_path_detail::step_name<Member>();
}

}  // namespace agentrail
