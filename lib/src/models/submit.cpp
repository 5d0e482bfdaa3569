#include "agentrail/models/submit.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

void to_json(json& j, const SubmitArtifact& v) {
    Writer w(j, v.extra);
    w.put("type", v.type);
    w.put("url", v.url);
}

void from_json(const json& j, SubmitArtifact& v) {
    Reader r(j, "artifact");
    r.req("type", v.type);
    r.req("url", v.url);
    r.collect_extra(v.extra);
}

void to_json(json& j, const SubmitCheck& v) {
    Writer w(j, v.extra);
    w.put("name", v.name);
    w.put("status", v.status);
}

void from_json(const json& j, SubmitCheck& v) {
    Reader r(j, "check");
    r.req("name", v.name);
    r.req("status", v.status);
    r.collect_extra(v.extra);
}

void to_json(json& j, const PullRequestOptions& v) {
    Writer w(j, v.extra);
    w.opt("title", v.title);
    w.opt("body", v.body);
    w.opt("head", v.head);
    w.opt("base", v.base);
    w.opt("draft", v.draft);
    w.opt("reviewers", v.reviewers);
}

void from_json(const json& j, PullRequestOptions& v) {
    Reader r(j, "pull_request");
    r.opt("title", v.title);
    r.opt("body", v.body);
    r.opt("head", v.head);
    r.opt("base", v.base);
    r.opt("draft", v.draft);
    r.opt("reviewers", v.reviewers);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskSubmitRequest& v) {
    Writer w(j, v.extra);
    w.put("summary", v.summary);
    w.opt("mode", v.mode);
    w.opt("pullRequest", v.pull_request);
    w.opt("artifacts", v.artifacts);
    w.opt("checks", v.checks);
    w.opt("notes", v.notes);
}

void from_json(const json& j, TaskSubmitRequest& v) {
    Reader r(j, "submit_request");
    r.req("summary", v.summary);
    r.opt("mode", v.mode);
    r.opt("pullRequest", v.pull_request);
    r.opt("artifacts", v.artifacts);
    r.opt("checks", v.checks);
    r.opt("notes", v.notes);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ReviewParticipant& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("role", v.role);
}

void from_json(const json& j, ReviewParticipant& v) {
    Reader r(j, "participant");
    r.req("id", v.id);
    r.req("role", v.role);
    r.collect_extra(v.extra);
}

void to_json(json& j, const TaskSubmission& v) {
    Writer w(j, v.extra);
    w.put("submissionId", v.submission_id);
    w.put("taskId", v.task_id);
    w.put("status", v.status);
    w.opt("prUrl", v.pr_url);
    w.opt("prNumber", v.pr_number);
    w.opt("head", v.head);
    w.opt("base", v.base);
    w.opt("headSha", v.head_sha);
    w.opt("action", v.action);
    w.opt("idempotencyKey", v.idempotency_key);
    if (!v.review_participants.empty()) {
        auto& route = w.json()["reviewRoute"];  // may already hold other members from extra
        if (!route.is_object()) route = json::object();
        route["participants"] = v.review_participants;
    }
    w.put("acceptedAt", v.accepted_at);
    w.put("availableActions", v.available_actions);
}

void from_json(const json& j, TaskSubmission& v) {
    Reader r(j, "submission");
    r.req("submissionId", v.submission_id);
    r.req("taskId", v.task_id);
    r.req("status", v.status);
    r.opt("prUrl", v.pr_url);
    r.opt("prNumber", v.pr_number);
    r.opt("head", v.head);
    r.opt("base", v.base);
    r.opt("headSha", v.head_sha);
    r.opt("action", v.action);
    r.opt("idempotencyKey", v.idempotency_key);
    const json* route = r.take_object("reviewRoute");
    r.req("acceptedAt", v.accepted_at);
    r.req("availableActions", v.available_actions);
    r.collect_extra(v.extra);

    v.review_participants.clear();
    if (route) {
        // Flatten reviewRoute.participants; anything else in reviewRoute (or an empty participant list)
        // stays in extra["reviewRoute"] so to_json gives back the same object.
        Reader rr(*route, r.path("reviewRoute"));
        rr.opt("participants", v.review_participants);
        json rest;
        rr.collect_extra(rest);
        if (!rest.empty() || v.review_participants.empty()) v.extra["reviewRoute"] = std::move(rest);
    }
}

}  // namespace agentrail
