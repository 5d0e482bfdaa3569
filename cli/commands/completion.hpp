#pragma once
// `agentrail completion` and the hidden `agentrail __complete`: options and run functions; the wiring is in
// completion.cpp.

#include <string>

namespace CLI {
class App;
}

namespace agentrail::cli {

class Context;

/// `completion SHELL`: the script for bash, zsh or fish, generated from the command tree under `root`.
struct CompletionOptions {
    std::string shell;
    const CLI::App* root = nullptr;  // the whole command line (set by the wiring)
};
int run_completion(const CompletionOptions& options, Context& ctx);

/// `__complete tasks [PREFIX]`: candidate task ids and keys, one "VALUE<TAB>DESCRIPTION" a line. Exit 0
/// and nothing printed on any failure (no server, no key, a slow answer).
struct CompleteOptions {
    std::string what;  // "tasks"
    std::string prefix;
};
int run_complete(const CompleteOptions& options, Context& ctx);

}  // namespace agentrail::cli
