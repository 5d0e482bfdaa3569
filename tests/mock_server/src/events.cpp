#include "events.hpp"

#include <algorithm>
#include <cstdio>

#include "util.hpp"

namespace mock {

bool EventFilter::matches(const Event& e) const {
    if (!agent_id.empty() && e.agent_id != agent_id) return false;
    if (!task_id.empty() && e.task_id != task_id) return false;
    if (!types.empty() && !types.count(e.type)) return false;
    return true;
}

EventBus::EventBus(std::size_t capacity)
    : m_capacity(capacity == 0 ? 1 : capacity), m_run_tag(random_alnum(6)) {}

std::string EventBus::make_event_id(std::uint64_t sequence) const {
    // evt_<run tag><sequence>: unique per server run and resolvable without a lookup table.
    char num[24];
    std::snprintf(num, sizeof num, "%012llu", static_cast<unsigned long long>(sequence));
    return "evt_01" + m_run_tag + num;
}

std::vector<EventPtr> EventBus::publish(std::vector<EventDraft> drafts) {
    std::vector<EventPtr> out;
    out.reserve(drafts.size());
    std::lock_guard lock(m_mutex);
    auto occurred = iso_now();
    for (auto& d : drafts) {
        auto ev = std::make_shared<Event>();
        ev->sequence = ++m_last_sequence;
        ev->id = make_event_id(ev->sequence);
        ev->type = std::move(d.type);
        ev->task_id = std::move(d.task_id);
        ev->agent_id = std::move(d.agent_id);
        const std::string& data = d.shared_data ? *d.shared_data : d.data_json;
        auto seq = std::to_string(ev->sequence);
        // The frame is built in one pass; the envelope JSON is the data line inside it.
        auto& f = ev->frame;
        f.reserve(data.size() + 2 * ev->id.size() + 2 * ev->type.size() + occurred.size() + 160);
        f += "id: ";
        f += ev->id;
        f += "\nevent: ";
        f += ev->type;
        f += "\ndata: ";
        ev->json_offset = f.size();
        f += R"({"id":")";
        f += ev->id;
        f += R"(","type":")";
        f += ev->type;
        f += R"(","occurredAt":")";
        f += occurred;
        f += R"(","sequence":)";
        f += seq;
        f += R"(,"taskVersion":)";
        f += std::to_string(d.task_version < 1 ? 1 : d.task_version);
        // Trace ids only need to be unique; derived from the run tag and sequence, they cost nothing.
        f += R"(,"traceId":"trc_01)";
        f += m_run_tag;
        f += seq;
        f += R"(","data":)";
        f += data;
        f += '}';
        ev->json_length = f.size() - ev->json_offset;
        f += "\n\n";
        out.push_back(std::move(ev));
    }
    for (const auto& ev : out) {
        m_buffer.push_back(ev);
        if (m_buffer.size() > m_capacity) m_buffer.pop_front();
    }
    m_published += out.size();
    for (const auto& sub : m_subscribers) {
        bool pushed = false;
        {
            std::lock_guard sub_lock(sub->mutex);
            for (const auto& ev : out) {
                if (sub->filter.matches(*ev)) {
                    sub->queue.push_back(ev);
                    pushed = true;
                }
            }
        }
        if (pushed) sub->cv.notify_all();
    }
    return out;
}

EventPtr EventBus::publish_one(EventDraft draft) {
    std::vector<EventDraft> drafts;
    drafts.push_back(std::move(draft));
    return publish(std::move(drafts)).front();
}

std::optional<std::uint64_t> EventBus::resolve_cursor(const std::string& token) const {
    std::lock_guard lock(m_mutex);
    std::optional<std::uint64_t> seq;
    auto prefix = "evt_01" + m_run_tag;
    if (starts_with(token, prefix) && all_digits(std::string_view(token).substr(prefix.size()))) {
        seq = std::stoull(token.substr(prefix.size()));
    } else if (all_digits(token) && token.size() < 19) {
        seq = std::stoull(token);
    }
    if (!seq || *seq > m_last_sequence) return std::nullopt;
    // Everything after *seq must still be buffered.
    std::uint64_t first = m_buffer.empty() ? m_last_sequence + 1 : m_buffer.front()->sequence;
    // Sequence 0 precedes every event: "from the oldest retained", whatever has been evicted.
    if (*seq == 0) return first - 1;
    if (*seq + 1 < first) return std::nullopt;
    return seq;
}

std::shared_ptr<StreamSubscriber> EventBus::subscribe(EventFilter filter,
                                                      std::optional<std::uint64_t> after_sequence) {
    auto sub = std::make_shared<StreamSubscriber>();
    sub->filter = std::move(filter);
    std::lock_guard lock(m_mutex);
    if (after_sequence) {
        auto it = std::lower_bound(m_buffer.begin(), m_buffer.end(), *after_sequence + 1,
                                   [](const EventPtr& e, std::uint64_t s) { return e->sequence < s; });
        for (; it != m_buffer.end(); ++it)
            if (sub->filter.matches(**it)) sub->queue.push_back(*it);
    }
    m_subscribers.push_back(sub);
    return sub;
}

void EventBus::unsubscribe(const std::shared_ptr<StreamSubscriber>& sub) {
    std::lock_guard lock(m_mutex);
    m_subscribers.erase(std::remove(m_subscribers.begin(), m_subscribers.end(), sub), m_subscribers.end());
}

void EventBus::close_all() {
    std::lock_guard lock(m_mutex);
    for (const auto& sub : m_subscribers) {
        {
            std::lock_guard sub_lock(sub->mutex);
            sub->closed = true;
        }
        sub->cv.notify_all();
    }
}

void EventBus::clear_buffer() {
    std::lock_guard lock(m_mutex);
    m_buffer.clear();
}

std::uint64_t EventBus::last_sequence() const {
    std::lock_guard lock(m_mutex);
    return m_last_sequence;
}

std::size_t EventBus::buffered() const {
    std::lock_guard lock(m_mutex);
    return m_buffer.size();
}

std::size_t EventBus::subscribers() const {
    std::lock_guard lock(m_mutex);
    return m_subscribers.size();
}

std::uint64_t EventBus::published() const {
    std::lock_guard lock(m_mutex);
    return m_published;
}

}  // namespace mock
