#pragma once
// agentrail::Client: every operation of the AgentRail Task Lifecycle API as a typed method.
//
// This header declares the operations only: the models they return are forward-declared, so including it
// costs little. Where results are used, include their area's header (agentrail/models/task.hpp, ...) and
// agentrail/response.hpp, or agentrail/agentrail.hpp for everything.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "agentrail/context.hpp"
#include "agentrail/export.hpp"
#include "agentrail/log.hpp"
#include "agentrail/models/fwd.hpp"
#include "agentrail/transport.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// When and how often a failed call is repeated. Only requests that are safe to repeat are retried:
/// GETs, and mutations that carry an Idempotency-Key (all of this client's mutations do).
struct RetryPolicy {
    int max_attempts = 3;  // total attempts, including the first; 1 disables retries
    std::chrono::milliseconds initial_delay{1000};
    std::chrono::milliseconds max_delay{30000};
    std::vector<int> retryable_statuses{429, 500, 502, 503, 504};
    bool retry_network_errors = true;  // no response at all (refused, reset, timeout)
    double jitter = 0.2;               // +-20% random spread on each computed delay

    /// Delay before attempt `attempt + 1` (attempt counts from 1), ignoring Retry-After.
    std::chrono::milliseconds backoff(int attempt, double random01) const;
};

struct ClientOptions {
    std::string base_url = "http://127.0.0.1:3000";  // may carry a path prefix, e.g. https://host/v1
    std::string api_key;                             // sent as `Authorization: Bearer`; never logged
    RetryPolicy retry;
    /// Total time for one call, all attempts and the waits between them (Retry-After included): each
    /// attempt's timeout is cut to what is left, and a retry that would end past it is not made (the last
    /// failure is reported). Zero: no limit beyond the retry policy. Does not apply to event streams.
    std::chrono::milliseconds deadline{0};
    /// An absolute end for every call of this client, e.g. a whole command's budget across several calls
    /// and pages: a call's deadline is the earlier of this and `deadline` from its start. Unset: none.
    std::optional<std::chrono::steady_clock::time_point> deadline_at;
    /// Context every call and stream of this client runs under unless given another (with_context()):
    /// cancelling it ends calls in flight and their waits at once; its deadline bounds each call as
    /// `deadline_at` does (and streams too). Default: a context of its own, never cancelled.
    CallContext context;
    TransportOptions transport_options;    // used when `transport` is null
    std::shared_ptr<Transport> transport;  // null: a curl transport made from transport_options
    /// Sending a key over plain http:// to a host that is not loopback is refused unless this is set.
    bool allow_insecure_http = false;
    LogHandler log;  // null: silent; called from the calling thread (any, when the client is shared)
    /// Messages below this level are neither built nor redacted nor handed to `log`: set it to the level
    /// your handler keeps, so a quiet client does not format (and scan) every request and response body.
    LogLevel log_level = LogLevel::trace;
    /// How the client waits between retries; replace in tests so they do not sleep.
    std::function<void(std::chrono::milliseconds)> sleep;
    /// Source of randomness in [0,1) for backoff jitter; replace in tests for determinism.
    std::function<double()> random;
};

/// Options of a mutating call.
struct MutationOptions {
    /// Sent as Idempotency-Key (8 to 128 characters). When empty the client makes a fresh random key for
    /// this call, reused by its retries only. Pass your own key (e.g. CI run id + step name) when a re-run
    /// of the same step must replay the first answer instead of acting again.
    std::optional<std::string> idempotency_key;
};

struct ListTasksOptions {
    std::optional<std::string> status;  // todo, in_progress, in_review, blocked (validated locally)
    std::optional<int> limit;           // 1..100
    std::optional<std::string> cursor;
};

using TaskPage = Response<std::vector<TaskSummary>>;

struct RawTaskPage;  // raw_task_page.hpp

/// A fresh random Idempotency-Key (a UUIDv4 string, 36 characters): the default key of every mutation.
std::string new_idempotency_key();

/// Opt-in deterministic Idempotency-Key: "ar-<operation>-<hash of ids and canonical body>", 8..128
/// characters; never used unless passed as MutationOptions::idempotency_key. Unsafe for requests that may
/// legitimately repeat (start a task again after a blocker, resolve a second blocker with the same summary,
/// create a second key with the same fields): servers keep idempotency records without expiry, so the
/// later request is answered with the first one's stale result and nothing happens. Mix in something
/// unique to the attempt (a CI run id) when a repeat must act.
std::string derive_idempotency_key(std::string_view operation, const std::vector<std::string_view>& ids,
                                   const nlohmann::json& body);

/// Serialises JSON with object keys sorted at every level (nlohmann's default), no spaces.
std::string canonical_json(const nlohmann::json& value);

/// Thread safety: every method of one Client may be called from any number of threads at once (with the
/// default curl transport, or a transport that is itself thread-safe). Calls in flight share a pool of
/// at most TransportOptions::max_connections connections; further calls wait for a free one. The
/// callbacks in ClientOptions (log, sleep, random) are then called from those threads concurrently. An
/// EventStream is used by one thread at a time; moving or destroying a Client while another thread
/// calls it is a data race, as for any object.
class Client {
public:
    explicit Client(ClientOptions options);
    ~Client();
    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;

    const ClientOptions& options() const;
    /// A client sharing this one's settings and connections whose calls and streams run under
    /// `context` (its deadline and cancellation), e.g. one per request of a server, or per command.
    Client with_context(CallContext context) const;

    // Operations
    Response<Health> health();

    Response<ApiKey> create_api_key(const ApiKeyCreateRequest& request, const MutationOptions& options = {});
    Response<ApiKey> rotate_api_key(std::string_view key_id);  // with an empty request
    Response<ApiKey> rotate_api_key(std::string_view key_id, const ApiKeyRotateRequest& request,
                                    const MutationOptions& options = {});
    Response<ApiKeyUsage> get_api_key_usage(std::string_view key_id);

    /// One page of the caller's tasks.
    TaskPage list_my_tasks(const ListTasksOptions& options = {});
    /// Follows every page from `options.cursor`, handing each page over as it arrives; stops early when
    /// `on_page` returns false. Memory stays flat: one page is held at a time.
    void for_each_task_page(const ListTasksOptions& options,
                            const std::function<bool(const TaskPage&)>& on_page);
    /// for_each_task_page for tools that pass items on unchanged (e.g. `agentrail tasks list --all -o
    /// ndjson`): each page's bytes, with each item located by a validating scan instead of a parse. The
    /// answer is checked as every answer is (JSON, nesting depth, an object with a "data" array: the same
    /// errors), but items are not checked against the TaskSummary model. `on_page` may move the page.
    void for_each_raw_task_page(const ListTasksOptions& options,
                                const std::function<bool(RawTaskPage&)>& on_page);
    /// Every task across all pages (convenience over for_each_task_page).
    std::vector<TaskSummary> list_all_my_tasks(ListTasksOptions options = {});

    Response<TaskDetail> get_task(std::string_view task_id);
    Response<TaskDetail> start_task(std::string_view task_id, const MutationOptions& options = {});
    Response<TaskDetail> block_task(std::string_view task_id, const TaskBlockerRequest& request,
                                    const MutationOptions& options = {});
    Response<TaskDetail> resolve_blocker(std::string_view task_id, const ResolveBlockerRequest& request,
                                         const MutationOptions& options = {});
    Response<TaskSubmission> submit_task(std::string_view task_id, const TaskSubmitRequest& request,
                                         const MutationOptions& options = {});
    Response<CiStatus> get_task_ci_status(std::string_view task_id);
    Response<ReviewFeedback> get_task_review_feedback(std::string_view task_id);
    Response<ShipResult> ship_task(std::string_view task_id, const TaskShipRequest& request,
                                   const MutationOptions& options = {});
    /// Not in the published contract; the reference server has it. The answer's data is kept as JSON.
    Response<nlohmann::json> rollback_task(std::string_view task_id, const MutationOptions& options = {});

    Response<std::vector<EventSubscription>> list_event_subscriptions();
    Response<EventSubscription> create_event_subscription(const EventSubscriptionCreateRequest& request,
                                                          const MutationOptions& options = {});
    Response<EventSubscription> get_event_subscription(std::string_view subscription_id);
    Response<EventSubscription> deactivate_event_subscription(std::string_view subscription_id);

    /// Forwards a CircleCI webhook body as received (raw bytes, optional `circleci-signature`).
    Response<CircleCiWebhookReceipt> ingest_circleci_webhook(std::string raw_body,
                                                             std::optional<std::string> signature = {});
    Response<LinearIssueIntake> ingest_linear_issue(const LinearIssueIntakeRequest& request,
                                                    const MutationOptions& options = {});
    /// Forwards a Linear webhook body as received with its Linear-* headers.
    Response<LinearWebhookReceipt> ingest_linear_webhook(std::string raw_body,
                                                         const LinearWebhookHeaders& headers);
    /// Linear comment / workflow-state routes (scope providers:write); not in the published contract.
    Response<nlohmann::json> post_linear_comment(std::string_view task_id,
                                                 const LinearCommentRequest& request,
                                                 const MutationOptions& options = {});
    Response<nlohmann::json> set_linear_workflow_state(std::string_view task_id,
                                                       const LinearWorkflowStateRequest& request,
                                                       const MutationOptions& options = {});

    /// The live SSE event stream with resume, reconnect and de-duplication (see events.hpp).
    EventStream stream_events(StreamOptions options);
    EventStream stream_events();  // with default StreamOptions

    /// Raw call for routes without a typed method: auth, retries and error mapping still apply.
    /// `path` is relative to the base URL and may carry a query string. POST, PUT and PATCH get an
    /// Idempotency-Key (given, or a fresh random one) unless `idempotency_key` is the empty string;
    /// GET and DELETE never carry one.
    Response<nlohmann::json> request(Method method, std::string_view path,
                                     const std::optional<nlohmann::json>& body,
                                     const Headers& extra_headers = {},
                                     std::optional<std::string> idempotency_key = std::nullopt);
    Response<nlohmann::json> request(Method method, std::string_view path);  // no body, no extra headers

    /// Full URL for `path` under the base URL (exposed for tools and tests).
    std::string url_for(std::string_view path) const;

private:
    Client(const Client& other, CallContext context);  // with_context()
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    friend class EventStream;
};

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
