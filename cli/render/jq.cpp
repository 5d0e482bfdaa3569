#include "render/jq.hpp"

#include <dlfcn.h>

#include <cstring>

extern "C" {
#include <jq.h>
}

#include "exit_codes.hpp"

namespace agentrail::cli {
namespace {

// libjq (and the oniguruma it pulls in) is loaded only when --jq is used: every other command starts
// without mapping and relocating them.
// clang-format off
#define AGENTRAIL_JQ_FUNCTIONS(X)                                                                   \
    X(jq_init) X(jq_set_error_cb) X(jq_compile) X(jq_teardown) X(jq_start) X(jq_next)                \
    X(jv_free) X(jv_copy) X(jv_get_kind) X(jv_string_value) X(jv_string_length_bytes)                \
    X(jv_parse_sized) X(jv_invalid_has_msg) X(jv_invalid_get_msg) X(jv_dump_string)
// clang-format on

struct JqApi {
#define AGENTRAIL_JQ_MEMBER(name) decltype(&::name) name = nullptr;
    AGENTRAIL_JQ_FUNCTIONS(AGENTRAIL_JQ_MEMBER)
#undef AGENTRAIL_JQ_MEMBER
};

JqApi load_jq() {
    void* lib = dlopen("libjq.so.1", RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr)
        throw Failure(exit_code::unexpected, "jq",
                      std::string("--jq needs libjq (package libjq1): ") + dlerror());
    JqApi api;
#define AGENTRAIL_JQ_LOAD(name)                              \
    if (void* symbol = dlsym(lib, #name); symbol != nullptr) \
        std::memcpy(&api.name, &symbol, sizeof symbol);      \
    else                                                     \
        throw Failure(exit_code::unexpected, "jq", "libjq lacks " #name);
    AGENTRAIL_JQ_FUNCTIONS(AGENTRAIL_JQ_LOAD)
#undef AGENTRAIL_JQ_LOAD
    return api;
}

const JqApi& jq() {
    static const JqApi api = load_jq();
    return api;
}

// jv.h defines jv_is_valid as a static function over jv_get_kind.
bool is_valid(jv value) {
    return jq().jv_get_kind(value) != JV_KIND_INVALID;
}

void collect_error(void* data, jv message) {
    auto* errors = static_cast<std::string*>(data);
    if (jq().jv_get_kind(message) == JV_KIND_STRING) {
        if (!errors->empty()) *errors += "; ";
        *errors += jq().jv_string_value(message);
    }
    jq().jv_free(message);
}

}  // namespace

JqFilter::JqFilter(const std::string& program) : m_state(jq().jq_init()) {
    if (m_state == nullptr) throw Failure(exit_code::unexpected, "jq", "cannot initialise jq");
    jq().jq_set_error_cb(m_state, collect_error, &m_errors);
    if (jq().jq_compile(m_state, program.c_str()) == 0) {
        auto message = m_errors.empty() ? std::string("compile error") : m_errors;
        jq().jq_teardown(&m_state);
        throw usage_error("--jq: " + message);
    }
}

JqFilter::~JqFilter() {
    if (m_state != nullptr) jq().jq_teardown(&m_state);
}

void JqFilter::apply(const nlohmann::json& input, const std::function<void(std::string_view)>& emit) {
    auto text = input.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    jv value = jq().jv_parse_sized(text.data(), static_cast<int>(text.size()));
    if (!is_valid(value)) {
        jq().jv_free(value);
        throw Failure(exit_code::unexpected, "jq", "cannot hand the output to jq");
    }
    jq().jq_start(m_state, value, 0);
    for (;;) {
        jv result = jq().jq_next(m_state);
        if (!is_valid(result)) {
            if (jq().jv_invalid_has_msg(jq().jv_copy(result))) {
                jv message = jq().jv_invalid_get_msg(result);
                std::string reason = jq().jv_get_kind(message) == JV_KIND_STRING
                                         ? jq().jv_string_value(message)
                                         : "error (not a string)";
                jq().jv_free(message);
                throw usage_error("--jq: " + reason);
            }
            jq().jv_free(result);
            return;
        }
        if (jq().jv_get_kind(result) == JV_KIND_STRING) {
            emit(std::string_view(
                jq().jv_string_value(result),
                static_cast<std::size_t>(jq().jv_string_length_bytes(jq().jv_copy(result)))));
            jq().jv_free(result);
        } else {
            jv dumped = jq().jv_dump_string(result, 0);
            emit(jq().jv_string_value(dumped));
            jq().jv_free(dumped);
        }
    }
}

}  // namespace agentrail::cli
