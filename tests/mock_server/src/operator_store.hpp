#pragma once

// State and routing engine of the operator API (intake-routing-admin.openapi.yaml) and of the
// reference server's managed-runner routes. Guarded by the store mutex like everything else.

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "json.hpp"
#include "validation.hpp"

namespace mock {

struct Store;
struct Task;

// One managed-runner run of an agent on a task (not in either contract; see docs/mock-server.md).
struct AgentRun {
    std::string id;
    std::string task_id;
    std::string agent_id;
    std::string trigger;  // intake | setup_verification
    std::optional<std::string> routing_decision_id;
    std::string status = "queued";  // queued | running | succeeded | failed | blocked | cancelled
    std::string token;              // run-context token (rctx_...), valid while the run is not finished
    std::string created_at;
    std::optional<std::string> started_at;
    std::optional<std::string> finished_at;
    std::string updated_at;
    Json report;  // null until reported

    bool finished() const { return status != "queued" && status != "running"; }
};

struct OperatorState {
    // Every rule set revision in version order; back() is the active one.
    std::vector<Json> rule_sets;
    std::map<std::string, Json> profiles;          // by agent id
    std::unordered_map<std::string, Json> audits;  // by routing decision id: the audit record's data
    std::vector<AgentRun> runs;                    // in creation order
    std::unordered_map<std::string, std::size_t> run_index;     // run id -> position in runs
    std::unordered_map<std::string, std::string> run_by_token;  // token -> run id
    struct IntakeRecord {
        std::string task_id;
        std::string source_version;
        std::string decision_id;
    };
    std::unordered_map<std::string, IntakeRecord> intake;  // by providerIssueId
    struct SetupRecord {
        std::string task_id;
        std::string created_at;
    };
    std::map<std::string, SetupRecord> setup_tasks;  // by agent id

    // Replaces everything with the seed's "routing" section (throws std::runtime_error).
    void load_seed(const Json& seed);

    const Json& active_rule_set() const { return rule_sets.back(); }
    const Json* rule_set_version(long long version) const;
    // Activates a new revision built from a validated replace request; the previous one is superseded.
    const Json& replace_rule_set(const Json& request, const std::string& created_by);
    AgentRun* find_run(const std::string& id);
    AgentRun* find_run_by_token(const std::string& token);
    // A new queued run unless the task already has one queued or running (which is returned).
    AgentRun& start_run(const Task& task, const std::string& trigger, std::optional<std::string> decision_id);
};

// Validates a routing rule set replace request / agent profile replace request / provider issue
// snapshot the way the document's schemas do; errors go to `errors` as {field, reason}.
void check_rule_set_request(const Json& body, FieldErrors& errors);
void check_profile_request(const Json& body, FieldErrors& errors);
void check_snapshot(const Json& snapshot, FieldErrors& errors, const std::string& path);

// The routing engine: evaluates `snapshot` with `rule_set` against the agent profiles and the
// agents' open tasks. Deterministic (see docs/mock-server.md, "Routing"). Returns the decision
// object of the document (RoutingDecision) with taskId/taskIdentifier null.
Json evaluate_routing(const Store& store, const Json& rule_set, const Json& snapshot,
                      const std::string& decision_id);

// "sha256:<hex>" of the snapshot's canonical JSON.
std::string snapshot_digest(const Json& snapshot);

// The task's source (provider, repository, issue) as the task-source routes show it.
Json task_source_json(const Task& task);
// Base branch of pull requests for the task: the source's baseBranch, else the repository's
// default branch, else main.
std::string task_base_branch(const Task& task);

Json agent_run_json(const AgentRun& run, const Store& store);

}  // namespace mock
