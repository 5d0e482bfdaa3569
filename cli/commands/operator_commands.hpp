#pragma once
// Operator commands' options and run functions (intake, setup, task source); the wiring is in
// intake.cpp, setup.cpp and task_source.cpp.

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

}  // namespace agentrail::cli
