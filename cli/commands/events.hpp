#pragma once
// Pieces of `events tail` that other commands reuse (`webhook listen` prints deliveries the same way).

#include <string>

#include "render/render.hpp"

namespace agentrail::cli {

/// One human line for an event envelope: local time, type, task identifier, status (coloured), summary.
std::string event_human_line(const Renderer& out, const Json& event);

}  // namespace agentrail::cli
