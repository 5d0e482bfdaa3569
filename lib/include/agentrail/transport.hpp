#pragma once
// The one seam between libagentrail and the network. The curl implementation (agentrail/curl_transport.hpp)
// is the default; tests substitute a scripted fake.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agentrail/context.hpp"
#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

enum class Method { get, post, put, patch, del };

/// "GET", "POST", ...
const char* to_string(Method method) noexcept;

/// Header list; response header names are lower-cased by the transport.
using Headers = std::vector<std::pair<std::string, std::string>>;

/// Case-insensitive lookup of the first header with this name.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

struct HttpRequest {
    Method method = Method::get;
    std::string url;  // absolute URL, already joined and escaped
    Headers headers;
    std::string body;
    /// Whole-request timeout; zero means the transport's default. Ignored by stream().
    std::chrono::milliseconds timeout{0};
    /// For stream(): abort with a TransportError (timed out) when no byte arrives for this long.
    std::chrono::milliseconds idle_timeout{0};
    /// Cancelling it aborts the transfer at once with a TransportError; a stream also ends (timed out)
    /// at its deadline. Lets a caller stop a long stream from another thread.
    CallContext context;
    /// For stream(): when set, polled about every 100 ms while waiting for bytes; returning true aborts
    /// the transfer with a TransportError (e.g. the machine was suspended: the connection is stale).
    std::function<bool()> interrupt;
};

struct HttpResponse {
    int status = 0;
    Headers headers;
    std::string body;
};

/// A transport may be used from several threads at once when its documentation says so (the curl
/// transport is).
class Transport {
public:
    virtual ~Transport() = default;
    /// Performs one request. Every HTTP status is returned as a value; throws TransportError only when
    /// no response came (refused, DNS, TLS, timeout, connection cut before the body completed).
    virtual HttpResponse send(const HttpRequest& request) = 0;
    /// Performs a streaming request. For a 2xx answer the body goes to `on_chunk` as it arrives (return
    /// false to stop; nothing more is delivered) and the returned body is empty; any other status is
    /// returned with its whole body and `on_chunk` is never called. Throws TransportError as send() does,
    /// after delivering the bytes that arrived before the failure. The curl transport hands on_chunk what
    /// one read of the network brought (at most 128 KiB at a time), whatever the HTTP chunks were, and asks
    /// for a 4 MiB socket receive buffer on a stream's new connection where the system allows that size
    /// (net.core.rmem_max), so a server's burst is queued at its pace while events are being handled.
    virtual HttpResponse stream(const HttpRequest& request,
                                const std::function<bool(std::string_view chunk)>& on_chunk) = 0;
};

struct TransportOptions {
    std::chrono::milliseconds connect_timeout{10000};
    std::chrono::milliseconds timeout{60000};  // default whole-request timeout for send()
    std::string ca_bundle;                     // PEM file; empty means the system store
    bool verify_tls = true;
    std::string user_agent;  // empty means "agentrail/<version>"
    std::string proxy;       // empty means the standard *_proxy environment variables
    /// Largest response body kept in memory (after decompression); a larger one ends the transfer with
    /// an Error{protocol} naming the limit. Bodies streamed to stream()'s on_chunk are not counted.
    /// 0: no limit.
    std::size_t max_body_bytes = std::size_t{64} << 20;
    /// Most transfers in flight at once (threads beyond it wait for a free connection), and so most
    /// connections kept alive to one host. At least 1.
    std::size_t max_connections = 8;
};

/// "64 MiB", "1.5 KiB", "100 bytes": a byte count for messages.
std::string format_bytes(std::size_t bytes);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
