#pragma once
// Wiring a command to its run function (gh's NewCmdX(f, runF)): the CLI11 callback only hands the options
// the flags were bound to over to `int run(const Options&, Context&)`, whose result is the exit code.

#include <memory>

#include <CLI/CLI.hpp>

#include "context.hpp"

namespace agentrail::cli {

template <typename Options>
void bind_run(CLI::App* cmd, Context& ctx, std::shared_ptr<Options> options,
              int (*run)(const Options&, Context&)) {
    cmd->callback([&ctx, options, run] { ctx.set_exit_code(run(*options, ctx)); });
}

}  // namespace agentrail::cli
