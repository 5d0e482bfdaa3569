#include "commands/registry.hpp"

#include <array>
#include <string_view>

#include <CLI/CLI.hpp>

#include "context.hpp"

namespace agentrail::cli {

// One declaration and one entry of kGroups per group: adding a group is a change here and a new file.
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

namespace {

using Registrar = void (*)(CLI::App&, Context&);

/// One top-level command: the words that name it, and what adds it (in this order).
struct Group {
    std::string_view name;
    std::string_view alias;
    std::array<Registrar, 3> add;
    /// Reads the whole command tree when it runs (help topics, completion scripts).
    bool whole_tree = false;
};

// In the order of the help listing. Groups that extend another one come right after it.
constexpr std::array kGroups{
    Group{"tasks", "task", {register_tasks, register_wait, register_task_source}},
    Group{"keys", "", {register_keys}},
    Group{"subscriptions", "subs", {register_subscriptions}},
    Group{"api", "", {register_api}},
    Group{"health", "", {register_health}},
    Group{"config", "", {register_config}},
    Group{"login", "", {register_login}},
    Group{"version", "", {register_version}},
    Group{"help", "", {register_help, register_reference}, true},
    Group{"events", "", {register_events}},
    Group{"webhook", "", {register_webhook}},
    Group{"doctor", "", {register_doctor}},
    Group{"completion", "__complete", {register_completion}, true},
    Group{"routing", "", {register_routing}},
    Group{"intake", "", {register_intake}},
    Group{"setup", "", {register_setup}},
    Group{"runs", "", {register_runs}},
};

void add(CLI::App& app, Context& ctx, const Group& group) {
    for (Registrar r : group.add)
        if (r != nullptr) r(app, ctx);
}

}  // namespace

void register_all(CLI::App& app, Context& ctx) {
    for (const auto& group : kGroups) add(app, ctx, group);
}

bool register_named(CLI::App& app, Context& ctx, int argc, const char* const* argv) {
    std::array<bool, kGroups.size()> named{};
    bool any = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view word = argv[i];
        for (std::size_t g = 0; g < kGroups.size(); ++g) {
            if (word != kGroups[g].name && (kGroups[g].alias.empty() || word != kGroups[g].alias)) continue;
            if (kGroups[g].whole_tree) {
                register_all(app, ctx);
                return false;
            }
            named[g] = any = true;
        }
    }
    if (!any) {
        register_all(app, ctx);
        return false;
    }
    for (std::size_t g = 0; g < kGroups.size(); ++g)
        if (named[g]) add(app, ctx, kGroups[g]);
    return true;
}

}  // namespace agentrail::cli
