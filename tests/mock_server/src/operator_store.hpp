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

// One managed-runner run, with the reference server's fields (neither contract has them; see
// docs/mock-server.md).
struct AgentRun {
    std::string id;
    std::string agent_id;
    std::string task_id;
    std::string task_identifier;
    std::string status = "starting";  // starting | running | succeeded | failed | awaiting_user | cancelled
    std::string branch_name;
    std::string token;  // run-context token (arrun_...)
    std::string created_at;
    std::optional<std::string> started_at;
    std::optional<std::string> finished_at;
    std::string updated_at;
    std::optional<int> exit_code;
    std::optional<std::string> summary;
    Json user_action;  // null, or the awaiting-user request of a blocked report
    Json reports = Json::array();
    Json reported_handoff;  // null until a report carries a handoff

    bool active() const { return status == "starting" || status == "running"; }
};

struct OperatorState {
    Json current_rule_set;                         // the active revision
    std::map<std::string, Json> profiles;          // by agent id
    std::unordered_map<std::string, Json> audits;  // by routing decision id: the audit record's data
    std::vector<AgentRun> runs;                    // in creation order
    std::unordered_map<std::string, std::size_t> run_index;  // run id -> position in runs
    std::unordered_map<std::string, std::string> intake;     // providerIssueId -> task id
    struct SetupRecord {
        std::string task_id;
        std::string created_at;
    };
    std::map<std::string, SetupRecord> setup_tasks;  // by agent id

    // Replaces everything with the seed's "routing" section (throws std::runtime_error).
    void load_seed(const Json& seed);

    const Json& active_rule_set() const { return current_rule_set; }
    // Activates a new revision built from a validated replace request; it supersedes the active one.
    const Json& replace_rule_set(const Json& request, const std::string& created_by);
    AgentRun* find_run(const std::string& id);
    // A new starting run of the task's assignee, unless the task has an active run (which is returned).
    AgentRun& start_run(const Task& task);
};

// Validates a routing rule set replace request / agent profile replace request / provider issue
// snapshot the way the document's schemas do; errors go to `errors` as {field, reason}.
void check_rule_set_request(const Json& body, FieldErrors& errors);
void check_profile_request(const Json& body, FieldErrors& errors);
void check_snapshot(const Json& snapshot, FieldErrors& errors, const std::string& path);

// The routing engine, following the reference server's: evaluates `snapshot` with `rule_set` against
// the agent profiles and the agents' open tasks. Deterministic (see docs/mock-server.md, "Routing").
// Returns the decision object of the document (RoutingDecision) with taskId/taskIdentifier null.
// `except_task`: the task being routed again, which does not count against its agent's capacity.
Json evaluate_routing(const Store& store, const Json& rule_set, const Json& snapshot,
                      const std::string& decision_id, const std::string& except_task = "");

// "sha256:<hex>" of the snapshot's canonical JSON.
std::string snapshot_digest(const Json& snapshot);

// The task's source as the reference server keeps it ({provider, owner, repo, issueNumber, ...});
// seeded tasks get one derived from their issue link.
Json task_source_json(const Task& task);
// Base branch of the task's pull requests: the source's baseBranch, else main.
std::string task_base_branch(const Task& task);
// Validates a PATCH /operator/tasks/{id}/source body ({sourceRef, changeReason, source}).
void check_source_repair(const Json& body, FieldErrors& errors);

// The run as the reference server renders it.
Json agent_run_json(const AgentRun& run);

}  // namespace mock
