#pragma once
// `agentrail keys`: options and run functions; the wiring is in keys.cpp.

#include <string>
#include <vector>

namespace agentrail::cli {

class Context;

/// `keys create`
struct KeyCreateOptions {
    std::string agent_id, display_name, role, rate_limit = "600/60s", expires_at;
    std::string save_to;                 // write the new key here (mode 0600) instead of printing it
    std::vector<std::string> scopes;     // de-duplicated
    std::vector<std::string> externals;  // PROVIDER:SUBJECT
};
int run_key_create(const KeyCreateOptions& options, Context& ctx);

/// `keys rotate`
struct KeyRotateOptions {
    std::string id;  // akey_...
    std::string expires_at;
    std::string save_to;
    bool save = false;  // into the active profile of the config file
};
int run_key_rotate(const KeyRotateOptions& options, Context& ctx);

/// `keys usage`
struct KeyUsageOptions {
    std::string id;  // akey_...
};
int run_key_usage(const KeyUsageOptions& options, Context& ctx);

}  // namespace agentrail::cli
