#pragma once
// A compiled jq program (libjq), applied to each JSON value the CLI prints.

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

struct jq_state;

namespace agentrail::cli {

class JqFilter {
public:
    /// Compiles `program` once; throws a usage Failure with jq's message when it does not compile.
    explicit JqFilter(const std::string& program);
    ~JqFilter();
    JqFilter(const JqFilter&) = delete;
    JqFilter& operator=(const JqFilter&) = delete;

    /// Runs the program on `input` and hands each result to `emit` as text: strings raw (like `jq -r`),
    /// everything else as compact JSON. Throws a usage Failure on a jq runtime error.
    void apply(const nlohmann::json& input, const std::function<void(std::string_view)>& emit);

private:
    jq_state* m_state = nullptr;
    std::string m_errors;
};

}  // namespace agentrail::cli
