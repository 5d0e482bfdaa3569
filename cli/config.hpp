#pragma once
// The CLI's config file: TOML (read with toml++: dotted keys, multi-line strings, inline tables, ...) with
// named profiles.
//
//   current_profile = "default"
//
//   [profile.default]
//   base_url = "http://127.0.0.1:3000"
//   api_key_file = "/home/me/.agentrail-key"   # or api_key = "..."
//   retries = 5                                 # like --retries
//   timeout = "30s"                             # like --timeout (or a number of seconds)
//
// Edits (`config set`, `login`, `keys rotate --save`, ...) change the file's text in place, line by line,
// at the positions toml++ reports: comments, order, formatting and keys this CLI does not know are kept.
// Every edited text is parsed again, and must read back the value set, before it is kept.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentrail::cli {

/// Keys a profile understands, in display order.
inline constexpr std::string_view profile_keys[] = {"base_url", "api_key", "api_key_file", "retries",
                                                    "timeout"};

/// One key of a profile as read from the file.
struct ConfigEntry {
    std::string key;
    std::string text;  // a string's value; any other value as TOML text ("3", "true", "[1, 2]")
    bool is_string = false;
    std::optional<long long> integer;  // set when the value is an integer
    unsigned line = 0;                 // where the value is (1-based)
    unsigned column = 0;
};

class ConfigFile {
public:
    ConfigFile();
    ~ConfigFile();
    ConfigFile(const ConfigFile&);
    ConfigFile& operator=(const ConfigFile&);
    ConfigFile(ConfigFile&&) noexcept;
    ConfigFile& operator=(ConfigFile&&) noexcept;

    /// $XDG_CONFIG_HOME/agentrail/config.toml, else ~/.config/agentrail/config.toml.
    static std::string default_path();
    /// The same with the values of XDG_CONFIG_HOME and HOME given (null: unset).
    static std::string default_path(const char* xdg_config_home, const char* home);

    /// Reads `path`; a missing file yields an empty config. Throws Failure (usage) on a syntax error,
    /// as "PATH:LINE:COLUMN: what".
    static ConfigFile load(const std::string& path);
    /// Parses `text` as the content of `path` (which is not read). Same errors as load().
    static ConfigFile parse(std::string text, std::string path);

    const std::string& path() const { return m_path; }
    bool exists() const { return m_exists; }
    /// The file's text, with every edit made so far.
    const std::string& text() const { return m_text; }
    /// Permission bits of the file when it is readable by group or others (e.g. 0644), else nullopt.
    std::optional<unsigned> loose_mode() const { return m_loose_mode; }
    /// Unknown keys and values of the wrong type, one message each ("PATH:LINE:COLUMN: ..."), found when
    /// the file was read. They are ignored, and kept in the file.
    const std::vector<std::string>& warnings() const { return m_warnings; }
    /// True when some profile holds an `api_key` (a secret, not a path to one).
    bool holds_api_key() const;

    /// Top-level `current_profile`, empty when unset.
    std::string current_profile() const;
    void set_current_profile(const std::string& name);

    /// Value of `key` in `[profile.NAME]` when it is a string.
    std::optional<std::string> get(const std::string& profile, const std::string& key) const;
    /// `key` in `[profile.NAME]`, whatever its type.
    std::optional<ConfigEntry> entry(const std::string& profile, const std::string& key) const;
    /// Sets `key` in `[profile.NAME]` to a string (creating the profile when needed).
    void set(const std::string& profile, const std::string& key, const std::string& value);
    /// Sets `key` in `[profile.NAME]` to an integer.
    void set_integer(const std::string& profile, const std::string& key, long long value);
    /// Removes the key; returns false when it was not set.
    bool unset(const std::string& profile, const std::string& key);
    /// Names of the `profile.*` tables, in file order.
    std::vector<std::string> profiles() const;
    /// Keys and values of one profile, in file order (unknown keys included).
    std::vector<ConfigEntry> entries(const std::string& profile) const;

    /// Writes the text atomically (a temporary file renamed over it) with mode 0600, its directory 0700
    /// when created. A symbolic link is followed: the file it points to is replaced.
    void save();

    struct Parsed;  // the toml++ document (config.cpp)

private:
    struct Literal;
    void edit(const std::string& profile, const std::string& key, const Literal& value);
    void reparse(std::string text);

    std::string m_path;
    bool m_exists = false;
    std::optional<unsigned> m_loose_mode;
    std::string m_text;
    std::shared_ptr<const Parsed> m_parsed;
    std::vector<std::string> m_warnings;
};

/// True for a usable profile name: [A-Za-z0-9_-]+.
bool valid_profile_name(std::string_view name);

}  // namespace agentrail::cli
