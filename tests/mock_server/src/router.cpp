#include "router.hpp"

#include <iostream>
#include <thread>

#include "app.hpp"
#include "http_util.hpp"

namespace mock {

void Ctx::deny() {
    if (!key) return;
    ++key->denied;
    if (key->accepted > 0) --key->accepted;
}

namespace {

std::vector<std::string> path_parts(const std::string& path) {
    std::vector<std::string> parts = split(path, '/');
    if (!parts.empty() && parts.front().empty()) parts.erase(parts.begin());
    return parts;
}

bool segment_matches(const std::string& pattern, const std::string& part) {
    if (pattern == "{task}") return is_alnum_id(part, "tsk_");
    if (pattern == "{key}") return is_alnum_id(part, "akey_");
    if (pattern == "{sub}") return is_alnum_id(part, "evsub_");
    if (pattern == "{agent}") return is_alnum_id(part, "agt_", true);
    if (pattern == "{decision}") return is_alnum_id(part, "rdec_");
    if (pattern == "{run}") return is_alnum_id(part, "run_", true);
    if (pattern == "{any}") return !part.empty();
    return pattern == part;
}

void sleep_interruptibly(App& app, long long ms) {
    auto until = SteadyClock::now() + std::chrono::milliseconds(ms);
    while (!app.stopping && SteadyClock::now() < until) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - SteadyClock::now());
        std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(50)));
    }
}

void send_rate_limited(httplib::Response& res, const ApiKey& key, long long now_s) {
    long long window = key.rate_limit.window_seconds;
    long long start = now_s - now_s % window;
    long long retry = std::max(1LL, start + window - now_s);
    res.set_header("retry-after", std::to_string(retry));
    send_error(res, 429, "rate_limited", "Rate limit exceeded for this agent key.",
               Json{{"limit", Json{{"windowSeconds", window}, {"maxRequests", key.rate_limit.max_requests}}},
                    {"remaining", 0},
                    {"resetAt", iso_time_seconds(Clock::from_time_t(start + window))},
                    {"retryAfterSeconds", retry}},
               Json{"retry"});
}

void apply_response_fault(httplib::Response& res, const FaultRule& rule) {
    if (rule.kind == "non_json") {
        res.status = rule.status ? rule.status : 502;
        res.set_content(
            "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
            "<body><h1>Bad Gateway</h1><p>The upstream server is unavailable.</p></body></html>\n",
            "text/html; charset=utf-8");
        return;
    }
    if (rule.kind == "rate_limit") {
        auto retry = std::max(1LL, rule.retry_after);
        res.set_header("retry-after", std::to_string(retry));
        auto reset = Clock::now() + std::chrono::seconds(retry);
        send_error(res, rule.status ? rule.status : 429, rule.code.empty() ? "rate_limited" : rule.code,
                   rule.message.empty() ? "Rate limit exceeded for this agent key." : rule.message,
                   Json{{"limit", Json{{"windowSeconds", 60}, {"maxRequests", 600}}},
                        {"remaining", 0},
                        {"resetAt", iso_time_seconds(reset)},
                        {"retryAfterSeconds", retry},
                        {"injected", true}},
                   Json{"retry"});
        return;
    }
    // status
    int status = rule.status ? rule.status : 500;
    std::string code = rule.code;
    if (code.empty()) {
        code = status == 429   ? "rate_limited"
               : status == 503 ? "unavailable"
               : status == 404 ? "not_found"
               : status == 401 ? "unauthorized"
               : status == 409 ? "conflict"
               : status >= 500 ? "internal_error"
                               : "validation_error";
    }
    if (rule.retry_after > 0) res.set_header("retry-after", std::to_string(rule.retry_after));
    if (status == 503 && code == "fallback_mode") res.set_header("x-agentrail-fallback", "true");
    send_error(res, status, code, rule.message.empty() ? "Injected fault." : rule.message,
               Json{{"injected", true}}, Json{"retry"});
}

void apply_body_fault(httplib::Response& res, const FaultRule& rule) {
    auto body = std::make_shared<std::string>(std::move(res.body));
    res.body.clear();
    auto content_type = res.get_header_value("Content-Type");
    if (content_type.empty()) content_type = "application/json";
    res.headers.erase("Content-Type");
    if (rule.kind == "malformed_json") {
        if (rule.status) res.status = rule.status;
        std::string cut = body->size() >= 8 ? body->substr(0, body->size() / 2) : std::string("{\"data\": [");
        res.set_content(cut, "application/json");
        return;
    }
    // cut_body: promise the full length, send half, then drop the connection.
    res.set_content_provider(body->size(), content_type,
                             [body](std::size_t, std::size_t, httplib::DataSink& sink) {
                                 sink.write(body->data(), body->size() / 2);
                                 return false;
                             });
}

}  // namespace

Router::Router(App& app) : m_app(app) {}

void Router::add(Route route) {
    m_routes.push_back(std::move(route));
}

void Router::add_control(std::string method, std::string pattern, Handler handler) {
    Route r;
    r.method = std::move(method);
    r.segments = path_parts(pattern);
    r.operation = "control";
    r.auth = AuthMode::none;
    r.handler = std::move(handler);
    m_control.push_back(std::move(r));
}

const Route* Router::match(const std::vector<Route>& routes, const std::string& method,
                           const std::vector<std::string>& parts, std::vector<std::string>& ids) const {
    for (const auto& r : routes) {
        if (r.method != method || r.segments.size() != parts.size()) continue;
        bool ok = true;
        for (std::size_t i = 0; i < parts.size() && ok; ++i) ok = segment_matches(r.segments[i], parts[i]);
        if (!ok) continue;
        ids.clear();
        for (std::size_t i = 0; i < parts.size(); ++i)
            if (r.segments[i].front() == '{') ids.push_back(parts[i]);
        return &r;
    }
    return nullptr;
}

bool Router::authenticate(Ctx& ctx, const Route& route) {
    if (route.auth == AuthMode::none) return true;
    auto header = ctx.req.get_header_value("Authorization");
    std::string token;
    if (header.size() > 7) {
        std::string scheme = header.substr(0, 7);
        for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (scheme == "bearer ") token = trim(header.substr(7));
    }
    if (token.empty() && route.auth == AuthMode::optional) return true;
    ApiKey* key = token.empty() ? nullptr : m_app.store.find_key_by_secret(token);
    bool valid = key && key->status == "active";
    if (valid && key->expires_at) {
        auto exp = parse_iso_time(*key->expires_at);
        if (exp && *exp <= Clock::now()) valid = false;
    }
    if (!valid) {
        send_error(ctx.res, 401, "unauthorized", "Authentication failed.", Json::object(),
                   Json{"reauthenticate"});
        return false;
    }
    ctx.key = key;

    // Fixed window aligned to the window length.
    auto now_s = std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
    long long window = key->rate_limit.window_seconds;
    long long start = now_s - now_s % window;
    if (key->window_start != start) {
        key->window_start = start;
        key->window_used = 0;
    }
    if (key->window_used >= key->rate_limit.max_requests) {
        ++key->denied;
        send_rate_limited(ctx.res, *key, now_s);
        return false;
    }
    ++key->window_used;
    key->last_used_at = iso_now();

    if (!route.scope.empty() && !key->has_scope(route.scope)) {
        ++key->denied;
        send_error(ctx.res, 403, "insufficient_scope", "Agent API key does not grant the required scope.",
                   Json{{"requiredScope", route.scope}, {"grantedScopes", key->scopes}},
                   Json{"request_scope"});
        return false;
    }
    ++key->accepted;
    ++key->by_operation[route.operation];
    if (!route.scope.empty()) ++key->by_scope[route.scope];
    return true;
}

void Router::handle_api(const httplib::Request& req, httplib::Response& res, const std::string& path) {
    std::string method = req.method == "HEAD" ? "GET" : req.method;
    std::vector<std::string> ids;
    const Route* route = match(m_routes, method, path_parts(path), ids);
    if (!route) {
        send_not_found(res);
        return;
    }
    Ctx ctx{m_app, req, res, ids, nullptr, route->operation};
    // Handlers run under the store mutex; an event stream's body is produced later, unlocked.
    std::lock_guard lock(m_app.store.mutex);
    if (!authenticate(ctx, *route)) return;
    route->handler(ctx);
}

void Router::dispatch(const httplib::Request& req, httplib::Response& res) {
    ++m_app.stats.requests;
    std::string path = req.path;
    const auto& prefix = m_app.config.path_prefix;
    if (!prefix.empty() && (path == prefix || starts_with(path, prefix + "/"))) {
        path.erase(0, prefix.size());
        if (path.empty()) path.push_back('/');
    }
    try {
        if (path == "/_mock" || starts_with(path, "/_mock/")) {
            std::string method = req.method == "HEAD" ? "GET" : req.method;
            std::vector<std::string> ids;
            const Route* route = match(m_control, method, path_parts(path), ids);
            if (!route) {
                send_not_found(res);
            } else {
                Ctx ctx{m_app, req, res, ids, nullptr, "control"};
                route->handler(ctx);
            }
        } else {
            bool is_stream = path == "/task-events/stream";
            auto decision = m_app.faults.decide(req.method, req.path, is_stream);
            if (decision.latency_ms > 0) sleep_interruptibly(m_app, decision.latency_ms);
            const auto* fault = decision.response ? &*decision.response : nullptr;
            if (fault &&
                (fault->kind == "status" || fault->kind == "rate_limit" || fault->kind == "non_json")) {
                apply_response_fault(res, *fault);
            } else {
                handle_api(req, res, path);
                if (fault && !res.body.empty()) apply_body_fault(res, *fault);
            }
        }
    } catch (const std::exception& e) {
        send_error(res, 500, "internal_error", std::string("Unexpected error: ") + e.what());
    }

    if (m_app.config.chunked_responses && !res.body.empty() && res.status != 204) {
        // Like the reference server: JSON bodies with Transfer-Encoding: chunked and no Content-Length.
        auto body = std::make_shared<std::string>(std::move(res.body));
        res.body.clear();
        auto content_type = res.get_header_value("Content-Type");
        res.headers.erase("Content-Type");
        res.set_chunked_content_provider(content_type, [body](std::size_t, httplib::DataSink& sink) {
            if (!body->empty()) sink.write(body->data(), body->size());
            sink.done();
            return true;
        });
    }
    if (m_app.config.log_requests) {
        std::cerr << iso_now() << ' ' << req.method << ' ' << req.target << ' ' << res.status << std::endl;
    }
}

}  // namespace mock
