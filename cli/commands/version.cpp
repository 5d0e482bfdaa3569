// `agentrail version` (and --version): the CLI, library and libcurl versions, the commit and build date.

#include <string>

#include <CLI/CLI.hpp>

#include "agentrail/curl_transport.hpp"
#include "agentrail/version.hpp"
#include "build_info.hpp"
#include "commands/registry.hpp"
#include "commands/run.hpp"
#include "commands/version.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"

#ifndef AGENTRAIL_CLI_VERSION
#define AGENTRAIL_CLI_VERSION "0.0.0"
#endif

namespace agentrail::cli {

std::string version_text() {
    return std::string("agentrail ") + AGENTRAIL_CLI_VERSION + " (commit " + build_commit() + ", built " +
           build_date() + "; libagentrail " + agentrail::version() + ", " + agentrail::curl_version() + ")";
}

int run_version(const VersionOptions&, Context& ctx) {
    auto& out = ctx.out();
    Json data = {{"cli", AGENTRAIL_CLI_VERSION},
                 {"commit", build_commit()},
                 {"buildDate", build_date()},
                 {"library", agentrail::version()},
                 {"curl", curl_version()}};
    out.result(data, data, AGENTRAIL_CLI_VERSION, [&] { out.line(version_text()); });
    return exit_code::ok;
}

void register_version(CLI::App& app, Context& ctx) {
    auto* cmd =
        app.add_subcommand("version", "Show the CLI version, commit and build date, library and libcurl");
    bind_run(cmd, ctx, std::make_shared<VersionOptions>(), run_version);
}

}  // namespace agentrail::cli
