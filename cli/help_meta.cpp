#include "help_meta.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace agentrail::cli {
namespace {

// A real task of agentrail-mock's seed, so each example can be pasted against `agentrail-mock` as is.
#define T "tsk_01JZDEMO0000000000000001"

const std::map<std::string, std::vector<std::string>, std::less<>> examples = {
    {"agentrail tasks list",
     {"agentrail tasks list", "agentrail tasks list --status in_progress",
      "agentrail tasks list --all --json | jq -r '.[].identifier'"}},
    {"agentrail tasks show", {"agentrail task show " T, "agentrail task show " T " --jq .status"}},
    {"agentrail tasks start", {"agentrail task start " T}},
    {"agentrail tasks block",
     {"agentrail task block " T " --reason \"Needs a deploy token\" \\\n"
      "    --action-required \"Add DEPLOY_TOKEN to CI\" --resume-instructions \"Resolve, then rerun\""}},
    {"agentrail tasks resolve", {"agentrail task resolve " T " --summary \"DEPLOY_TOKEN added\""}},
    {"agentrail tasks submit",
     {"agentrail task submit " T " --summary \"Adds retries to the importer\"",
      "agentrail task submit " T " --mode artifact --summary \"Tests pass\" \\\n"
      "    --artifact pull_request=https://github.com/acme/app/pull/42 --check unit=passed"}},
    {"agentrail tasks ci", {"agentrail task ci " T, "agentrail task ci " T " --watch --timeout 20m"}},
    {"agentrail tasks review", {"agentrail task review " T, "agentrail task review " T " --json"}},
    {"agentrail tasks ship",
     {"agentrail task ship " T, "agentrail task ship " T " --mode merge_and_deploy --env production"}},
    {"agentrail tasks rollback", {"agentrail task rollback " T}},
    {"agentrail tasks wait",
     {"agentrail task wait " T " --until ci=passed --timeout 30m",
      "agentrail task wait " T " --until action=ship && agentrail task ship " T}},
    {"agentrail keys create",
     {"agentrail keys create --agent-id agt_ci --display-name \"CI bot\" --role platform_ci \\\n"
      "    --scope tasks:read --scope ci:read --save-to ci.key"}},
    {"agentrail keys rotate",
     {"agentrail keys rotate akey_localdemo",
      "agentrail keys rotate akey_localdemo --save   # into the active profile",
      "agentrail keys rotate akey_localdemo --save-to demo.key"}},
    {"agentrail keys usage",
     {"agentrail keys usage akey_localdemo", "agentrail keys usage akey_localdemo --json"}},
    {"agentrail subscriptions list", {"agentrail subs list", "agentrail subs list -q"}},
    {"agentrail subscriptions create",
     {"agentrail subs create --url https://hooks.example.com/agentrail --event-type task.updated \\\n"
      "    --save-secret-to webhook.secret"}},
    {"agentrail subscriptions get", {"agentrail subs get evsub_01JZEXAMPLE0000000000000001"}},
    {"agentrail subscriptions delete", {"agentrail subs delete evsub_01JZEXAMPLE0000000000000001"}},
    {"agentrail api",
     {"agentrail api GET /tasks/mine?limit=5", "agentrail api POST /tasks/" T "/start",
      "agentrail api GET /health --jq .status"}},
    {"agentrail health", {"agentrail health", "agentrail health --base-url https://agentrail.example.com"}},
    {"agentrail config explain", {"agentrail config explain", "agentrail config explain --profile ci"}},
    {"agentrail config set",
     {"agentrail config set --profile ci base_url https://agentrail.example.com/v1",
      "agentrail config set api_key        # prompts, input hidden", "agentrail config set retries 5"}},
    {"agentrail config unset",
     {"agentrail config unset api_key", "agentrail config unset --profile ci base_url"}},
    {"agentrail config get", {"agentrail config get base_url", "agentrail config get --profile ci api_key"}},
    {"agentrail config list", {"agentrail config list"}},
    {"agentrail config use-profile", {"agentrail config use-profile ci"}},
    {"agentrail config path", {"agentrail config path", "$EDITOR \"$(agentrail config path)\""}},
    {"agentrail version", {"agentrail version", "agentrail version --json"}},
    {"agentrail help", {"agentrail help tasks", "agentrail help task submit", "agentrail help events tail"}},
    {"agentrail exit-codes", {"agentrail exit-codes", "agentrail exit-codes --json"}},
    {"agentrail events tail",
     {"agentrail events tail", "agentrail events tail --task " T " --until task.shipped",
      "agentrail events tail -o ndjson --state-file ~/.cache/agentrail-tail.state"}},
    {"agentrail webhook verify",
     {"agentrail webhook verify --secret-file webhook.secret --signature \"$SIG\" --body-file body.json"}},
    {"agentrail webhook sign",
     {"agentrail webhook sign --secret-file webhook.secret --body-file body.json",
      "agentrail webhook sign --secret-file webhook.secret --body-file body.json --headers"}},
    {"agentrail webhook listen",
     {"agentrail webhook listen --secret-file webhook.secret --port 8787",
      "agentrail webhook listen --secret-env WEBHOOK_SECRET --forward-to http://127.0.0.1:9000/hook"}},
    {"agentrail doctor", {"agentrail doctor", "agentrail doctor --json"}},
    {"agentrail login",
     {"agentrail login --base-url https://agentrail.example.com/v1",
      "printf %s \"$KEY\" | agentrail login --profile ci"}},
    {"agentrail tasks source set", {"agentrail task source set " T " -f source.json"}},
    {"agentrail routing rules show", {"agentrail routing rules show", "agentrail routing rules show --json"}},
    {"agentrail routing rules set",
     {"agentrail routing rules set -f rules.json --dry-run",
      "agentrail routing rules set -f rules.json --yes"}},
    {"agentrail routing profile show", {"agentrail routing profile show agt_demo"}},
    {"agentrail routing profile set",
     {"agentrail routing profile set agt_demo -f profile.json --dry-run",
      "agentrail routing profile set agt_demo -f profile.json --yes"}},
    {"agentrail routing evaluate",
     {"agentrail routing evaluate -f issue.json", "agentrail routing evaluate -f issue.json --jq .id"}},
    {"agentrail routing audit", {"agentrail routing audit \"$DECISION_ID\""}},
    {"agentrail intake issue",
     {"agentrail intake issue -f issue.json --dry-run", "agentrail intake issue -f issue.json --jq .taskId"}},
    {"agentrail setup verify-task", {"agentrail setup verify-task --agent agt_demo"}},
    {"agentrail runs list", {"agentrail runs list", "agentrail runs list --agent agt_demo --status running"}},
    {"agentrail runs show", {"agentrail runs show \"$RUN_ID\""}},
    {"agentrail runs context", {"agentrail runs context \"$RUN_ID\" --run-token-file run.token"}},
    {"agentrail runs report", {"agentrail runs report \"$RUN_ID\" -f report.json"}},
    {"agentrail completion",
     {"agentrail completion bash > ~/.local/share/bash-completion/completions/agentrail",
      "agentrail completion zsh > \"${fpath[1]}/_agentrail\"",
      "agentrail completion fish > ~/.config/fish/completions/agentrail.fish"}},
};

#undef T

const std::vector<CommandGroup> groups = {
    {"Tasks", {"tasks"}},
    {"Events & webhooks", {"events", "webhook"}},
    {"Keys & subscriptions", {"keys", "subscriptions"}},
    {"Operators", {"routing", "intake", "setup", "runs"}},
    {"Setup & diagnostics",
     {"config", "doctor", "health", "api", "completion", "version", "help", "exit-codes"}},
};

// Commands whose output is not a result the output flags shape (a script, help text).
const std::vector<std::string_view> no_output_flags = {"agentrail completion", "agentrail help"};

}  // namespace

const std::vector<CommandGroup>& command_groups() {
    return groups;
}

std::string group_of(std::string_view name) {
    for (const auto& g : groups)
        if (std::find(g.commands.begin(), g.commands.end(), name) != g.commands.end()) return g.title;
    return "";
}

const std::vector<std::string>& examples_for(std::string_view path) {
    static const std::vector<std::string> none;
    auto it = examples.find(path);
    return it == examples.end() ? none : it->second;
}

std::vector<std::string> paths_with_examples() {
    std::vector<std::string> out;
    for (const auto& [path, list] : examples) out.push_back(path);
    return out;
}

std::string positional_display_name(std::string_view parent, std::string_view name) {
    if (name == "id" && parent == "tasks") return "TASK";
    if (name == "id" && parent == "subscriptions") return "SUBSCRIPTION_ID";
    std::string out(name);
    for (auto& c : out) c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

bool takes_output_flags(std::string_view path) {
    return std::find(no_output_flags.begin(), no_output_flags.end(), path) == no_output_flags.end();
}

}  // namespace agentrail::cli
