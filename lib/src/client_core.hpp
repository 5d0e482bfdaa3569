#pragma once
// Private machinery shared by Client and EventStream: URL building, auth headers, logging with
// redaction, and the retry loop around the transport.

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "agentrail/client.hpp"
#include "agentrail/transport.hpp"

namespace agentrail::detail {

/// Percent-escapes one path segment or query value (RFC 3986 unreserved characters stay as they are).
std::string percent_escape(std::string_view value);

/// "/tasks/<escaped id>/submit" from {"tasks", id, "submit"}.
std::string make_path(std::initializer_list<std::string_view> segments);

/// Parses a Retry-After value: delta seconds or an HTTP date (relative to `now`).
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

/// For a 3xx answer, replaces the message with "redirected to LOCATION; not followed" (redirects are
/// never followed: the key must not travel to another host).
void note_redirect(ApiErrorInfo& info, const HttpResponse& response);

/// True for 127.0.0.0/8, ::1 and "localhost" hosts of an http(s) URL.
bool is_loopback_url(std::string_view url);

struct ClientCore {
    explicit ClientCore(ClientOptions options);

    ClientOptions options;
    std::shared_ptr<Transport> transport;
    std::string base_url;   // without a trailing slash
    bool loopback = false;  // base_url is on this machine: no compression is asked for

    /// base_url + path (path starts with '/', may carry a query string).
    std::string url_for(std::string_view path) const;
    /// Authorization and Accept headers for a request (Content-Type added when there is a body).
    Headers headers_for(bool has_body, bool authenticated = true) const;

    /// True when a message of this level would reach the log handler: check it before building one.
    bool logs(LogLevel level) const { return options.log && level >= options.log_level; }
    void log(LogLevel level, std::string_view message) const;
    void sleep_for(std::chrono::milliseconds delay) const;
    double random01() const;

    /// Sends the request, retrying under options.retry (GETs always; other methods only when
    /// `idempotency_key` is non-empty). Returns the final 2xx response; throws the matching ApiError
    /// for an error status (with the idempotency key attached) or TransportError when no response came.
    /// `authenticated` false omits the Authorization header (for the unauthenticated provider routes).
    HttpResponse execute(Method method, std::string_view path, const std::string* body,
                         const Headers& extra_headers, const std::string& idempotency_key,
                         bool authenticated = true) const;

    /// Delay before the next attempt after `attempt` failed with this response (Retry-After wins).
    std::chrono::milliseconds retry_delay(int attempt, const HttpResponse* response) const;
};

}  // namespace agentrail::detail
