#pragma once
// A bounded memory of recently seen ids, for dropping redelivered webhook events and events a stream
// sends again around a reconnect.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// The last `capacity` distinct ids, oldest forgotten first, each remembered by a 64-bit hash: 8 bytes an
/// id whatever its length (a window of 10,000 takes 80 KiB; only the last id is also kept whole, so a
/// server's long ids cannot make it grow). Two different ids are taken for the same one with a
/// probability of about 2^-64 per pair in the window. Not thread-safe.
class RecentIds {
public:
    explicit RecentIds(std::size_t capacity = 10000) : m_capacity(capacity) {}

    /// True when `id` is among the remembered ids.
    bool contains(std::string_view id) const;
    /// Remembers `id`; false when it was already remembered (a duplicate). An empty id or a capacity of 0
    /// remembers nothing and is never a duplicate.
    bool insert(std::string_view id);
    std::size_t size() const { return m_ring.size(); }
    std::size_t capacity() const { return m_capacity; }

private:
    bool in_window(std::uint64_t hash) const;
    void remember(std::uint64_t hash);

    std::size_t m_capacity;
    // The hashes in arrival order; once full, a ring whose oldest entry is at m_oldest.
    std::vector<std::uint64_t> m_ring;
    std::size_t m_oldest = 0;
    // While each id has sorted after the one before (sequence numbers, with or without a prefix), a new id
    // that does cannot be a duplicate and no set is needed: it is built from the ring at the first id out
    // of that order (a replay after a reconnect, or ids that are not sequential).
    bool m_ascending = true;
    std::string m_last;  // the last id inserted, while ascending
    std::unordered_set<std::uint64_t> m_set;
};

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
