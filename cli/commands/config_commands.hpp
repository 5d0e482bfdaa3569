#pragma once
// `agentrail config`: options and run functions of its subcommands; the wiring is in config.cpp.

#include <string>

namespace agentrail::cli {

class Context;

/// `config explain`: each setting, its value and where it came from.
struct ConfigExplainOptions {};
int run_config_explain(const ConfigExplainOptions& options, Context& ctx);

/// `config set KEY [VALUE]` (api_key: prompted for, or read from standard input; never a value).
struct ConfigSetOptions {
    std::string key;    // base_url, api_key, api_key_file, retries or timeout
    std::string value;  // empty for api_key
};
int run_config_set(const ConfigSetOptions& options, Context& ctx);

/// `config unset KEY`: exit 5 when it is not set.
struct ConfigUnsetOptions {
    std::string key;
};
int run_config_unset(const ConfigUnsetOptions& options, Context& ctx);

/// `config get KEY` (api_key masked): exit 5 when it is not set.
struct ConfigGetOptions {
    std::string key;
};
int run_config_get(const ConfigGetOptions& options, Context& ctx);

/// `config list`: the profiles (api_key masked); --quiet: their names, one per line.
struct ConfigListOptions {};
int run_config_list(const ConfigListOptions& options, Context& ctx);

/// `config use-profile NAME`: exit 2 for a profile the file does not have.
struct ConfigUseProfileOptions {
    std::string name;
};
int run_config_use_profile(const ConfigUseProfileOptions& options, Context& ctx);

}  // namespace agentrail::cli
