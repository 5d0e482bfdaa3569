#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "json.hpp"

namespace mock {

// One fault-injection rule. Kinds:
//   status          answer with `status` (default 500) and an error body with `code`
//   rate_limit      answer 429 rate_limited with retry-after: `retryAfterSeconds`
//   latency         sleep `latencyMs` before handling the request normally
//   cut_body        send the real response's headers and half its body, then close the connection
//   malformed_json  send the real status with the first half of the real body (invalid JSON)
//   non_json        answer `status` (default 502) with an HTML body
//   sse_cut         close event streams after every `everyEvents` events
//   sse_stall       event streams send headers and then nothing at all
//   sse_drop_idle   a stream that has sent nothing for `idleMs` is dropped silently: it sends nothing
//                   more (its events are discarded) but stays open, as a connection a NAT or a load
//                   balancer forgot while the client slept
// Targeting: `pathContains`, `method`. Budget: `count` (-1 = unlimited) and/or `probability`.
struct FaultRule {
    std::string id;
    std::string kind;
    int status = 0;
    std::string code;
    std::string message;
    long long latency_ms = 0;
    long long retry_after = 1;
    long long every_events = 0;
    long long idle_ms = 0;
    long long remaining = 1;  // -1 = unlimited
    double probability = 1.0;
    std::string path_contains;
    std::string method;
    long long injected = 0;

    Json to_json() const;
};

struct FaultDecision {
    long long latency_ms = 0;
    std::optional<FaultRule> response;  // status, rate_limit, non_json, cut_body or malformed_json
};

struct StreamFaults {
    long long cut_every = 0;
    bool stall = false;
    std::string cut_rule_id;
    long long drop_idle_ms = 0;
    std::string drop_rule_id;
};

class Faults {
public:
    explicit Faults(std::optional<unsigned long long> seed);

    // Parses and adds a rule; returns an error message on a bad spec.
    std::optional<std::string> add(const Json& spec, FaultRule* added = nullptr);
    void clear();
    bool remove(const std::string& id);

    FaultDecision decide(const std::string& method, const std::string& path, bool is_stream);
    StreamFaults stream_faults(const std::string& path);
    // Counts one SSE cut performed for rule `id`.
    void count_stream_cut(const std::string& id);

    Json to_json() const;
    long long total_injected() const;

private:
    bool triggers(FaultRule& rule);
    void count(FaultRule& rule);

    mutable std::mutex m_mutex;
    std::vector<FaultRule> m_rules;
    std::map<std::string, long long> m_by_kind;
    long long m_total = 0;
    long long m_next_id = 1;
    std::mt19937_64 m_rng;
};

}  // namespace mock
