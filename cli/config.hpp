#pragma once
// The CLI's config file: a small TOML subset with named profiles.
//
//   current_profile = "default"
//
//   [profile.default]
//   base_url = "http://127.0.0.1:3000"
//   api_key_file = "/home/me/.agentrail-key"   # or api_key = "..."
//
// Only what is shown above is understood: comments, top-level keys, `[profile.NAME]` tables, and
// string values (basic "..." with \\ \" \n \t \r \uXXXX escapes, or literal '...'). Other tables and keys
// are kept as they are when the file is rewritten.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agentrail::cli {

/// Keys a profile understands, in display order.
inline constexpr std::string_view profile_keys[] = {"base_url", "api_key", "api_key_file"};

class ConfigFile {
public:
    /// $XDG_CONFIG_HOME/agentrail/config.toml, else ~/.config/agentrail/config.toml.
    static std::string default_path();

    /// Reads `path`; a missing file yields an empty config. Throws Failure (usage) on a syntax error.
    static ConfigFile load(const std::string& path);

    const std::string& path() const { return m_path; }
    bool exists() const { return m_exists; }
    /// Permission bits of the file when it is readable by group or others (e.g. 0644), else nullopt.
    std::optional<unsigned> loose_mode() const { return m_loose_mode; }

    /// Top-level `current_profile`, empty when unset.
    std::string current_profile() const;
    void set_current_profile(const std::string& name);

    /// Value of `key` in `[profile.NAME]`.
    std::optional<std::string> get(const std::string& profile, const std::string& key) const;
    void set(const std::string& profile, const std::string& key, const std::string& value);
    /// Removes the key; returns false when it was not set.
    bool unset(const std::string& profile, const std::string& key);
    /// Names of the `[profile.*]` tables, in file order.
    std::vector<std::string> profiles() const;
    /// Keys and values of one profile, in file order.
    std::vector<std::pair<std::string, std::string>> entries(const std::string& profile) const;

    /// Writes the file atomically with mode 0600 (its directory 0700 when created).
    void save();

private:
    struct Entry {
        std::string key;
        std::string value;  // decoded string, or raw text when !quoted
        bool quoted = true;
    };
    struct Table {
        std::string header;  // "" for top level, else the text between [ ]
        std::vector<Entry> entries;
    };
    Table* find_table(const std::string& header);
    const Table* find_table(const std::string& header) const;

    std::string m_path;
    bool m_exists = false;
    std::optional<unsigned> m_loose_mode;
    std::vector<Table> m_tables;  // m_tables[0] is the top level
};

/// True for a usable profile name: [A-Za-z0-9_-]+.
bool valid_profile_name(std::string_view name);

}  // namespace agentrail::cli
