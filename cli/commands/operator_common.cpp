#include "commands/operator_common.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <optional>
#include <set>

#include "context.hpp"
#include "render/sanitize.hpp"
#include "validate.hpp"

namespace agentrail::cli {

agentrail::OperatorClient operator_client(Context& ctx) {
    return agentrail::OperatorClient(ctx.client());
}

Json read_json_object(const std::string& path, std::string_view what) {
    if (path.empty())
        throw usage_error(std::string(what) + ": a file name is required ('-' for standard input)");
    std::string text = read_file(path, what);
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded())
        throw usage_error(std::string(what) + " " + path + ": not valid JSON (only JSON is accepted)");
    if (!j.is_object()) throw usage_error(std::string(what) + " " + path + ": expected a JSON object");
    return j;
}

namespace {

std::string escape_token(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

void diff_into(const Json& before, const Json& after, const std::string& path, Json& out) {
    if (before.is_object() && after.is_object()) {
        std::set<std::string> keys;
        for (const auto& [k, v] : before.items()) keys.insert(k);
        for (const auto& [k, v] : after.items()) keys.insert(k);
        for (const auto& k : keys) {
            std::string p = path + "/" + escape_token(k);
            auto b = before.find(k);
            auto a = after.find(k);
            if (b == before.end())
                out.push_back({{"op", "add"}, {"path", p}, {"to", *a}});
            else if (a == after.end())
                out.push_back({{"op", "remove"}, {"path", p}, {"from", *b}});
            else
                diff_into(*b, *a, p, out);
        }
        return;
    }
    if (before != after) out.push_back({{"op", "change"}, {"path", path}, {"from", before}, {"to", after}});
}

std::string compact(const Json& value) {
    std::string s = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    return sanitize(s);
}

}  // namespace

Json json_diff(const Json& before, const Json& after) {
    Json out = Json::array();
    diff_into(before, after, "", out);
    return out;
}

std::vector<std::string> diff_lines(const Json& changes) {
    std::vector<std::string> lines;
    for (const auto& c : changes) {
        const std::string op = c.value("op", "");
        const std::string path = sanitize(c.value("path", ""));
        if (op == "add")
            lines.push_back("+ " + path + " = " + compact(c["to"]));
        else if (op == "remove")
            lines.push_back("- " + path + " (was " + compact(c["from"]) + ")");
        else
            lines.push_back("~ " + path + ": " + compact(c["from"]) + " -> " + compact(c["to"]));
    }
    return lines;
}

bool preview_and_confirm(Context& ctx, const Json& changes, std::string_view what, bool dry_run, bool yes) {
    auto& out = ctx.out();
    auto lines = diff_lines(changes);
    if (dry_run) {
        Json envelope = {{"data", changes}};
        out.result(changes, envelope, "", [&] {
            out.heading("Changes to " + std::string(what) + " (dry run, nothing sent):");
            if (lines.empty()) out.line("(no changes)");
            for (const auto& l : lines) out.line(l);
        });
        return false;
    }
    out.note("Changes to " + std::string(what) + ":");
    if (lines.empty()) out.note("  (no changes)");
    for (const auto& l : lines) out.note("  " + l);
    if (yes) return true;
    if (!ctx.deps().tty().stdin_tty)
        throw Failure(
            exit_code::usage, "confirmation_required",
            "replacing " + std::string(what) +
                " needs confirmation: pass --yes (standard input is not a terminal); nothing was sent");
    out.flush();
    std::fprintf(ctx.deps().err, "Replace %s? [y/N] ", std::string(what).c_str());
    std::fflush(ctx.deps().err);
    std::string answer;
    if (!std::getline(std::cin, answer)) answer.clear();
    answer = trim(answer);
    if (answer == "y" || answer == "Y" || answer == "yes" || answer == "YES") return true;
    throw Failure(exit_code::usage, "aborted", "not confirmed; nothing was sent");
}

namespace {

/// A run's id: `runId` (reference server) or, on a run object without it, `id`. (AgentRun reads it from
/// either, so it is a plain member, not in the field list: these two names are written out here.)
std::optional<std::string> run_id(const Json& data) {
    const Json& id = at_pointer(data, "/runId");
    if (id.is_string()) return id.get<std::string>();
    const Json& other = at_pointer(data, "/id");
    if (other.is_string() && other.get<std::string>().rfind("run_", 0) == 0) return other.get<std::string>();
    return std::nullopt;
}

}  // namespace

std::vector<std::string> operator_next_steps(const Json& envelope, const Json& data) {
    auto text = [&](std::string_view pointer, const char* fallback) {
        const Json& v = at_pointer(data, pointer);
        return v.is_string() ? v.get<std::string>() : std::string(fallback);
    };
    // `data` is any operator answer: a decision, an audit record, a profile, a rule set, a set-up task or a
    // run. Members several of them share (taskId, agentId) are named from one of them.
    const auto& decision_id = json_path<&RoutingDecision::id>();
    const auto& task_id = json_path<&RoutingDecision::task_id>();  // also SetupVerificationTask, AgentRun
    const auto& audited_task_id = json_path<&RoutingAudit::decision, &RoutingDecision::task_id>();
    const auto& agent_id = json_path<&AgentProfile::agent_id>();  // also SetupVerificationTask, AgentRun
    std::vector<std::string> out;
    for (const auto& action : actions_of(envelope)) {
        if (action == "view_audit" && at_pointer(data, decision_id).is_string())
            out.push_back("agentrail routing audit " + text(decision_id, ""));
        else if (action == "view_task" && at_pointer(data, task_id).is_string())
            out.push_back("agentrail task show " + text(task_id, ""));
        else if (action == "view_task" && at_pointer(data, audited_task_id).is_string())
            out.push_back("agentrail task show " + text(audited_task_id, ""));
        else if (action == "evaluate")
            out.push_back("agentrail routing evaluate -f ISSUE.json");
        else if (action == "view_rule_set")
            out.push_back("agentrail routing rules show");
        else if (action == "update" && at_pointer(data, agent_id).is_string() &&
                 !at_pointer(data, task_id).is_string())
            out.push_back("agentrail routing profile set " + text(agent_id, "") + " -f PROFILE.json");
        else if (action == "update" && at_pointer(data, json_path<&RoutingRuleSet::rules>()).is_array())
            out.push_back("agentrail routing rules set -f RULES.json");
        else if (action == "view_context" && run_id(data))
            out.push_back("agentrail runs context " + *run_id(data) + " --run-token-file FILE");
        else if (action == "report" && run_id(data))
            out.push_back("agentrail runs report " + *run_id(data) + " -f REPORT.json");
        else if (action == "list_agent_runs")
            out.push_back("agentrail runs list");
        else if (action == "submit" && at_pointer(data, task_id).is_string())
            out.push_back("agentrail task submit " + text(task_id, "") + " --summary ...");
        else
            out.push_back(action);
    }
    return out;
}

void show_object(Context& ctx, const Json& data, const Json& envelope, const std::vector<Field>& fields,
                 std::string_view quiet_pointer, const Json& view) {
    auto& out = ctx.out();
    const Json& quiet = at_pointer(data, quiet_pointer);
    out.result(data, envelope, quiet.is_string() ? quiet.get<std::string>() : std::string(), [&] {
        out.fields(view.is_null() ? data : view, fields);
        out.next_steps(operator_next_steps(envelope, data), "");
    });
}

namespace {

// What the decision view adds to the server's data (for the table view only).
#define AGENTRAIL_FIELDS_DecisionView(X)                                                        \
    X(opt, std::string, chosen, "chosen")                  /* the agent, or "triage queue Q" */ \
    X(opt, std::vector<std::string>, matched, "matched")   /* "rule (confidence)" per rule */   \
    X(opt, std::string, classifier_text, "classifierText") /* "provider -> target (confidence)" */
struct DecisionView {
    AGENTRAIL_FIELD_MEMBERS(DecisionView)
};

}  // namespace

void render_decision(Context& ctx, const Json& data, const Json& envelope, bool dry_run) {
    using D = RoutingDecision;
    using V = DecisionView;
    auto& out = ctx.out();
    const Json& id = at_pointer(data, json_path<&D::id>());
    std::string decision_id = id.is_string() ? id.get<std::string>() : std::string();
    out.result(data, envelope, decision_id, [&] {
        Json view = data;
        const Json& type = at_pointer(data, json_path<&D::target, &RoutingTarget::type>());
        const Json& target = at_pointer(data, json_path<&D::target, &RoutingTarget::id>());
        if (type == "agent")
            view[json_name<&V::chosen>()] = target;
        else if (target.is_string())
            view[json_name<&V::chosen>()] = "triage queue " + target.get<std::string>();
        Json rules = Json::array();
        for (const auto& r :
             at_pointer(data, json_path<&D::routing_reason, &RoutingReason::matched_rules>())) {
            std::string text = r.value(std::string(json_name<&MatchedRule::id>()), "?");
            const Json& confidence = at_pointer(r, json_path<&MatchedRule::confidence>());
            if (confidence.is_number()) text += " (" + confidence.dump() + ")";
            rules.push_back(text);
        }
        view[json_name<&V::matched>()] = rules;
        const Json& classifier =
            at_pointer(data, json_path<&D::routing_reason, &RoutingReason::classifier>());
        if (classifier.is_object()) {
            view[json_name<&V::classifier_text>()] =
                classifier.value(std::string(json_name<&ClassifierResult::provider>()), "?") + " -> " +
                at_pointer(classifier, json_path<&ClassifierResult::suggested_target, &RoutingTarget::id>())
                    .dump() +
                " (" + at_pointer(classifier, json_path<&ClassifierResult::confidence>()).dump() + ")";
        }
        out.fields(view, {{"Decision", json_path<&D::id>()},
                          {"Outcome", json_path<&D::outcome>(), Kind::status},
                          {"Chosen", json_path<&V::chosen>()},
                          {"Confidence", json_path<&D::confidence>()},
                          {"Matched rules", json_path<&V::matched>(), Kind::lines},
                          {"Classifier", json_path<&V::classifier_text>()},
                          {"Conflicts", json_path<&D::routing_reason, &RoutingReason::conflict_reasons>(),
                           Kind::list},
                          {"Summary", json_path<&D::routing_reason, &RoutingReason::summary>()},
                          {"Source", json_path<&D::assignment, &TaskAssignment::assignment_source>()},
                          {"Task", json_path<&D::task_id>()},
                          {"Task key", json_path<&D::task_identifier>()}});
        if (dry_run) out.line("Dry run: no task was created, assigned or woken (the decision is audited).");
        out.next_steps(operator_next_steps(envelope, data), "");
    });
}

}  // namespace agentrail::cli
