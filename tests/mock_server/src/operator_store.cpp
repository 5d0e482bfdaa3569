#include "operator_store.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>
#include <stdexcept>

#include "store.hpp"
#include "util.hpp"

namespace mock {

namespace {

const std::set<std::string> kOpenStatuses{"todo", "in_progress", "in_review", "blocked"};
const std::set<std::string> kProfileStatuses{"active", "paused", "disabled"};
const std::set<std::string> kFallbackBehaviors{"require_suitable_agent", "assign_closest_match"};

Json default_classifier() {
    return Json{{"enabled", false},
                {"provider", "internal-router"},
                {"confidenceThreshold", 0.8},
                {"maxCandidates", 3},
                {"fallbackTriageQueueId", "triage_default"},
                {"fallbackBehavior", "require_suitable_agent"},
                {"timeoutMs", 180000}};
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::vector<std::string> strings(const Json& obj, const char* name) {
    std::vector<std::string> out;
    auto it = obj.find(name);
    if (it == obj.end() || !it->is_array()) return out;
    for (const auto& v : *it)
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
}

void check_strings(ObjectChecker& c, FieldErrors& errors, const char* name, bool required, std::size_t max) {
    if (const Json* list = c.array(name, required, 0, max)) {
        for (const auto& v : *list) {
            if (!v.is_string()) {
                errors.add(c.field(name), "items must be strings");
                return;
            }
        }
    }
}

void check_number(const Json& obj, FieldErrors& errors, const std::string& field, const char* name,
                  bool required) {
    auto it = obj.find(name);
    if (it == obj.end()) {
        if (required) errors.add(field, "is required");
        return;
    }
    if (!it->is_number()) return errors.add(field, "must be a number");
    double v = it->get<double>();
    if (v < 0 || v > 1) errors.add(field, "must be between 0 and 1");
}

void check_target(const Json& obj, FieldErrors& errors, const std::string& path) {
    ObjectChecker c(obj, errors, path);
    c.only({"type", "id"});
    auto type = c.enum_string("type", true, {"agent", "triage_queue"});
    auto id = c.string("id", true, 1);
    if (type == "agent" && id && !is_alnum_id(*id, "agt_", true))
        errors.add(c.field("id"), "must be an agent id (^agt_[A-Za-z0-9_]+$) when type is agent");
}

void check_classifier(const Json& obj, FieldErrors& errors, const std::string& path) {
    ObjectChecker c(obj, errors, path);
    c.only({"enabled", "provider", "confidenceThreshold", "maxCandidates", "fallbackTriageQueueId",
            "fallbackBehavior", "timeoutMs"});
    c.boolean("enabled", true);
    c.string("provider", true);
    check_number(obj, errors, c.field("confidenceThreshold"), "confidenceThreshold", true);
    c.integer("maxCandidates", true, 1, 20);
    c.string("fallbackTriageQueueId", true, 1);
    c.enum_string("fallbackBehavior", false, kFallbackBehaviors);
    c.integer("timeoutMs", false, 1000, 600000);
}

void check_rule(const Json& rule, FieldErrors& errors, const std::string& path) {
    ObjectChecker c(rule, errors, path);
    c.only({"id", "name", "enabled", "priority", "conditions", "target", "confidence", "explanation"});
    c.string("id", true, 1);
    c.string("name", true);
    c.boolean("enabled", true);
    c.integer("priority", true, std::numeric_limits<long long>::min(), std::numeric_limits<long long>::max());
    if (const Json* cond = c.object("conditions", true)) {
        ObjectChecker cc(*cond, errors, c.field("conditions"));
        cc.only({"repositories", "labelsAny", "projects", "issueTypes", "priorities", "ownershipTagsAny",
                 "capabilityTagsAll"});
        for (const char* name : {"repositories", "labelsAny", "projects", "issueTypes", "priorities",
                                 "ownershipTagsAny", "capabilityTagsAll"})
            check_strings(cc, errors, name, false, 1000);
    }
    if (const Json* target = c.object("target", true)) check_target(*target, errors, c.field("target"));
    check_number(rule, errors, c.field("confidence"), "confidence", true);
    c.string("explanation", true, 0, 300);
}

Json rule_set_from_request(const Json& body, long long version, const std::string& source,
                           const std::string& created_by, Json supersedes) {
    Json classifier = body.at("classifier");
    if (!classifier.contains("fallbackBehavior")) classifier["fallbackBehavior"] = "require_suitable_agent";
    if (!classifier.contains("timeoutMs")) classifier["timeoutMs"] = 180000;
    return Json{{"id", make_id("rset_")},
                {"version", version},
                {"status", "active"},
                {"source", source},
                {"sourceRef", body.at("sourceRef")},
                {"createdBy", created_by},
                {"createdAt", iso_now()},
                {"rules", body.at("rules")},
                {"classifier", classifier},
                {"audit", Json{{"supersedesRuleSetId", std::move(supersedes)},
                               {"changeReason", body.at("changeReason")}}}};
}

[[noreturn]] void seed_error(const std::string& what) {
    throw std::runtime_error("seed: routing." + what);
}

std::string describe(const FieldErrors& errors) {
    std::string out;
    for (const auto& e : errors.json())
        out +=
            (out.empty() ? "" : "; ") + e["field"].get<std::string>() + " " + e["reason"].get<std::string>();
    return out;
}

}  // namespace

// ---- validation ----

void check_rule_set_request(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"sourceRef", "changeReason", "rules", "classifier"});
    c.string("sourceRef", true);
    c.string("changeReason", true, 0, 500);
    if (const Json* rules = c.array("rules", true, 0, 200)) {
        std::set<std::string> ids;
        for (std::size_t i = 0; i < rules->size(); ++i) {
            const auto& rule = (*rules)[i];
            auto path = "rules." + std::to_string(i);
            if (!rule.is_object()) {
                errors.add(path, "must be an object");
                continue;
            }
            check_rule(rule, errors, path);
            auto id = rule.value("id", Json());
            if (id.is_string() && !ids.insert(id.get<std::string>()).second)
                errors.add(path + ".id", "duplicate rule id");
        }
    }
    if (const Json* classifier = c.object("classifier", true))
        check_classifier(*classifier, errors, "classifier");
}

void check_profile_request(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"displayName", "role", "status", "capabilityTags", "ownershipTags", "repoAllowlist",
            "maxConcurrentTasks", "sourceRef", "changeReason"});
    c.string("displayName", true);
    c.string("role", true);
    c.enum_string("status", true, kProfileStatuses);
    check_strings(c, errors, "capabilityTags", true, 50);
    check_strings(c, errors, "ownershipTags", true, 50);
    check_strings(c, errors, "repoAllowlist", true, 200);
    c.integer("maxConcurrentTasks", true, 0, 50);
    c.string("sourceRef", true);
    c.string("changeReason", true, 0, 500);
}

void check_snapshot(const Json& snapshot, FieldErrors& errors, const std::string& path) {
    ObjectChecker c(snapshot, errors, path);
    c.only({"provider", "providerIssueId", "sourceVersion", "repository", "title", "bodyDigest", "labels",
            "project", "issueType", "priority", "ownershipTags", "capabilityTags", "links"});
    c.enum_string("provider", true, {"github", "linear", "jira", "gitlab"});
    c.string("providerIssueId", true, 1);
    c.string("sourceVersion", true, 1);
    if (const Json* repo = c.object("repository", true)) {
        ObjectChecker rc(*repo, errors, c.field("repository"));
        rc.only({"provider", "owner", "name", "defaultBranch"});
        rc.enum_string("provider", true, {"github", "gitlab"});
        rc.string("owner", true, 1);
        rc.string("name", true, 1);
        rc.string("defaultBranch", true, 1);
    }
    c.string("title", true, 1, 240);
    c.string("bodyDigest", true);
    check_strings(c, errors, "labels", true, 50);
    c.string("project", false, 0, 100000, true);
    c.enum_string("issueType", true,
                  {"bug", "feature", "architecture", "design", "documentation", "maintenance", "unknown"});
    c.enum_string("priority", true, {"low", "medium", "high", "critical"});
    check_strings(c, errors, "ownershipTags", true, 20);
    check_strings(c, errors, "capabilityTags", true, 20);
    if (const Json* links = c.object("links", true)) {
        ObjectChecker lc(*links, errors, c.field("links"));
        lc.only({"providerIssue"});
        if (auto url = lc.uri("providerIssue", true); url && !is_http_uri(*url))
            errors.add(lc.field("providerIssue"), "must be an http(s) URL");
    }
}

// ---- state ----

void OperatorState::load_seed(const Json& seed) {
    profiles.clear();
    audits.clear();
    runs.clear();
    run_index.clear();
    intake.clear();
    setup_tasks.clear();

    auto routing = seed.value("routing", Json::object());
    if (!routing.is_object()) seed_error("must be an object");
    Json rule_set = routing.value("ruleSet", Json{{"sourceRef", "database_seed"},
                                                  {"changeReason", "Initial empty rule set."},
                                                  {"rules", Json::array()},
                                                  {"classifier", default_classifier()}});
    FieldErrors errors;
    check_rule_set_request(rule_set, errors);
    if (!errors.empty()) seed_error("ruleSet: " + describe(errors));
    current_rule_set = rule_set_from_request(rule_set, 1, "database_seed", "agt_admin", nullptr);

    std::size_t i = 0;
    for (Json profile : routing.value("agentProfiles", Json::array())) {
        auto where = "agentProfiles[" + std::to_string(i++) + "]";
        if (!profile.is_object() || !profile.contains("agentId") || !profile["agentId"].is_string() ||
            !is_alnum_id(profile["agentId"].get<std::string>(), "agt_", true))
            seed_error(where + ": needs an agentId matching ^agt_[A-Za-z0-9_]+$");
        auto agent_id = profile["agentId"].get<std::string>();
        profile.erase("agentId");
        FieldErrors perrors;
        check_profile_request(profile, perrors);
        if (!perrors.empty()) seed_error(where + ": " + describe(perrors));
        Json stored{{"agentId", agent_id}};
        stored.update(profile);
        stored["source"] = "config_file_import";
        stored["updatedBy"] = "agt_admin";
        stored["updatedAt"] = iso_now();
        profiles[agent_id] = stored;
    }
}

AgentRun* OperatorState::find_run(const std::string& id) {
    auto it = run_index.find(id);
    return it == run_index.end() ? nullptr : &runs[it->second];
}

AgentRun& OperatorState::start_run(const Task& task) {
    for (auto& run : runs)
        if (run.task_id == task.id && run.active()) return run;
    AgentRun run;
    run.id = make_id("run_");
    run.agent_id = task.assignee_agent_id;
    run.task_id = task.id;
    run.task_identifier = task.identifier;
    std::string branch;  // the identifier in lower case, as a valid ref name
    for (unsigned char ch : task.identifier)
        branch += std::isalnum(ch) || ch == '-' || ch == '.' ? static_cast<char>(std::tolower(ch)) : '-';
    run.branch_name = "agentrail/" + branch;
    run.token = "arrun_" + random_secret(32);
    run.created_at = iso_now();
    run.updated_at = run.created_at;
    run_index[run.id] = runs.size();
    runs.push_back(std::move(run));
    return runs.back();
}

const Json& OperatorState::replace_rule_set(const Json& request, const std::string& created_by) {
    // Revisions are immutable: the new one names the one it supersedes (audit records keep their ids).
    current_rule_set = rule_set_from_request(request, current_rule_set["version"].get<long long>() + 1,
                                             "admin_api", created_by, current_rule_set["id"]);
    return current_rule_set;
}

// ---- routing engine ----

namespace {

// How many of the agent's tasks are open, leaving out the task being routed again.
std::size_t open_tasks(const Store& store, const std::string& agent_id, const std::string& except_task) {
    auto it = store.tasks_by_agent.find(agent_id);
    if (it == store.tasks_by_agent.end()) return 0;
    return static_cast<std::size_t>(std::count_if(it->second.begin(), it->second.end(), [&](const Task* t) {
        return t->id != except_task && t->assignee_agent_id == agent_id && kOpenStatuses.count(t->status);
    }));
}

// As the reference server: an active profile, the repository allowed (an empty allowlist allows every
// repository), and capacity left (maxConcurrentTasks 0 means none).
bool eligible(const Store& store, const Json& profile, const std::string& repo,
              const std::string& except_task) {
    if (profile.value("status", std::string()) != "active") return false;
    auto allow = strings(profile, "repoAllowlist");
    if (!allow.empty() &&
        std::none_of(allow.begin(), allow.end(), [&](const auto& r) { return lower(r) == repo; }))
        return false;
    auto max = profile.value("maxConcurrentTasks", 0LL);
    auto agent = profile.value("agentId", std::string());
    return max > 0 && static_cast<long long>(open_tasks(store, agent, except_task)) < max;
}

bool eligible(const Store& store, const std::string& agent_id, const std::string& repo,
              const std::string& except_task) {
    const auto& profiles = store.operator_state.profiles;
    auto it = profiles.find(agent_id);
    return it != profiles.end() && eligible(store, it->second, repo, except_task);
}

// Conditions compare case-insensitively, like the reference server.
bool any_equal(const std::vector<std::string>& wanted, const std::string& value) {
    auto v = lower(value);
    return std::any_of(wanted.begin(), wanted.end(), [&](const auto& w) { return lower(w) == v; });
}

bool rule_matches(const Json& conditions, const Json& s, const std::string& repo) {
    auto listed = [&](const char* name, const std::string& value) {
        auto list = strings(conditions, name);
        return list.empty() || any_equal(list, value);
    };
    auto any_tag = [&](const char* name, const char* field) {
        auto list = strings(conditions, name);
        auto have = strings(s, field);
        return list.empty() ||
               std::any_of(have.begin(), have.end(), [&](const auto& h) { return any_equal(list, h); });
    };
    auto project = s.value("project", Json());
    auto caps = strings(s, "capabilityTags");
    auto required = strings(conditions, "capabilityTagsAll");
    return listed("repositories", repo) && any_tag("labelsAny", "labels") &&
           listed("projects", project.is_string() ? project.get<std::string>() : "") &&
           listed("issueTypes", s.value("issueType", std::string())) &&
           listed("priorities", s.value("priority", std::string())) &&
           any_tag("ownershipTagsAny", "ownershipTags") &&
           std::all_of(required.begin(), required.end(), [&](const auto& c) { return any_equal(caps, c); });
}

// The mock's stand-in classifier: the share of the snapshot's capability and ownership tags the profile
// has, rounded down to two decimals (0 when the snapshot has none).
double classifier_score(const Json& profile, const Json& s) {
    auto caps = strings(s, "capabilityTags");
    auto owns = strings(s, "ownershipTags");
    auto total = caps.size() + owns.size();
    if (total == 0) return 0;
    auto pc = strings(profile, "capabilityTags");
    auto po = strings(profile, "ownershipTags");
    auto hits = std::count_if(caps.begin(), caps.end(), [&](const auto& c) { return any_equal(pc, c); }) +
                std::count_if(owns.begin(), owns.end(), [&](const auto& o) { return any_equal(po, o); });
    return static_cast<double>(
               static_cast<long long>(static_cast<double>(hits) * 100 / static_cast<double>(total))) /
           100;
}

Json target(const std::string& type, const std::string& id) {
    return Json{{"type", type}, {"id", id}};
}

}  // namespace

Json evaluate_routing(const Store& store, const Json& rule_set, const Json& snapshot,
                      const std::string& decision_id, const std::string& except_task) {
    const auto& repository = snapshot.at("repository");
    std::string repo =
        lower(repository.value("owner", std::string()) + "/" + repository.value("name", std::string()));
    const Json& classifier = rule_set.at("classifier");
    std::string fallback_queue = classifier.value("fallbackTriageQueueId", std::string("triage_default"));

    auto decision = [&](const std::string& outcome, Json tgt, const std::string& source, double confidence,
                        Json matched_rules, Json classifier_result, const std::string& summary,
                        Json reasons) {
        bool to_agent = tgt["type"] == "agent";
        Json assignment{{"assigneeAgentId", to_agent ? tgt["id"] : Json(nullptr)},
                        {"triageQueueId", to_agent ? Json(nullptr) : tgt["id"]},
                        {"assignmentSource", source},
                        {"routingDecisionId", decision_id},
                        {"assignedAt", iso_now()}};
        return Json{{"id", decision_id},
                    {"taskId", nullptr},
                    {"taskIdentifier", nullptr},
                    {"outcome", outcome},
                    {"target", std::move(tgt)},
                    {"assignment", std::move(assignment)},
                    {"confidence", confidence},
                    {"routingReason", Json{{"summary", summary.substr(0, 500)},
                                           {"matchedRules", std::move(matched_rules)},
                                           {"classifier", std::move(classifier_result)},
                                           {"conflictReasons", std::move(reasons)}}},
                    {"availableActions", Json{"view_task", "view_audit"}}};
    };

    // Enabled rules that match and whose agent (if any) is eligible: highest priority first, then highest
    // confidence, then rule id.
    std::vector<const Json*> matched;
    for (const auto& rule : rule_set.at("rules")) {
        if (!rule.value("enabled", false) ||
            !rule_matches(rule.value("conditions", Json::object()), snapshot, repo))
            continue;
        const Json& t = rule["target"];
        if (t["type"] == "agent" && !eligible(store, t["id"].get<std::string>(), repo, except_task)) continue;
        matched.push_back(&rule);
    }
    std::stable_sort(matched.begin(), matched.end(), [](const Json* a, const Json* b) {
        auto pa = a->value("priority", 0LL), pb = b->value("priority", 0LL);
        if (pa != pb) return pa > pb;
        auto ca = a->value("confidence", 0.0), cb = b->value("confidence", 0.0);
        if (ca != cb) return ca > cb;
        return a->value("id", std::string()) < b->value("id", std::string());
    });
    if (!matched.empty()) {
        auto top = matched.front()->value("priority", 0LL);
        Json rules = Json::array();
        std::set<std::pair<std::string, std::string>> targets;
        double max_confidence = 0;
        for (const Json* r : matched) {
            if (r->value("priority", 0LL) != top) break;
            if (rules.size() < 20)
                rules.push_back(
                    Json{{"id", (*r)["id"]}, {"name", (*r)["name"]}, {"confidence", (*r)["confidence"]}});
            targets.insert(
                {(*r)["target"]["type"].get<std::string>(), (*r)["target"]["id"].get<std::string>()});
            max_confidence = std::max(max_confidence, (*r)["confidence"].get<double>());
        }
        if (targets.size() > 1) {
            auto level = std::to_string(top);
            return decision("conflict", target("triage_queue", fallback_queue), "manual_triage",
                            max_confidence, rules, nullptr,
                            "Multiple deterministic routing rules matched at priority " + level + ".",
                            Json{"multiple_targets_at_priority_" + level});
        }
        const Json& winner = *matched.front();
        const Json& t = winner["target"];
        return decision(t["type"] == "agent" ? "assigned" : "triage", t, "deterministic_rule",
                        winner["confidence"].get<double>(), rules, nullptr,
                        winner["explanation"].get<std::string>(), Json::array());
    }

    // No rule: the mock's stand-in classifier scores the eligible profiles (the reference server sends
    // such issues to triage).
    if (classifier.value("enabled", false)) {
        std::string best;
        double best_score = -1;
        for (const auto& [agent_id, profile] : store.operator_state.profiles) {
            if (!eligible(store, profile, repo, except_task)) continue;
            double score = classifier_score(profile, snapshot);
            if (score > best_score) best_score = score, best = agent_id;  // ties: lowest agent id
        }
        double threshold = classifier.value("confidenceThreshold", 1.0);
        std::string provider = classifier.value("provider", std::string("internal-router"));
        if (!best.empty() && best_score > 0) {
            Json result{{"provider", provider},
                        {"confidence", best_score},
                        {"suggestedTarget", target("agent", best)}};
            if (best_score >= threshold)
                return decision("assigned", target("agent", best), "classifier", best_score, Json::array(),
                                result, "No deterministic rule matched; the classifier chose " + best + ".",
                                Json::array());
            if (classifier.value("fallbackBehavior", std::string()) == "assign_closest_match")
                return decision("assigned", target("agent", best), "classifier_best_effort", best_score,
                                Json::array(), result,
                                "No deterministic rule matched; the classifier's closest match " + best +
                                    " is below the confidence threshold and was assigned as best effort.",
                                Json::array());
            return decision(
                "no_route", target("triage_queue", fallback_queue), "manual_triage", 0, Json::array(), result,
                "No deterministic route matched and the classifier's best match is below the confidence "
                "threshold; the task was sent to triage " +
                    fallback_queue + ".",
                Json{"no_matching_rule", "classifier_below_threshold"});
        }
    }
    return decision("no_route", target("triage_queue", fallback_queue), "manual_triage", 0, Json::array(),
                    nullptr,
                    "No deterministic route matched; the task was sent to triage " + fallback_queue + ".",
                    Json{"no_matching_rule"});
}

namespace {

std::string sha256_hex(std::string_view text) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(text.data(), text.size(), md, &len, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out += hex[md[i] >> 4];
        out += hex[md[i] & 15];
    }
    return out;
}

}  // namespace

std::string snapshot_digest(const Json& snapshot) {
    // nlohmann::json (not ordered_json) sorts keys: the same snapshot in any field order has one digest.
    return "sha256:" + sha256_hex(nlohmann::json::parse(snapshot.dump()).dump());
}

// ---- task source and runs ----

namespace {

const char* const kSourceStringFields[] = {"provider",   "owner",        "repo",        "branch",
                                           "baseBranch", "headSha",      "projectSlug", "ciProvider",
                                           "prUrl",      "submissionId", "deliveryId",  "receivedAt"};
const char* const kSourceNumberFields[] = {"issueNumber", "pullNumber"};
const char* const kSourceArrayFields[] = {"reviewers", "labels", "assignees"};

bool non_empty_string(const Json& v) {
    return v.is_string() && !trim(v.get<std::string>()).empty();
}

}  // namespace

Json task_source_json(const Task& task) {
    if (!task.source.is_null()) return task.source;
    Json source{{"provider", "github"}, {"owner", "agentrail-mock"}, {"repo", "demo"}};
    auto digits = task.issue_url.find_last_not_of("0123456789");
    if (digits != std::string::npos && digits + 1 < task.issue_url.size())
        if (auto n = parse_int(task.issue_url.substr(digits + 1)); n && *n > 0) source["issueNumber"] = *n;
    return source;
}

std::string task_base_branch(const Task& task) {
    if (task.source.is_object())
        if (auto b = task.source.value("baseBranch", Json()); b.is_string()) return b.get<std::string>();
    return "main";
}

// The reference server's rules: known fields only, strings non-empty, numbers positive integers, arrays
// of non-empty strings; null removes a field; owner and repo change together.
void check_source_repair(const Json& body, FieldErrors& errors) {
    ObjectChecker c(body, errors);
    c.only({"sourceRef", "changeReason", "source"});
    auto ref = c.string("sourceRef", true);
    if (ref && trim(*ref).empty()) errors.add("sourceRef", "must not be empty");
    auto reason = c.string("changeReason", true, 0, 500);
    if (reason && trim(*reason).empty()) errors.add("changeReason", "must not be empty");
    const Json* source = c.object("source", true);
    if (!source) return;
    if (source->empty()) errors.add("source", "must change at least one field");
    for (auto it = source->begin(); it != source->end(); ++it) {
        const auto& key = it.key();
        const Json& v = *it;
        auto field = "source." + key;
        auto is = [&](const auto& list) {
            return std::any_of(std::begin(list), std::end(list), [&](const char* f) { return key == f; });
        };
        if (is(kSourceStringFields)) {
            if (!v.is_null() && !non_empty_string(v)) errors.add(field, "must be a non-empty string or null");
        } else if (is(kSourceNumberFields)) {
            if (!v.is_null() && !(v.is_number_integer() && v.get<long long>() > 0))
                errors.add(field, "must be a positive integer or null");
        } else if (is(kSourceArrayFields)) {
            if (!v.is_null() && !(v.is_array() && std::all_of(v.begin(), v.end(), non_empty_string)))
                errors.add(field, "must be an array of non-empty strings or null");
        } else {
            errors.add(field, "is not a supported task source field");
        }
    }
    if (source->contains("owner") != source->contains("repo"))
        errors.add("source", "owner and repo must be given together");
}

Json agent_run_json(const AgentRun& run) {
    auto opt = [](const std::optional<std::string>& v) { return v ? Json(*v) : Json(nullptr); };
    // The mock has no runner processes: the paths are where the reference server's runner would keep them.
    const std::string dir = "/var/lib/agentrail-mock/runs/" + run.id;
    return Json{{"runId", run.id},
                {"agentId", run.agent_id},
                {"runner", "agentrail-mock"},
                {"taskId", run.task_id},
                {"taskIdentifier", run.task_identifier},
                {"status", run.status},
                {"repoPath", "/var/lib/agentrail-mock/repo"},
                {"worktreePath", dir + "/worktree"},
                {"branchName", run.branch_name},
                {"promptPath", dir + "/prompt.md"},
                {"logPath", dir + "/run.log"},
                {"handoffPath", dir + "/handoff.json"},
                {"createdAt", run.created_at},
                {"startedAt", opt(run.started_at)},
                {"finishedAt", opt(run.finished_at)},
                {"updatedAt", run.updated_at},
                {"exitCode", run.exit_code ? Json(*run.exit_code) : Json(nullptr)},
                {"summary", opt(run.summary)},
                {"runContextTokenHash", sha256_hex(run.token)},
                {"runContextTokenIssuedAt", run.created_at},
                {"userAction", run.user_action},
                {"reports", run.reports},
                {"reportedHandoff", run.reported_handoff},
                {"launch", Json{{"executable", "agentrail-mock-runner"}, {"args", Json{"--run", run.id}}}}};
}

}  // namespace mock
