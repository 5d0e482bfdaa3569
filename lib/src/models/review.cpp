#include "agentrail/models/review.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

void to_json(json& j, const Reviewer& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("role", v.role);
}

void from_json(const json& j, Reviewer& v) {
    Reader r(j, "reviewer");
    r.req("id", v.id);
    r.req("role", v.role);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ReviewDecision& v) {
    Writer w(j, v.extra);
    w.put("outcome", v.outcome);
    w.put("reviewer", v.reviewer);
    w.put("createdAt", v.created_at);
    w.opt("headSha", v.head_sha);
    w.put("summary", v.summary);
}

void from_json(const json& j, ReviewDecision& v) {
    Reader r(j, "decision");
    r.req("outcome", v.outcome);
    r.req("reviewer", v.reviewer);
    r.req("createdAt", v.created_at);
    r.opt("headSha", v.head_sha);
    r.req("summary", v.summary);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ReviewComment& v) {
    Writer w(j, v.extra);
    w.put("id", v.id);
    w.put("authorRole", v.author_role);
    w.put("body", v.body);
    w.put("severity", v.severity);
    w.opt("file", v.file);
    w.opt("line", v.line);
    w.opt("suggestedAction", v.suggested_action);
}

void from_json(const json& j, ReviewComment& v) {
    Reader r(j, "comment");
    r.req("id", v.id);
    r.req("authorRole", v.author_role);
    r.req("body", v.body);
    r.req("severity", v.severity);
    r.opt("file", v.file);
    r.opt("line", v.line);
    r.opt("suggestedAction", v.suggested_action);
    r.collect_extra(v.extra);
}

void to_json(json& j, const ReviewFeedback& v) {
    Writer w(j, v.extra);
    w.put("taskId", v.task_id);
    w.opt("latestDecision", v.latest_decision);
    w.put("comments", v.comments);
    w.put("availableActions", v.available_actions);
}

void from_json(const json& j, ReviewFeedback& v) {
    Reader r(j, "review_feedback");
    r.req("taskId", v.task_id);
    r.opt("latestDecision", v.latest_decision);
    r.req("comments", v.comments);
    r.req("availableActions", v.available_actions);
    r.collect_extra(v.extra);
}

}  // namespace agentrail
