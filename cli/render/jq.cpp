#include "render/jq.hpp"

extern "C" {
#include <jq.h>
}

#include "exit_codes.hpp"

namespace agentrail::cli {
namespace {

void collect_error(void* data, jv message) {
    auto* errors = static_cast<std::string*>(data);
    if (jv_get_kind(message) == JV_KIND_STRING) {
        if (!errors->empty()) *errors += "; ";
        *errors += jv_string_value(message);
    }
    jv_free(message);
}

}  // namespace

JqFilter::JqFilter(const std::string& program) : m_state(jq_init()) {
    if (m_state == nullptr) throw Failure(exit_code::unexpected, "jq", "cannot initialise jq");
    jq_set_error_cb(m_state, collect_error, &m_errors);
    if (jq_compile(m_state, program.c_str()) == 0) {
        auto message = m_errors.empty() ? std::string("compile error") : m_errors;
        jq_teardown(&m_state);
        throw usage_error("--jq: " + message);
    }
}

JqFilter::~JqFilter() {
    if (m_state != nullptr) jq_teardown(&m_state);
}

void JqFilter::apply(const nlohmann::json& input, const std::function<void(std::string_view)>& emit) {
    auto text = input.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    jv value = jv_parse_sized(text.data(), static_cast<int>(text.size()));
    if (!jv_is_valid(value)) {
        jv_free(value);
        throw Failure(exit_code::unexpected, "jq", "cannot hand the output to jq");
    }
    jq_start(m_state, value, 0);
    for (;;) {
        jv result = jq_next(m_state);
        if (!jv_is_valid(result)) {
            if (jv_invalid_has_msg(jv_copy(result))) {
                jv message = jv_invalid_get_msg(result);
                std::string reason = jv_get_kind(message) == JV_KIND_STRING ? jv_string_value(message)
                                                                            : "error (not a string)";
                jv_free(message);
                throw usage_error("--jq: " + reason);
            }
            jv_free(result);
            return;
        }
        if (jv_get_kind(result) == JV_KIND_STRING) {
            emit(std::string_view(jv_string_value(result),
                                  static_cast<std::size_t>(jv_string_length_bytes(jv_copy(result)))));
            jv_free(result);
        } else {
            jv dumped = jv_dump_string(result, 0);
            emit(jv_string_value(dumped));
            jv_free(dumped);
        }
    }
}

}  // namespace agentrail::cli
