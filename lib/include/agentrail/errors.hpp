#pragma once
// The one exception family of libagentrail. Every failure is an agentrail::Error with a kind();
// API answers with an error status are ApiError (or one of its subclasses), failures where no HTTP
// response arrived are TransportError.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

enum class ErrorKind {
    invalid_argument,  // bad local input, detected before anything was sent
    validation,        // 400, 422 and other 4xx without a kind of their own (405, 413, 414, ...)
    unauthorized,      // 401
    forbidden,         // 403 (forbidden or insufficient_scope)
    not_found,         // 404
    conflict,          // 409 (state conflict, idempotency mismatch)
    cursor_expired,    // 410 on the event stream
    rate_limited,      // 429
    server,            // 5xx, 501 not implemented, 503 fallback mode, other unexpected statuses
    transport,         // no HTTP response: refused, DNS, TLS, timeout, cut connection
    protocol,          // a response that does not parse or has the wrong shape; a 3xx redirect (not followed)
    signature,         // webhook signature did not verify
};

/// Stable lower-case name of a kind ("not_found", ...).
const char* to_string(ErrorKind kind) noexcept;

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
    ErrorKind kind() const noexcept { return m_kind; }
    /// The Idempotency-Key the failed mutation was sent with (empty for reads).
    const std::string& idempotency_key() const noexcept { return m_idempotency_key; }
    void set_idempotency_key(std::string key) { m_idempotency_key = std::move(key); }

private:
    ErrorKind m_kind;
    std::string m_idempotency_key;
};

/// Fields of an API error answer, as parsed from `{"error":{"code","message","details"}}`.
struct ApiErrorInfo {
    int status = 0;
    std::string code;     // API error code, e.g. "conflict"; empty when the body was not an envelope
    std::string message;  // API message, or a description of a non-JSON body
    nlohmann::json details = nlohmann::json::object();
    std::vector<std::string> available_actions;
    std::string request_id;                           // from x-request-id when present
    std::optional<std::chrono::seconds> retry_after;  // from Retry-After or details.retryAfterSeconds
    std::string method;                               // request that failed, for messages
    std::string path;
};

class ApiError : public Error {
public:
    ApiError(ErrorKind kind, ApiErrorInfo info);
    int status() const noexcept { return m_info.status; }
    const std::string& code() const noexcept { return m_info.code; }
    const std::string& api_message() const noexcept { return m_info.message; }
    const nlohmann::json& details() const noexcept { return m_info.details; }
    const std::vector<std::string>& available_actions() const noexcept { return m_info.available_actions; }
    const std::string& request_id() const noexcept { return m_info.request_id; }
    std::optional<std::chrono::seconds> retry_after() const noexcept { return m_info.retry_after; }
    const ApiErrorInfo& info() const noexcept { return m_info; }

private:
    ApiErrorInfo m_info;
};

class ValidationError : public ApiError {
public:
    explicit ValidationError(ApiErrorInfo info) : ApiError(ErrorKind::validation, std::move(info)) {}
    /// details.fieldErrors as (field, reason) pairs.
    std::vector<std::pair<std::string, std::string>> field_errors() const;
};
class UnauthorizedError : public ApiError {
public:
    explicit UnauthorizedError(ApiErrorInfo info) : ApiError(ErrorKind::unauthorized, std::move(info)) {}
};
class ForbiddenError : public ApiError {
public:
    explicit ForbiddenError(ApiErrorInfo info) : ApiError(ErrorKind::forbidden, std::move(info)) {}
    /// details.requiredScope / details.grantedScopes for `insufficient_scope`.
    std::string required_scope() const;
    std::vector<std::string> granted_scopes() const;
};
class NotFoundError : public ApiError {
public:
    explicit NotFoundError(ApiErrorInfo info) : ApiError(ErrorKind::not_found, std::move(info)) {}
};
class ConflictError : public ApiError {
public:
    explicit ConflictError(ApiErrorInfo info) : ApiError(ErrorKind::conflict, std::move(info)) {}
    /// True when the server refused a reused Idempotency-Key with another payload.
    bool is_idempotency_mismatch() const;
};
class CursorExpiredError : public ApiError {
public:
    explicit CursorExpiredError(ApiErrorInfo info) : ApiError(ErrorKind::cursor_expired, std::move(info)) {}
};
class RateLimitError : public ApiError {
public:
    explicit RateLimitError(ApiErrorInfo info) : ApiError(ErrorKind::rate_limited, std::move(info)) {}
};
class ServerError : public ApiError {
public:
    explicit ServerError(ApiErrorInfo info) : ApiError(ErrorKind::server, std::move(info)) {}
};

/// No HTTP response arrived. `code` is the transport's own code (a CURLcode for the curl transport).
class TransportError : public Error {
public:
    TransportError(const std::string& message, int code, bool timed_out = false)
        : Error(ErrorKind::transport, message), m_code(code), m_timed_out(timed_out) {}
    int code() const noexcept { return m_code; }
    bool timed_out() const noexcept { return m_timed_out; }

private:
    int m_code;
    bool m_timed_out;
};

/// Builds the ApiError subclass that matches `info.status` (and `info.code`) and throws it.
[[noreturn]] void throw_api_error(ApiErrorInfo info, const std::string& idempotency_key = {});

/// Parses an HTTP error answer into ApiErrorInfo; a body that is not an error envelope still yields a
/// usable message with the status and the first bytes of the body.
ApiErrorInfo parse_api_error(int status, std::string_view body);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
