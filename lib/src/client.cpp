#include "agentrail/client.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <random>
#include <unordered_set>

#include "agentrail/agentrail.hpp"
#include "agentrail/json.hpp"
#include "client_core.hpp"
#include "client_impl.hpp"
#include "json_scan.hpp"

namespace agentrail {

using detail::make_path;
using nlohmann::json;

std::string canonical_json(const json& value) {
    // nlohmann::json keeps object members in a std::map, so dump() already sorts keys at every level.
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string derive_idempotency_key(std::string_view operation, const std::vector<std::string_view>& ids,
                                   const json& body) {
    std::string material(operation);
    for (auto id : ids) {
        material += '\0';
        material += id;
    }
    material += '\0';
    material += canonical_json(body);

    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int len = 0;
    EVP_Digest(material.data(), material.size(), digest.data(), &len, EVP_sha256(), nullptr);
    static constexpr char hex[] = "0123456789abcdef";
    std::string key = "ar-";
    for (char c : operation) key += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
    key += '-';
    for (unsigned int i = 0; i < 16 && i < len; ++i) {
        key += hex[digest[i] >> 4];
        key += hex[digest[i] & 0x0f];
    }
    if (key.size() > 128) key.erase(0, key.size() - 128);
    return key;
}

std::string new_idempotency_key() {
    std::array<unsigned char, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        // OpenSSL's generator is seeded from the OS; should it fail, the OS source is asked directly.
        std::random_device device;
        for (auto& b : bytes) b = static_cast<unsigned char>(device());
    }
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
    static constexpr char hex[] = "0123456789abcdef";
    std::string key;
    key.reserve(36);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) key += '-';
        key += hex[bytes[i] >> 4];
        key += hex[bytes[i] & 0x0f];
    }
    return key;
}

namespace {

void require_id(std::string_view what, std::string_view id) {
    if (id.empty()) throw Error(ErrorKind::invalid_argument, std::string(what) + " must not be empty");
}

[[noreturn]] void protocol_error(std::string_view what, const std::string& key) {
    Error e(ErrorKind::protocol, "malformed response: " + std::string(what));
    e.set_idempotency_key(key);
    throw e;
}

json parse_body(const HttpResponse& response, const std::string& key) {
    json body;
    try {
        body = parse_json(response.body);
    } catch (const Error& e) {
        protocol_error("HTTP " + std::to_string(response.status) + " body: " + e.what(), key);
    }
    if (body.is_discarded()) {
        std::string excerpt = response.body.substr(0, 80);
        protocol_error("HTTP " + std::to_string(response.status) + " body is not JSON: " + excerpt, key);
    }
    return body;
}

template <typename T>
Response<T> make_response(const HttpResponse& http, const std::string& key, bool bare = false) {
    Response<T> out;
    out.status = http.status;
    out.idempotency_key = key;
    if (auto rid = find_header(http.headers, "x-request-id")) out.request_id = std::string(*rid);
    out.envelope = parse_body(http, key);
    const json& env = out.envelope;
    if (!env.is_object()) {
        // Raw calls (T = json) accept any JSON answer; typed ones need an envelope object.
        if constexpr (std::is_same_v<T, json>) {
            out.data = out.envelope;
            return out;
        }
        protocol_error("expected a JSON object", key);
    }
    const json* data = &out.envelope;
    if (!bare) {
        auto it = out.envelope.find("data");
        if (it == out.envelope.end()) {
            if constexpr (!std::is_same_v<T, json>) protocol_error("envelope has no \"data\" member", key);
        } else {
            data = &*it;
        }
    }
    if (auto a = env.find("availableActions"); a != env.end() && a->is_array()) {
        for (const auto& s : *a)
            if (s.is_string()) out.available_actions.push_back(s.get<std::string>());
    }
    if (auto p = env.find("page"); p != env.end() && p->is_object()) {
        Page page;
        if (auto c = p->find("nextCursor"); c != p->end() && c->is_string())
            page.next_cursor = c->get<std::string>();
        if (auto h = p->find("hasMore"); h != p->end() && h->is_boolean()) page.has_more = h->get<bool>();
        out.page = page;
    }
    try {
        if constexpr (std::is_same_v<T, json>)
            out.data = *data;
        else
            out.data = data->get<T>();
    } catch (const json::exception& e) {
        protocol_error(e.what(), key);
    } catch (Error& e) {
        e.set_idempotency_key(key);
        throw;
    }
    return out;
}

}  // namespace

template <typename T>
Response<T> Client::Impl::get(const std::string& path, bool bare, bool authenticated) {
    auto http = execute(Method::get, path, nullptr, {}, {}, authenticated);
    return make_response<T>(http, {}, bare);
}

template <typename T>
Response<T> Client::Impl::mutate(Method method, const std::string& path, const std::optional<json>& body,
                                 const MutationOptions& options) {
    std::string key = detail::mutation_key(options.idempotency_key);
    std::string text;
    if (body) text = canonical_json(*body);
    auto http = execute(method, path, body ? &text : nullptr, {}, key);
    return make_response<T>(http, key);
}

Client::Client(ClientOptions options) : m_impl(std::make_unique<Impl>()) {
    m_impl->core = std::make_shared<detail::ClientCore>(std::move(options));
}
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

const ClientOptions& Client::options() const {
    return m_impl->core->options;
}

Client Client::with_context(CallContext context) const {
    Client scoped(*this, std::move(context));
    return scoped;
}

Client::Client(const Client& other, CallContext context) : m_impl(std::make_unique<Impl>()) {
    m_impl->core = other.m_impl->core;
    m_impl->context = std::move(context);
}

std::string Client::url_for(std::string_view path) const {
    return m_impl->core->url_for(path);
}

Response<Health> Client::health() {
    return m_impl->get<Health>("/health", true, false);
}

Response<ApiKey> Client::create_api_key(const ApiKeyCreateRequest& request, const MutationOptions& options) {
    return m_impl->mutate<ApiKey>(Method::post, "/agent-api-keys", json(request), options);
}

Response<ApiKey> Client::rotate_api_key(std::string_view key_id, const ApiKeyRotateRequest& request,
                                        const MutationOptions& options) {
    require_id("key id", key_id);
    return m_impl->mutate<ApiKey>(Method::post, make_path({"agent-api-keys", key_id, "rotate"}),
                                  json(request), options);
}

Response<ApiKey> Client::rotate_api_key(std::string_view key_id) {
    return rotate_api_key(key_id, ApiKeyRotateRequest{});
}

Response<ApiKeyUsage> Client::get_api_key_usage(std::string_view key_id) {
    require_id("key id", key_id);
    return m_impl->get<ApiKeyUsage>(make_path({"agent-api-keys", key_id, "usage"}));
}

namespace {

std::string list_my_tasks_path(const ListTasksOptions& options) {
    static constexpr std::array<std::string_view, 4> statuses{"todo", "in_progress", "in_review", "blocked"};
    if (options.status && std::find(statuses.begin(), statuses.end(), *options.status) == statuses.end())
        throw Error(ErrorKind::invalid_argument, "unknown task status filter '" + *options.status +
                                                     "' (todo, in_progress, in_review, blocked)");
    if (options.limit && (*options.limit < 1 || *options.limit > 100))
        throw Error(ErrorKind::invalid_argument, "limit must be between 1 and 100");
    if (options.cursor && options.cursor->empty())
        throw Error(ErrorKind::invalid_argument, "cursor must not be empty");
    auto q = detail::query_string(
        {{"status", options.status},
         {"limit", options.limit ? std::optional<std::string>(std::to_string(*options.limit)) : std::nullopt},
         {"cursor", options.cursor}});
    return "/tasks/mine" + q;
}

/// Follows the pages from `options.cursor`: `fetch` gets one page and returns its Page (if any), `on_page`
/// decides whether to go on. Cursors that cycle (A, B, A) are an error rather than an endless loop.
template <typename Fetch>
void follow_pages(const ListTasksOptions& options, Fetch&& fetch) {
    ListTasksOptions current = options;
    // Every cursor followed so far. Cursors are short, so remembering them all costs little next to the
    // pages themselves.
    std::unordered_set<std::string> followed;
    if (current.cursor) followed.insert(*current.cursor);
    for (;;) {
        std::optional<Page> page;
        if (!fetch(current, page)) return;
        if (!page || !page->has_more || !page->next_cursor) return;
        if (!followed.insert(*page->next_cursor).second)
            throw Error(ErrorKind::protocol, "malformed response: the server's page cursor repeated (" +
                                                 page->next_cursor->substr(0, 80) + ")");
        current.cursor = page->next_cursor;
    }
}

}  // namespace

TaskPage Client::list_my_tasks(const ListTasksOptions& options) {
    return m_impl->get<std::vector<TaskSummary>>(list_my_tasks_path(options));
}

void Client::for_each_task_page(const ListTasksOptions& options,
                                const std::function<bool(const TaskPage&)>& on_page) {
    follow_pages(options, [&](const ListTasksOptions& current, std::optional<Page>& page) {
        auto answer = list_my_tasks(current);
        if (!on_page(answer)) return false;
        page = answer.page;
        return true;
    });
}

void Client::for_each_raw_task_page(const ListTasksOptions& options,
                                    const std::function<bool(RawTaskPage&)>& on_page) {
    detail::ListPageScan scan;
    follow_pages(options, [&](const ListTasksOptions& current, std::optional<Page>& page) {
        auto http = m_impl->core->execute(Method::get, list_my_tasks_path(current), nullptr, {}, {});
        RawTaskPage raw;
        raw.status = http.status;
        if (auto rid = find_header(http.headers, "x-request-id")) raw.request_id = std::string(*rid);
        if (detail::scan_list_page(http.body, scan, default_max_json_depth)) {
            raw.items.reserve(scan.items.size());
            for (const auto& span : scan.items) raw.items.emplace_back(span.offset, span.size);
            raw.compact = !scan.items_have_whitespace;
            if (scan.has_page) raw.page = Page{scan.next_cursor, scan.has_more};
        } else {
            // The general path: the same checks and errors as list_my_tasks, items re-serialised.
            auto typed = make_response<std::vector<TaskSummary>>(http, {});
            for (const auto& item : typed.raw_data()) {
                const auto offset = raw.reserialised.size();
                raw.reserialised += item.dump();
                raw.items.emplace_back(offset, raw.reserialised.size() - offset);
            }
            raw.page = typed.page;
        }
        raw.body = std::move(http.body);
        page = raw.page;
        return on_page(raw);
    });
}

std::vector<TaskSummary> Client::list_all_my_tasks(ListTasksOptions options) {
    std::vector<TaskSummary> all;
    for_each_task_page(options, [&](const TaskPage& page) {
        all.insert(all.end(), page.data.begin(), page.data.end());
        return true;
    });
    return all;
}

Response<TaskDetail> Client::get_task(std::string_view task_id) {
    require_id("task id", task_id);
    return m_impl->get<TaskDetail>(make_path({"tasks", task_id}));
}

Response<TaskDetail> Client::start_task(std::string_view task_id, const MutationOptions& options) {
    require_id("task id", task_id);
    return m_impl->mutate<TaskDetail>(Method::post, make_path({"tasks", task_id, "start"}), json::object(),
                                      options);
}

Response<TaskDetail> Client::block_task(std::string_view task_id, const TaskBlockerRequest& request,
                                        const MutationOptions& options) {
    require_id("task id", task_id);
    return m_impl->mutate<TaskDetail>(Method::post, make_path({"tasks", task_id, "blocker"}), json(request),
                                      options);
}

Response<TaskDetail> Client::resolve_blocker(std::string_view task_id, const ResolveBlockerRequest& request,
                                             const MutationOptions& options) {
    require_id("task id", task_id);
    return m_impl->mutate<TaskDetail>(Method::post, make_path({"tasks", task_id, "resolve-blocker"}),
                                      json(request), options);
}

Response<TaskSubmission> Client::submit_task(std::string_view task_id, const TaskSubmitRequest& request,
                                             const MutationOptions& options) {
    require_id("task id", task_id);
    return m_impl->mutate<TaskSubmission>(Method::post, make_path({"tasks", task_id, "submit"}),
                                          json(request), options);
}

Response<CiStatus> Client::get_task_ci_status(std::string_view task_id) {
    require_id("task id", task_id);
    return m_impl->get<CiStatus>(make_path({"tasks", task_id, "ci-status"}));
}

Response<ReviewFeedback> Client::get_task_review_feedback(std::string_view task_id) {
    require_id("task id", task_id);
    return m_impl->get<ReviewFeedback>(make_path({"tasks", task_id, "review-feedback"}));
}

Response<ShipResult> Client::ship_task(std::string_view task_id, const TaskShipRequest& request,
                                       const MutationOptions& options) {
    require_id("task id", task_id);
    return m_impl->mutate<ShipResult>(Method::post, make_path({"tasks", task_id, "ship"}), json(request),
                                      options);
}

Response<json> Client::rollback_task(std::string_view task_id, const MutationOptions& options) {
    require_id("task id", task_id);
    return m_impl->mutate<json>(Method::post, make_path({"tasks", task_id, "rollback"}), json::object(),
                                options);
}

Response<std::vector<EventSubscription>> Client::list_event_subscriptions() {
    return m_impl->get<std::vector<EventSubscription>>("/event-subscriptions");
}

Response<EventSubscription> Client::create_event_subscription(const EventSubscriptionCreateRequest& request,
                                                              const MutationOptions& options) {
    return m_impl->mutate<EventSubscription>(Method::post, "/event-subscriptions", json(request), options);
}

Response<EventSubscription> Client::get_event_subscription(std::string_view subscription_id) {
    require_id("subscription id", subscription_id);
    return m_impl->get<EventSubscription>(make_path({"event-subscriptions", subscription_id}));
}

Response<EventSubscription> Client::deactivate_event_subscription(std::string_view subscription_id) {
    require_id("subscription id", subscription_id);
    // DELETE takes no Idempotency-Key; it is naturally idempotent, so it is retried like a read.
    auto path = make_path({"event-subscriptions", subscription_id});
    auto http = m_impl->execute(Method::del, path, nullptr, {}, {});
    return make_response<EventSubscription>(http, {});
}

Response<CircleCiWebhookReceipt> Client::ingest_circleci_webhook(std::string raw_body,
                                                                 std::optional<std::string> signature) {
    Headers extra;
    if (signature) extra.emplace_back("circleci-signature", *signature);
    auto http = m_impl->execute(Method::post, "/providers/circleci/webhooks", &raw_body, extra, {}, false);
    return make_response<CircleCiWebhookReceipt>(http, {});
}

Response<LinearIssueIntake> Client::ingest_linear_issue(const LinearIssueIntakeRequest& request,
                                                        const MutationOptions& options) {
    return m_impl->mutate<LinearIssueIntake>(Method::post, "/providers/linear/intake", json(request),
                                             options);
}

Response<LinearWebhookReceipt> Client::ingest_linear_webhook(std::string raw_body,
                                                             const LinearWebhookHeaders& headers) {
    Headers extra;
    if (headers.delivery) extra.emplace_back("Linear-Delivery", *headers.delivery);
    if (headers.event) extra.emplace_back("Linear-Event", *headers.event);
    if (headers.signature) extra.emplace_back("Linear-Signature", *headers.signature);
    auto http = m_impl->execute(Method::post, "/providers/linear/webhooks", &raw_body, extra, {}, false);
    return make_response<LinearWebhookReceipt>(http, {});
}

Response<json> Client::post_linear_comment(std::string_view task_id, const LinearCommentRequest& request,
                                           const MutationOptions& options) {
    require_id("task id", task_id);
    return m_impl->mutate<json>(Method::post,
                                make_path({"providers", "linear", "tasks", task_id, "comments"}),
                                json(request), options);
}

Response<json> Client::set_linear_workflow_state(std::string_view task_id,
                                                 const LinearWorkflowStateRequest& request,
                                                 const MutationOptions& options) {
    require_id("task id", task_id);
    return m_impl->mutate<json>(Method::post,
                                make_path({"providers", "linear", "tasks", task_id, "workflow-state"}),
                                json(request), options);
}

EventStream Client::stream_events(StreamOptions options) {
    return EventStream(*this, std::move(options));
}

EventStream Client::stream_events() {
    return stream_events(StreamOptions{});
}

Response<json> Client::request(Method method, std::string_view path) {
    return request(method, path, std::nullopt);
}

Response<json> Client::request(Method method, std::string_view path, const std::optional<json>& body,
                               const Headers& extra_headers, std::optional<std::string> idempotency_key) {
    std::string p(path);
    if (p.empty() || p.front() != '/') p.insert(p.begin(), '/');
    // Only POST, PUT and PATCH carry a key: GET and DELETE are idempotent by themselves.
    std::string key;
    if (method == Method::post || method == Method::put || method == Method::patch)
        key = idempotency_key ? *idempotency_key : new_idempotency_key();
    std::string text;
    if (body) text = canonical_json(*body);
    auto http = m_impl->execute(method, p, body ? &text : nullptr, extra_headers, key);
    if (http.body.empty()) {
        Response<json> out;
        out.status = http.status;
        out.idempotency_key = key;
        return out;
    }
    return make_response<json>(http, key);
}

}  // namespace agentrail
