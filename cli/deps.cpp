#include "deps.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

namespace agentrail::cli {

const char* Deps::lookup(const char* name) const {
    return env ? env(name) : std::getenv(name);
}

const char* Deps::getenv(const char* name) const {
    const char* value = lookup(name);
    return (value != nullptr && *value != '\0') ? value : nullptr;
}

std::chrono::system_clock::time_point Deps::clock() const {
    return now ? now() : std::chrono::system_clock::now();
}

Terminal Deps::tty() const {
    if (terminal) return *terminal;
    Terminal t;
    t.stdin_tty = isatty(STDIN_FILENO) != 0;
    t.stdout_tty = isatty(STDOUT_FILENO) != 0;
    t.stderr_tty = isatty(STDERR_FILENO) != 0;
    if (t.stdout_tty) {
        winsize ws{};
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
            t.width = ws.ws_col;
        } else if (const char* columns = getenv("COLUMNS")) {
            t.width = static_cast<std::size_t>(std::max(0L, std::strtol(columns, nullptr, 10)));
        }
        if (t.width == 0) t.width = 80;
        // Only a terminal that reports its size gets the pager (0: unknown, never paged).
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0) t.height = ws.ws_row;
    }
    return t;
}

}  // namespace agentrail::cli
