// RecentIds: a window of id hashes, a ring in arrival order and a set once ids stop arriving in order.

#include "agentrail/recent_ids.hpp"

#include <algorithm>
#include <cstring>

namespace agentrail {
namespace {

// Sequence order: a longer id comes later ("evt_10" after "evt_9"), equal lengths compare as text.
bool sorts_before(std::string_view a, std::string_view b) {
    return a.size() < b.size() || (a.size() == b.size() && a < b);
}

// A 64-bit hash of the id, eight bytes at a time (an id of a busy stream is hashed once per event: a few
// multiplications for a typical 20-30 byte id). Each word is mixed in with a multiply and rotate, and
// the result is finished with a 64-bit avalanche (xor-shift-multiply), so every input bit reaches every
// output bit.
std::uint64_t hash_of(std::string_view id) {
    constexpr std::uint64_t k1 = 0x9E3779B97F4A7C15ULL;
    constexpr std::uint64_t k2 = 0xC2B2AE3D27D4EB4FULL;
    std::uint64_t h = k2 ^ (id.size() * k1);
    const char* p = id.data();
    std::size_t left = id.size();
    const auto mix = [&h](std::uint64_t word) {
        h ^= word * k1;
        h = ((h << 31) | (h >> 33)) * k2;
    };
    for (; left >= 8; p += 8, left -= 8) {
        std::uint64_t word;
        std::memcpy(&word, p, 8);
        mix(word);
    }
    if (left > 0) {
        std::uint64_t word = 0;
        std::memcpy(&word, p, left);
        mix(word);
    }
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
}

}  // namespace

bool RecentIds::in_window(std::uint64_t hash) const {
    if (!m_ascending) return m_set.count(hash) != 0;
    return std::find(m_ring.begin(), m_ring.end(), hash) != m_ring.end();
}

bool RecentIds::contains(std::string_view id) const {
    if (id.empty() || m_ring.empty()) return false;
    // Ids arriving in order: one that sorts after the last cannot have been seen.
    if (m_ascending && sorts_before(m_last, id)) return false;
    return in_window(hash_of(id));
}

void RecentIds::remember(std::uint64_t hash) {
    if (m_ring.size() < m_capacity) {
        if (m_ring.empty()) m_ring.reserve(std::min<std::size_t>(m_capacity, std::size_t{1} << 16));
        m_ring.push_back(hash);
    } else {
        if (!m_ascending) m_set.erase(m_ring[m_oldest]);
        m_ring[m_oldest] = hash;
        m_oldest = (m_oldest + 1) % m_capacity;
    }
    if (!m_ascending) m_set.insert(hash);
}

bool RecentIds::insert(std::string_view id) {
    if (id.empty() || m_capacity == 0) return true;
    const std::uint64_t hash = hash_of(id);
    if (m_ascending) {
        if (m_ring.empty() || sorts_before(m_last, id)) {
            m_last.assign(id);
            remember(hash);
            return true;
        }
        if (in_window(hash)) return false;
        m_ascending = false;
        std::string().swap(m_last);
        m_set.reserve(m_ring.size() + 1);
        m_set.insert(m_ring.begin(), m_ring.end());
    }
    if (m_set.count(hash) != 0) return false;
    remember(hash);
    return true;
}

}  // namespace agentrail
