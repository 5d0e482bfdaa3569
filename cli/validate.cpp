#include "validate.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "agentrail/time.hpp"
#include "exit_codes.hpp"

namespace agentrail::cli {
namespace {

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

void require_id(std::string_view id, std::string_view prefix, bool underscore, std::string_view what) {
    if (!matches_id(id, prefix, underscore)) {
        throw usage_error(std::string(what) + ": '" + std::string(id) + "' is not a valid id (expected " +
                          std::string(prefix) + (underscore ? "[A-Za-z0-9_]+)" : "[A-Za-z0-9]+)"));
    }
}

}  // namespace

CLI::Validator positive_count() {
    return CLI::Validator(
        [](std::string& value) -> std::string {
            long long n = 0;
            auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec == std::errc() && end == value.data() + value.size() && n >= 1) return {};
            return "must be a whole number of at least 1, got '" + value + "'";
        },
        "POSITIVE");
}

bool matches_id(std::string_view value, std::string_view prefix, bool allow_underscore) {
    if (value.size() <= prefix.size() || value.substr(0, prefix.size()) != prefix) return false;
    for (char c : value.substr(prefix.size()))
        if (!is_alnum(c) && !(allow_underscore && c == '_')) return false;
    return true;
}

void require_task_id(std::string_view id) {
    require_id(id, "tsk_", false, "task id");
}

void require_key_id(std::string_view id) {
    require_id(id, "akey_", false, "key id");
}

void require_subscription_id(std::string_view id) {
    require_id(id, "evsub_", false, "subscription id");
}

void require_agent_id(std::string_view id, std::string_view what) {
    require_id(id, "agt_", true, what);
}

void require_run_id(std::string_view id, std::string_view what) {
    require_id(id, "run_", true, what);
}

void require_sha(std::string_view sha, std::string_view what) {
    bool ok = sha.size() == 40;
    for (char c : sha) ok = ok && (is_digit(c) || (c >= 'a' && c <= 'f'));
    if (!ok)
        throw usage_error(std::string(what) + ": '" + std::string(sha) +
                          "' is not a 40-digit lower-case hex SHA");
}

std::optional<std::time_t> parse_rfc3339(std::string_view v) {
    const auto t = agentrail::parse_timestamp(v);
    if (!t) return std::nullopt;
    return static_cast<std::time_t>(std::chrono::floor<std::chrono::seconds>(t->time_since_epoch()).count());
}

void require_rfc3339(std::string_view v, std::string_view what) {
    if (!parse_rfc3339(v))
        throw usage_error(std::string(what) + ": '" + std::string(v) +
                          "' is not an RFC 3339 date-time (e.g. 2026-06-01T00:00:00Z)");
}

void require_future_rfc3339(std::string_view v, std::string_view what) {
    require_rfc3339(v, what);
    if (*parse_rfc3339(v) <= std::time(nullptr))
        throw usage_error(std::string(what) + ": '" + std::string(v) +
                          "' is in the past; the key would be expired from the start");
}

void require_http_url(std::string_view value, std::string_view what) {
    auto rest = value.substr(0, 8) == "https://"  ? value.substr(8)
                : value.substr(0, 7) == "http://" ? value.substr(7)
                                                  : std::string_view{};
    if (rest.empty() || rest[0] == '/' || rest.find_first_of(" \t\r\n") != std::string_view::npos)
        throw usage_error(std::string(what) + ": '" + std::string(value) +
                          "' is not an http:// or https:// URL");
}

void require_one_of(std::string_view value, std::initializer_list<std::string_view> allowed,
                    std::string_view what) {
    std::string list;
    for (auto a : allowed) {
        if (a == value) return;
        list += (list.empty() ? "" : ", ") + std::string(a);
    }
    throw usage_error(std::string(what) + ": '" + std::string(value) + "' is not one of: " + list);
}

void require_length(std::string_view value, std::size_t min, std::size_t max, std::string_view what) {
    if (value.size() < min || value.size() > max)
        throw usage_error(std::string(what) + ": must be " + std::to_string(min) + " to " +
                          std::to_string(max) + " characters (got " + std::to_string(value.size()) + ")");
}

namespace {

std::string size_text(std::size_t bytes) {
    if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
    if (bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
    return std::to_string(bytes) + " bytes";
}

/// Reads `fd` to its end, failing (with `fail`) when more than `max_bytes` arrive.
template <typename Fail>
std::string read_bounded(int fd, std::size_t max_bytes, Fail fail) {
    std::string content;
    char buffer[65536];
    for (;;) {
        auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail(std::strerror(errno));
        if (n <= 0) break;
        if (content.size() + static_cast<std::size_t>(n) > max_bytes)
            fail("larger than " + size_text(max_bytes));
        content.append(buffer, static_cast<std::size_t>(n));
    }
    return content;
}

}  // namespace

std::string read_file(const std::string& path, std::string_view what, std::size_t max_bytes) {
    if (path == "-") return read_stdin(max_bytes, what);
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) throw usage_error(std::string(what) + ": cannot read " + path + ": " + std::strerror(errno));
    auto fail = [&](const std::string& why) {
        ::close(fd);
        throw usage_error(std::string(what) + ": cannot read " + path + ": " + why);
    };
    auto content = read_bounded(fd, max_bytes, fail);
    ::close(fd);
    return content;
}

std::string read_small_file(const std::string& path, std::string_view what, std::size_t max_bytes) {
    if (path == "-") return read_stdin(max_bytes, what);
    // O_NONBLOCK: opening a FIFO must not wait for a writer; the file type is checked before any read.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) throw usage_error(std::string(what) + ": cannot read " + path + ": " + std::strerror(errno));
    auto fail = [&](const std::string& why) {
        ::close(fd);
        throw usage_error(std::string(what) + ": cannot read " + path + ": " + why);
    };
    struct stat st {};
    if (::fstat(fd, &st) != 0) fail(std::strerror(errno));
    if (!S_ISREG(st.st_mode)) fail("not a regular file");
    if (static_cast<unsigned long long>(st.st_size) > max_bytes) fail("larger than " + size_text(max_bytes));
    auto content = read_bounded(fd, max_bytes, fail);
    ::close(fd);
    return content;
}

std::string read_stdin(std::size_t max_bytes, std::string_view what) {
    return read_bounded(STDIN_FILENO, max_bytes, [&](const std::string& why) {
        throw usage_error(std::string(what) + ": cannot read standard input: " + why);
    });
}

std::string trim(std::string_view text) {
    auto end = text.find_first_of("\r\n");
    if (end != std::string_view::npos) text = text.substr(0, end);
    auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return "";
    auto last = text.find_last_not_of(" \t");
    return std::string(text.substr(first, last - first + 1));
}

void write_private_file(const std::string& path, std::string_view content, std::string_view what) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw usage_error(std::string(what) + ": cannot write " + path + ": " + std::strerror(errno));
    bool ok = ::fchmod(fd, 0600) == 0;  // an existing file keeps its mode on open(): tighten it
    while (ok && !content.empty()) {
        auto n = ::write(fd, content.data(), content.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
    int saved = errno;
    if (::close(fd) != 0) ok = false;
    if (!ok) throw usage_error(std::string(what) + ": cannot write " + path + ": " + std::strerror(saved));
}

}  // namespace agentrail::cli
