#pragma once
// `tasks list --all`: every page, printed as pages arrive.

#include <string>
#include <vector>

#include "agentrail/client.hpp"
#include "render/render.hpp"

namespace agentrail::cli {

class Context;

/// Follows every page from `options.cursor` and prints the items as one document (see
/// Renderer::ListStream). Page n+1 is fetched, on the same connection, while page n is written: a fetch
/// thread hands pages over through a queue of one, so at most three pages are held at a time. Without
/// --jq, --raw or a table (-o ndjson, -o json) the items are written as the server's bytes
/// (render/raw_stream.hpp); otherwise each page is parsed once for the renderer. Ctrl-C stops after the
/// page in flight.
/// One page (`tasks list` without --all) printed the same way when -o ndjson or -o json is asked for
/// without --jq or --raw, so a page prints the same text with and without --all. False (nothing done)
/// for other output settings.
bool print_raw_task_page(Context& ctx, const ListTasksOptions& options);

void list_all_tasks(Context& ctx, const ListTasksOptions& options, const std::vector<Column>& columns,
                    const std::string& quiet_pointer);

}  // namespace agentrail::cli
