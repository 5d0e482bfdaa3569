#include "agentrail/models/submit.hpp"

#include "models/json_fields.hpp"

namespace agentrail {

using detail::Reader;
using detail::Writer;
using nlohmann::json;

AGENTRAIL_JSON_MODEL(SubmitArtifact, "artifact")
AGENTRAIL_JSON_MODEL(SubmitCheck, "check")
AGENTRAIL_JSON_MODEL(PullRequestOptions, "pull_request")
AGENTRAIL_JSON_MODEL(TaskSubmitRequest, "submit_request")
AGENTRAIL_JSON_MODEL(ReviewParticipant, "participant")

void to_json(json& j, const TaskSubmission& v) {
    Writer w(j, v.extra);
    AGENTRAIL_WRITE_FIELDS(TaskSubmission)
    if (!v.review_participants.empty()) {
        auto& route = w.json()["reviewRoute"];  // may already hold other members from extra
        if (!route.is_object()) route = json::object();
        route["participants"] = v.review_participants;
    }
}

void from_json(const json& j, TaskSubmission& v) {
    Reader r(j, "submission");
    AGENTRAIL_READ_FIELDS(TaskSubmission)
    const json* route = r.take_object("reviewRoute");
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
