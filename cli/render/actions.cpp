// availableActions -> the agentrail command that performs each one. Every action the API contract
// documents has a command here, so neither "Next steps" nor an error's `next:` lines show a raw API
// action name.

#include <string>
#include <string_view>

#include "render/render.hpp"

namespace agentrail::cli {

std::string describe_action(std::string_view action, std::string_view subject) {
    std::string id = subject.empty() ? "ID" : std::string(subject);
    std::string task = subject.empty() ? "TASK" : std::string(subject);
    if (action == "start") return "agentrail task start " + task;
    if (action == "submit") return "agentrail task submit " + task + " --summary TEXT";
    if (action == "block" || action == "mark_blocked" || action == "block_awaiting_user")
        return "agentrail task block " + task +
               " --reason TEXT --action-required TEXT --resume-instructions TEXT";
    if (action == "resolve_blocker") return "agentrail task resolve " + task + " --summary TEXT";
    if (action == "view_ci_status" || action == "view_logs") return "agentrail task ci " + task;
    if (action == "retry_failed_checks") return "agentrail task ci " + task + " --watch";
    if (action == "view_review_feedback") return "agentrail task review " + task;
    if (action == "fix") return "agentrail task submit " + task + " --summary TEXT";
    if (action == "ship") return "agentrail task ship " + task;
    if (action == "rollback") return "agentrail task rollback " + task;
    if (action == "get_task" || action == "view_task") return "agentrail task show " + task;
    if (action == "list_my_tasks") return "agentrail tasks list";
    if (action == "fetch_next_page")
        return subject.empty() ? "agentrail tasks list --all" : "agentrail tasks list --cursor " + id;
    if (action == "rotate") return "agentrail keys rotate " + (subject.empty() ? "KEY_ID" : id);
    if (action == "view_usage") return "agentrail keys usage " + (subject.empty() ? "KEY_ID" : id);
    if (action == "deactivate") return "agentrail subscriptions delete " + id;
    if (action == "create") return "agentrail subscriptions create --url URL --event-type TYPE";
    if (action == "reauthenticate") return "agentrail config explain";
    if (action == "request_scope") return "agentrail doctor";
    if (action == "reconnect_without_cursor") return "agentrail events tail";
    // "retry" is the command that failed: main.cpp writes it out; without it there is nothing to suggest.
    if (action == "retry") return "";
    return std::string(action);
}

}  // namespace agentrail::cli
