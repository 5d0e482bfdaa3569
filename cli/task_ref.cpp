#include "task_ref.hpp"

#include "agentrail/task_lookup.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/sanitize.hpp"

namespace agentrail::cli {

std::string resolve_task(Context& ctx, const std::string& ref) {
    if (is_task_id(ref)) return ref;
    if (ref.empty()) throw usage_error("task: expected a task id (tsk_...) or key (e.g. DEMO-1), got ''");
    if (ref.size() > 300 || sanitize(ref) != ref || ref.find(' ') != std::string::npos)
        throw usage_error("task: '" + sanitize(ref.substr(0, 80)) +
                          "' is neither a task id (tsk_...) nor a task key (e.g. DEMO-1)");
    auto previous_operation = ctx.operation();
    auto previous_subject = ctx.subject();
    ctx.set_operation("find task " + ref);
    auto lookup = find_task_by_key(ctx.client(), ref);
    if (lookup.task) {
        ctx.set_operation(previous_operation, previous_subject);
        ctx.log_debug("task key " + ref + " is " + lookup.task->id);
        return lookup.task->id;
    }
    nlohmann::json candidates = nlohmann::json::array();
    std::string listed;  // the first three keys (all of them are in the details of --errors json)
    for (const auto& c : lookup.candidates) {
        candidates.push_back({{"id", c.id}, {"identifier", c.identifier}, {"title", c.title}});
        if (candidates.size() <= 3) listed += (listed.empty() ? "" : ", ") + sanitize(c.identifier);
    }
    if (candidates.size() > 3) listed += ", ...";
    nlohmann::json details = {{"key", ref}, {"candidates", candidates}};
    if (lookup.ambiguous)
        throw Failure(exit_code::not_found, "ambiguous_task_key",
                      "'" + ref + "' matches " + std::to_string(lookup.candidates.size()) +
                          " of your tasks: " + listed + "; name one by its id or full key",
                      {}, details);
    throw Failure(
        exit_code::not_found, "task_not_found",
        "no task of yours has the key '" + ref + "'" +
            (listed.empty() ? std::string(" (see: agentrail tasks list)") : "; did you mean " + listed + "?"),
        {}, details);
}

}  // namespace agentrail::cli
