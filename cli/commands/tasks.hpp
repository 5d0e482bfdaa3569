#pragma once
// Pieces of the `tasks` group that other groups reuse (e.g. `task wait`, `task ci --watch`).
// Another group can extend a `tasks` subcommand after register_tasks() ran:
//   auto* ci = app.get_subcommand("tasks")->get_subcommand("ci");
//   ci->add_flag("--watch", ...);  ci->callback([&ctx, ci] { ...; show_ci_status(ctx,
//   ci->get_option("id")->as<std::string>()); });

#include <string>

#include "render/render.hpp"

namespace agentrail::cli {

class Context;

/// Renders a task detail (`data` of GET /tasks/{id}) with its next steps, in the selected format.
void render_task(Context& ctx, const Json& data, const Json& envelope);
/// Fetches and renders the CI status of a task (the `task ci ID` command).
void show_ci_status(Context& ctx, const std::string& task_id);

}  // namespace agentrail::cli
