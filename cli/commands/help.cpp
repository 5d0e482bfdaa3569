// `agentrail help [COMMAND...]` (the help of any command: `help tasks`, `help task submit`) and
// `agentrail exit-codes` (also `help exit-codes`): help beyond --help.

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands/help.hpp"
#include "commands/run.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "help_format.hpp"
#include "render/render.hpp"

namespace agentrail::cli {

namespace {

// One row of `agentrail exit-codes`, as -o json prints it and the table shows it.
#define AGENTRAIL_FIELDS_ExitCodeView(X) \
    X(req, int, code, "code", 0)         \
    X(req, std::string, name, "name")    \
    X(req, std::string, meaning, "meaning")
struct ExitCodeView {
    AGENTRAIL_FIELD_MEMBERS(ExitCodeView)
};

}  // namespace

int run_exit_codes(const ExitCodesOptions&, Context& ctx) {
    using V = ExitCodeView;
    auto& out = ctx.out();
    Json rows = Json::array();
    for (const auto& e : exit_code_table)
        rows.push_back({{json_name<&V::code>(), e.code},
                        {json_name<&V::name>(), e.name},
                        {json_name<&V::meaning>(), e.meaning}});
    out.list(rows, rows,
             {{"CODE", json_path<&V::code>()},
              {"NAME", json_path<&V::name>()},
              {"MEANING", json_path<&V::meaning>(), Kind::text, true}},
             json_path<&V::code>());
    return exit_code::ok;
}

int run_help(const HelpOptions& o, Context& ctx) {
    ctx.out().write(help_text(find_command(o.root, o.command)));
    return exit_code::ok;
}

// ---- wiring ---------------------------------------------------------------------------------------------

void register_help(CLI::App& app, Context& ctx) {
    auto* help = app.add_subcommand("help", "Show the help of any command: agentrail help task submit");
    auto o = std::make_shared<HelpOptions>();
    o->root = &app;
    help->add_option("command", o->command, "The command, e.g. tasks or task submit");
    // `help exit-codes` keeps working; the topic is listed once, as `agentrail exit-codes`.
    auto* codes = help->add_subcommand("exit-codes", "The exit codes and what they mean (stable)");
    codes->group("");
    bind_run(codes, ctx, std::make_shared<ExitCodesOptions>(), run_exit_codes);
    help->callback([&ctx, help, o] {
        if (!help->get_subcommands().empty()) return;  // a topic ran
        ctx.set_exit_code(run_help(*o, ctx));
    });
    auto* top = app.add_subcommand("exit-codes", "The exit codes and what they mean (stable)");
    bind_run(top, ctx, std::make_shared<ExitCodesOptions>(), run_exit_codes);
}

}  // namespace agentrail::cli
