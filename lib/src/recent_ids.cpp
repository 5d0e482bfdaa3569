// RecentIds: see recent_ids.hpp.

#include "agentrail/recent_ids.hpp"

namespace agentrail {

bool RecentIds::insert(std::string_view id) {
    if (id.empty() || m_capacity == 0) return true;
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
