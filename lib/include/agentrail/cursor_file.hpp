#pragma once
// A stream consumer's position on disk: the id of the last event it processed, so that a restarted
// consumer resumes right after it (nothing lost, nothing repeated).

#include <string>
#include <string_view>
#include <utility>

#include "agentrail/errors.hpp"
#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// Another process holds the cursor file's lock. An Error of kind conflict.
class CursorFileInUseError : public Error {
public:
    CursorFileInUseError(const std::string& message, std::string owner_pid)
        : Error(ErrorKind::conflict, message), m_owner_pid(std::move(owner_pid)) {}
    /// The PID the owner wrote into the lock file; empty when unknown.
    const std::string& owner_pid() const noexcept { return m_owner_pid; }

private:
    std::string m_owner_pid;
};

/// The file PATH holds one event id. One process owns it at a time: PATH.lock holds an exclusive flock
/// (and the owner's PID), released when the process ends however it ends. Each save replaces PATH
/// atomically (a uniquely named temporary file renamed over it), so a reader or a restart after a crash
/// sees the old id or the new one, never a torn one. Errors are Error{invalid_argument} with the reason.
class CursorFile {
public:
    /// Locks PATH.lock; throws CursorFileInUseError when another process has it.
    explicit CursorFile(std::string path);
    ~CursorFile();
    CursorFile(const CursorFile&) = delete;
    CursorFile& operator=(const CursorFile&) = delete;

    /// The saved id (first line, trimmed), or empty when PATH does not exist or is empty. A PATH that is
    /// not a regular file, or larger than 4 KiB, is an error.
    std::string load() const;
    /// Saves `id` (an empty id, or the one saved last, is not written again).
    void save(std::string_view id);
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    std::string m_saved;
    int m_lock_fd = -1;
};

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
