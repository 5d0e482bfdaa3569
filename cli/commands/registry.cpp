#include "commands/registry.hpp"

#include <CLI/CLI.hpp>

#include "context.hpp"

namespace agentrail::cli {

// One declaration and one call per group: adding a group is a change here and a new file.
void register_tasks(CLI::App& app, Context& ctx);
void register_keys(CLI::App& app, Context& ctx);
void register_subscriptions(CLI::App& app, Context& ctx);
void register_api(CLI::App& app, Context& ctx);
void register_health(CLI::App& app, Context& ctx);
void register_config(CLI::App& app, Context& ctx);
void register_login(CLI::App& app, Context& ctx);
void register_version(CLI::App& app, Context& ctx);
void register_help(CLI::App& app, Context& ctx);
void register_events(CLI::App& app, Context& ctx);
void register_webhook(CLI::App& app, Context& ctx);
void register_wait(CLI::App& app, Context& ctx);  // extends tasks: after register_tasks
void register_doctor(CLI::App& app, Context& ctx);
void register_completion(CLI::App& app, Context& ctx);
void register_reference(CLI::App& app, Context& ctx);  // extends help: after register_help
void register_routing(CLI::App& app, Context& ctx);
void register_intake(CLI::App& app, Context& ctx);
void register_setup(CLI::App& app, Context& ctx);
void register_runs(CLI::App& app, Context& ctx);
void register_task_source(CLI::App& app, Context& ctx);  // extends tasks: after register_tasks

void register_all(CLI::App& app, Context& ctx) {
    register_tasks(app, ctx);
    register_keys(app, ctx);
    register_subscriptions(app, ctx);
    register_api(app, ctx);
    register_health(app, ctx);
    register_config(app, ctx);
    register_login(app, ctx);
    register_version(app, ctx);
    register_help(app, ctx);
    register_events(app, ctx);
    register_webhook(app, ctx);
    register_wait(app, ctx);
    register_doctor(app, ctx);
    register_completion(app, ctx);
    register_reference(app, ctx);
    register_routing(app, ctx);
    register_intake(app, ctx);
    register_setup(app, ctx);
    register_runs(app, ctx);
    register_task_source(app, ctx);
}

}  // namespace agentrail::cli
