#pragma once
// A bounded memory of recently seen ids, for dropping redelivered webhook events and events a stream
// sends again around a reconnect.

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// The last `capacity` distinct ids, oldest forgotten first. Not thread-safe.
class RecentIds {
public:
    explicit RecentIds(std::size_t capacity = 10000) : m_capacity(capacity) {}
    RecentIds(const RecentIds&) = delete;  // the set views the deque's strings
    RecentIds& operator=(const RecentIds&) = delete;

    /// True when `id` is among the remembered ids.
    bool contains(std::string_view id) const;
    /// Remembers `id`; false when it was already remembered (a duplicate). An empty id or a capacity of 0
    /// remembers nothing and is never a duplicate.
    bool insert(std::string_view id);
    std::size_t size() const { return m_order.size(); }
    std::size_t capacity() const { return m_capacity; }

private:
    std::size_t m_capacity;
    // Ids in arrival order, and a set viewing those same strings (a deque keeps its elements in place
    // while growing at the back and shrinking at the front).
    std::deque<std::string> m_order;
    std::unordered_set<std::string_view> m_set;
    // While each id has sorted after the one before (sequence numbers, with or without a prefix), a new id
    // that does cannot be a duplicate and the set is not needed: it is built from the window at the first
    // id out of that order (a replay after a reconnect, or ids that are not sequential).
    bool m_ascending = true;
};

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
