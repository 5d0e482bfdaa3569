#pragma once
// `agentrail events tail`: options and run function (the wiring is in events.cpp), and the pieces of it
// that other commands reuse (`webhook listen` prints deliveries the same way).

#include <string>
#include <vector>

#include "render/render.hpp"

namespace agentrail::cli {

class Context;

/// `events tail`
struct EventsTailOptions {
    std::vector<std::string> types;  // --type, repeatable
    std::string task;                // --task: id or key (resolved to the id)
    std::string since;               // --since EVENT_ID (overrides --state-file)
    bool from_start = false;         // --from-start: cursor 0
    std::string state_file;          // --state-file FILE
    int heartbeat = 0;               // --heartbeat S, 0 = the server's default
    std::string until;               // --until TYPE[:TASK_ID]
    long long count = 0;             // --count N, 0 = no limit
    std::string timeout;             // --timeout DURATION
    std::string stall_timeout;       // --stall-timeout DURATION
};
/// Prints events until --count, --until, --timeout or Ctrl-C (exit 0). A Failure: 15 for a resume cursor
/// outside the replay window, 10 when no server answered before --timeout or (--no-retry) the stream ended.
int run_events_tail(const EventsTailOptions& options, Context& ctx);

/// One human line for an event envelope: local time, type, task identifier, status (coloured), summary.
std::string event_human_line(const Renderer& out, const Json& event);

}  // namespace agentrail::cli
