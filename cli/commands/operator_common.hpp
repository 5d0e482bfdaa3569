#pragma once
// Pieces shared by the operator command groups (routing, intake, setup, runs, task source): JSON input
// files, the change preview of the replace commands, their confirmation, and the routing-decision view.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "agentrail/errors.hpp"
#include "agentrail/operator.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"

namespace agentrail::cli {

class Context;

/// The operator API for the context's client.
agentrail::OperatorClient operator_client(Context& ctx);

/// One JSON object from FILE ("-": standard input). Usage Failure (exit 2, nothing sent) naming `what`
/// and the file when it cannot be read, is not JSON, or is not an object.
Json read_json_object(const std::string& path, std::string_view what = "-f");

/// `input` as model T; a missing or mistyped member is a usage Failure naming the file and the member.
template <typename T>
T decode_input(const Json& input, const std::string& path, std::string_view what = "-f") {
    try {
        return input.get<T>();
    } catch (const agentrail::Error& e) {
        throw usage_error(std::string(what) + " " + path + ": " + e.what());
    } catch (const nlohmann::json::exception& e) {
        throw usage_error(std::string(what) + " " + path + ": " + e.what());
    }
}

/// The changes from `before` to `after`: an array of {"op": "add"|"remove"|"change", "path", "from",
/// "to"} with JSON-pointer paths; objects are compared member by member, anything else as a whole.
Json json_diff(const Json& before, const Json& after);
/// One line per change: "+ /path = value", "- /path (was value)", "~ /path: old -> new".
std::vector<std::string> diff_lines(const Json& changes);

/// For the replace commands: with `dry_run`, prints the changes (the result of the command) and returns
/// false; otherwise shows them on stderr and asks on a terminal (stdin a TTY) unless `yes`. Not on a
/// terminal and no --yes, or not confirmed: usage Failure (exit 2), nothing is sent. True: go ahead.
bool preview_and_confirm(Context& ctx, const Json& changes, std::string_view what, bool dry_run, bool yes);

/// The envelope's availableActions with the operator actions turned into the commands that do them
/// ("view_audit" -> "agentrail routing audit rdec_..."); `ids` supplies the ids ("decision", "task",
/// "agent"). Actions this CLI has no command for are kept as they are.
std::vector<std::string> operator_next_steps(const Json& envelope, const Json& data);

/// One object in the selected format: `fields` in the table view, then operator_next_steps().
void show_object(Context& ctx, const Json& data, const Json& envelope, const std::vector<Field>& fields,
                 std::string_view quiet_pointer, const Json& view = nullptr);

/// A routing decision (evaluate / intake answer) in the selected format; the table view shows the chosen
/// agent or queue, confidence, matched rules and conflicts.
void render_decision(Context& ctx, const Json& data, const Json& envelope, bool dry_run);

}  // namespace agentrail::cli
