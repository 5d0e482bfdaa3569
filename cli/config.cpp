#include "config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

// toml++'s implementation is compiled into this file (TOML_HEADER_ONLY=0 comes with its CMake target): the
// CLI does not load libtomlplusplus.so at start-up, and no other file includes the (large) header.
#define TOML_IMPLEMENTATION
// toml++ 3.3 asserts on some invalid documents (a non-ASCII character in a table name, `[é]`) that its
// NDEBUG build reports as syntax errors: keep that behaviour in every build type.
#define TOML_ASSERT(expr) static_cast<void>(0)
#include <toml++/toml.h>

#include "exit_codes.hpp"

namespace agentrail::cli {

struct ConfigFile::Parsed {
    toml::table root;
};

struct ConfigFile::Literal {
    std::string toml;                  // as written into the file
    std::optional<std::string> text;   // the string set, or
    std::optional<long long> integer;  // the integer set
};

namespace {

using Path = std::vector<std::string>;

constexpr const char* new_file_comment =
    "# agentrail CLI configuration. It may hold an API key: keep it private (mode 0600).\n";

bool bare_key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

bool bare_key(std::string_view key) {
    return !key.empty() && std::all_of(key.begin(), key.end(), bare_key_char);
}

std::string_view strip(std::string_view s) {
    auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
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
                if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
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

std::string key_text(std::string_view key) {
    return bare_key(key) ? std::string(key) : quote(key);
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t n = 0;
        unsigned long cp = 0;
        if ((c >> 5) == 0x6) {
            n = 1;
            cp = c & 0x1F;
        } else if ((c >> 4) == 0xE) {
            n = 2;
            cp = c & 0x0F;
        } else if ((c >> 3) == 0x1E) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + n >= s.size()) return false;
        for (std::size_t k = 1; k <= n; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

std::string position_text(const std::string& path, const toml::source_position& p) {
    return path + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

const char* type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a float";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::date:
        case toml::node_type::time:
        case toml::node_type::date_time:
            return "a date or time";
        case toml::node_type::none:
            break;
    }
    return "a value";
}

/// A value as TOML text ("3", "true", "[ 1, 2 ]"), strings in basic quotes.
std::string toml_text(const toml::node& node) {
    std::ostringstream out;
    if (const auto* table = node.as_table()) {
        out << toml::toml_formatter{*table, toml::format_flags::none};
    } else if (const auto* array = node.as_array()) {
        out << toml::toml_formatter{*array, toml::format_flags::none};
    } else {
        node.visit([&](const auto& value) { out << toml::toml_formatter{value, toml::format_flags::none}; });
    }
    return out.str();
}

// ---- positions in the text -------------------------------------------------------------------------------

/// Line starts of a text, and toml++ positions (line, column in code points) as byte offsets.
class Lines {
public:
    explicit Lines(const std::string& text) : m_text(text) {
        m_starts.push_back(0);
        for (std::size_t i = 0; i < text.size(); ++i)
            if (text[i] == '\n') m_starts.push_back(i + 1);
    }
    /// Number of lines (a final line without a newline counts; an empty last "line" after '\n' does not).
    unsigned count() const {
        auto n = m_starts.size();
        if (n > 1 && m_starts.back() == m_text.size()) --n;
        return static_cast<unsigned>(n);
    }
    /// Offset of the start of `line` (1-based); one past the last line is the end of the text.
    std::size_t start(unsigned line) const {
        if (line == 0) return 0;
        if (line > m_starts.size()) return m_text.size();
        return m_starts[line - 1];
    }
    std::string_view text(unsigned line) const {
        auto begin = start(line);
        auto end = line < m_starts.size() ? m_starts[line] : m_text.size();
        auto view = std::string_view(m_text).substr(begin, end - begin);
        while (!view.empty() && (view.back() == '\n' || view.back() == '\r')) view.remove_suffix(1);
        return view;
    }
    std::size_t offset(const toml::source_position& p) const {
        std::size_t i = start(p.line);
        if (p.line == 1 && m_text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // toml++ skips a BOM
        for (unsigned column = 1; column < p.column && i < m_text.size(); ++column) {
            ++i;
            while (i < m_text.size() && (static_cast<unsigned char>(m_text[i]) & 0xC0) == 0x80) ++i;
        }
        return std::min(i, m_text.size());
    }

private:
    const std::string& m_text;
    std::vector<std::size_t> m_starts;
};

std::string newline_of(const std::string& text) {
    return text.find("\r\n") != std::string::npos ? "\r\n" : "\n";
}

/// The key path of a `[table]` header line ("[profile . 'ci'] # x" -> {profile, ci}); nullopt for anything
/// else, `[[array]]` headers included.
std::optional<Path> header_path(std::string_view line) {
    auto text = strip(line);
    if (text.size() < 2 || text[0] != '[' || text[1] == '[') return std::nullopt;
    try {
        auto doc = toml::parse(text);
        Path path;
        const toml::table* table = &doc;
        while (table->size() == 1) {
            auto it = table->begin();
            path.emplace_back(it->first.str());
            table = it->second.as_table();
            if (table == nullptr) return std::nullopt;
        }
        if (!table->empty() || path.empty()) return std::nullopt;
        return path;
    } catch (const toml::parse_error&) {
        return std::nullopt;
    }
}

/// Lines holding a `[table]` or `[[array]]` header: where a table of the document begins at a '['.
std::set<unsigned> header_lines(const toml::table& root, const Lines& lines, const std::string& text) {
    std::set<unsigned> out;
    auto visit_table = [&](auto& self, const toml::table& table) -> void {
        for (const auto& [key, node] : table) {
            if (const auto* sub = node.as_table()) {
                if (sub->is_inline()) continue;
                auto off = lines.offset(sub->source().begin);
                if (off < text.size() && text[off] == '[') out.insert(sub->source().begin.line);
                self(self, *sub);
            } else if (const auto* array = node.as_array(); array != nullptr && array->is_array_of_tables()) {
                for (const auto& element : *array) {
                    const auto* sub2 = element.as_table();
                    if (sub2 == nullptr || sub2->is_inline()) continue;
                    auto off = lines.offset(sub2->source().begin);
                    if (off < text.size() && text[off] == '[') out.insert(sub2->source().begin.line);
                    self(self, *sub2);
                }
            }
        }
    };
    visit_table(visit_table, root);
    return out;
}

/// Where the values under `table` are written: each value's region (an inline table or an array as a whole),
/// through dotted-key sub-tables, and through sub-tables with a [header] of their own unless `lines` is given
/// (then those are left out: they are in other sections of the file).
void value_regions(const toml::table& table, std::vector<toml::source_region>& out,
                   const Lines* lines = nullptr, const std::string* text = nullptr) {
    for (const auto& [key, node] : table) {
        if (const auto* sub = node.as_table(); sub != nullptr && !sub->is_inline()) {
            if (lines != nullptr) {
                auto off = lines->offset(sub->source().begin);
                if (off < text->size() && (*text)[off] == '[') continue;
            }
            value_regions(*sub, out, lines, text);
        } else if (const auto* array = node.as_array(); array != nullptr && array->is_array_of_tables() &&
                                                        !array->empty() &&
                                                        !array->front().as_table()->is_inline()) {
            for (const auto& element : *array) value_regions(*element.as_table(), out);
        } else {
            out.push_back(node.source());
        }
    }
}

/// The line a `[header]` for exactly `path` is on, when `table` was defined by one; 0 otherwise.
unsigned own_header_line(const toml::table& table, const Path& path, const Lines& lines,
                         const std::string& text) {
    auto begin = table.source().begin;
    auto off = lines.offset(begin);
    if (begin.line == 0 || off >= text.size() || text[off] != '[') return 0;
    auto header = header_path(lines.text(begin.line));
    return header && *header == path ? begin.line : 0;
}

/// Inserts `content` as a line of its own after line `line` (0: at the very start).
void insert_after(std::string& text, const Lines& lines, unsigned line, const std::string& content) {
    auto nl = newline_of(text);
    auto pos = lines.start(line + 1);
    if (pos >= text.size()) {
        if (!text.empty() && text.back() != '\n') text += nl;
        pos = text.size();
    }
    text.insert(pos, content + nl);
}

/// Appends a new `[header]` table holding `body`, after a blank line.
void append_table(std::string& text, const std::string& header, const std::string& body) {
    auto nl = newline_of(text);
    if (!text.empty() && text.back() != '\n') text += nl;
    const auto blank = nl + nl;
    if (!text.empty() &&
        (text.size() < blank.size() || text.compare(text.size() - blank.size(), blank.size(), blank) != 0))
        text += nl;
    text += "[" + header + "]" + nl + body + nl;
}

void replace_region(std::string& text, const Lines& lines, const toml::source_region& region,
                    const std::string& with) {
    auto begin = lines.offset(region.begin);
    auto end = lines.offset(region.end);
    text.replace(begin, end - begin, with);
}

std::string inline_text(const toml::table& table) {
    std::ostringstream out;
    out << toml::toml_formatter{table, toml::format_flags::none};
    return out.str();
}

// ---- checks of what was read ---------------------------------------------------------------------------

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

/// " (did you mean 'base_url'?)" for a key close to a known one, else "".
template <typename Names>
std::string suggestion(std::string_view key, const Names& known) {
    std::string normal(key);
    for (auto& c : normal)
        c = c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view best;
    std::size_t best_distance = 3;
    for (std::string_view name : known) {
        auto d = edit_distance(normal, name);
        if (d < best_distance) {
            best = name;
            best_distance = d;
        }
    }
    return best.empty() ? "" : " (did you mean '" + std::string(best) + "'?)";
}

struct Warning {
    toml::source_position at;
    std::string message;
};

toml::source_position position_of(const toml::key& key, const toml::node& node) {
    return key.source().begin.line != 0 ? key.source().begin : node.source().begin;
}

void check_profile(const std::string& name, const toml::table& profile, std::vector<Warning>& out) {
    const std::string where = " in [profile." + name + "]";
    for (const auto& [key, node] : profile) {
        std::string_view k = key.str();
        auto at = position_of(key, node);
        if (k == "base_url" || k == "api_key" || k == "api_key_file") {
            if (!node.is_string())
                out.push_back({at, std::string(k) + where + " must be a string (it is " + type_name(node) +
                                       "); it is ignored"});
        } else if (k == "retries") {
            if (!node.is_integer())
                out.push_back({at, "retries" + where + " must be an integer (it is " + type_name(node) +
                                       "); it is ignored"});
        } else if (k == "timeout") {
            if (!node.is_string() && !node.is_integer())
                out.push_back({at, "timeout" + where +
                                       " must be a duration such as \"30s\" or a number of "
                                       "seconds (it is " +
                                       type_name(node) + "); it is ignored"});
        } else {
            out.push_back({at, "unknown key '" + std::string(k) + "'" + where + suggestion(k, profile_keys) +
                                   "; it is ignored"});
        }
    }
}

std::vector<std::string> check(const toml::table& root, const std::string& path) {
    std::vector<Warning> found;
    static constexpr std::string_view top_keys[] = {"current_profile", "profile"};
    for (const auto& [key, node] : root) {
        std::string_view k = key.str();
        auto at = position_of(key, node);
        if (k == "current_profile") {
            if (!node.is_string())
                found.push_back({at, std::string("current_profile must be a string (it is ") +
                                         type_name(node) + "); it is ignored"});
        } else if (k == "profile") {
            const auto* profiles = node.as_table();
            if (profiles == nullptr) {
                found.push_back(
                    {at, std::string("profile must be a table of profiles ([profile.NAME]; it is ") +
                             type_name(node) + "); it is ignored"});
                continue;
            }
            for (const auto& [name, profile] : *profiles) {
                if (const auto* table = profile.as_table())
                    check_profile(std::string(name.str()), *table, found);
                else
                    found.push_back({position_of(name, profile),
                                     "profile." + std::string(name.str()) + " must be a table (it is " +
                                         type_name(profile) + "); it is ignored"});
            }
        } else if (std::find(std::begin(profile_keys), std::end(profile_keys), k) != std::end(profile_keys)) {
            found.push_back(
                {at, "'" + std::string(k) +
                         "' at the top level is ignored: profile keys go in a [profile.NAME] table"});
        } else {
            found.push_back(
                {at, "unknown key '" + std::string(k) + "'" + suggestion(k, top_keys) + "; it is ignored"});
        }
    }
    std::stable_sort(found.begin(), found.end(), [](const Warning& a, const Warning& b) {
        return std::tie(a.at.line, a.at.column) < std::tie(b.at.line, b.at.column);
    });
    std::vector<std::string> out;
    for (const auto& w : found) out.push_back(position_text(path, w.at) + ": " + w.message);
    return out;
}

std::shared_ptr<const ConfigFile::Parsed> parse_text(const std::string& text, const std::string& path) {
    auto parsed = std::make_shared<ConfigFile::Parsed>();
    try {
        parsed->root = toml::parse(text, path);
    } catch (const toml::parse_error& e) {
        throw usage_error(position_text(path, e.source().begin) + ": " + std::string(e.description()));
    }
    return parsed;
}

const toml::table* profile_table(const toml::table& root, const std::string& name) {
    const auto* profiles = root.get_as<toml::table>("profile");
    return profiles != nullptr ? profiles->get_as<toml::table>(name) : nullptr;
}

ConfigEntry make_entry(std::string_view key, const toml::node& node) {
    ConfigEntry entry;
    entry.key = std::string(key);
    if (const auto* s = node.as_string()) {
        entry.text = s->get();
        entry.is_string = true;
    } else {
        if (const auto* i = node.as_integer()) entry.integer = i->get();
        entry.text = toml_text(node);
    }
    entry.line = node.source().begin.line;
    entry.column = node.source().begin.column;
    return entry;
}

}  // namespace

bool valid_profile_name(std::string_view name) {
    return bare_key(name);
}

ConfigFile::ConfigFile() : m_parsed(std::make_shared<Parsed>()) {}
ConfigFile::~ConfigFile() = default;
ConfigFile::ConfigFile(const ConfigFile&) = default;
ConfigFile& ConfigFile::operator=(const ConfigFile&) = default;
ConfigFile::ConfigFile(ConfigFile&&) noexcept = default;
ConfigFile& ConfigFile::operator=(ConfigFile&&) noexcept = default;

std::string ConfigFile::default_path() {
    return default_path(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"));
}

std::string ConfigFile::default_path(const char* xdg, const char* home) {
    if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/agentrail/config.toml";
    return std::string(home != nullptr ? home : ".") + "/.config/agentrail/config.toml";
}

ConfigFile ConfigFile::parse(std::string text, std::string path) {
    ConfigFile config;
    config.m_parsed = parse_text(text, path);
    config.m_warnings = check(config.m_parsed->root, path);
    config.m_text = std::move(text);
    config.m_path = std::move(path);
    return config;
}

ConfigFile ConfigFile::load(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        ConfigFile config;
        config.m_path = path;
        return config;
    }
    // A FIFO would block and a device such as /dev/zero never ends: only a regular file of sane size.
    if (!S_ISREG(st.st_mode)) throw usage_error("config file " + path + " is not a regular file");
    if (st.st_size > (1 << 20)) throw usage_error("config file " + path + " is larger than 1 MiB");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw usage_error("cannot read config file " + path + ": " + std::strerror(errno));
    std::ostringstream content;
    content << in.rdbuf();
    auto config = parse(content.str(), path);
    config.m_exists = true;
    if ((st.st_mode & 077) != 0) config.m_loose_mode = st.st_mode & 0777;
    return config;
}

void ConfigFile::reparse(std::string text) {
    m_parsed = parse_text(text, m_path);
    m_text = std::move(text);
}

bool ConfigFile::holds_api_key() const {
    const auto* profiles = m_parsed->root.get_as<toml::table>("profile");
    if (profiles == nullptr) return false;
    for (const auto& [name, node] : *profiles) {
        const auto* table = node.as_table();
        if (table == nullptr) continue;
        if (const auto* key = table->get_as<std::string>("api_key"); key != nullptr && !key->get().empty())
            return true;
    }
    return false;
}

std::string ConfigFile::current_profile() const {
    const auto* value = m_parsed->root.get_as<std::string>("current_profile");
    return value != nullptr ? value->get() : std::string{};
}

std::optional<ConfigEntry> ConfigFile::entry(const std::string& profile, const std::string& key) const {
    const auto* table = profile_table(m_parsed->root, profile);
    if (table == nullptr) return std::nullopt;
    const auto* node = table->get(key);
    if (node == nullptr) return std::nullopt;
    return make_entry(key, *node);
}

std::optional<std::string> ConfigFile::get(const std::string& profile, const std::string& key) const {
    auto e = entry(profile, key);
    if (!e || !e->is_string) return std::nullopt;
    return e->text;
}

std::vector<std::string> ConfigFile::profiles() const {
    std::vector<std::pair<toml::source_position, std::string>> found;
    if (const auto* profiles = m_parsed->root.get_as<toml::table>("profile"))
        for (const auto& [name, node] : *profiles)
            if (node.is_table()) found.emplace_back(position_of(name, node), std::string(name.str()));
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return std::tie(a.first.line, a.first.column) < std::tie(b.first.line, b.first.column);
    });
    std::vector<std::string> names;
    for (auto& [at, name] : found) names.push_back(std::move(name));
    return names;
}

std::vector<ConfigEntry> ConfigFile::entries(const std::string& profile) const {
    std::vector<ConfigEntry> out;
    if (const auto* table = profile_table(m_parsed->root, profile))
        for (const auto& [key, node] : *table) out.push_back(make_entry(key.str(), node));
    std::stable_sort(out.begin(), out.end(), [](const ConfigEntry& a, const ConfigEntry& b) {
        return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    return out;
}

void ConfigFile::set(const std::string& profile, const std::string& key, const std::string& value) {
    if (!valid_utf8(value)) throw usage_error(key + ": the value is not valid UTF-8");
    edit(profile, key, Literal{quote(value), value, std::nullopt});
}

void ConfigFile::set_integer(const std::string& profile, const std::string& key, long long value) {
    edit(profile, key, Literal{std::to_string(value), std::nullopt, value});
}

void ConfigFile::edit(const std::string& profile, const std::string& key, const Literal& value) {
    if (!valid_profile_name(profile)) throw usage_error("invalid profile name '" + profile + "'");
    const auto& root = m_parsed->root;
    std::string text = m_text.empty() ? std::string(new_file_comment) + "\n" : m_text;
    Lines lines(text);
    const Path path = {"profile", profile};
    const auto where = "[profile." + profile + "] of " + m_path;
    auto cannot = [&](const std::string& why) {
        return usage_error("cannot set " + key + " in " + where + ": " + why + "; edit the file by hand");
    };
    auto make_node = [&]() -> toml::table {
        toml::table t;
        if (value.text)
            t.insert_or_assign(key, *value.text);
        else
            t.insert_or_assign(key, static_cast<int64_t>(*value.integer));
        return t;
    };

    const auto* profiles_node = root.get("profile");
    if (profiles_node != nullptr && !profiles_node->is_table()) throw cannot("'profile' is not a table");
    const auto* profiles = profiles_node != nullptr ? profiles_node->as_table() : nullptr;
    const auto* table_node = profiles != nullptr ? profiles->get(profile) : nullptr;
    if (table_node != nullptr && !table_node->is_table())
        throw cannot("'profile." + profile + "' is not a table");
    const auto* table = table_node != nullptr ? table_node->as_table() : nullptr;

    if (table != nullptr) {
        if (const auto* current = table->get(key)) {
            if (const auto* sub = current->as_table(); sub != nullptr && !sub->is_inline())
                throw cannot(key + " is a table");
            replace_region(text, lines, current->source(), value.toml);
        } else if (table->is_inline()) {
            toml::table copy = *table;
            for (auto&& [k, v] : make_node()) copy.insert_or_assign(k, v);
            copy.is_inline(true);
            replace_region(text, lines, table->source(), inline_text(copy));
        } else {
            const auto headers = header_lines(root, lines, text);
            const auto entry_line = key_text(key) + " = " + value.toml;
            if (auto header = own_header_line(*table, path, lines, text)) {
                // After the last value of its section (values of dotted sub-keys included).
                auto next = headers.upper_bound(header);
                unsigned end = next == headers.end() ? UINT_MAX : *next;
                std::vector<toml::source_region> regions;
                value_regions(root, regions);
                unsigned last = header;
                for (const auto& r : regions)
                    if (r.begin.line > header && r.begin.line < end) last = std::max(last, r.end.line);
                insert_after(text, lines, last, entry_line);
            } else {
                // Defined by dotted keys (profile.NAME.x = ... or NAME.x = ... under [profile]): a dotted
                // key after its last value, relative to the table of that section.
                std::vector<toml::source_region> regions;
                value_regions(*table, regions, &lines, &text);
                if (regions.empty()) {
                    // Only the parent of [profile.NAME.sub] tables: give it a header of its own.
                    append_table(text, "profile." + profile, entry_line);
                } else {
                    auto last = *std::max_element(
                        regions.begin(), regions.end(),
                        [](const auto& a, const auto& b) { return a.end.line < b.end.line; });
                    Path section;
                    auto before = headers.lower_bound(last.begin.line);
                    if (before != headers.begin()) {
                        auto h = header_path(lines.text(*std::prev(before)));
                        if (!h) throw cannot("the table is defined in an array of tables");
                        section = *h;
                    }
                    if (section.size() > path.size() ||
                        !std::equal(section.begin(), section.end(), path.begin()))
                        throw cannot("the table is defined in an unusual way");
                    std::string dotted;
                    for (auto i = section.size(); i < path.size(); ++i) dotted += key_text(path[i]) + ".";
                    insert_after(text, lines, last.end.line, dotted + entry_line);
                }
            }
        }
    } else if (profiles != nullptr && profiles->is_inline()) {
        toml::table copy = *profiles;
        auto sub = make_node();
        sub.is_inline(true);
        copy.insert_or_assign(profile, std::move(sub));
        copy.is_inline(true);
        replace_region(text, lines, profiles->source(), inline_text(copy));
    } else {
        append_table(text, "profile." + profile, key_text(key) + " = " + value.toml);
    }

    auto before = std::move(m_text);
    auto before_parsed = m_parsed;
    try {
        reparse(std::move(text));
    } catch (const Failure& e) {
        m_text = std::move(before);
        m_parsed = before_parsed;
        throw cannot(std::string("the edit would not parse (") + e.what() + ")");
    }
    auto back = entry(profile, key);
    bool same =
        back && (value.text ? back->is_string && back->text == *value.text : back->integer == value.integer);
    if (!same) {
        m_text = std::move(before);
        m_parsed = before_parsed;
        throw cannot("the edited file does not read back the value");
    }
}

bool ConfigFile::unset(const std::string& profile, const std::string& key) {
    const auto* table = profile_table(m_parsed->root, profile);
    if (table == nullptr) return false;
    const auto* node = table->get(key);
    if (node == nullptr) return false;
    if (const auto* sub = node->as_table(); sub != nullptr && !sub->is_inline())
        throw usage_error("cannot remove " + key + " from [profile." + profile + "] of " + m_path +
                          ": it is a table; edit the file by hand");
    std::string text = m_text;
    Lines lines(text);
    if (table->is_inline()) {
        toml::table copy = *table;
        copy.erase(key);
        copy.is_inline(true);
        replace_region(text, lines, table->source(), inline_text(copy));
    } else {
        // A key = value pair has its lines to itself (TOML allows nothing else on them but a comment).
        const auto& r = node->source();
        text.erase(lines.start(r.begin.line), lines.start(r.end.line + 1) - lines.start(r.begin.line));
    }
    auto before = m_text;
    auto before_parsed = m_parsed;
    try {
        reparse(std::move(text));
    } catch (const Failure& e) {
        m_text = std::move(before);
        m_parsed = before_parsed;
        throw usage_error("cannot remove " + key + " from [profile." + profile + "] of " + m_path + " (" +
                          e.what() + "); edit the file by hand");
    }
    return true;
}

void ConfigFile::set_current_profile(const std::string& name) {
    const auto& root = m_parsed->root;
    std::string text = m_text.empty() ? std::string(new_file_comment) + "\n" : m_text;
    Lines lines(text);
    const auto literal = quote(name);
    if (const auto* current = root.get("current_profile")) {
        if (current->is_table())
            throw usage_error("current_profile in " + m_path + " is a table; edit the file by hand");
        replace_region(text, lines, current->source(), literal);
    } else {
        const auto headers = header_lines(root, lines, text);
        unsigned first = headers.empty() ? UINT_MAX : *headers.begin();
        std::vector<toml::source_region> regions;
        value_regions(root, regions);
        unsigned last = 0;
        for (const auto& r : regions)
            if (r.begin.line < first) last = std::max(last, r.end.line);
        const auto line = "current_profile = " + literal;
        if (last > 0) {
            insert_after(text, lines, last, line);  // after the other top-level keys
        } else if (first != UINT_MAX) {
            // Before the first table, and before the comment lines just above it (they are about it).
            unsigned at = first;
            while (at > 1 && strip(lines.text(at - 1)).substr(0, 1) == "#") --at;
            text.insert(lines.start(at), line + newline_of(text) + newline_of(text));
        } else {
            insert_after(text, lines, lines.count(), line);
        }
    }
    auto before = m_text;
    auto before_parsed = m_parsed;
    try {
        reparse(std::move(text));
    } catch (const Failure& e) {
        m_text = std::move(before);
        m_parsed = before_parsed;
        throw usage_error("cannot set current_profile in " + m_path + " (" + e.what() +
                          "); edit the file by hand");
    }
    if (current_profile() != name) {
        m_text = std::move(before);
        m_parsed = before_parsed;
        throw usage_error("cannot set current_profile in " + m_path + "; edit the file by hand");
    }
}

void ConfigFile::save() {
    // Replace the file a symbolic link points to (dotfile managers), not the link.
    std::string target = m_path;
    if (char* real = ::realpath(m_path.c_str(), nullptr)) {
        target = real;
        std::free(real);
    }
    auto slash = target.rfind('/');
    if (slash != std::string::npos && slash > 0) {
        // Create missing parents (…/.config, …/.config/agentrail); the last one private.
        auto dir = target.substr(0, slash);
        for (std::size_t pos = 1; pos != std::string::npos;) {
            pos = dir.find('/', pos + 1);
            auto part = dir.substr(0, pos);
            if (::mkdir(part.c_str(), pos == std::string::npos ? 0700 : 0755) != 0 && errno != EEXIST)
                throw usage_error("cannot create " + part + ": " + std::strerror(errno));
        }
    }
    auto tmp = target + ".tmp." + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw usage_error("cannot write " + tmp + ": " + std::strerror(errno));
    bool ok = ::fchmod(fd, 0600) == 0;
    std::string_view rest = m_text;
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
    if (!ok || ::rename(tmp.c_str(), target.c_str()) != 0) {
        int saved = errno;
        ::unlink(tmp.c_str());
        throw usage_error("cannot write " + m_path + ": " + std::strerror(saved));
    }
    m_exists = true;
    m_loose_mode.reset();
}

}  // namespace agentrail::cli
