#include "faults.hpp"

#include <set>

namespace mock {

namespace {
const std::set<std::string> kKinds{"status",   "rate_limit", "latency",   "cut_body",     "malformed_json",
                                   "non_json", "sse_cut",    "sse_stall", "sse_drop_idle"};
const std::set<std::string> kResponseKinds{"status", "rate_limit", "cut_body", "malformed_json", "non_json"};
}  // namespace

Json FaultRule::to_json() const {
    Json j{{"id", id}, {"kind", kind}};
    if (status) j["status"] = status;
    if (!code.empty()) j["code"] = code;
    if (!message.empty()) j["message"] = message;
    if (kind == "latency") j["latencyMs"] = latency_ms;
    if (kind == "rate_limit" || (kind == "status" && retry_after > 0)) j["retryAfterSeconds"] = retry_after;
    if (kind == "sse_cut") j["everyEvents"] = every_events;
    if (kind == "sse_drop_idle") j["idleMs"] = idle_ms;
    j["count"] = remaining;
    j["probability"] = probability;
    j["pathContains"] = path_contains;
    j["method"] = method;
    j["injected"] = injected;
    return j;
}

Faults::Faults(std::optional<unsigned long long> seed) : m_rng(seed ? *seed : std::random_device{}()) {}

std::optional<std::string> Faults::add(const Json& spec, FaultRule* added) {
    if (!spec.is_object()) return "a fault rule must be a JSON object";
    FaultRule r;
    try {
        r.kind = spec.value("kind", std::string());
        if (!kKinds.count(r.kind))
            return "kind must be one of status, rate_limit, latency, cut_body, malformed_json, non_json, "
                   "sse_cut, sse_stall, sse_drop_idle";
        bool unlimited_default =
            r.kind == "latency" || r.kind == "sse_cut" || r.kind == "sse_stall" || r.kind == "sse_drop_idle";
        r.status = spec.value("status", r.kind == "status"       ? 500
                                        : r.kind == "non_json"   ? 502
                                        : r.kind == "rate_limit" ? 429
                                                                 : 0);
        if (r.status != 0 && (r.status < 100 || r.status > 599)) return "status must be an HTTP status";
        r.code = spec.value("code", std::string());
        r.message = spec.value("message", std::string());
        r.latency_ms = spec.value("latencyMs", 0LL);
        r.retry_after = spec.value("retryAfterSeconds", r.kind == "rate_limit" ? 1LL : 0LL);
        r.every_events = spec.value("everyEvents", 0LL);
        if (r.kind == "sse_cut" && r.every_events <= 0) return "sse_cut needs everyEvents >= 1";
        r.idle_ms = spec.value("idleMs", 0LL);
        if (r.kind == "sse_drop_idle" && (r.idle_ms <= 0 || r.idle_ms > 600000))
            return "sse_drop_idle needs idleMs in 1..600000";
        if (r.kind == "latency" && (r.latency_ms <= 0 || r.latency_ms > 600000))
            return "latency needs latencyMs in 1..600000";
        r.probability = spec.value("probability", 1.0);
        if (r.probability <= 0 || r.probability > 1) return "probability must be in (0, 1]";
        bool has_probability = spec.contains("probability");
        auto count = spec.find("count");
        if (count != spec.end() && !count->is_null()) {
            r.remaining = count->get<long long>();
            if (r.remaining == 0 || r.remaining < -1) return "count must be >= 1, or -1 for unlimited";
        } else {
            r.remaining = (unlimited_default || has_probability) ? -1 : 1;
        }
        r.path_contains = spec.value("pathContains", std::string());
        r.method = spec.value("method", std::string());
    } catch (const nlohmann::json::exception& e) {
        return std::string("bad fault rule: ") + e.what();
    }
    std::lock_guard lock(m_mutex);
    r.id = "flt_" + std::to_string(m_next_id++);
    m_rules.push_back(r);
    if (added) *added = r;
    return std::nullopt;
}

void Faults::clear() {
    std::lock_guard lock(m_mutex);
    m_rules.clear();
}

bool Faults::remove(const std::string& id) {
    std::lock_guard lock(m_mutex);
    for (auto it = m_rules.begin(); it != m_rules.end(); ++it) {
        if (it->id == id) {
            m_rules.erase(it);
            return true;
        }
    }
    return false;
}

bool Faults::triggers(FaultRule& rule) {
    if (rule.remaining == 0) return false;
    if (rule.probability < 1.0) {
        std::uniform_real_distribution<double> dist(0.0, 1.0);
        if (dist(m_rng) >= rule.probability) return false;
    }
    return true;
}

void Faults::count(FaultRule& rule) {
    if (rule.remaining > 0) --rule.remaining;
    ++rule.injected;
    ++m_by_kind[rule.kind];
    ++m_total;
}

FaultDecision Faults::decide(const std::string& method, const std::string& path, bool is_stream) {
    FaultDecision d;
    std::lock_guard lock(m_mutex);
    for (auto& rule : m_rules) {
        if (!rule.path_contains.empty() && path.find(rule.path_contains) == std::string::npos) continue;
        if (!rule.method.empty() && rule.method != method) continue;
        if (rule.kind == "latency") {
            if (triggers(rule)) {
                count(rule);
                d.latency_ms += rule.latency_ms;
            }
            continue;
        }
        if (!kResponseKinds.count(rule.kind) || d.response) continue;
        // A stream has no buffered body to truncate; those faults target JSON responses only.
        if (is_stream && (rule.kind == "cut_body" || rule.kind == "malformed_json")) continue;
        if (triggers(rule)) {
            count(rule);
            d.response = rule;
        }
    }
    return d;
}

StreamFaults Faults::stream_faults(const std::string& path) {
    StreamFaults s;
    std::lock_guard lock(m_mutex);
    for (auto& rule : m_rules) {
        if (!rule.path_contains.empty() && path.find(rule.path_contains) == std::string::npos) continue;
        if (rule.kind == "sse_stall" && !s.stall && triggers(rule)) {
            count(rule);
            s.stall = true;
        } else if (rule.kind == "sse_cut" && s.cut_every == 0 && rule.remaining != 0) {
            s.cut_every = rule.every_events;
            s.cut_rule_id = rule.id;
        } else if (rule.kind == "sse_drop_idle" && s.drop_idle_ms == 0 && rule.remaining != 0) {
            s.drop_idle_ms = rule.idle_ms;
            s.drop_rule_id = rule.id;
        }
    }
    return s;
}

void Faults::count_stream_cut(const std::string& id) {
    std::lock_guard lock(m_mutex);
    for (auto& rule : m_rules)
        if (rule.id == id) count(rule);
}

Json Faults::to_json() const {
    std::lock_guard lock(m_mutex);
    Json rules = Json::array();
    for (const auto& r : m_rules) rules.push_back(r.to_json());
    Json by_kind = Json::object();
    for (const auto& k : kKinds) {
        auto it = m_by_kind.find(k);
        by_kind[k] = it == m_by_kind.end() ? 0 : it->second;
    }
    return Json{{"rules", rules}, {"injected", Json{{"total", m_total}, {"byKind", by_kind}}}};
}

long long Faults::total_injected() const {
    std::lock_guard lock(m_mutex);
    return m_total;
}

}  // namespace mock
