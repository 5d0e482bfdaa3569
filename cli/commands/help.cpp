// `agentrail help [exit-codes]` and `agentrail exit-codes`: help topics beyond --help.

#include <string>

#include <CLI/CLI.hpp>

#include "context.hpp"
#include "exit_codes.hpp"
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
    auto* help = app.add_subcommand("help", "Help topics: agentrail help exit-codes");
    auto* codes = help->add_subcommand("exit-codes", "The exit codes and what they mean (stable)");
    codes->callback([&ctx] { print_exit_codes(ctx); });
    help->callback([&ctx, &app, help] {
        if (help->get_subcommands().empty())
            ctx.out().write(app.get_formatter()->make_help(&app, app.get_name(), CLI::AppFormatMode::Normal));
    });
    auto* top =
        app.add_subcommand("exit-codes", "The exit codes and what they mean (same as help exit-codes)");
    top->callback([&ctx] { print_exit_codes(ctx); });
}

}  // namespace agentrail::cli
