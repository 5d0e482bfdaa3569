#pragma once

namespace mock {

struct App;

// Binds, prints the ready line, serves until SIGINT/SIGTERM. Returns the process exit code.
// SIGINT and SIGTERM must already be blocked in the calling thread.
int serve(App& app);

}  // namespace mock
