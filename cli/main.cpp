// agentrail: the AgentRail Task Lifecycle API from the command line. The command line itself is run by
// run_app() (app.cpp) on a Context bound to this process's transport, streams, clock and environment.

#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <cerrno>

#include "app.hpp"
#include "context.hpp"

namespace agentrail::cli {
namespace {

/// A process started with fd 0, 1 or 2 closed would hand that number to the first file or socket it
/// opens (curl's socketpair, a config file), and then print results or errors into it.
void reopen_closed_std_fds() {
    for (int fd = 0; fd <= 2; ++fd) {
        if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        int opened = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (opened >= 0 && opened != fd) {
            ::dup2(opened, fd);
            ::close(opened);
        }
    }
}

}  // namespace
}  // namespace agentrail::cli

int main(int argc, char** argv) {
    agentrail::cli::reopen_closed_std_fds();  // first: before anything opens a file or socket
    // One malloc arena for every thread: the `--all` fetch thread (and libcurl's resolver thread) would
    // each get an arena of their own, whose pages add to the peak RSS; a CLI has no lock contention to
    // spare them for.
    mallopt(M_ARENA_MAX, 1);
    agentrail::cli::Context::install_signal_handlers();
    agentrail::cli::Context ctx;
    return agentrail::cli::run_app(argc, argv, ctx);
}
