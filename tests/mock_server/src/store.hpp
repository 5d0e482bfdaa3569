#pragma once

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "json.hpp"
#include "model.hpp"
#include "operator_store.hpp"

namespace mock {

// All mutable server state. One mutex guards everything: request handlers are short and the
// mock values simple, predictable behaviour over parallelism.
struct Store {
    std::mutex mutex;

    std::map<std::string, Agent> agents;
    std::unordered_map<std::string, ApiKey> keys;                // by key id
    std::unordered_map<std::string, std::string> key_by_secret;  // secret -> key id
    std::unordered_map<std::string, std::unique_ptr<Task>> tasks;
    std::unordered_map<std::string, std::vector<Task*>> tasks_by_agent;  // in creation order
    std::vector<std::string> subscription_order;
    std::unordered_map<std::string, Subscription> subscriptions;
    std::unordered_map<std::string, std::string> task_by_linear_issue;
    std::unordered_map<std::string, Json> linear_receipts;  // Linear-Delivery -> receipt data
    std::set<std::string> circleci_event_ids;
    std::set<std::string> sim_pending;  // task ids with a pending CI or review timer
    OperatorState operator_state;       // routing rule sets, profiles, audit, managed runs

    // Replaces the whole state with the seed (throws std::runtime_error on a malformed seed).
    void load_seed(const Json& seed, std::size_t extra_tasks);

    Task* find_task(const std::string& id);
    ApiKey* find_key(const std::string& id);
    ApiKey* find_key_by_secret(const std::string& secret);
    Task& add_task(Task task);
    void add_key(ApiKey key);
    const Agent& agent_or_placeholder(const std::string& id);
};

// One task in seed format (see docs/mock-server.md); throws std::runtime_error.
Task parse_seed_task(const Json& j, const std::string& where);

// The seed compiled into the binary (seed.example.json).
const char* default_seed_json();

}  // namespace mock
