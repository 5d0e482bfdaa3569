#include "config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "exit_codes.hpp"

namespace agentrail::cli {
namespace {

bool bare_key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

std::string_view strip(std::string_view s) {
    auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

void append_utf8(std::string& out, unsigned long cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

/// Parses a quoted string at the start of `s`; returns the decoded value and sets `rest` to what follows.
/// Throws std::runtime_error with a short reason.
std::string parse_string(std::string_view s, std::string_view& rest) {
    char quote = s[0];
    std::string out;
    std::size_t i = 1;
    for (; i < s.size(); ++i) {
        char c = s[i];
        if (c == quote) {
            rest = s.substr(i + 1);
            return out;
        }
        if (quote == '"' && c == '\\') {
            if (++i >= s.size()) break;
            switch (s[i]) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 'u':
                case 'U': {
                    std::size_t n = s[i] == 'u' ? 4 : 8;
                    if (i + n >= s.size()) throw std::runtime_error("bad unicode escape");
                    auto hex = std::string(s.substr(i + 1, n));
                    if (hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
                        throw std::runtime_error("bad unicode escape");
                    append_utf8(out, std::strtoul(hex.c_str(), nullptr, 16));
                    i += n;
                    break;
                }
                default:
                    throw std::runtime_error("unknown escape sequence");
            }
        } else {
            out += c;
        }
    }
    throw std::runtime_error("unterminated string");
}

std::string quote(std::string_view value) {
    std::string out = "\"";
    for (char c : value) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

/// True when `text` is bare keys joined by single dots ("profile.ci"), which reads back as itself.
bool bare_dotted(std::string_view text) {
    if (text.empty() || text.front() == '.' || text.back() == '.' ||
        text.find("..") != std::string_view::npos)
        return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return c == '.' || bare_key_char(c); });
}

/// A table header as written back, so that it loads as exactly the same header: `profile.ci` stays bare,
/// `profile."my table"` keeps its quotes, and a header that could not be written bare (`["]"]`,
/// `["."]`) is quoted rather than rewritten into a line that does not load.
std::string header_text(const std::string& header) {
    if (bare_dotted(header)) return header;
    auto dot = header.find('.');
    if (dot == std::string::npos || !bare_dotted(std::string_view(header).substr(0, dot)))
        return quote(header);
    return header.substr(0, dot) + "." + quote(std::string_view(header).substr(dot + 1));
}

std::string profile_header(const std::string& name) {
    return "profile." + name;
}

/// Normalises a table header: `profile . "x"` and `profile.x` both give "profile.x".
std::string parse_header(std::string_view text) {
    std::string out;
    while (!text.empty()) {
        text = strip(text);
        if (text.empty()) break;
        std::string part;
        if (text[0] == '"' || text[0] == '\'') {
            std::string_view rest;
            part = parse_string(text, rest);
            text = rest;
        } else {
            std::size_t n = 0;
            while (n < text.size() && bare_key_char(text[n])) ++n;
            if (n == 0) throw std::runtime_error("bad table name");
            part = std::string(text.substr(0, n));
            text = text.substr(n);
        }
        out += (out.empty() ? "" : ".") + part;
        text = strip(text);
        if (!text.empty()) {
            if (text[0] != '.') throw std::runtime_error("bad table name");
            text = text.substr(1);
        }
    }
    if (out.empty()) throw std::runtime_error("empty table name");
    return out;
}

}  // namespace

bool valid_profile_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), bare_key_char);
}

std::string ConfigFile::default_path() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/agentrail/config.toml";
    const char* home = std::getenv("HOME");
    return std::string(home != nullptr ? home : ".") + "/.config/agentrail/config.toml";
}

ConfigFile ConfigFile::load(const std::string& path) {
    ConfigFile config;
    config.m_path = path;
    config.m_tables.push_back(Table{});
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return config;
    // A FIFO would block and a device such as /dev/zero never ends: only a regular file of sane size.
    if (!S_ISREG(st.st_mode)) throw usage_error("config file " + path + " is not a regular file");
    if (st.st_size > (1 << 20)) throw usage_error("config file " + path + " is larger than 1 MiB");
    std::ifstream in(path, std::ios::binary);
    if (!in) return config;
    config.m_exists = true;
    if ((st.st_mode & 077) != 0) config.m_loose_mode = st.st_mode & 0777;

    std::string line;
    int number = 0;
    Table* table = &config.m_tables[0];
    while (std::getline(in, line)) {
        ++number;
        auto text = strip(line);
        try {
            if (text.empty() || text[0] == '#') continue;
            if (text[0] == '[') {
                if (text.size() > 1 && text[1] == '[')
                    throw std::runtime_error("arrays of tables are not supported");
                auto close = text.rfind(']');
                if (close == std::string_view::npos) throw std::runtime_error("missing ]");
                auto after = strip(text.substr(close + 1));
                if (!after.empty() && after[0] != '#') throw std::runtime_error("text after ]");
                auto header = parse_header(text.substr(1, close - 1));
                table = config.find_table(header);
                if (table == nullptr) {
                    config.m_tables.push_back(Table{header, {}});
                    table = &config.m_tables.back();
                }
                continue;
            }
            std::size_t n = 0;
            while (n < text.size() && bare_key_char(text[n])) ++n;
            if (n == 0) throw std::runtime_error("expected key = \"value\"");
            Entry entry;
            entry.key = std::string(text.substr(0, n));
            auto rest = strip(text.substr(n));
            if (rest.empty() || rest[0] != '=') throw std::runtime_error("expected = after " + entry.key);
            rest = strip(rest.substr(1));
            if (rest.empty()) throw std::runtime_error("missing value for " + entry.key);
            if (rest[0] == '"' || rest[0] == '\'') {
                std::string_view after;
                entry.value = parse_string(rest, after);
                after = strip(after);
                if (!after.empty() && after[0] != '#')
                    throw std::runtime_error("text after the value of " + entry.key);
            } else {
                // Numbers, booleans and the like: kept verbatim, not interpreted.
                auto hash = rest.find(" #");
                entry.value = std::string(strip(rest.substr(0, hash)));
                entry.quoted = false;
            }
            auto& entries = table->entries;
            auto it = std::find_if(entries.begin(), entries.end(),
                                   [&](const Entry& e) { return e.key == entry.key; });
            if (it != entries.end()) throw std::runtime_error("duplicate key " + entry.key);
            entries.push_back(std::move(entry));
        } catch (const std::runtime_error& e) {
            throw usage_error(path + ":" + std::to_string(number) + ": " + e.what());
        }
    }
    return config;
}

ConfigFile::Table* ConfigFile::find_table(const std::string& header) {
    for (auto& t : m_tables)
        if (t.header == header) return &t;
    return nullptr;
}

const ConfigFile::Table* ConfigFile::find_table(const std::string& header) const {
    for (const auto& t : m_tables)
        if (t.header == header) return &t;
    return nullptr;
}

std::string ConfigFile::current_profile() const {
    for (const auto& e : m_tables[0].entries)
        if (e.key == "current_profile") return e.value;
    return "";
}

void ConfigFile::set_current_profile(const std::string& name) {
    auto& entries = m_tables[0].entries;
    for (auto& e : entries) {
        if (e.key == "current_profile") {
            e.value = name;
            e.quoted = true;
            return;
        }
    }
    entries.insert(entries.begin(), Entry{"current_profile", name, true});
}

std::optional<std::string> ConfigFile::get(const std::string& profile, const std::string& key) const {
    const auto* table = find_table(profile_header(profile));
    if (table == nullptr) return std::nullopt;
    for (const auto& e : table->entries)
        if (e.key == key) return e.value;
    return std::nullopt;
}

void ConfigFile::set(const std::string& profile, const std::string& key, const std::string& value) {
    auto header = profile_header(profile);
    auto* table = find_table(header);
    if (table == nullptr) {
        m_tables.push_back(Table{header, {}});
        table = &m_tables.back();
    }
    for (auto& e : table->entries) {
        if (e.key == key) {
            e.value = value;
            e.quoted = true;
            return;
        }
    }
    table->entries.push_back(Entry{key, value, true});
}

bool ConfigFile::unset(const std::string& profile, const std::string& key) {
    auto* table = find_table(profile_header(profile));
    if (table == nullptr) return false;
    auto& entries = table->entries;
    auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.key == key; });
    if (it == entries.end()) return false;
    entries.erase(it);
    return true;
}

std::vector<std::string> ConfigFile::profiles() const {
    std::vector<std::string> names;
    for (const auto& t : m_tables)
        if (t.header.rfind("profile.", 0) == 0) names.push_back(t.header.substr(8));
    return names;
}

std::vector<std::pair<std::string, std::string>> ConfigFile::entries(const std::string& profile) const {
    std::vector<std::pair<std::string, std::string>> out;
    if (const auto* table = find_table(profile_header(profile)))
        for (const auto& e : table->entries) out.emplace_back(e.key, e.value);
    return out;
}

void ConfigFile::save() {
    std::ostringstream text;
    text << "# agentrail CLI configuration (written by `agentrail config`). Keep this file private: mode "
            "0600.\n";
    for (const auto& table : m_tables) {
        if (!table.header.empty()) text << "\n[" << header_text(table.header) << "]\n";
        for (const auto& e : table.entries)
            text << e.key << " = " << (e.quoted ? quote(e.value) : e.value) << "\n";
    }
    auto content = text.str();

    auto slash = m_path.rfind('/');
    if (slash != std::string::npos && slash > 0) {
        // Create missing parents (…/.config, …/.config/agentrail); the last one private.
        auto dir = m_path.substr(0, slash);
        for (std::size_t pos = 1; pos != std::string::npos;) {
            pos = dir.find('/', pos + 1);
            auto part = dir.substr(0, pos);
            if (::mkdir(part.c_str(), pos == std::string::npos ? 0700 : 0755) != 0 && errno != EEXIST)
                throw usage_error("cannot create " + part + ": " + std::strerror(errno));
        }
    }
    auto tmp = m_path + ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw usage_error("cannot write " + tmp + ": " + std::strerror(errno));
    bool ok = ::fchmod(fd, 0600) == 0;
    std::string_view rest = content;
    while (ok && !rest.empty()) {
        auto n = ::write(fd, rest.data(), rest.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        rest.remove_prefix(static_cast<std::size_t>(n));
    }
    ok = ::fsync(fd) == 0 && ok;
    ok = ::close(fd) == 0 && ok;
    if (!ok || ::rename(tmp.c_str(), m_path.c_str()) != 0) {
        int saved = errno;
        ::unlink(tmp.c_str());
        throw usage_error("cannot write " + m_path + ": " + std::strerror(saved));
    }
    m_exists = true;
    m_loose_mode.reset();
}

}  // namespace agentrail::cli
