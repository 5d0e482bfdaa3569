// WebhookForwarder: see webhook_forwarder.hpp.

#include "webhook_forwarder.hpp"

#include <algorithm>
#include <utility>

#include "agentrail/errors.hpp"

namespace agentrail::cli {

namespace {
constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{5000};
}  // namespace

WebhookForwarder::WebhookForwarder(std::shared_ptr<Transport> transport, std::string url,
                                   std::size_t capacity, Warn warn, std::chrono::milliseconds attempt_timeout)
    : m_transport(std::move(transport)),
      m_url(std::move(url)),
      m_capacity(capacity),
      m_warn(std::move(warn)),
      m_attempt_timeout(attempt_timeout),
      m_thread([this] { loop(); }) {}

WebhookForwarder::~WebhookForwarder() {
    close(std::chrono::milliseconds(0));
}

bool WebhookForwarder::push(Item item) {
    std::lock_guard lock(m_mutex);
    if (m_closing || m_queue.size() >= m_capacity) return false;
    m_queue.push_back(std::move(item));
    m_cv.notify_one();
    return true;
}

std::vector<std::string> WebhookForwarder::close(std::chrono::milliseconds grace) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_closing) {
            m_closing = true;
            m_give_up_at = std::chrono::steady_clock::now() + grace;
        }
        m_cv.notify_all();
    }
    if (m_thread.joinable()) m_thread.join();
    std::lock_guard lock(m_mutex);
    std::vector<std::string> left;
    for (const auto& item : m_queue) left.push_back(item.event_id);
    return left;
}

std::size_t WebhookForwarder::forwarded() const {
    std::lock_guard lock(m_mutex);
    return m_forwarded;
}

std::size_t WebhookForwarder::failed_attempts() const {
    std::lock_guard lock(m_mutex);
    return m_failed_attempts;
}

bool WebhookForwarder::send(const Item& item, std::string& why) {
    HttpRequest forward;
    forward.method = Method::post;
    forward.url = m_url;
    forward.body = item.body;
    forward.timeout = m_attempt_timeout;
    forward.headers.emplace_back("Content-Type", "application/json");
    for (const auto& header : item.headers) forward.headers.push_back(header);
    try {
        auto response = m_transport->send(forward);
        if (response.status >= 200 && response.status < 300) return true;
        why = "answered " + std::to_string(response.status);
    } catch (const Error& e) {
        why = std::string("failed: ") + e.what();
    }
    return false;
}

void WebhookForwarder::loop() {
    auto backoff = kFirstBackoff;
    for (;;) {
        Item item;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] { return !m_queue.empty() || m_closing; });
            if (m_queue.empty()) return;
            if (m_closing && std::chrono::steady_clock::now() >= m_give_up_at) return;
            item = m_queue.front();  // stays queued until the target took it
        }
        std::string why;
        if (send(item, why)) {
            std::lock_guard lock(m_mutex);
            m_queue.pop_front();
            ++m_forwarded;
            backoff = kFirstBackoff;
            continue;
        }
        {
            std::lock_guard lock(m_mutex);
            ++m_failed_attempts;
        }
        m_warn("forward of " + (item.event_id.empty() ? std::string("a delivery") : item.event_id) + " to " +
               m_url + " " + why + "; retrying in " + std::to_string(backoff.count()) + " ms");
        std::unique_lock lock(m_mutex);
        auto until = std::chrono::steady_clock::now() + backoff;
        if (m_closing) until = std::min(until, m_give_up_at);
        m_cv.wait_until(lock, until,
                        [this] { return m_closing && std::chrono::steady_clock::now() >= m_give_up_at; });
        backoff = std::min(backoff * 2, kMaxBackoff);
    }
}

}  // namespace agentrail::cli
