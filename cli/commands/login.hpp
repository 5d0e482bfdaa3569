#pragma once
// `agentrail login`: options and run function; the wiring is in login.cpp.

namespace agentrail::cli {

class Context;

/// `login` has no flags of its own: the profile (--profile), the server (--base-url) and the output are
/// global flags, and the key is read (prompted for on a terminal, else standard input), never a flag.
struct LoginOptions {};
/// Checks the key with the server (health, then one authenticated call) and saves it in the profile.
/// Exit 3 when the server rejects the key (nothing saved), 2 for --api-key-file/--api-key-stdin.
int run_login(const LoginOptions& options, Context& ctx);

}  // namespace agentrail::cli
