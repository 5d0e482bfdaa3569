#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace mock {

/// Upper bound of --tasks (generated tasks are held in memory, about 2 KB each).
inline constexpr std::size_t max_extra_tasks = 100000;

struct Config {
    std::string host = "127.0.0.1";
    int port = 3000;
    std::string ready_file;
    std::string path_prefix;  // normalised: empty or "/v1" (leading slash, no trailing slash)
    std::string seed_file;
    std::size_t extra_tasks = 0;
    std::size_t threads = 64;
    std::size_t keep_alive_timeout_s = 5;
    bool chunked_responses = false;
    bool log_requests = false;

    // CI and review simulation for submitted tasks.
    std::string ci_mode = "passing";  // passing | failing | pending
    double ci_pending_seconds = 0;
    std::string review_mode = "approved";  // approved | changes_requested | pending
    double review_delay_seconds = 0;
    // reference: CI and review transitions emit the reference server's types (task.ci_failed,
    // task.ci_recovered, task.review_approved, task.review_changes_requested); contract: only the
    // document's four (task.updated for CI, task.reviewed for review decisions).
    std::string event_types = "reference";

    // Event stream.
    std::size_t replay_buffer = 10000;
    int heartbeat_seconds = 20;
    long long heartbeat_ms = 0;     // mock-only override of the keepalive cadence for fast tests
    long long sse_retry_ms = 5000;  // the retry: each event stream opens with
    std::size_t max_streams = 0;    // per key; 0 = unlimited

    // Webhooks.
    bool allow_remote_webhooks = false;
    double delivery_backoff_scale = 1.0;
    std::size_t delivery_workers = 4;
    long long delivery_timeout_ms = 3000;

    // Fault injection rules given on the command line, as JSON objects (see faults.hpp).
    std::vector<std::string> faults;
    std::optional<unsigned long long> fault_seed;
};

// Parses argv. Returns the process exit code to use when parsing says "exit now" (help, error).
std::optional<int> parse_args(int argc, char** argv, Config& config);

}  // namespace mock
