// `agentrail health`: the server's unauthenticated health snapshot.

#include <CLI/CLI.hpp>

#include "commands/health.hpp"
#include "commands/run.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"

namespace agentrail::cli {

int run_health(const HealthOptions&, Context& ctx) {
    ctx.set_operation("health check");
    auto& out = ctx.out();
    auto r = ctx.client(Context::KeyNeed::optional).health();
    // /health answers a bare object, not an envelope.
    const auto& data = r.envelope.contains("data") ? r.raw_data() : r.envelope;
    out.object(data, r.envelope,
               {{"Status", json_path<&Health::status>(), Kind::status},
                {"Service", json_path<&Health::service>()},
                {"Base URL", json_path<&Health::public_base_url>()},
                {"Path prefix", json_path<&Health::path_prefix>()},
                {"Server time", json_path<&Health::time>()},
                {"Uptime (s)", json_path<&Health::uptime_seconds>()}},
               json_path<&Health::status>());
    return exit_code::ok;
}

void register_health(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("health", "Check that the server is up (no API key needed)");
    bind_run(cmd, ctx, std::make_shared<HealthOptions>(), run_health);
}

}  // namespace agentrail::cli
