#include "lifecycle.hpp"

#include <string_view>

#include "app.hpp"
#include "render.hpp"

namespace mock {

Actor actor_for_key_agent(const Agent& agent) {
    return Actor{agent.id, agent.role.empty() ? "agent" : agent.role};
}

namespace lifecycle {

namespace {

const Actor kCiActor{"agt_mock_ci", "ci"};

std::string clip(const std::string& s, std::size_t max = 280) {
    return s.size() <= max ? s : s.substr(0, max - 3) + "...";
}

void publish(App& app, const Task& task, const char* type, const Json& data) {
    EventDraft d{type, task.id, task.assignee_agent_id, task.version, data.dump(), nullptr};
    auto ev = app.bus.publish_one(std::move(d));
    app.webhooks.on_events({ev});
}

Json actor_json(const Actor& a) {
    return Json{{"id", a.id}, {"role", a.role}};
}

}  // namespace

void touch(Task& task) {
    task.updated_at = iso_now();
    ++task.version;
}

void emit_updated(App& app, const Task& task, std::optional<std::string> previous_status,
                  std::vector<std::string> changed_fields, const Actor& actor, const std::string& summary,
                  const char* type) {
    Json data{{"taskId", task.id},
              {"taskIdentifier", task.identifier},
              {"status", task.status},
              {"previousStatus", previous_status ? Json(*previous_status) : Json(nullptr)},
              {"changedFields", changed_fields},
              {"actor", actor_json(actor)},
              {"summary", clip(summary)},
              {"availableActions", task_actions(task)},
              {"blocker", task.blocker ? blocker_json(*task.blocker) : Json(nullptr)},
              {"links", task_links(task, app.base_url)}};
    if (std::string_view(type) != "task.updated") data["ciStatus"] = task.ci.overall;
    publish(app, task, type, data);
}

void emit_awaiting_user(App& app, const Task& task, const std::string& previous_status, const Actor& actor) {
    Json data{{"taskId", task.id},
              {"taskIdentifier", task.identifier},
              {"status", "blocked"},
              {"previousStatus", previous_status},
              {"changedFields", Json{"status", "availableActions", "blocker", "updatedAt"}},
              {"actor", actor_json(actor)},
              {"summary", clip("Task is awaiting user input: " + task.blocker->action_required)},
              {"availableActions", task_actions(task)},
              {"blocker", blocker_json(*task.blocker)},
              {"links", task_links(task, app.base_url)}};
    publish(app, task, "task.awaiting_user", data);
}

void emit_reviewed(App& app, const Task& task) {
    const char* type = "task.reviewed";
    if (app.config.event_types == "reference") {
        // The reference server never emits task.reviewed; it names the decision instead.
        if (task.review.outcome == "approved") type = "task.review_approved";
        if (task.review.outcome == "changes_requested") type = "task.review_changes_requested";
    }
    Json data{{"taskId", task.id},
              {"taskIdentifier", task.identifier},
              {"status", task.status},
              {"reviewOutcome", task.review.outcome},
              {"reviewer", Json{{"id", "agt_mock_reviewer"}, {"role", "reviewer"}}},
              {"summary", clip(task.review.summary)},
              {"availableActions", task_actions(task)},
              {"links", task_links(task, app.base_url)}};
    publish(app, task, type, data);
}

void emit_shipped(App& app, const Task& task, const std::string& operation_id,
                  const std::string& environment) {
    Json data{{"taskId", task.id},
              {"taskIdentifier", task.identifier},
              {"status", task.status},
              {"shipStatus", "succeeded"},
              {"operationId", operation_id},
              {"targetEnvironment", environment},
              {"summary", clip("Task merged and deployed to " + environment + ".")},
              {"availableActions", task_actions(task)},
              {"links", task_links(task, app.base_url)}};
    publish(app, task, "task.shipped", data);
}

void set_ci(App& app, Task& task, const std::string& overall, std::vector<Check> checks) {
    task.ci.overall = overall;
    task.ci.checks = std::move(checks);
    task.ci.updated_at = iso_now();
    task.ci.due.reset();
    touch(task);
    std::string summary = overall == "passed"   ? "CI passed for the latest submission."
                          : overall == "failed" ? "CI failed for the latest submission."
                                                : "CI is " + overall + " for the latest submission.";
    // The reference server reports a CI failure, and a pass after a failure, with types of their own.
    const char* type = "task.updated";
    if (app.config.event_types == "reference") {
        if (overall == "failed") type = "task.ci_failed";
        if (overall == "passed" && task.ci_last_failed) {
            type = "task.ci_recovered";
            summary = "CI passed again after a failure.";
        }
    }
    if (overall == "failed") task.ci_last_failed = true;
    if (overall == "passed") task.ci_last_failed = false;
    emit_updated(app, task, task.status, {"ciStatus", "availableActions", "updatedAt"}, kCiActor, summary,
                 type);
}

void set_review(App& app, Task& task, const std::string& outcome, const std::string& summary,
                std::vector<ReviewComment> comments) {
    task.review.outcome = outcome;
    task.review.summary = summary;
    task.review.comments = std::move(comments);
    task.review.created_at = iso_now();
    task.review.due.reset();
    touch(task);
    if (outcome == "approved" || outcome == "changes_requested") emit_reviewed(app, task);
}

namespace {

std::string default_review_summary(const std::string& outcome) {
    if (outcome == "approved") return "Approved: the change meets the acceptance criteria.";
    if (outcome == "changes_requested") return "Changes requested: add a test for the failure path.";
    return "Review pending.";
}

std::vector<ReviewComment> default_comments(const std::string& outcome) {
    if (outcome != "changes_requested") return {};
    return {ReviewComment{make_id("cmt_"), "reviewer",
                          "Add a regression test for the error path before shipping.", "must_fix"}};
}

std::chrono::steady_clock::duration seconds(double s) {
    return std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(s));
}

}  // namespace

void begin_checks(App& app, Task& task) {
    const auto& cfg = app.config;
    task.ci = CiState{};
    task.review = ReviewState{};
    task.ci.updated_at = iso_now();
    task.review.created_at = iso_now();
    task.review.summary = default_review_summary("pending");

    std::string ci_final = cfg.ci_mode == "failing" ? "failed" : "passed";
    bool ci_never = cfg.ci_mode == "pending" && cfg.ci_pending_seconds <= 0;
    if (ci_never) {
        task.ci.overall = "running";
    } else if (cfg.ci_pending_seconds > 0) {
        task.ci.overall = "running";
        task.ci.final_status = ci_final;
        task.ci.due = SteadyClock::now() + seconds(cfg.ci_pending_seconds);
        app.store.sim_pending.insert(task.id);
    } else {
        set_ci(app, task, ci_final, {});
    }

    if (cfg.review_mode != "pending") {
        if (cfg.review_delay_seconds > 0) {
            task.review.final_outcome = cfg.review_mode;
            task.review.due = SteadyClock::now() + seconds(cfg.review_delay_seconds);
            app.store.sim_pending.insert(task.id);
        } else {
            set_review(app, task, cfg.review_mode, default_review_summary(cfg.review_mode),
                       default_comments(cfg.review_mode));
        }
    }
}

std::size_t burst(App& app, Task& task, std::size_t count) {
    // Built once and reused: load generation must be cheap per event.
    std::vector<EventDraft> drafts;
    drafts.reserve(count);
    Json data{{"taskId", task.id},
              {"taskIdentifier", task.identifier},
              {"status", task.status},
              {"previousStatus", task.status},
              {"changedFields", Json{"updatedAt"}},
              {"actor", actor_json(kCiActor)},
              {"summary", "Synthetic load event."},
              {"availableActions", task_actions(task)},
              {"blocker", task.blocker ? blocker_json(*task.blocker) : Json(nullptr)},
              {"links", task_links(task, app.base_url)}};
    auto data_json = std::make_shared<const std::string>(data.dump());
    for (std::size_t i = 0; i < count; ++i) {
        ++task.version;
        drafts.push_back(
            EventDraft{"task.updated", task.id, task.assignee_agent_id, task.version, {}, data_json});
    }
    task.updated_at = iso_now();
    auto events = app.bus.publish(std::move(drafts));
    app.webhooks.on_events(events);
    return events.size();
}

void tick(App& app) {
    std::lock_guard lock(app.store.mutex);
    if (app.store.sim_pending.empty()) return;
    auto now = SteadyClock::now();
    for (auto it = app.store.sim_pending.begin(); it != app.store.sim_pending.end();) {
        Task* task = app.store.find_task(*it);
        if (!task || task->status != "in_review") {
            it = app.store.sim_pending.erase(it);
            continue;
        }
        if (task->ci.due && *task->ci.due <= now) {
            auto final_status = task->ci.final_status;
            set_ci(app, *task, final_status, {});
        }
        if (task->review.due && *task->review.due <= now) {
            auto outcome = task->review.final_outcome;
            set_review(app, *task, outcome, default_review_summary(outcome), default_comments(outcome));
        }
        if (!task->ci.due && !task->review.due)
            it = app.store.sim_pending.erase(it);
        else
            ++it;
    }
}

}  // namespace lifecycle

void Ticker::start() {
    m_thread = std::thread([this] {
        while (!m_app.stopping) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            lifecycle::tick(m_app);
        }
    });
}

void Ticker::stop() {
    if (m_thread.joinable()) m_thread.join();
}

}  // namespace mock
