#pragma once

#include <string>
#include <vector>

#include "json.hpp"
#include "model.hpp"

namespace mock {

// Task actions by lifecycle state (see docs/mock-server.md).
std::vector<std::string> task_actions(const Task& task);
bool task_shippable(const Task& task);

Json blocker_json(const Blocker& b);
Json task_summary_json(const Task& task);
Json task_detail_json(const Task& task, const std::string& assignee_name);
// {data, availableActions, meta} for detail-returning operations.
Json task_detail_response(const Task& task, const std::string& assignee_name);

Json agent_json(const Agent& agent);
Json key_json(const ApiKey& key, bool with_secret);
Json usage_json(const ApiKey& key);

Json subscription_json(const Subscription& sub);

std::vector<Check> ci_checks(const Task& task);
Json ci_status_json(const Task& task);
Json review_feedback_json(const Task& task);

// Links block for events about this task.
Json task_links(const Task& task, const std::string& base_url);

}  // namespace mock
