#include "agentrail/models/ci.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

void to_json(json& j, const CiCounts& v) {
    Writer w(j, v.extra);
    w.put("total", v.total);
    w.put("passed", v.passed);
    w.put("failed", v.failed);
    w.put("running", v.running);
    w.put("queued", v.queued);
    w.put("cancelled", v.cancelled);
    w.put("skipped", v.skipped);
}

void from_json(const json& j, CiCounts& v) {
    Reader r(j, "summary");
    r.req("total", v.total);
    r.req("passed", v.passed);
    r.req("failed", v.failed);
    r.req("running", v.running);
    r.req("queued", v.queued);
    r.req("cancelled", v.cancelled);
    r.req("skipped", v.skipped);
    r.collect_extra(v.extra);
}

void to_json(json& j, const CiWorkflow& v) {
    Writer w(j, v.extra);
    w.put("name", v.name);
    w.opt("path", v.path);
    w.put("status", v.status);
    w.put("passed", v.passed);
    w.put("failed", v.failed);
    w.put("running", v.running);
    w.put("queued", v.queued);
    w.put("cancelled", v.cancelled);
    w.put("skipped", v.skipped);
    w.opt("url", v.url);
}

void from_json(const json& j, CiWorkflow& v) {
    Reader r(j, "workflow");
    r.req("name", v.name);
    r.opt("path", v.path);
    r.req("status", v.status);
    r.req("passed", v.passed);
    r.req("failed", v.failed);
    r.req("running", v.running);
    r.req("queued", v.queued);
    r.req("cancelled", v.cancelled);
    r.req("skipped", v.skipped);
    r.opt("url", v.url);
    r.collect_extra(v.extra);
}

void to_json(json& j, const CiCheck& v) {
    Writer w(j, v.extra);
    w.put("name", v.name);
    w.put("workflow", v.workflow);
    w.put("status", v.status);
    w.opt("url", v.url);
    w.opt("durationSeconds", v.duration_seconds);
    w.put("failureCount", v.failure_count);
}

void from_json(const json& j, CiCheck& v) {
    Reader r(j, "check");
    r.req("name", v.name);
    r.req("workflow", v.workflow);
    r.req("status", v.status);
    r.opt("url", v.url);
    r.opt("durationSeconds", v.duration_seconds);
    r.req("failureCount", v.failure_count);
    r.collect_extra(v.extra);
}

void to_json(json& j, const CiFailureSummary& v) {
    Writer w(j, v.extra);
    w.put("checkName", v.check_name);
    w.put("workflow", v.workflow);
    w.put("testName", v.test_name);
    w.opt("file", v.file);
    w.opt("line", v.line);
    w.put("message", v.message);
}

void from_json(const json& j, CiFailureSummary& v) {
    Reader r(j, "failure_summary");
    r.req("checkName", v.check_name);
    r.req("workflow", v.workflow);
    r.req("testName", v.test_name);
    r.opt("file", v.file);
    r.opt("line", v.line);
    r.req("message", v.message);
    r.collect_extra(v.extra);
}

void to_json(json& j, const CiFlakyHint& v) {
    Writer w(j, v.extra);
    w.put("checkName", v.check_name);
    w.put("confidence", v.confidence);
    w.put("reason", v.reason);
}

void from_json(const json& j, CiFlakyHint& v) {
    Reader r(j, "flaky_hint");
    r.req("checkName", v.check_name);
    r.req("confidence", v.confidence);
    r.req("reason", v.reason);
    r.collect_extra(v.extra);
}

void to_json(json& j, const CiStatus& v) {
    Writer w(j, v.extra);
    w.put("taskId", v.task_id);
    w.opt("submissionId", v.submission_id);
    w.put("overallStatus", v.overall_status);
    w.put("summary", v.summary);
    w.put("workflows", v.workflows);
    w.put("checks", v.checks);
    w.put("failureSummaries", v.failure_summaries);
    w.put("flakyHints", v.flaky_hints);
    w.opt("updatedAt", v.updated_at);
    w.opt("headSha", v.head_sha);
    w.put("availableActions", v.available_actions);
}

void from_json(const json& j, CiStatus& v) {
    Reader r(j, "ci_status");
    r.req("taskId", v.task_id);
    r.opt("submissionId", v.submission_id);
    r.req("overallStatus", v.overall_status);
    r.req("summary", v.summary);
    r.req("workflows", v.workflows);
    r.req("checks", v.checks);
    r.req("failureSummaries", v.failure_summaries);
    r.req("flakyHints", v.flaky_hints);
    r.opt("updatedAt", v.updated_at);
    r.opt("headSha", v.head_sha);
    r.req("availableActions", v.available_actions);
    r.collect_extra(v.extra);
}

}  // namespace agentrail
