#pragma once
// Private machinery shared by Client and EventStream: URL building and the client's request pipeline.

#include <chrono>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <utility>
#include "agentrail/client.hpp"
#include "agentrail/context.hpp"

#include "agentrail/transport.hpp"
#include "pipeline.hpp"

namespace agentrail::detail {

/// Percent-escapes one path segment or query value (RFC 3986 unreserved characters stay as they are).
std::string percent_escape(std::string_view value);

/// "/tasks/<escaped id>/submit" from {"tasks", id, "submit"}.
std::string make_path(std::initializer_list<std::string_view> segments);

/// "?a=1&b=x%20y" from the parameters that are set ("" when none is).
std::string query_string(
    std::initializer_list<std::pair<std::string_view, std::optional<std::string>>> params);

/// The Idempotency-Key a mutation sends: the caller's (8..128 characters, else invalid_argument) or a
/// fresh random one, made once per call so that only this call's retries reuse it.
std::string mutation_key(const std::optional<std::string>& caller_key);

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
    std::string base_url;  // without a trailing slash
    Logger logger;
    std::unique_ptr<Pipeline> pipeline;
    const RetryingPolicy* retrying = nullptr;  // the pipeline's retry step (backoff and jitter)
    bool loopback = false;                     // base_url is on this machine: no compression is asked for

    /// base_url + path (path starts with '/', may carry a query string).
    std::string url_for(std::string_view path) const;

    /// True when a message of this level would reach the log handler: check it before building one.
    bool logs(LogLevel level) const { return logger.logs(level); }
    void log(LogLevel level, std::string_view message) const { logger.log(level, message); }

    /// Sends a request through the pipeline under `context` (null: the client's context). Returns the
    /// final 2xx response; throws the matching ApiError (with the idempotency key attached) or a
    /// TransportError when no response came. `authenticated` false omits the Authorization header.
    HttpResponse execute(Method method, std::string_view path, const std::string* body,
                         const Headers& extra_headers, const std::string& idempotency_key,
                         bool authenticated = true, const CallContext* context = nullptr) const;
};

}  // namespace agentrail::detail
