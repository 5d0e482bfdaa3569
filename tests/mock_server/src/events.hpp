#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mock {

// One lifecycle event, serialised once: the SSE frame holds the envelope JSON as its data line,
// and webhook bodies are a view into that same text.
struct Event {
    std::uint64_t sequence = 0;
    std::string id;
    std::string type;
    std::string task_id;
    std::string agent_id;  // assignee of the task, for visibility
    std::string frame;     // "id: ...\nevent: ...\ndata: <json>\n\n"
    std::size_t json_offset = 0;
    std::size_t json_length = 0;

    std::string_view json() const { return std::string_view(frame).substr(json_offset, json_length); }
};
using EventPtr = std::shared_ptr<const Event>;

struct EventFilter {
    std::string agent_id;  // empty: every agent (admin keys)
    std::set<std::string> types;
    std::string task_id;

    bool matches(const Event& e) const;
};

// A live stream's queue; the bus pushes matching events into it.
struct StreamSubscriber {
    EventFilter filter;
    std::mutex mutex;
    std::condition_variable cv;
    std::deque<EventPtr> queue;
    bool closed = false;
};

struct EventDraft {
    std::string type;
    std::string task_id;
    std::string agent_id;
    long long task_version = 1;
    std::string data_json;  // the envelope's "data" object, serialised
    // When set, used instead of data_json: lets bursts share one serialised payload.
    std::shared_ptr<const std::string> shared_data;
};

class EventBus {
public:
    EventBus(std::size_t capacity);

    // Publishes events in order; returns them with sequence numbers assigned.
    std::vector<EventPtr> publish(std::vector<EventDraft> drafts);
    EventPtr publish_one(EventDraft draft);

    // Resolves a resume token (event id or sequence number) to a sequence number that can still be
    // replayed; nullopt when unknown or already evicted.
    std::optional<std::uint64_t> resolve_cursor(const std::string& token) const;

    // Registers a live subscriber; when after_sequence is set, the buffered events after it that
    // match the filter are copied into the subscriber's queue atomically with registration.
    std::shared_ptr<StreamSubscriber> subscribe(EventFilter filter,
                                                std::optional<std::uint64_t> after_sequence);
    void unsubscribe(const std::shared_ptr<StreamSubscriber>& sub);

    // Wakes every stream so it notices shutdown.
    void close_all();
    void clear_buffer();

    std::uint64_t last_sequence() const;
    std::size_t buffered() const;
    std::size_t subscribers() const;
    std::uint64_t published() const;

private:
    std::string make_event_id(std::uint64_t sequence) const;

    mutable std::mutex m_mutex;
    std::size_t m_capacity;
    std::string m_run_tag;
    std::uint64_t m_last_sequence = 0;
    std::uint64_t m_published = 0;
    std::deque<EventPtr> m_buffer;
    std::vector<std::shared_ptr<StreamSubscriber>> m_subscribers;
};

}  // namespace mock
