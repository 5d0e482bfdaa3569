// The policies of the request pipeline (see pipeline.hpp).

#include "pipeline.hpp"

#include <algorithm>
#include <random>
#include <thread>

#include "agentrail/redact.hpp"
#include "client_core.hpp"

namespace agentrail::detail {

using Clock = std::chrono::steady_clock;

bool is_retryable_status(const RetryPolicy& policy, int status) {
    return std::find(policy.retryable_statuses.begin(), policy.retryable_statuses.end(), status) !=
           policy.retryable_statuses.end();
}

namespace {

std::optional<std::chrono::seconds> retry_after_header(const HttpResponse& response) {
    if (auto ra = find_header(response.headers, "retry-after"))
        return parse_retry_after(*ra, std::chrono::system_clock::now());
    return std::nullopt;
}

bool is_success(int status) {
    return status >= 200 && status < 300;
}

}  // namespace

std::optional<std::chrono::seconds> server_retry_after(const HttpResponse& response) {
    if (auto header = retry_after_header(response)) return header;
    if (is_success(response.status)) return std::nullopt;
    return parse_api_error(response.status, response.body).retry_after;
}

ApiErrorInfo api_error_info(const HttpResponse& response, Method method, std::string_view path) {
    auto info = parse_api_error(response.status, response.body);
    note_redirect(info, response);
    info.method = to_string(method);
    info.path = std::string(path.substr(0, path.find('?')));
    if (auto rid = find_header(response.headers, "x-request-id")) info.request_id = std::string(*rid);
    if (auto header = retry_after_header(response)) info.retry_after = *header;
    return info;
}

TransportError cancelled_error(const Call&) {
    return TransportError("cancelled", cancelled_code);
}

void Logger::log(LogLevel level, std::string_view message) const {
    if (logs(level)) m_handler(level, redact(message, {&m_api_key, 1}));
}

HttpResponse NextPolicy::operator()(Call& call) const {
    if (m_index < m_policies.size())
        return m_policies[m_index]->send(call, NextPolicy(m_policies, m_index + 1, m_transport));
    if (call.on_chunk) return m_transport.stream(call.request, *call.on_chunk);
    return m_transport.send(call.request);
}

HttpResponse AuthPolicy::send(Call& call, const NextPolicy& next) const {
    if (call.authenticated && !m_api_key.empty())
        call.request.headers.insert(call.request.headers.begin(), {"Authorization", "Bearer " + m_api_key});
    return next(call);
}

HttpResponse IdempotencyPolicy::send(Call& call, const NextPolicy& next) const {
    if (call.idempotency_key.empty()) return next(call);
    call.request.headers.emplace_back("Idempotency-Key", call.idempotency_key);
    try {
        return next(call);
    } catch (Error& e) {
        e.set_idempotency_key(call.idempotency_key);
        throw;
    }
}

HttpResponse ErrorMappingPolicy::send(Call& call, const NextPolicy& next) const {
    auto response = next(call);
    if (is_success(response.status)) return response;
    throw_api_error(api_error_info(response, call.request.method, call.path));
}

double RetryingPolicy::random01() const {
    if (m_settings.random) return m_settings.random();
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::chrono::milliseconds RetryingPolicy::delay_after(int attempt, const HttpResponse* response) const {
    if (response) {
        if (auto wait = server_retry_after(*response)) return *wait;
    }
    return m_settings.retry.backoff(attempt, random01());
}

void RetryingPolicy::wait(const Call& call, std::chrono::milliseconds delay) const {
    if (delay.count() <= 0) return;
    if (m_settings.sleep) {
        m_settings.sleep(delay);
        return;
    }
    call.request.context.sleep_for(delay);
    if (call.request.context.cancelled()) throw cancelled_error(call);
}

HttpResponse RetryingPolicy::send(Call& call, const NextPolicy& next) const {
    const auto& context = call.request.context;
    if (context.cancelled()) throw cancelled_error(call);
    // A stream's connection is not retried here (the stream reconnects on its own), nor bounded by the
    // per-call deadline: only its context's deadline applies, which the transport watches.
    if (!call.retry || call.on_chunk) return next(call);

    const auto& policy = m_settings.retry;
    const int max_attempts = std::max(policy.max_attempts, 1);
    const Method method = call.request.method;
    // GET and DELETE are idempotent by definition; other methods only with an Idempotency-Key.
    const bool repeatable = method == Method::get || method == Method::del || !call.idempotency_key.empty();

    const auto call_started = Clock::now();
    // The call's end: its own budget from now, the client's absolute end or the context's deadline,
    // whichever comes first.
    std::optional<Clock::time_point> end;
    const auto earliest = [&end](std::optional<Clock::time_point> t) {
        if (t && (!end || *t < *end)) end = t;
    };
    if (m_settings.deadline.count() > 0) end = call_started + m_settings.deadline;
    earliest(m_settings.deadline_at);
    earliest(context.deadline());
    const bool bounded = end.has_value();
    const auto budget = bounded ? std::chrono::duration_cast<std::chrono::milliseconds>(*end - call_started)
                                : std::chrono::milliseconds(0);
    const auto time_left = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(*end - Clock::now());
    };
    // True when waiting `delay` and trying again still fits in the deadline (some time is left for the
    // attempt itself).
    const auto fits = [&](std::chrono::milliseconds delay) {
        if (!bounded) return true;
        if (delay < time_left()) return true;
        m_log.log(LogLevel::info, "not retrying: waiting " + std::to_string(delay.count()) +
                                      " ms would pass the deadline (" + std::to_string(budget.count()) +
                                      " ms from the call's start)");
        return false;
    };
    const auto retrying = [&](std::string what, std::chrono::milliseconds delay, int attempt) {
        m_log.log(LogLevel::info, what + ", retrying in " + std::to_string(delay.count()) + " ms (attempt " +
                                      std::to_string(attempt + 1) + "/" + std::to_string(max_attempts) + ")");
    };

    for (int attempt = 1;; ++attempt) {
        const bool may_retry = repeatable && attempt < max_attempts;
        bool deadline_cut = false;
        if (bounded) {
            const auto left = std::max(time_left(), std::chrono::milliseconds(1));
            const auto normal = m_settings.transport_timeout;
            if (normal.count() <= 0 || left < normal) {
                call.request.timeout = left;
                deadline_cut = true;
            } else {
                call.request.timeout = std::chrono::milliseconds(0);
            }
        }
        HttpResponse response;
        try {
            response = next(call);
        } catch (TransportError& e) {
            if (context.cancelled()) throw;
            const auto delay = may_retry && policy.retry_network_errors && !(deadline_cut && e.timed_out())
                                   ? std::optional(policy.backoff(attempt, random01()))
                                   : std::nullopt;
            if (delay && fits(*delay)) {
                retrying("network error", *delay, attempt);
                wait(call, *delay);
                continue;
            }
            if (deadline_cut && e.timed_out()) {
                throw TransportError(std::string(e.what()) + " (the deadline, " +
                                         std::to_string(budget.count()) +
                                         " ms from the call's start, was reached)",
                                     e.code(), true);
            }
            throw;
        }
        if (is_success(response.status)) return response;
        if (may_retry && is_retryable_status(policy, response.status)) {
            const auto delay = delay_after(attempt, &response);
            // A server that asks for a longer wait than the policy allows gets its answer reported,
            // rather than a client that hangs past what its caller configured.
            if (delay <= std::max(policy.max_delay, std::chrono::milliseconds(0)) && fits(delay)) {
                retrying("HTTP " + std::to_string(response.status), delay, attempt);
                wait(call, delay);
                continue;
            }
        }
        return response;
    }
}

HttpResponse LogPolicy::send(Call& call, const NextPolicy& next) const {
    const auto& request = call.request;
    if (m_log.logs(LogLevel::debug)) {
        m_log.log(
            LogLevel::debug,
            std::string("-> ") + to_string(request.method) + " " + request.url +
                (call.idempotency_key.empty() ? "" : " (Idempotency-Key: " + call.idempotency_key + ")"));
    }
    if (!request.body.empty() && m_log.logs(LogLevel::trace))
        m_log.log(LogLevel::trace, "-> body " + request.body);
    const auto started = Clock::now();
    HttpResponse response;
    try {
        response = next(call);
    } catch (const TransportError& e) {
        m_log.log(LogLevel::debug, std::string("<- no response: ") + e.what());
        throw;
    }
    if (m_log.logs(LogLevel::debug)) {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
        m_log.log(LogLevel::debug, "<- " + std::to_string(response.status) + " (" +
                                       std::to_string(response.body.size()) + " bytes, " +
                                       std::to_string(ms.count()) + " ms)");
    }
    if (m_log.logs(LogLevel::trace) && !call.on_chunk) m_log.log(LogLevel::trace, "<- body " + response.body);
    return response;
}

}  // namespace agentrail::detail
