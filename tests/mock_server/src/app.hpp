#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config.hpp"
#include "events.hpp"
#include "faults.hpp"
#include "idempotency.hpp"
#include "json.hpp"
#include "store.hpp"
#include "util.hpp"
#include "webhooks.hpp"

namespace mock {

struct Stats {
    std::atomic<long long> connections{0};  // accepted TCP connections
    std::atomic<long long> active_connections{0};
    std::atomic<long long> requests{0};
    std::atomic<long long> streams_total{0};
    std::atomic<long long> streams_active{0};
    std::atomic<long long> stream_events_sent{0};
};

// Everything one server instance owns.
struct App {
    explicit App(Config cfg);

    Config config;
    std::string origin;    // http://127.0.0.1:PORT
    std::string base_url;  // origin + path prefix
    Json seed;             // as loaded, for /_mock/reset
    Store store;
    EventBus bus;
    IdempotencyStore idempotency;  // guarded by store.mutex
    Faults faults;
    Webhooks webhooks;
    Stats stats;
    std::atomic<bool> stopping{false};
    SteadyClock::time_point started = SteadyClock::now();
    // Paced event bursts; joined at shutdown.
    std::mutex background_mutex;
    std::vector<std::thread> background;
};

}  // namespace mock
