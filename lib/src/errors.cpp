#include "agentrail/errors.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "agentrail/json.hpp"

namespace agentrail {

const char* to_string(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::invalid_argument:
            return "invalid_argument";
        case ErrorKind::validation:
            return "validation";
        case ErrorKind::unauthorized:
            return "unauthorized";
        case ErrorKind::forbidden:
            return "forbidden";
        case ErrorKind::not_found:
            return "not_found";
        case ErrorKind::conflict:
            return "conflict";
        case ErrorKind::cursor_expired:
            return "cursor_expired";
        case ErrorKind::rate_limited:
            return "rate_limited";
        case ErrorKind::server:
            return "server";
        case ErrorKind::transport:
            return "transport";
        case ErrorKind::protocol:
            return "protocol";
        case ErrorKind::signature:
            return "signature";
    }
    return "unknown";
}

namespace {

std::string describe(const ApiErrorInfo& info) {
    std::string out;
    if (!info.method.empty()) out += info.method + " " + info.path + ": ";
    out += "HTTP " + std::to_string(info.status);
    if (!info.code.empty()) out += " " + info.code;
    if (!info.message.empty()) out += ": " + info.message;
    return out;
}

// Printable, single-line prefix of a body that is not an error envelope (e.g. a proxy's HTML page).
std::string body_excerpt(std::string_view body) {
    constexpr std::size_t max_len = 120;
    std::string out;
    for (char c : body.substr(0, max_len)) {
        auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? ' ' : c;
    }
    if (body.size() > max_len) out += "...";
    return out;
}

template <typename E>
[[noreturn]] void throw_with_key(E&& error, const std::string& idempotency_key) {
    error.set_idempotency_key(idempotency_key);
    throw std::forward<E>(error);
}

}  // namespace

ApiError::ApiError(ErrorKind kind, ApiErrorInfo info)
    : Error(kind, describe(info)), m_info(std::move(info)) {}

std::vector<std::pair<std::string, std::string>> ValidationError::field_errors() const {
    std::vector<std::pair<std::string, std::string>> out;
    auto it = details().find("fieldErrors");
    if (it == details().end() || !it->is_array()) return out;
    for (const auto& fe : *it) {
        if (!fe.is_object()) continue;
        out.emplace_back(fe.value("field", std::string()), fe.value("reason", std::string()));
    }
    return out;
}

std::string ForbiddenError::required_scope() const {
    auto it = details().find("requiredScope");
    return it != details().end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> ForbiddenError::granted_scopes() const {
    std::vector<std::string> out;
    auto it = details().find("grantedScopes");
    if (it == details().end() || !it->is_array()) return out;
    for (const auto& s : *it)
        if (s.is_string()) out.push_back(s.get<std::string>());
    return out;
}

bool ConflictError::is_idempotency_mismatch() const {
    if (details().contains("idempotencyKey")) return true;
    const auto& m = api_message();
    return m.find("Idempotency-Key") != std::string::npos;
}

ApiErrorInfo parse_api_error(int status, std::string_view body) {
    ApiErrorInfo info;
    info.status = status;
    nlohmann::json parsed;
    try {
        parsed = parse_json(body);
    } catch (const Error& e) {
        // The status still says what kind of failure this is; the body only adds nothing usable.
        info.message = std::string("unexpected error body: ") + e.what();
        return info;
    }
    const nlohmann::json* err = nullptr;
    if (!parsed.is_discarded() && parsed.is_object()) {
        auto it = parsed.find("error");
        if (it != parsed.end() && it->is_object()) err = &*it;
    }
    if (!err) {
        info.message = body.empty() ? std::string("empty response body")
                                    : "unexpected non-JSON error body: " + body_excerpt(body);
        return info;
    }
    if (auto c = err->find("code"); c != err->end() && c->is_string()) info.code = c->get<std::string>();
    if (auto m = err->find("message"); m != err->end() && m->is_string())
        info.message = m->get<std::string>();
    if (auto d = err->find("details"); d != err->end() && d->is_object()) info.details = *d;
    if (auto a = info.details.find("availableActions"); a != info.details.end() && a->is_array()) {
        for (const auto& s : *a)
            if (s.is_string()) info.available_actions.push_back(s.get<std::string>());
    }
    if (auto r = info.details.find("retryAfterSeconds"); r != info.details.end() && r->is_number()) {
        // Through double and capped like Retry-After: converting 1e300 to an integer is undefined.
        const double seconds = std::clamp(r->get<double>(), 0.0, 999999999.0);
        info.retry_after = std::chrono::seconds(static_cast<long long>(seconds));
    }
    return info;
}

void throw_api_error(ApiErrorInfo info, const std::string& idempotency_key) {
    const auto& key = idempotency_key;
    switch (info.status) {
        case 400:
            throw_with_key(ValidationError(std::move(info)), key);
        case 401:
            throw_with_key(UnauthorizedError(std::move(info)), key);
        case 403:
            throw_with_key(ForbiddenError(std::move(info)), key);
        case 404:
            throw_with_key(NotFoundError(std::move(info)), key);
        case 409:
            throw_with_key(ConflictError(std::move(info)), key);
        case 410:
            if (info.code.empty() || info.code == "cursor_expired")
                throw_with_key(CursorExpiredError(std::move(info)), key);
            throw_with_key(NotFoundError(std::move(info)), key);
        case 422:
            throw_with_key(ValidationError(std::move(info)), key);
        case 429:
            throw_with_key(RateLimitError(std::move(info)), key);
        default:
            break;
    }
    // A redirect is never followed (the key must not travel to another host): the answer is not the
    // API's, so it is a protocol failure, not a server one.
    if (info.status >= 300 && info.status < 400)
        throw_with_key(ApiError(ErrorKind::protocol, std::move(info)), key);
    // Other client errors (405, 413, 414, 415, ...): the server refused this request as sent.
    if (info.status >= 400 && info.status < 500) throw_with_key(ValidationError(std::move(info)), key);
    throw_with_key(ServerError(std::move(info)), key);
}

}  // namespace agentrail
