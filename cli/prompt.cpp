#include "prompt.hpp"

#include <termios.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "context.hpp"
#include "exit_codes.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

/// Puts the terminal's settings back when it goes out of scope.
class TerminalRestore {
public:
    TerminalRestore(int fd, const termios& saved) : m_fd(fd), m_saved(saved) {}
    ~TerminalRestore() { ::tcsetattr(m_fd, TCSAFLUSH, &m_saved); }
    TerminalRestore(const TerminalRestore&) = delete;
    TerminalRestore& operator=(const TerminalRestore&) = delete;

private:
    int m_fd;
    termios m_saved;
};

void write_stderr(std::string_view text) {
    std::fwrite(text.data(), 1, text.size(), stderr);
    std::fflush(stderr);
}

}  // namespace

bool stdin_is_terminal() {
    return ::isatty(STDIN_FILENO) != 0;
}

std::string prompt_hidden(std::string_view prompt) {
    const int fd = STDIN_FILENO;
    termios saved{};
    if (::tcgetattr(fd, &saved) != 0)
        throw usage_error(std::string("cannot read from the terminal: ") + std::strerror(errno));
    // While the prompt waits, Ctrl-C only sets the flag (and interrupts read()), so the terminal gets its
    // echo back before the process ends.
    Context::InterruptScope interrupt_scope;
    std::string line;
    {
        termios hidden = saved;
        hidden.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        hidden.c_lflag |= ECHONL;  // the Enter still shows as a new line
        TerminalRestore restore(fd, saved);
        if (::tcsetattr(fd, TCSAFLUSH, &hidden) != 0)
            throw usage_error(std::string("cannot turn off the terminal's echo: ") + std::strerror(errno));
        write_stderr(prompt);
        while (true) {
            char c = 0;
            auto n = ::read(fd, &c, 1);
            if (n < 0 && errno == EINTR) {
                if (Context::interrupted()) break;
                continue;
            }
            if (n <= 0 || c == '\n') break;
            if (line.size() >= max_small_file_bytes)
                throw usage_error("the line entered is longer than " + std::to_string(max_small_file_bytes) +
                                  " bytes");
            line += c;
        }
    }
    if (Context::interrupted()) {
        write_stderr("\n");
        throw Failure(exit_code::interrupted, "interrupted", "interrupted: nothing was saved");
    }
    return line;
}

std::string read_secret(const Deps& deps, std::string_view prompt, std::string_view what) {
    if (deps.tty().stdin_tty) {
        auto secret = trim(prompt_hidden(prompt));
        if (secret.empty()) throw usage_error(std::string(what) + ": nothing was entered");
        return secret;
    }
    auto secret =
        trim(deps.input ? deps.input(max_small_file_bytes, what) : read_stdin(max_small_file_bytes, what));
    if (secret.empty()) throw usage_error(std::string(what) + ": nothing was read from standard input");
    return secret;
}

}  // namespace agentrail::cli
