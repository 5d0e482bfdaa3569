#pragma once
// Reading a secret from the person at the terminal (echo off), or from standard input in a pipe.

#include <string>
#include <string_view>

#include "deps.hpp"

namespace agentrail::cli {

/// True when standard input is a terminal.
bool stdin_is_terminal();

/// Writes `prompt` to stderr and reads one line from the terminal on standard input with echo off
/// (termios). The terminal's settings are restored on every path; Ctrl-C restores them and throws an
/// interrupted Failure (exit 130).
std::string prompt_hidden(std::string_view prompt);

/// A secret for `what`: prompted for with prompt_hidden() when standard input is a terminal (deps.tty()),
/// else read from standard input (deps.input, at most 4 KiB). Trimmed; throws a usage Failure when it is
/// empty.
std::string read_secret(const Deps& deps, std::string_view prompt, std::string_view what);

}  // namespace agentrail::cli
