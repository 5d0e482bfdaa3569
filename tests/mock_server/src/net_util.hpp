#pragma once

#include <vector>

namespace mock {

// Sockets of this process connected to a peer, whose local port is `local_port` (accepted
// connections of our server), optionally narrowed to one remote port. httplib does not expose
// connection sockets, so they are found through /proc/self/fd.
std::vector<int> connection_fds(int local_port, int remote_port = -1);

// True when the peer of a connected socket has closed or reset it.
bool peer_closed(int fd);

}  // namespace mock
