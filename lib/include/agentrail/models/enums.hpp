#pragma once
// Named values of the API's enum-like fields. The models keep these fields as std::string so values this
// library does not know (a new status, ship status "merged", a new event type) are kept, not rejected;
// compare against these constants, and use the is_known_* checks to validate user input before sending.

#include <algorithm>
#include <array>
#include <string_view>

#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

namespace detail {
template <std::size_t N>
constexpr bool enum_contains(const std::array<std::string_view, N>& values, std::string_view value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}
}  // namespace detail

namespace task_status {
inline constexpr std::string_view todo = "todo";
inline constexpr std::string_view in_progress = "in_progress";
inline constexpr std::string_view in_review = "in_review";
inline constexpr std::string_view blocked = "blocked";
inline constexpr std::string_view done = "done";
inline constexpr std::string_view cancelled = "cancelled";
inline constexpr std::array<std::string_view, 6> all{todo, in_progress, in_review, blocked, done, cancelled};
/// The values GET /tasks/mine accepts as its `status` filter.
inline constexpr std::array<std::string_view, 4> list_filter{todo, in_progress, in_review, blocked};
}  // namespace task_status

namespace priority {
inline constexpr std::string_view low = "low";
inline constexpr std::string_view medium = "medium";
inline constexpr std::string_view high = "high";
inline constexpr std::string_view critical = "critical";
inline constexpr std::array<std::string_view, 4> all{low, medium, high, critical};
}  // namespace priority

namespace scope {
inline constexpr std::string_view auth_admin = "auth:admin";
inline constexpr std::string_view ci_read = "ci:read";
inline constexpr std::string_view events_read = "events:read";
inline constexpr std::string_view routing_admin = "routing:admin";
inline constexpr std::string_view routing_evaluate = "routing:evaluate";
inline constexpr std::string_view routing_read = "routing:read";
inline constexpr std::string_view reviews_read = "reviews:read";
inline constexpr std::string_view ship_write = "ship:write";
inline constexpr std::string_view tasks_read = "tasks:read";
inline constexpr std::string_view tasks_write = "tasks:write";
inline constexpr std::string_view usage_read = "usage:read";
inline constexpr std::string_view webhooks_read = "webhooks:read";
inline constexpr std::string_view webhooks_write = "webhooks:write";
inline constexpr std::string_view providers_write =
    "providers:write";  // server has it; the document lacks it
inline constexpr std::array<std::string_view, 14> all{
    auth_admin, ci_read,    events_read, routing_admin, routing_evaluate, routing_read,   reviews_read,
    ship_write, tasks_read, tasks_write, usage_read,    webhooks_read,    webhooks_write, providers_write};
}  // namespace scope

namespace event_type {
inline constexpr std::string_view task_updated = "task.updated";
inline constexpr std::string_view task_awaiting_user = "task.awaiting_user";
inline constexpr std::string_view task_reviewed = "task.reviewed";
inline constexpr std::string_view task_shipped = "task.shipped";
// Emitted by the reference server, not in the document.
inline constexpr std::string_view task_ci_failed = "task.ci_failed";
inline constexpr std::string_view task_ci_recovered = "task.ci_recovered";
inline constexpr std::string_view task_review_approved = "task.review_approved";
inline constexpr std::string_view task_review_changes_requested = "task.review_changes_requested";
/// The document's four types: the only ones event subscriptions accept.
inline constexpr std::array<std::string_view, 4> document{task_updated, task_awaiting_user, task_reviewed,
                                                          task_shipped};
inline constexpr std::array<std::string_view, 8> all{
    task_updated,   task_awaiting_user, task_reviewed,        task_shipped,
    task_ci_failed, task_ci_recovered,  task_review_approved, task_review_changes_requested};
}  // namespace event_type

namespace ci_status {
inline constexpr std::string_view passed = "passed";
inline constexpr std::string_view failed = "failed";
inline constexpr std::string_view running = "running";
inline constexpr std::string_view queued = "queued";
inline constexpr std::string_view cancelled = "cancelled";
inline constexpr std::string_view skipped = "skipped";
inline constexpr std::string_view pending = "pending";
inline constexpr std::array<std::string_view, 7> all{passed,    failed,  running, queued,
                                                     cancelled, skipped, pending};
}  // namespace ci_status

namespace review_outcome {
inline constexpr std::string_view approved = "approved";
inline constexpr std::string_view changes_requested = "changes_requested";
inline constexpr std::string_view pending = "pending";
inline constexpr std::string_view not_required = "not_required";
inline constexpr std::string_view review_required = "review_required";
inline constexpr std::array<std::string_view, 5> all{approved, changes_requested, pending, not_required,
                                                     review_required};
}  // namespace review_outcome

namespace review_severity {
inline constexpr std::string_view must_fix = "must_fix";
inline constexpr std::string_view should_fix = "should_fix";
inline constexpr std::string_view note = "note";
inline constexpr std::array<std::string_view, 3> all{must_fix, should_fix, note};
}  // namespace review_severity

namespace ship_mode {
inline constexpr std::string_view merge_only = "merge_only";
inline constexpr std::string_view merge_and_deploy = "merge_and_deploy";
inline constexpr std::array<std::string_view, 2> all{merge_only, merge_and_deploy};
}  // namespace ship_mode

namespace ship_environment {
inline constexpr std::string_view staging = "staging";
inline constexpr std::string_view production = "production";
inline constexpr std::array<std::string_view, 2> all{staging, production};
}  // namespace ship_environment

namespace ship_status {
inline constexpr std::string_view queued = "queued";
inline constexpr std::string_view running = "running";
inline constexpr std::string_view succeeded = "succeeded";
inline constexpr std::string_view failed = "failed";
inline constexpr std::string_view merged = "merged";  // reference server; not in the document
inline constexpr std::array<std::string_view, 5> all{queued, running, succeeded, failed, merged};
}  // namespace ship_status

namespace submit_mode {
inline constexpr std::string_view adapter_managed = "adapter_managed";
inline constexpr std::string_view artifact = "artifact";
inline constexpr std::array<std::string_view, 2> all{adapter_managed, artifact};
}  // namespace submit_mode

namespace submit_action {
inline constexpr std::string_view created = "created";
inline constexpr std::string_view existing = "existing";
inline constexpr std::string_view accepted = "accepted";
inline constexpr std::array<std::string_view, 3> all{created, existing, accepted};
}  // namespace submit_action

namespace artifact_type {
inline constexpr std::string_view pull_request = "pull_request";
inline constexpr std::string_view commit = "commit";
inline constexpr std::string_view doc = "doc";
inline constexpr std::string_view ci_run = "ci_run";
inline constexpr std::string_view other = "other";
inline constexpr std::array<std::string_view, 5> all{pull_request, commit, doc, ci_run, other};
}  // namespace artifact_type

/// Status of a check reported with a submission (TaskSubmitRequest.checks).
namespace check_status {
inline constexpr std::string_view passed = "passed";
inline constexpr std::string_view failed = "failed";
inline constexpr std::string_view running = "running";
inline constexpr std::string_view skipped = "skipped";
inline constexpr std::array<std::string_view, 4> all{passed, failed, running, skipped};
}  // namespace check_status

namespace key_status {
inline constexpr std::string_view active = "active";
inline constexpr std::string_view rotated = "rotated";
inline constexpr std::string_view revoked = "revoked";
inline constexpr std::array<std::string_view, 3> all{active, rotated, revoked};
}  // namespace key_status

namespace subscription_status {
inline constexpr std::string_view active = "active";
inline constexpr std::string_view disabled = "disabled";
inline constexpr std::array<std::string_view, 2> all{active, disabled};
}  // namespace subscription_status

/// One of the six task statuses of the document.
constexpr bool is_known_task_status(std::string_view v) {
    return detail::enum_contains(task_status::all, v);
}
/// Accepted by the task list `status` filter: todo, in_progress, in_review, blocked.
constexpr bool is_task_status_filter(std::string_view v) {
    return detail::enum_contains(task_status::list_filter, v);
}
constexpr bool is_known_priority(std::string_view v) {
    return detail::enum_contains(priority::all, v);
}
/// Includes providers:write, which the server has and the document lacks.
constexpr bool is_known_scope(std::string_view v) {
    return detail::enum_contains(scope::all, v);
}
/// Any event type this library knows (the document's four and the ones the server also emits).
constexpr bool is_known_event_type(std::string_view v) {
    return detail::enum_contains(event_type::all, v);
}
/// The document's four event types: what an event subscription accepts.
constexpr bool is_document_event_type(std::string_view v) {
    return detail::enum_contains(event_type::document, v);
}
constexpr bool is_known_ci_status(std::string_view v) {
    return detail::enum_contains(ci_status::all, v);
}
constexpr bool is_known_review_outcome(std::string_view v) {
    return detail::enum_contains(review_outcome::all, v);
}
constexpr bool is_known_ship_mode(std::string_view v) {
    return detail::enum_contains(ship_mode::all, v);
}
constexpr bool is_known_ship_environment(std::string_view v) {
    return detail::enum_contains(ship_environment::all, v);
}
constexpr bool is_known_ship_status(std::string_view v) {
    return detail::enum_contains(ship_status::all, v);
}
constexpr bool is_known_submit_mode(std::string_view v) {
    return detail::enum_contains(submit_mode::all, v);
}
constexpr bool is_known_artifact_type(std::string_view v) {
    return detail::enum_contains(artifact_type::all, v);
}
constexpr bool is_known_check_status(std::string_view v) {
    return detail::enum_contains(check_status::all, v);
}
constexpr bool is_known_key_status(std::string_view v) {
    return detail::enum_contains(key_status::all, v);
}
constexpr bool is_known_subscription_status(std::string_view v) {
    return detail::enum_contains(subscription_status::all, v);
}

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
