#pragma once
// Running a command line: what main() does, on a Context whose Deps may be a test's fakes.

#include <exception>
#include <functional>
#include <string>

namespace agentrail {
class Error;
}

namespace agentrail::cli {

class Context;

/// Builds the command tree on `ctx`, parses `argv`, runs the command and flushes its output. An error is
/// reported on ctx.deps().err (text or --errors json) and turned into the exit code returned: the only
/// place that does so.
int run_app(int argc, char** argv, Context& ctx);

/// Reports `error` (a Failure, an agentrail::Error or another exception) on ctx.deps().err as what the
/// operation in progress (ctx.operation()) hit, and returns its exit code. `retry_line` is the command
/// line that a `retry` action suggests.
int report_failure(Context& ctx, std::exception_ptr error, const std::string& retry_line = {});

/// Runs one command's logic as run_app() does once the command line is parsed: its exit code after its
/// output is flushed, or the exit code of what it threw, reported. For tests of a run function.
int run_guarded(Context& ctx, const std::function<int()>& command, const std::string& retry_line = {});

/// The exit code of a library error (docs/exit-codes).
int exit_code_for(const agentrail::Error& error);

}  // namespace agentrail::cli
