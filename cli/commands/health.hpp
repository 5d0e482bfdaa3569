#pragma once
// `agentrail health`: options, run function (wiring in health.cpp).

namespace agentrail::cli {

class Context;

struct HealthOptions {};
/// GET /health (no API key needed) rendered as key/value rows; --quiet: the status.
int run_health(const HealthOptions& options, Context& ctx);

}  // namespace agentrail::cli
