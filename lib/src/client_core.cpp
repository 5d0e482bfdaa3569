#include "client_core.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>

#include "agentrail/curl_transport.hpp"
#include "agentrail/errors.hpp"

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

std::string query_string(
    std::initializer_list<std::pair<std::string_view, std::optional<std::string>>> params) {
    std::string q;
    for (const auto& [name, value] : params) {
        if (!value) continue;
        q += q.empty() ? '?' : '&';
        q += name;
        q += '=';
        q += percent_escape(*value);
    }
    return q;
}

std::string mutation_key(const std::optional<std::string>& caller_key) {
    std::string key = caller_key ? *caller_key : new_idempotency_key();
    if (key.size() < 8 || key.size() > 128)
        throw Error(ErrorKind::invalid_argument, "Idempotency-Key must be 8 to 128 characters long");
    return key;
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

}  // namespace

ClientCore::ClientCore(ClientOptions opts) : options(std::move(opts)) {
    base_url = normalise_base_url(options.base_url);
    loopback = is_loopback_url(base_url);
    logger = options.log ? Logger(options.log, options.log_level, options.api_key) : Logger();
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
    auto transport = options.transport ? options.transport : make_curl_transport(options.transport_options);

    RetryingPolicy::Settings retry{options.retry,       options.deadline,
                                   options.deadline_at, options.transport_options.timeout,
                                   options.sleep,       options.random};
    auto retry_step = std::make_unique<RetryingPolicy>(std::move(retry), logger);
    retrying = retry_step.get();
    std::vector<std::unique_ptr<Policy>> policies;
    policies.push_back(std::make_unique<AuthPolicy>(options.api_key));
    policies.push_back(std::make_unique<IdempotencyPolicy>());
    policies.push_back(std::make_unique<ErrorMappingPolicy>());
    policies.push_back(std::move(retry_step));
    policies.push_back(std::make_unique<LogPolicy>(logger));
    pipeline = std::make_unique<Pipeline>(std::move(policies), std::move(transport));
}

std::string ClientCore::url_for(std::string_view path) const {
    std::string url = base_url;
    if (path.empty() || path.front() != '/') url += '/';
    url += path;
    return url;
}

HttpResponse ClientCore::execute(Method method, std::string_view path, const std::string* body,
                                 const Headers& extra_headers, const std::string& idempotency_key,
                                 bool authenticated, const CallContext* context) const {
    Call call;
    call.request.method = method;
    call.request.url = url_for(path);
    call.request.headers.reserve(5 + extra_headers.size());
    call.request.headers.emplace_back("Accept", "application/json");
    // Compression buys nothing on a loopback connection and costs CPU at both ends (against the mock, a
    // 100-page `tasks list --all` took 30% longer with gzip): an empty Accept-Encoding asks for none.
    // The transport still decodes a server that compresses anyway, within max_body_bytes.
    if (loopback) call.request.headers.emplace_back("Accept-Encoding", "");
    if (body) call.request.headers.emplace_back("Content-Type", "application/json");
    call.request.headers.insert(call.request.headers.end(), extra_headers.begin(), extra_headers.end());
    if (body) call.request.body = *body;
    call.request.context = context ? *context : options.context;
    call.path = std::string(path);
    call.idempotency_key = idempotency_key;
    call.authenticated = authenticated;
    return pipeline->send(call);
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
