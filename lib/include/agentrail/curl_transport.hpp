#pragma once
// The libcurl implementation of agentrail::Transport (the default of every Client).

#include <memory>
#include <string>

#include "agentrail/export.hpp"
#include "agentrail/transport.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// A libcurl transport, safe to use from any number of threads at once. It keeps a pool of up to
/// `options.max_connections` curl handles, each with its kept-alive connection, sharing one DNS cache and
/// one TLS session cache; a thread takes a free handle for each transfer (or waits for one), so
/// consecutive calls to a host reuse connections and concurrent calls never open more than the limit.
std::shared_ptr<Transport> make_curl_transport(const TransportOptions& options = {});

/// Version string of the libcurl the library runs with, e.g. "libcurl/7.88.1 OpenSSL/3.0.11".
std::string curl_version();

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
