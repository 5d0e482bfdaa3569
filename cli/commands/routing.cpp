// `agentrail routing`: the operator's routing setup (intake-routing-admin.openapi.yaml): the active rule
// set, agent profiles, dry-run evaluations and the audit record of a decision.
// `rules set` and `profile set` replace what is there: they show what changes first (--dry-run: only
// that), ask on a terminal, and need --yes otherwise.

#include <memory>
#include <set>
#include <string>

#include <CLI/CLI.hpp>

#include "commands/operator_commands.hpp"
#include "commands/operator_common.hpp"
#include "commands/run.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

/// The part of a rule set that routing uses, with rules keyed by id so the preview names the rule that
/// changes instead of an array index.
Json comparable_rule_set(const Json& rule_set) {
    using S = RoutingRuleSet;
    Json out = Json::object();
    Json rules = Json::object();
    std::size_t index = 0;
    for (const auto& rule : at_pointer(rule_set, json_path<&S::rules>())) {
        const Json& id = at_pointer(rule, json_path<&RoutingRule::id>());
        std::string key = id.is_string() ? id.get<std::string>() : "#" + std::to_string(index);
        rules[key] = rule;
        ++index;
    }
    out[json_name<&S::rules>()] = rules;
    const Json& classifier = at_pointer(rule_set, json_path<&S::classifier>());
    if (!classifier.is_null()) out[json_name<&S::classifier>()] = classifier;
    const Json& ref = at_pointer(rule_set, json_path<&S::source_ref>());
    if (!ref.is_null()) out[json_name<&S::source_ref>()] = ref;
    return out;
}

void check_unit_interval(double value, const std::string& what) {
    if (!(value >= 0 && value <= 1)) throw usage_error(what + ": must be between 0 and 1");
}

RoutingRuleSetReplaceRequest read_rule_set(const std::string& file) {
    Json input = read_json_object(file);
    auto request = decode_input<RoutingRuleSetReplaceRequest>(input, file);
    std::set<std::string> ids;
    for (std::size_t i = 0; i < request.rules.size(); ++i) {
        const auto& rule = request.rules[i];
        std::string where = "-f " + file + ": rules[" + std::to_string(i) + "]";
        if (rule.id.empty()) throw usage_error(where + ".id: must not be empty");
        if (!ids.insert(rule.id).second)
            throw usage_error(where + ".id: duplicate rule id '" + rule.id + "'");
        require_one_of(rule.target.type, {"agent", "triage_queue"}, where + ".target.type");
        if (rule.target.id.empty()) throw usage_error(where + ".target.id: must not be empty");
        check_unit_interval(rule.confidence, where + ".confidence");
    }
    check_unit_interval(request.classifier.confidence_threshold,
                        "-f " + file + ": classifier.confidenceThreshold");
    if (request.rules.size() > 200) throw usage_error("-f " + file + ": at most 200 rules");
    require_length(request.change_reason, 1, 500, "-f " + file + ": changeReason");
    return request;
}

AgentProfileReplaceRequest read_profile(const std::string& file) {
    Json input = read_json_object(file);
    auto request = decode_input<AgentProfileReplaceRequest>(input, file);
    require_one_of(request.status, {"active", "paused", "disabled"}, "-f " + file + ": status");
    if (request.max_concurrent_tasks < 0 || request.max_concurrent_tasks > 50)
        throw usage_error("-f " + file + ": maxConcurrentTasks: must be between 0 and 50");
    require_length(request.change_reason, 1, 500, "-f " + file + ": changeReason");
    return request;
}

/// The current value for a preview: null when there is none yet (404) or the key may not read it (403,
/// e.g. routing:admin without routing:read), in which case the whole new value is shown.
template <typename Fetch>
Json current_or_null(Context& ctx, std::string_view what, Fetch&& fetch) {
    try {
        return fetch();
    } catch (const NotFoundError&) {
        return nullptr;
    } catch (const ForbiddenError& e) {
        ctx.out().warn("cannot read the current " + std::string(what) + " (" + e.api_message() +
                       "): the preview shows the whole new value");
        return nullptr;
    }
}

void render_rule_set(Context& ctx, const Json& data, const Json& envelope) {
    using S = RoutingRuleSet;
    using C = ClassifierConfig;
    using R = RoutingRule;
    auto& out = ctx.out();
    const Json& id = at_pointer(data, json_path<&S::id>());
    out.result(data, envelope, id.is_string() ? id.get<std::string>() : std::string(), [&] {
        out.fields(data,
                   {{"ID", json_path<&S::id>()},
                    {"Version", json_path<&S::version>()},
                    {"Status", json_path<&S::status>(), Kind::status},
                    {"Source", json_path<&S::source>()},
                    {"Source ref", json_path<&S::source_ref>()},
                    {"Created by", json_path<&S::created_by>()},
                    {"Created", json_path<&S::created_at>(), Kind::time},
                    {"Change reason", json_path<&S::audit, &RoutingRuleSetAudit::change_reason>()},
                    {"Supersedes", json_path<&S::audit, &RoutingRuleSetAudit::supersedes_rule_set_id>()},
                    {"Classifier", json_path<&S::classifier, &C::provider>()},
                    {"Classifier on", json_path<&S::classifier, &C::enabled>()},
                    {"Threshold", json_path<&S::classifier, &C::confidence_threshold>()},
                    {"Fallback queue", json_path<&S::classifier, &C::fallback_triage_queue_id>()}});
        out.heading("Rules");
        out.table(at_pointer(data, json_path<&S::rules>()),
                  {{"ID", json_path<&R::id>()},
                   {"PRIORITY", json_path<&R::priority>()},
                   {"ENABLED", json_path<&R::enabled>()},
                   {"TARGET", json_path<&R::target, &RoutingTarget::id>()},
                   {"CONFIDENCE", json_path<&R::confidence>()},
                   {"NAME", json_path<&R::name>(), Kind::text, true}});
        out.next_steps(operator_next_steps(envelope, data), "");
    });
}

void render_profile(Context& ctx, const Json& data, const Json& envelope) {
    using P = AgentProfile;
    show_object(ctx, data, envelope,
                {{"Agent", json_path<&P::agent_id>()},
                 {"Name", json_path<&P::display_name>()},
                 {"Role", json_path<&P::role>()},
                 {"Status", json_path<&P::status>(), Kind::status},
                 {"Capabilities", json_path<&P::capability_tags>(), Kind::list},
                 {"Ownership", json_path<&P::ownership_tags>(), Kind::list},
                 {"Repositories", json_path<&P::repo_allowlist>(), Kind::list},
                 {"Max tasks", json_path<&P::max_concurrent_tasks>()},
                 {"Source", json_path<&P::source>()},
                 {"Source ref", json_path<&P::source_ref>()},
                 {"Change reason", json_path<&P::change_reason>()},
                 {"Updated by", json_path<&P::updated_by>()},
                 {"Updated", json_path<&P::updated_at>(), Kind::time}},
                json_path<&P::agent_id>());
}

// What the audit view adds to the server's data (for the table view only).
#define AGENTRAIL_FIELDS_AuditView(X)                                                 \
    X(opt, std::vector<std::string>, matched, "matched") /* the matched rules' ids */ \
    X(opt, std::string, rule_set_text, "ruleSetText")    /* "rset_... v3" */
struct AuditView {
    AGENTRAIL_FIELD_MEMBERS(AuditView)
};

}  // namespace

int run_routing_rules_show(const RoutingRulesShowOptions&, Context& ctx) {
    ctx.set_operation("show the routing rule set");
    ctx.out();
    auto r = operator_client(ctx).get_current_routing_rule_set();
    render_rule_set(ctx, r.raw_data(), r.envelope);
    return exit_code::ok;
}

int run_routing_rules_set(const RoutingReplaceOptions& o, Context& ctx) {
    auto request = read_rule_set(o.file);
    ctx.set_operation("replace the routing rule set");
    auto op = operator_client(ctx);
    Json before =
        current_or_null(ctx, "rule set", [&] { return op.get_current_routing_rule_set().raw_data(); });
    Json changes = json_diff(before.is_null() ? Json::object() : comparable_rule_set(before),
                             comparable_rule_set(Json(request)));
    if (!preview_and_confirm(ctx, changes, "the routing rule set", o.dry_run, o.yes)) return exit_code::ok;
    auto r = op.replace_current_routing_rule_set(request, ctx.mutation_options());
    render_rule_set(ctx, r.raw_data(), r.envelope);
    return exit_code::ok;
}

int run_routing_profile_show(const RoutingProfileShowOptions& o, Context& ctx) {
    require_agent_id(o.agent, "agent");
    ctx.set_operation("show the routing profile of " + o.agent);
    ctx.out();
    auto r = operator_client(ctx).get_routing_agent_profile(o.agent);
    render_profile(ctx, r.raw_data(), r.envelope);
    return exit_code::ok;
}

int run_routing_profile_set(const RoutingReplaceOptions& o, Context& ctx) {
    require_agent_id(o.agent, "agent");
    auto request = read_profile(o.file);
    ctx.set_operation("replace the routing profile of " + o.agent);
    auto op = operator_client(ctx);
    Json after = request;
    Json before =
        current_or_null(ctx, "profile", [&] { return op.get_routing_agent_profile(o.agent).raw_data(); });
    Json comparable = Json::object();
    if (before.is_object())
        for (const auto& [key, value] : after.items())
            if (before.contains(key)) comparable[key] = before[key];
    Json changes = json_diff(comparable, after);
    if (!preview_and_confirm(ctx, changes, "the routing profile of " + o.agent, o.dry_run, o.yes))
        return exit_code::ok;
    auto r = op.replace_routing_agent_profile(o.agent, request, ctx.mutation_options());
    render_profile(ctx, r.raw_data(), r.envelope);
    return exit_code::ok;
}

int run_routing_evaluate(const RoutingEvaluateOptions& o, Context& ctx) {
    Json input = read_json_object(o.file);
    RoutingEvaluationRequest request;
    if (input.contains("snapshot"))
        request = decode_input<RoutingEvaluationRequest>(input, o.file);
    else
        request.snapshot = decode_input<ProviderIssueSnapshot>(input, o.file);
    if (o.rule_set_version > 0) request.rule_set_version = o.rule_set_version;
    ctx.set_operation("evaluate routing for " + request.snapshot.provider_issue_id);
    ctx.out();
    auto r = operator_client(ctx).evaluate_routing(request, ctx.mutation_options());
    render_decision(ctx, r.raw_data(), r.envelope, true);
    return exit_code::ok;
}

int run_routing_audit(const RoutingAuditOptions& o, Context& ctx) {
    if (!matches_id(o.decision, "rdec_"))
        throw usage_error("decision: expected a decision id like rdec_..., got '" + o.decision + "'");
    ctx.set_operation("show routing decision " + o.decision, o.decision);
    auto& out = ctx.out();
    auto r = operator_client(ctx).get_routing_decision_audit(o.decision);
    const Json& data = r.raw_data();
    using A = RoutingAudit;
    using D = RoutingDecision;
    using V = AuditView;
    out.result(data, r.envelope, o.decision, [&] {
        Json view = data;
        const Json& d = at_pointer(data, json_path<&A::decision>());
        Json rules = Json::array();
        for (const auto& m : at_pointer(d, json_path<&D::routing_reason, &RoutingReason::matched_rules>()))
            rules.push_back(m.value(std::string(json_name<&MatchedRule::id>()), "?"));
        view[json_name<&V::matched>()] = rules;
        const Json& set_id = at_pointer(data, json_path<&A::rule_set, &RoutingAuditRuleSet::id>());
        view[json_name<&V::rule_set_text>()] =
            (set_id.is_string() ? set_id.get<std::string>() : std::string("?")) + " v" +
            at_pointer(data, json_path<&A::rule_set, &RoutingAuditRuleSet::version>()).dump();
        out.fields(view, {{"Decision", json_path<&A::decision, &D::id>()},
                          {"Outcome", json_path<&A::decision, &D::outcome>(), Kind::status},
                          {"Target", json_path<&A::decision, &D::target, &RoutingTarget::id>()},
                          {"Confidence", json_path<&A::decision, &D::confidence>()},
                          {"Matched rules", json_path<&V::matched>(), Kind::list},
                          {"Summary", json_path<&A::decision, &D::routing_reason, &RoutingReason::summary>()},
                          {"Task", json_path<&A::decision, &D::task_id>()},
                          {"Rule set", json_path<&V::rule_set_text>()},
                          {"Input digest", json_path<&A::input_digest>()},
                          {"Created", json_path<&A::created_at>(), Kind::time}});
        out.next_steps(operator_next_steps(r.envelope, data), "");
    });
    return exit_code::ok;
}

// ---- wiring: flags bound to the options, the callback calls run ---------------------------------------

namespace {

void add_replace_flags(CLI::App* cmd, RoutingReplaceOptions& a, const char* file_help) {
    cmd->add_option("-f,--file", a.file, file_help)->required();
    cmd->add_flag("--dry-run", a.dry_run, "Show what would change and send nothing");
    cmd->add_flag("-y,--yes", a.yes,
                  "Replace without asking (required when standard input is not a terminal)");
}

void add_rules(CLI::App& routing, Context& ctx) {
    auto* rules = routing.add_subcommand("rules", "Show or replace the active routing rule set");
    rules->require_subcommand(1);

    auto* show = rules->add_subcommand("show", "Show the active rule set (needs routing:read)");
    bind_run(show, ctx, std::make_shared<RoutingRulesShowOptions>(), run_routing_rules_show);

    auto* set = rules->add_subcommand(
        "set", "Replace the active rule set with a new revision from a JSON file (needs routing:admin)");
    auto a = std::make_shared<RoutingReplaceOptions>();
    add_replace_flags(set, *a, "Rule set JSON {sourceRef, changeReason, rules, classifier}; '-' = stdin");
    bind_run(set, ctx, a, run_routing_rules_set);
}

void add_profile(CLI::App& routing, Context& ctx) {
    auto* profile = routing.add_subcommand("profile", "Show or replace an agent's routing profile");
    profile->require_subcommand(1);

    auto* show = profile->add_subcommand("show", "Show an agent's routing profile (needs routing:read)");
    auto agent = std::make_shared<RoutingProfileShowOptions>();
    show->add_option("agent", agent->agent, "Agent id (agt_...)")->required();
    bind_run(show, ctx, agent, run_routing_profile_show);

    auto* set = profile->add_subcommand(
        "set", "Create or replace an agent's routing profile from a JSON file (needs routing:admin)");
    auto a = std::make_shared<RoutingReplaceOptions>();
    set->add_option("agent", a->agent, "Agent id (agt_...)")->required();
    add_replace_flags(
        set, *a,
        "Profile JSON {displayName, role, status, capabilityTags, ownershipTags, repoAllowlist, "
        "maxConcurrentTasks, sourceRef, changeReason}; '-' = stdin");
    bind_run(set, ctx, a, run_routing_profile_set);
}

void add_evaluate(CLI::App& routing, Context& ctx) {
    auto* cmd = routing.add_subcommand(
        "evaluate",
        "Dry-run routing for a provider issue: the chosen agent, confidence and matched rules; no task is "
        "created or assigned, an audit record is written (needs routing:evaluate)");
    auto a = std::make_shared<RoutingEvaluateOptions>();
    cmd->add_option("-f,--file", a->file, "Issue snapshot JSON (or {ruleSetVersion, snapshot}); '-' = stdin")
        ->required();
    cmd->add_option("--rule-set-version", a->rule_set_version,
                    "Evaluate this rule set version (default: active)")
        ->check(CLI::PositiveNumber);
    bind_run(cmd, ctx, a, run_routing_evaluate);
}

void add_audit(CLI::App& routing, Context& ctx) {
    auto* cmd =
        routing.add_subcommand("audit", "Show the audit record of a routing decision (needs routing:read)");
    auto id = std::make_shared<RoutingAuditOptions>();
    cmd->add_option("decision", id->decision, "Decision id (rdec_...)")->required();
    bind_run(cmd, ctx, id, run_routing_audit);
}

}  // namespace

void register_routing(CLI::App& app, Context& ctx) {
    auto* routing =
        app.add_subcommand("routing", "Operator: routing rule sets, agent profiles, evaluations, audit");
    routing->require_subcommand(1);
    add_rules(*routing, ctx);
    add_profile(*routing, ctx);
    add_evaluate(*routing, ctx);
    add_audit(*routing, ctx);
}

}  // namespace agentrail::cli
