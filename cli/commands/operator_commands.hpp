#pragma once
// Operator commands' options and run functions (intake, setup, task source, runs); the wiring is in
// intake.cpp, setup.cpp, task_source.cpp and runs.cpp.

#include <cstdint>
#include <string>

namespace agentrail::cli {

class Context;

/// `intake issue -f SNAPSHOT.json [--dry-run]`
struct IntakeIssueOptions {
    std::string file;  // ProviderIssueSnapshot JSON, "-" = stdin
    bool dry_run = false;
};
int run_intake_issue(const IntakeIssueOptions& options, Context& ctx);

/// `setup verify-task --agent agt_...`
struct SetupVerifyTaskOptions {
    std::string agent, source_ref;
};
int run_setup_verify_task(const SetupVerifyTaskOptions& options, Context& ctx);

/// `tasks source set ID -f SOURCE.json`
struct TaskSourceSetOptions {
    std::string id, file;
};
int run_task_source_set(const TaskSourceSetOptions& options, Context& ctx);

/// `routing rules show`
struct RoutingRulesShowOptions {};
int run_routing_rules_show(const RoutingRulesShowOptions& options, Context& ctx);

/// `routing rules set -f FILE` and `routing profile set AGENT -f FILE`
struct RoutingReplaceOptions {
    std::string agent;  // profile set only
    std::string file;
    bool dry_run = false;  // print the changes, send nothing
    bool yes = false;      // do not ask (required when stdin is not a terminal)
};
int run_routing_rules_set(const RoutingReplaceOptions& options, Context& ctx);
int run_routing_profile_set(const RoutingReplaceOptions& options, Context& ctx);

/// `routing profile show AGENT`
struct RoutingProfileShowOptions {
    std::string agent;
};
int run_routing_profile_show(const RoutingProfileShowOptions& options, Context& ctx);

/// `routing evaluate -f SNAPSHOT.json`
struct RoutingEvaluateOptions {
    std::string file;
    std::int64_t rule_set_version = 0;  // 0 = the active one
};
int run_routing_evaluate(const RoutingEvaluateOptions& options, Context& ctx);

/// `routing audit rdec_...`
struct RoutingAuditOptions {
    std::string decision;
};
int run_routing_audit(const RoutingAuditOptions& options, Context& ctx);

/// `runs list`
struct RunListOptions {
    std::string agent, status;
    int limit = 0;
};
int run_runs_list(const RunListOptions& options, Context& ctx);

/// `runs show RUN`
struct RunShowOptions {
    std::string id;
};
int run_runs_show(const RunShowOptions& options, Context& ctx);

/// `runs context RUN --run-token-file FILE`
struct RunContextOptions {
    std::string id, token_file;
};
int run_runs_context(const RunContextOptions& options, Context& ctx);

/// `runs report RUN -f REPORT.json [--run-token-file FILE]`
struct RunReportOptions {
    std::string id, file, token_file;
};
int run_runs_report(const RunReportOptions& options, Context& ctx);

}  // namespace agentrail::cli
