// CursorFile: see cursor_file.hpp.

#include "agentrail/cursor_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace agentrail {

namespace {

constexpr std::size_t kMaxBytes = 4096;

std::string first_line_trimmed(std::string_view text) {
    auto end = text.find_first_of("\r\n");
    if (end != std::string_view::npos) text = text.substr(0, end);
    auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

}  // namespace

CursorFile::CursorFile(std::string path) : m_path(std::move(path)) {
    const std::string lock_path = m_path + ".lock";
    m_lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (m_lock_fd < 0)
        throw Error(ErrorKind::invalid_argument, "cannot open " + lock_path + ": " + std::strerror(errno));
    if (::flock(m_lock_fd, LOCK_EX | LOCK_NB) != 0) {
        int error = errno;
        char pid[32] = {};
        auto n = ::pread(m_lock_fd, pid, sizeof pid - 1, 0);
        ::close(m_lock_fd);
        m_lock_fd = -1;
        if (error != EWOULDBLOCK)
            throw Error(ErrorKind::invalid_argument,
                        "cannot lock " + lock_path + ": " + std::strerror(error));
        std::string owner =
            first_line_trimmed(std::string_view(pid, n > 0 ? static_cast<std::size_t>(n) : 0));
        throw CursorFileInUseError(m_path + " is already in use by " +
                                       (owner.empty() ? std::string("another process") : "PID " + owner),
                                   owner);
    }
    std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(m_lock_fd, 0) != 0 || ::pwrite(m_lock_fd, pid.data(), pid.size(), 0) < 0) {
        // The lock holds without the PID; a second process just cannot name the owner.
    }
}

CursorFile::~CursorFile() {
    if (m_lock_fd >= 0) ::close(m_lock_fd);
}

std::string CursorFile::load() const {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the file type is checked before any read.
    int fd = ::open(m_path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) return {};
        throw Error(ErrorKind::invalid_argument, "cannot read " + m_path + ": " + std::strerror(errno));
    }
    auto fail = [&](const std::string& why) {
        ::close(fd);
        throw Error(ErrorKind::invalid_argument, "cannot read " + m_path + ": " + why);
    };
    struct stat st {};
    if (::fstat(fd, &st) != 0) fail(std::strerror(errno));
    if (!S_ISREG(st.st_mode)) fail("not a regular file");
    if (static_cast<unsigned long long>(st.st_size) > kMaxBytes) fail("larger than 4 KiB");
    std::string content(kMaxBytes + 1, '\0');
    std::size_t have = 0;
    for (;;) {
        auto n = ::read(fd, content.data() + have, content.size() - have);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(std::strerror(errno));
        }
        if (n == 0) break;
        have += static_cast<std::size_t>(n);
        if (have > kMaxBytes) fail("larger than 4 KiB");
    }
    ::close(fd);
    content.resize(have);
    return first_line_trimmed(content);
}

void CursorFile::save(std::string_view id) {
    if (id.empty() || id == m_saved) return;
    std::string temp = m_path + ".tmp.XXXXXX";
    int fd = ::mkstemp(temp.data());
    bool ok = fd >= 0;
    int error = errno;
    if (ok) {
        std::string content = std::string(id) + "\n";
        ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
        error = errno;
        ok = ::close(fd) == 0 && ok;
        if (ok && std::rename(temp.c_str(), m_path.c_str()) != 0) {
            ok = false;
            error = errno;
        }
        if (!ok) ::unlink(temp.c_str());
    }
    if (!ok) throw Error(ErrorKind::invalid_argument, "cannot write " + m_path + ": " + std::strerror(error));
    m_saved = id;
}

}  // namespace agentrail
