#include "webhooks.hpp"

#include <httplib.h>

#include <regex>

#include "app.hpp"

namespace mock {

namespace {

// Documented retry schedule: the wait after attempt N (1-based) before attempt N+1.
constexpr double kBackoffSeconds[] = {10, 30, 90, 300, 900, 1800, 3600};
constexpr int kMaxAttempts = 8;

struct ParsedUrl {
    std::string scheme_host_port;
    std::string host;
    std::string path;
};

std::optional<ParsedUrl> parse_url(const std::string& url) {
    static const std::regex re(R"(^(https?)://(\[[^\]]+\]|[^/:?#]+)(:\d+)?([^#]*)?.*$)", std::regex::icase);
    std::smatch m;
    if (!std::regex_match(url, m, re)) return std::nullopt;
    ParsedUrl p;
    p.host = m[2].str();
    p.scheme_host_port = m[1].str() + "://" + p.host + m[3].str();
    p.path = m[4].str().empty() ? "/" : m[4].str();
    if (p.path.front() == '?') p.path.insert(p.path.begin(), '/');
    return p;
}

}  // namespace

Webhooks::Webhooks(App& app) : m_app(app) {}

Webhooks::~Webhooks() {
    stop();
}

bool Webhooks::is_loopback_url(const std::string& url) {
    auto p = parse_url(url);
    if (!p) return false;
    auto h = p->host;
    return h == "localhost" || h == "[::1]" || starts_with(h, "127.");
}

void Webhooks::start() {
    std::lock_guard lock(m_mutex);
    m_stopping = false;
    for (std::size_t i = 0; i < m_app.config.delivery_workers; ++i)
        m_threads.emplace_back([this] { worker(); });
}

void Webhooks::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cv.notify_all();
    for (auto& t : m_threads)
        if (t.joinable()) t.join();
    m_threads.clear();
}

void Webhooks::on_events(const std::vector<EventPtr>& events) {
    auto& store = m_app.store;
    if (store.subscription_order.empty()) return;
    bool queued = false;
    std::lock_guard lock(m_mutex);
    for (const auto& sub_id : store.subscription_order) {
        const auto& sub = store.subscriptions.at(sub_id);
        if (sub.status != "active") continue;
        for (const auto& ev : events) {
            if (std::find(sub.event_types.begin(), sub.event_types.end(), ev->type) == sub.event_types.end())
                continue;
            if (!sub.task_ids.empty() &&
                std::find(sub.task_ids.begin(), sub.task_ids.end(), ev->task_id) == sub.task_ids.end())
                continue;
            if (!sub.owner_is_admin && ev->agent_id != sub.owner_agent_id) continue;
            Delivery d;
            d.key = sub.id + "/" + ev->id;
            d.subscription_id = sub.id;
            d.url = sub.url;
            d.secret = sub.secret;
            d.event = ev;
            if (!m_app.config.allow_remote_webhooks && !is_loopback_url(sub.url)) {
                d.status = "skipped";
                d.reason = "remote delivery disabled; start agentrail-mock with --allow-remote-webhooks";
            } else {
                m_queue.push(Job{SteadyClock::now(), m_next_order++, d.key});
                queued = true;
            }
            m_order.push_back(d.key);
            m_deliveries[d.key] = std::move(d);
        }
    }
    if (queued) m_cv.notify_all();
}

void Webhooks::worker() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        if (m_queue.empty()) {
            m_cv.wait(lock);
            continue;
        }
        auto due = m_queue.top().due;
        if (SteadyClock::now() < due) {
            m_cv.wait_until(lock, due);
            continue;
        }
        auto key = m_queue.top().key;
        m_queue.pop();
        lock.unlock();
        attempt(key);
        lock.lock();
    }
}

void Webhooks::attempt(const std::string& key) {
    std::string url, secret, sub_id;
    EventPtr event;
    int attempt_no = 0;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_deliveries.find(key);
        if (it == m_deliveries.end()) return;
        url = it->second.url;
        secret = it->second.secret;
        sub_id = it->second.subscription_id;
        event = it->second.event;
        attempt_no = it->second.attempts + 1;
    }
    {
        // A subscription deactivated meanwhile gets no further attempts.
        std::lock_guard store_lock(m_app.store.mutex);
        auto sub = m_app.store.subscriptions.find(sub_id);
        if (sub == m_app.store.subscriptions.end() || sub->second.status != "active") {
            std::lock_guard lock(m_mutex);
            auto it = m_deliveries.find(key);
            if (it == m_deliveries.end()) return;
            auto& d = it->second;
            d.status = "failed";
            d.reason = "subscription disabled";
            d.next_attempt_at.reset();
            return;
        }
    }

    Attempt a;
    a.delivery_id = make_id("dlv_");
    a.attempt = attempt_no;
    a.at = iso_now();
    auto parsed = parse_url(url);
    std::string body(event->json());
    if (!parsed) {
        a.error = "invalid url";
    } else {
        httplib::Client cli(parsed->scheme_host_port);
        auto timeout = std::chrono::milliseconds(m_app.config.delivery_timeout_ms);
        cli.set_connection_timeout(timeout);
        cli.set_read_timeout(timeout);
        cli.set_write_timeout(timeout);
        cli.set_keep_alive(false);
        httplib::Headers headers{{"x-agentrail-subscription-id", sub_id},
                                 {"x-agentrail-event-id", event->id},
                                 {"x-agentrail-event-type", event->type},
                                 {"x-agentrail-delivery-id", a.delivery_id},
                                 {"x-agentrail-delivery-attempt", std::to_string(attempt_no)},
                                 {"x-agentrail-signature", "sha256=" + hmac_sha256_hex(secret, body)},
                                 {"user-agent", "agentrail-mock/0.1"}};
        auto res = cli.Post(parsed->path, headers, body, "application/json");
        if (res) {
            a.response_status = res->status;
        } else {
            a.error = httplib::to_string(res.error());
        }
    }

    bool disable = false;
    {
        std::lock_guard lock(m_mutex);
        ++m_attempts_total;
        auto it = m_deliveries.find(key);
        if (it == m_deliveries.end()) return;  // cleared by /_mock/reset meanwhile
        auto& d = it->second;
        d.attempts = attempt_no;
        d.log.push_back(a);
        d.next_attempt_at.reset();
        int st = a.response_status;
        if (st >= 200 && st < 300) {
            d.status = "delivered";
        } else if (st == 410) {
            d.status = "failed";
            d.reason = "endpoint answered 410; subscription disabled";
            disable = true;
        } else if (st >= 400 && st < 500) {
            d.status = "failed";
            d.reason = "endpoint answered " + std::to_string(st) + "; not retried";
        } else if (st >= 300 && st < 400) {
            d.status = "failed";
            d.reason = "endpoint answered a redirect; not followed";
        } else if (attempt_no >= kMaxAttempts) {
            d.status = "failed";
            d.reason = "gave up after " + std::to_string(kMaxAttempts) + " attempts";
        } else {
            d.status = "retrying";
            auto wait = std::chrono::duration<double>(kBackoffSeconds[attempt_no - 1] *
                                                      m_app.config.delivery_backoff_scale);
            auto wait_d = std::chrono::duration_cast<SteadyClock::duration>(wait);
            d.next_attempt_at = iso_time(Clock::now() + std::chrono::duration_cast<Clock::duration>(wait_d));
            m_queue.push(Job{SteadyClock::now() + wait_d, m_next_order++, key});
            m_cv.notify_all();
        }
    }
    if (disable) {
        std::lock_guard store_lock(m_app.store.mutex);
        auto sub = m_app.store.subscriptions.find(sub_id);
        if (sub != m_app.store.subscriptions.end()) sub->second.status = "disabled";
    }
}

Json Webhooks::delivery_json(const Delivery& d) const {
    Json log = Json::array();
    for (const auto& a : d.log) {
        log.push_back(Json{{"deliveryId", a.delivery_id},
                           {"attempt", a.attempt},
                           {"responseStatus", a.response_status ? Json(a.response_status) : Json(nullptr)},
                           {"error", a.error.empty() ? Json(nullptr) : Json(a.error)},
                           {"at", a.at}});
    }
    return Json{{"subscriptionId", d.subscription_id},
                {"eventId", d.event->id},
                {"eventType", d.event->type},
                {"sequence", d.event->sequence},
                {"url", d.url},
                {"status", d.status},
                {"reason", d.reason.empty() ? Json(nullptr) : Json(d.reason)},
                {"attempts", d.attempts},
                {"nextAttemptAt", d.next_attempt_at ? Json(*d.next_attempt_at) : Json(nullptr)},
                {"attemptLog", log}};
}

Json Webhooks::deliveries_json(const std::string& subscription_id) const {
    std::lock_guard lock(m_mutex);
    Json out = Json::array();
    for (const auto& key : m_order) {
        const auto& d = m_deliveries.at(key);
        if (!subscription_id.empty() && d.subscription_id != subscription_id) continue;
        out.push_back(delivery_json(d));
    }
    return out;
}

Json Webhooks::stats_json() const {
    std::lock_guard lock(m_mutex);
    std::map<std::string, long long> by_status;
    for (const auto& [key, d] : m_deliveries) ++by_status[d.status];
    Json s = Json::object();
    for (const auto& [k, v] : by_status) s[k] = v;
    return Json{{"deliveries", m_deliveries.size()},
                {"attempts", m_attempts_total},
                {"byStatus", s},
                {"queued", m_queue.size()}};
}

void Webhooks::clear() {
    std::lock_guard lock(m_mutex);
    m_deliveries.clear();
    m_order.clear();
    m_queue = {};
}

}  // namespace mock
