// RecentIds: see recent_ids.hpp.

#include "agentrail/recent_ids.hpp"

#include <algorithm>

namespace agentrail {
namespace {

// Sequence order: a longer id comes later ("evt_10" after "evt_9"), equal lengths compare as text.
bool sorts_before(std::string_view a, std::string_view b) {
    return a.size() < b.size() || (a.size() == b.size() && a < b);
}

}  // namespace

bool RecentIds::contains(std::string_view id) const {
    if (!m_ascending) return m_set.count(id) != 0;
    // The window is in sequence order: a binary search finds the id.
    auto it = std::lower_bound(m_order.begin(), m_order.end(), id,
                               [](const std::string& a, std::string_view b) { return sorts_before(a, b); });
    return it != m_order.end() && *it == id;
}

bool RecentIds::insert(std::string_view id) {
    if (id.empty() || m_capacity == 0) return true;
    if (m_ascending) {
        if (m_order.empty() || sorts_before(m_order.back(), id)) {
            std::string slot;  // the oldest id's buffer is reused: no allocation per id in steady state
            if (m_order.size() >= m_capacity) {
                slot = std::move(m_order.front());
                m_order.pop_front();
            }
            slot.assign(id);
            m_order.push_back(std::move(slot));
            return true;
        }
        if (contains(id)) return false;
        m_ascending = false;
        for (const auto& s : m_order) m_set.insert(s);
    }
    if (m_set.count(id) != 0) return false;
    if (m_order.size() >= m_capacity) {
        m_set.erase(m_order.front());
        m_order.pop_front();
    }
    m_order.emplace_back(id);
    m_set.insert(m_order.back());
    return true;
}

}  // namespace agentrail
