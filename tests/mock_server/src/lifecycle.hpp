#pragma once

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "json.hpp"
#include "model.hpp"

namespace mock {

struct App;

struct Actor {
    std::string id;
    std::string role;
};

// Task state transitions and the events they emit. Every function here expects the store mutex
// to be held by the caller, except the ticker.
namespace lifecycle {

// Bumps updatedAt and the task version.
void touch(Task& task);

void emit_updated(App& app, const Task& task, std::optional<std::string> previous_status,
                  std::vector<std::string> changed_fields, const Actor& actor, const std::string& summary,
                  const char* type = "task.updated");
void emit_awaiting_user(App& app, const Task& task, const std::string& previous_status, const Actor& actor);
void emit_reviewed(App& app, const Task& task);
void emit_shipped(App& app, const Task& task, const std::string& operation_id,
                  const std::string& environment);

// After a submit: starts the configured CI and review simulation.
void begin_checks(App& app, Task& task);
// Sets CI (queued/running/passed/failed/cancelled); emits task.updated, or with --event-types reference
// task.ci_failed for a failure and task.ci_recovered for a pass after a failure.
void set_ci(App& app, Task& task, const std::string& overall, std::vector<Check> checks);
// Sets the review outcome; emits task.review_approved / task.review_changes_requested for decisions
// (task.reviewed with --event-types contract).
void set_review(App& app, Task& task, const std::string& outcome, const std::string& summary,
                std::vector<ReviewComment> comments);

// Emits `count` synthetic task.updated events for the task (load generation).
std::size_t burst(App& app, Task& task, std::size_t count);

// Applies due CI/review timers (locks the store itself).
void tick(App& app);

}  // namespace lifecycle

// Background thread that calls lifecycle::tick.
class Ticker {
public:
    explicit Ticker(App& app) : m_app(app) {}
    ~Ticker() { stop(); }
    void start();
    void stop();

private:
    App& m_app;
    std::thread m_thread;
};

Actor actor_for_key_agent(const Agent& agent);

}  // namespace mock
