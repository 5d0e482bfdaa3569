#pragma once
// The request pipeline: every call, and every connection of the event stream, goes through one chain of
// small policies over the transport (the shape of Azure SDK core's HttpPolicy / NextHttpPolicy):
//
//   auth -> idempotency -> error mapping -> retry -> redacting log -> transport
//
// Each policy does one thing and hands the call to the rest of the chain. Error mapping sits outside
// retry, not inside it: retry decides on the status and headers of a response (values, not exceptions),
// and only the answer that is finally reported is turned into an ApiError. The log sits inside retry,
// so every attempt is logged.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agentrail/client.hpp"
#include "agentrail/context.hpp"
#include "agentrail/errors.hpp"
#include "agentrail/log.hpp"
#include "agentrail/transport.hpp"

namespace agentrail::detail {

/// TransportError code of a call ended by its context's cancellation (libcurl's "aborted by callback").
inline constexpr int cancelled_code = 42;

/// One logical call on its way down the chain.
struct Call {
    HttpRequest request;          // method, URL, body, context; policies add headers and the timeout
    std::string path;             // the route as the caller wrote it (for messages and error info)
    std::string idempotency_key;  // empty: the call carries none
    bool authenticated = true;    // false: no Authorization header (unauthenticated provider routes)
    bool retry = true;            // false: one attempt (the event stream reconnects on its own)
    /// Set for a streaming request: 2xx body chunks go here (see Transport::stream).
    const std::function<bool(std::string_view)>* on_chunk = nullptr;
};

/// The retry-status rule: true when `status` is in the policy's list.
bool is_retryable_status(const RetryPolicy& policy, int status);

/// The server's requested wait of an answer: its Retry-After header (seconds or HTTP date), else the
/// error body's details.retryAfterSeconds.
std::optional<std::chrono::seconds> server_retry_after(const HttpResponse& response);

/// The ApiErrorInfo of an error answer to `method` `path`: the body's error envelope, the redirect note,
/// the request id and the server's requested wait. The one place an error answer is described.
ApiErrorInfo api_error_info(const HttpResponse& response, Method method, std::string_view path);

/// A TransportError for a call whose context was cancelled.
TransportError cancelled_error(const Call& call);

/// Logging with redaction of the API key (and every secret redact() knows) before the message leaves.
class Logger {
public:
    Logger() = default;
    Logger(LogHandler handler, LogLevel level, std::string api_key)
        : m_handler(std::move(handler)), m_level(level), m_api_key(std::move(api_key)) {}
    /// True when a message of this level would reach the handler: check it before building one.
    bool logs(LogLevel level) const { return m_handler && level >= m_level; }
    void log(LogLevel level, std::string_view message) const;

private:
    LogHandler m_handler;
    LogLevel m_level = LogLevel::trace;
    std::string m_api_key;
};

class Policy;

/// The rest of the chain after a policy; calling it sends the call onwards (the transport comes last).
class NextPolicy {
public:
    NextPolicy(const std::vector<std::unique_ptr<Policy>>& policies, std::size_t index, Transport& transport)
        : m_policies(policies), m_index(index), m_transport(transport) {}
    HttpResponse operator()(Call& call) const;

private:
    const std::vector<std::unique_ptr<Policy>>& m_policies;
    std::size_t m_index;
    Transport& m_transport;
};

/// One step of the chain. Policies hold no per-call state: one pipeline serves every thread at once.
class Policy {
public:
    virtual ~Policy() = default;
    virtual HttpResponse send(Call& call, const NextPolicy& next) const = 0;
};

/// Adds `Authorization: Bearer <key>` to authenticated calls when a key is configured.
class AuthPolicy final : public Policy {
public:
    explicit AuthPolicy(std::string api_key) : m_api_key(std::move(api_key)) {}
    HttpResponse send(Call& call, const NextPolicy& next) const override;

private:
    std::string m_api_key;
};

/// Sends the call's Idempotency-Key, and attaches it to any error the call ends with.
class IdempotencyPolicy final : public Policy {
public:
    HttpResponse send(Call& call, const NextPolicy& next) const override;
};

/// Returns 2xx answers; turns any other into the matching ApiError (see api_error_info).
class ErrorMappingPolicy final : public Policy {
public:
    HttpResponse send(Call& call, const NextPolicy& next) const override;
};

/// Repeats a repeatable call (GET, DELETE, or one with an Idempotency-Key) after a network error or a
/// retryable status, waiting Retry-After or the policy's backoff, within the call's total deadline: the
/// earliest of `deadline` from the call's start, `deadline_at` and the call context's deadline. Each
/// attempt's timeout is cut to what is left; a wait that would pass the deadline is not made.
class RetryingPolicy final : public Policy {
public:
    struct Settings {
        RetryPolicy retry;
        std::chrono::milliseconds deadline{0};
        std::optional<std::chrono::steady_clock::time_point> deadline_at;
        std::chrono::milliseconds transport_timeout{0};        // the transport's default per-request timeout
        std::function<void(std::chrono::milliseconds)> sleep;  // null: wait on the call's context
        std::function<double()> random;                        // null: a thread-local generator
    };
    RetryingPolicy(Settings settings, Logger logger)
        : m_settings(std::move(settings)), m_log(std::move(logger)) {}
    HttpResponse send(Call& call, const NextPolicy& next) const override;
    /// Delay before the attempt after `attempt` (from 1) failed with `response` (null: no response).
    std::chrono::milliseconds delay_after(int attempt, const HttpResponse* response) const;
    double random01() const;

private:
    void wait(const Call& call, std::chrono::milliseconds delay) const;
    Settings m_settings;
    Logger m_log;
};

/// Logs each attempt (request line, status, size, time; bodies at trace level), redacted.
class LogPolicy final : public Policy {
public:
    explicit LogPolicy(Logger logger) : m_log(std::move(logger)) {}
    HttpResponse send(Call& call, const NextPolicy& next) const override;

private:
    Logger m_log;
};

/// The chain and its transport. Thread-safe when the transport is.
class Pipeline {
public:
    Pipeline(std::vector<std::unique_ptr<Policy>> policies, std::shared_ptr<Transport> transport)
        : m_policies(std::move(policies)), m_transport(std::move(transport)) {}
    HttpResponse send(Call& call) const { return NextPolicy(m_policies, 0, *m_transport)(call); }
    Transport& transport() const { return *m_transport; }
    const std::shared_ptr<Transport>& shared_transport() const { return m_transport; }

private:
    std::vector<std::unique_ptr<Policy>> m_policies;
    std::shared_ptr<Transport> m_transport;
};

}  // namespace agentrail::detail
