#include "config.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

#include "json.hpp"

namespace mock {

std::optional<int> parse_args(int argc, char** argv, Config& config) {
    CLI::App app{"agentrail-mock: a stateful local AgentRail server for tests, demos and CI",
                 "agentrail-mock"};
    app.set_version_flag("--version", "agentrail-mock 0.1.0");

    app.add_option("--host", config.host, "Address to bind")->capture_default_str();
    app.add_option("--port", config.port, "Port to bind; 0 picks a free port")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    app.add_option("--ready-file", config.ready_file,
                   "Also write the ready JSON line to this file (atomically)");
    app.add_option("--path-prefix", config.path_prefix,
                   "Public path prefix, e.g. /v1 (routes answer with and without it)");
    app.add_option("--seed", config.seed_file, "JSON seed file (default: the built-in seed)");
    // Every numeric flag has a range: a negative or huge count would otherwise wrap around or be
    // allocated as given (--tasks 99999999999 took the machine's memory).
    app.add_option("--tasks", config.extra_tasks, "Generate N extra tasks assigned to the demo agent")
        ->check(CLI::Range(std::size_t{0}, max_extra_tasks))
        ->capture_default_str();
    app.add_option("--threads", config.threads,
                   "Worker threads kept ready (each connection or stream holds one; more start, up to "
                   "1024, while all are busy)")
        ->check(CLI::Range(4, 1024))
        ->capture_default_str();
    app.add_option("--keep-alive-timeout", config.keep_alive_timeout_s, "Idle keep-alive timeout in seconds")
        ->check(CLI::Range(1, 600))
        ->capture_default_str();
    app.add_flag("--chunked-responses", config.chunked_responses,
                 "Send JSON bodies with Transfer-Encoding: chunked like the reference server");
    app.add_flag("--log-requests", config.log_requests, "Log each request to stderr");

    app.add_option("--ci", config.ci_mode, "CI outcome for submitted tasks")
        ->check(CLI::IsMember({"passing", "failing", "pending"}))
        ->capture_default_str();
    app.add_option("--ci-pending-seconds", config.ci_pending_seconds,
                   "CI stays running this long after submit before reaching its outcome")
        ->check(CLI::Range(0.0, 86400.0))
        ->capture_default_str();
    app.add_option("--review", config.review_mode, "Review outcome for submitted tasks")
        ->check(CLI::IsMember({"approved", "changes_requested", "pending"}))
        ->capture_default_str();
    app.add_option(
           "--event-types", config.event_types,
           "Event types for CI and review transitions: reference (task.ci_failed, task.ci_recovered, "
           "task.review_approved, task.review_changes_requested, as the reference server) or contract "
           "(only the document's four: task.updated, task.reviewed)")
        ->check(CLI::IsMember({"reference", "contract"}))
        ->capture_default_str();
    app.add_option("--review-delay-seconds", config.review_delay_seconds,
                   "Review stays pending this long after submit")
        ->check(CLI::Range(0.0, 86400.0))
        ->capture_default_str();

    app.add_option("--replay-buffer", config.replay_buffer, "Events kept for SSE replay")
        ->check(CLI::Range(1, 10000000))
        ->capture_default_str();
    app.add_option("--heartbeat-seconds", config.heartbeat_seconds, "Default SSE keepalive cadence (10..60)")
        ->check(CLI::Range(10, 60))
        ->capture_default_str();
    app.add_option("--sse-retry-ms", config.sse_retry_ms,
                   "Reconnect delay each event stream announces (its retry: field), in milliseconds")
        ->check(CLI::Range(0LL, 600000LL))
        ->capture_default_str();
    app.add_option("--heartbeat-ms", config.heartbeat_ms,
                   "Mock-only: default SSE keepalive cadence in milliseconds (overrides --heartbeat-seconds)")
        ->check(CLI::Range(10LL, 600000LL));
    app.add_option("--max-streams", config.max_streams, "Concurrent SSE streams per key (0 = unlimited)")
        ->check(CLI::Range(std::size_t{0}, std::size_t{100000}))
        ->capture_default_str();

    app.add_flag("--allow-remote-webhooks", config.allow_remote_webhooks,
                 "Deliver webhooks to non-loopback URLs too");
    app.add_option("--delivery-backoff-scale", config.delivery_backoff_scale,
                   "Multiply the webhook retry schedule (10s,30s,90s,5m,15m,30m,1h) by this factor")
        ->check(CLI::Range(0.0, 100.0))
        ->capture_default_str();
    app.add_option("--delivery-workers", config.delivery_workers, "Concurrent webhook deliveries")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    app.add_option("--delivery-timeout-ms", config.delivery_timeout_ms, "Per-attempt webhook timeout")
        ->check(CLI::Range(10LL, 60000LL))
        ->capture_default_str();

    app.add_option("--fault", config.faults, "Fault rule as JSON, repeatable (see docs/mock-server.md)");
    long long fail_next = 0;
    int fail_status = 500;
    std::string fail_code;
    double fail_rate = 0;
    long long latency_ms = 0;
    long long sse_cut_every = 0;
    bool sse_stall = false;
    std::string fault_path;
    app.add_option("--fail-next", fail_next, "Fail the next N requests with --fail-status")
        ->check(CLI::Range(0LL, 1000000000LL));
    app.add_option("--fail-rate", fail_rate, "Fail this fraction of requests with --fail-status")
        ->check(CLI::Range(0.0, 1.0));
    app.add_option("--fail-status", fail_status, "Status for --fail-next/--fail-rate")
        ->check(CLI::Range(100, 599))
        ->capture_default_str();
    app.add_option("--fail-code", fail_code, "Error code for --fail-next/--fail-rate");
    app.add_option("--latency-ms", latency_ms, "Add this latency to every request")
        ->check(CLI::Range(0LL, 600000LL));
    app.add_option("--sse-cut-every", sse_cut_every, "Cut every SSE stream after N events")
        ->check(CLI::Range(0LL, 1000000000LL));
    app.add_flag("--sse-stall", sse_stall, "Streams send headers and then nothing at all");
    app.add_option("--fault-path", fault_path,
                   "Only apply the convenience fault flags to paths containing this");
    unsigned long long fault_seed = 0;
    auto* seed_opt = app.add_option("--fault-seed", fault_seed, "Seed for probabilistic faults");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help / --version exit 0; every usage error exits 2 (CLI11's own codes are 100 and up).
        return app.exit(e) == 0 ? 0 : 2;
    }
    if (*seed_opt) config.fault_seed = fault_seed;

    auto& prefix = config.path_prefix;
    while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
    if (!prefix.empty() && prefix.front() != '/') prefix.insert(prefix.begin(), '/');

    auto add_rule = [&](Json rule) {
        if (!fault_path.empty()) rule["pathContains"] = fault_path;
        config.faults.push_back(rule.dump());
    };
    if (fail_next > 0) {
        Json rule{{"kind", "status"}, {"status", fail_status}, {"count", fail_next}};
        if (!fail_code.empty()) rule["code"] = fail_code;
        add_rule(rule);
    }
    if (fail_rate > 0) {
        Json rule{{"kind", "status"}, {"status", fail_status}, {"probability", fail_rate}};
        if (!fail_code.empty()) rule["code"] = fail_code;
        add_rule(rule);
    }
    if (latency_ms > 0) add_rule(Json{{"kind", "latency"}, {"latencyMs", latency_ms}});
    if (sse_cut_every > 0) add_rule(Json{{"kind", "sse_cut"}, {"everyEvents", sse_cut_every}});
    if (sse_stall) add_rule(Json{{"kind", "sse_stall"}});
    return std::nullopt;
}

}  // namespace mock
