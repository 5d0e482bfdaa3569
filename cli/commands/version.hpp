#pragma once
// `agentrail version`: options, run function (wiring in version.cpp).

namespace agentrail::cli {

class Context;

struct VersionOptions {};
/// The CLI, library and libcurl versions, commit and build date; --quiet: the CLI version.
int run_version(const VersionOptions& options, Context& ctx);

}  // namespace agentrail::cli
