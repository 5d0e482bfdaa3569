// `agentrail help [COMMAND...]` (the help of any command: `help tasks`, `help task submit`) and
// `agentrail exit-codes` (also `help exit-codes`): help beyond --help.

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "context.hpp"
#include "exit_codes.hpp"
#include "help_format.hpp"
#include "render/render.hpp"

namespace agentrail::cli {
namespace {

void print_exit_codes(Context& ctx) {
    auto& out = ctx.out();
    Json rows = Json::array();
    for (const auto& e : exit_code_table)
        rows.push_back({{"code", e.code}, {"name", e.name}, {"meaning", e.meaning}});
    out.list(rows, rows, {{"CODE", "/code"}, {"NAME", "/name"}, {"MEANING", "/meaning", Kind::text, true}},
             "/code");
}

}  // namespace

void register_help(CLI::App& app, Context& ctx) {
    auto* help = app.add_subcommand("help", "Show the help of any command: agentrail help task submit");
    auto words = std::make_shared<std::vector<std::string>>();
    help->add_option("command", *words, "The command, e.g. tasks or task submit");
    // `help exit-codes` keeps working; the topic is listed once, as `agentrail exit-codes`.
    auto* codes = help->add_subcommand("exit-codes", "The exit codes and what they mean (stable)");
    codes->group("");
    codes->callback([&ctx] { print_exit_codes(ctx); });
    help->callback([&ctx, &app, help, words] {
        if (!help->get_subcommands().empty()) return;  // a topic ran
        ctx.out().write(help_text(find_command(&app, *words)));
    });
    auto* top = app.add_subcommand("exit-codes", "The exit codes and what they mean (stable)");
    top->callback([&ctx] { print_exit_codes(ctx); });
}

}  // namespace agentrail::cli
