#include "client_core.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <random>
#include <thread>

#include "agentrail/errors.hpp"
#include "agentrail/redact.hpp"

namespace agentrail::detail {

std::string percent_escape(std::string_view value) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0x0f];
        }
    }
    return out;
}

std::string make_path(std::initializer_list<std::string_view> segments) {
    std::string out;
    for (auto s : segments) {
        out += '/';
        // "." and ".." would be dot segments that a server resolves against the path: escape them so an
        // id always stays one segment.
        if (s == "." || s == "..")
            out += s.size() == 1 ? "%2E" : "%2E%2E";
        else
            out += percent_escape(s);
    }
    return out;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    if (std::all_of(value.begin(), value.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        if (value.size() > 9) return std::chrono::seconds(999999999);
        return std::chrono::seconds(std::stoll(std::string(value)));
    }
    // HTTP date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    std::tm tm{};
    std::string s(value);
    if (!strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S", &tm)) return std::nullopt;
    // In seconds, capped like a delta: a date past 2262 does not fit system_clock's nanoseconds.
    const std::time_t when = timegm(&tm);
    const std::time_t current = std::chrono::system_clock::to_time_t(now);
    if (when <= current) return std::chrono::seconds(0);
    return std::chrono::seconds(std::min<std::time_t>(when - current, 999999999));
}

void note_redirect(ApiErrorInfo& info, const HttpResponse& response) {
    if (response.status < 300 || response.status >= 400) return;
    constexpr std::size_t max_len = 200;
    std::string where;
    if (auto location = find_header(response.headers, "location"); location && !location->empty()) {
        for (char c : location->substr(0, max_len)) {
            const auto u = static_cast<unsigned char>(c);
            where += (u < 0x20 || u == 0x7f) ? '?' : c;
        }
        if (location->size() > max_len) where += "...";
    } else {
        where = "(no Location header)";
    }
    info.code.clear();
    info.message = "redirected to " + where + "; not followed";
}

bool is_loopback_url(std::string_view url) {
    auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return false;
    auto rest = url.substr(scheme_end + 3);
    auto at = rest.find_first_of("/?#");
    auto authority = rest.substr(0, at);
    if (auto userinfo = authority.rfind('@'); userinfo != std::string_view::npos)
        authority = authority.substr(userinfo + 1);
    std::string_view host;
    if (!authority.empty() && authority.front() == '[') {
        host = authority.substr(0, authority.find(']') + 1);
    } else {
        host = authority.substr(0, authority.find(':'));
    }
    std::string h(host);
    std::transform(h.begin(), h.end(), h.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (h == "localhost" || h == "[::1]") return true;
    // 127.0.0.0/8 written as a dotted quad: "127" and three more groups of 1 to 3 digits.
    std::string_view rest_of_host(h);
    if (!rest_of_host.starts_with("127.")) return false;
    rest_of_host.remove_prefix(4);
    for (int group = 0; group < 3; ++group) {
        std::size_t digits = 0;
        while (digits < rest_of_host.size() && digits < 4 && rest_of_host[digits] >= '0' &&
               rest_of_host[digits] <= '9')
            ++digits;
        if (digits == 0 || digits > 3) return false;
        rest_of_host.remove_prefix(digits);
        if (group < 2) {
            if (rest_of_host.empty() || rest_of_host.front() != '.') return false;
            rest_of_host.remove_prefix(1);
        }
    }
    return rest_of_host.empty();
}

namespace {

std::string normalise_base_url(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
        throw Error(ErrorKind::invalid_argument, "base URL must start with http:// or https://: " + url);
    if (url.find_first_of("?# ") != std::string::npos)
        throw Error(ErrorKind::invalid_argument,
                    "base URL must not contain a query, fragment or spaces: " + url);
    return url;
}

bool is_retryable_status(const RetryPolicy& policy, int status) {
    return std::find(policy.retryable_statuses.begin(), policy.retryable_statuses.end(), status) !=
           policy.retryable_statuses.end();
}

}  // namespace

ClientCore::ClientCore(ClientOptions opts) : options(std::move(opts)) {
    base_url = normalise_base_url(options.base_url);
    loopback = is_loopback_url(base_url);
    const bool clear_text_key =
        !options.api_key.empty() && base_url.rfind("http://", 0) == 0 && !is_loopback_url(base_url);
    if (clear_text_key && !options.allow_insecure_http) {
        throw Error(ErrorKind::invalid_argument,
                    "refusing to send an API key over plain http:// to a host that is not loopback (" +
                        base_url + "); use https:// or allow insecure http explicitly");
    }
    // Said every time a client is made with them, so that a setting left in a script does not go unnoticed.
    if (clear_text_key)
        log(LogLevel::warn, "insecure http allowed: the API key is sent in clear text to " + base_url);
    if (!options.transport && !options.transport_options.verify_tls && base_url.rfind("https://", 0) == 0)
        log(LogLevel::warn, "TLS certificate verification is off: the server " + base_url +
                                " is not authenticated and the traffic can be read and changed");
    if (options.retry.max_attempts < 1) options.retry.max_attempts = 1;
    transport = options.transport ? options.transport : make_curl_transport(options.transport_options);
}

std::string ClientCore::url_for(std::string_view path) const {
    std::string url = base_url;
    if (path.empty() || path.front() != '/') url += '/';
    url += path;
    return url;
}

Headers ClientCore::headers_for(bool has_body, bool authenticated) const {
    Headers h;
    h.reserve(5);
    if (authenticated && !options.api_key.empty())
        h.emplace_back("Authorization", "Bearer " + options.api_key);
    h.emplace_back("Accept", "application/json");
    // Compression buys nothing on a loopback connection and costs CPU at both ends (against the mock, a
    // 100-page `tasks list --all` took 30% longer with gzip): an empty Accept-Encoding asks for none.
    // The transport still decodes a server that compresses anyway, within max_body_bytes.
    if (loopback) h.emplace_back("Accept-Encoding", "");
    if (has_body) h.emplace_back("Content-Type", "application/json");
    return h;
}

void ClientCore::log(LogLevel level, std::string_view message) const {
    if (logs(level)) options.log(level, redact(message, {&options.api_key, 1}));
}

void ClientCore::sleep_for(std::chrono::milliseconds delay) const {
    if (delay.count() <= 0) return;
    if (options.sleep)
        options.sleep(delay);
    else
        std::this_thread::sleep_for(delay);
}

double ClientCore::random01() const {
    if (options.random) return options.random();
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::chrono::milliseconds ClientCore::retry_delay(int attempt, const HttpResponse* response) const {
    if (response) {
        if (auto ra = find_header(response->headers, "retry-after")) {
            if (auto secs = parse_retry_after(*ra, std::chrono::system_clock::now())) return *secs;
        }
    }
    return options.retry.backoff(attempt, random01());
}

HttpResponse ClientCore::execute(Method method, std::string_view path, const std::string* body,
                                 const Headers& extra_headers, const std::string& idempotency_key,
                                 bool authenticated) const {
    const auto& policy = options.retry;
    // GET and DELETE are idempotent by definition; other methods only with an Idempotency-Key.
    const bool repeatable = method == Method::get || method == Method::del || !idempotency_key.empty();
    HttpRequest request;
    request.method = method;
    request.url = url_for(path);
    request.headers = headers_for(body != nullptr, authenticated);
    if (!idempotency_key.empty()) request.headers.emplace_back("Idempotency-Key", idempotency_key);
    request.headers.insert(request.headers.end(), extra_headers.begin(), extra_headers.end());
    if (body) request.body = *body;

    using Clock = std::chrono::steady_clock;
    const auto call_started = Clock::now();
    // The call's end: its own budget from now, or the client's absolute end, whichever comes first.
    std::optional<Clock::time_point> end;
    if (options.deadline.count() > 0) end = call_started + options.deadline;
    if (options.deadline_at && (!end || *options.deadline_at < *end)) end = options.deadline_at;
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
        log(LogLevel::info, "not retrying: waiting " + std::to_string(delay.count()) +
                                " ms would pass the deadline (" + std::to_string(budget.count()) +
                                " ms from the call's start)");
        return false;
    };

    for (int attempt = 1;; ++attempt) {
        const bool may_retry = repeatable && attempt < policy.max_attempts;
        bool deadline_cut = false;
        if (bounded) {
            const auto left = std::max(time_left(), std::chrono::milliseconds(1));
            const auto normal = options.transport_options.timeout;
            if (normal.count() <= 0 || left < normal) {
                request.timeout = left;
                deadline_cut = true;
            } else {
                request.timeout = std::chrono::milliseconds(0);
            }
        }
        if (logs(LogLevel::debug)) {
            log(LogLevel::debug,
                std::string("-> ") + to_string(method) + " " + request.url +
                    (idempotency_key.empty() ? "" : " (Idempotency-Key: " + idempotency_key + ")"));
        }
        if (body && logs(LogLevel::trace)) log(LogLevel::trace, "-> body " + *body);
        auto started = std::chrono::steady_clock::now();
        HttpResponse response;
        try {
            response = transport->send(request);
        } catch (TransportError& e) {
            log(LogLevel::debug, std::string("<- no response: ") + e.what());
            const auto delay = may_retry && policy.retry_network_errors && !(deadline_cut && e.timed_out())
                                   ? std::optional(policy.backoff(attempt, random01()))
                                   : std::nullopt;
            if (delay && fits(*delay)) {
                log(LogLevel::info, "network error, retrying in " + std::to_string(delay->count()) +
                                        " ms (attempt " + std::to_string(attempt + 1) + "/" +
                                        std::to_string(policy.max_attempts) + ")");
                sleep_for(*delay);
                continue;
            }
            if (deadline_cut && e.timed_out()) {
                TransportError cut(std::string(e.what()) + " (the deadline, " +
                                       std::to_string(budget.count()) +
                                       " ms from the call's start, was reached)",
                                   e.code(), true);
                cut.set_idempotency_key(idempotency_key);
                throw cut;
            }
            e.set_idempotency_key(idempotency_key);
            throw;
        }
        if (logs(LogLevel::debug)) {
            auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                            started);
            log(LogLevel::debug, "<- " + std::to_string(response.status) + " (" +
                                     std::to_string(response.body.size()) + " bytes, " +
                                     std::to_string(ms.count()) + " ms)");
        }
        if (logs(LogLevel::trace)) log(LogLevel::trace, "<- body " + response.body);
        if (response.status >= 200 && response.status < 300) return response;

        if (may_retry && is_retryable_status(policy, response.status)) {
            auto delay = retry_delay(attempt, &response);
            // A server that asks for a longer wait than the policy allows gets its answer reported,
            // rather than a client that hangs past what its caller configured.
            if (delay <= std::max(policy.max_delay, std::chrono::milliseconds(0)) && fits(delay)) {
                log(LogLevel::info, "HTTP " + std::to_string(response.status) + ", retrying in " +
                                        std::to_string(delay.count()) + " ms (attempt " +
                                        std::to_string(attempt + 1) + "/" +
                                        std::to_string(policy.max_attempts) + ")");
                sleep_for(delay);
                continue;
            }
        }
        auto info = parse_api_error(response.status, response.body);
        note_redirect(info, response);
        info.method = to_string(method);
        info.path = std::string(path.substr(0, path.find('?')));
        if (auto rid = find_header(response.headers, "x-request-id")) info.request_id = std::string(*rid);
        if (auto ra = find_header(response.headers, "retry-after")) {
            if (auto secs = parse_retry_after(*ra, std::chrono::system_clock::now()))
                info.retry_after = *secs;
        }
        throw_api_error(std::move(info), idempotency_key);
    }
}

}  // namespace agentrail::detail

namespace agentrail {

std::chrono::milliseconds RetryPolicy::backoff(int attempt, double random01) const {
    double base = static_cast<double>(initial_delay.count());
    for (int i = 1; i < attempt && base < static_cast<double>(max_delay.count()); ++i) base *= 2;
    base = std::min(base, static_cast<double>(max_delay.count()));
    double spread = 1.0 + jitter * (2.0 * random01 - 1.0);
    double ms = std::min(base * spread, static_cast<double>(max_delay.count()));
    return std::chrono::milliseconds(static_cast<long long>(std::max(ms, 0.0)));
}

}  // namespace agentrail
