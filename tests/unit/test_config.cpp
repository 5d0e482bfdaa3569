// cli::ConfigFile: the config file read with toml++ (full TOML, errors with line and column, warnings for
// unknown keys and wrong types) and edited in place (comments, order and unknown keys kept).

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "config.hpp"
#include "exit_codes.hpp"

using agentrail::cli::ConfigFile;
using agentrail::cli::Failure;

namespace {

const std::string path = "/home/me/.config/agentrail/config.toml";

ConfigFile parse(const std::string& text) {
    return ConfigFile::parse(text, path);
}

std::string error_of(const std::string& text) {
    try {
        (void)parse(text);
    } catch (const Failure& e) {
        return e.what();
    }
    return "(no error)";
}

bool has_warning(const ConfigFile& config, const std::string& part) {
    for (const auto& w : config.warnings())
        if (w.find(part) != std::string::npos) return true;
    return false;
}

struct TempDir {
    std::string dir;
    TempDir() {
        char tmpl[] = "/tmp/agentrail-config-test-XXXXXX";
        dir = ::mkdtemp(tmpl);
    }
    ~TempDir() { std::system(("rm -rf '" + dir + "'").c_str()); }
};

std::string read(const std::string& file) {
    std::ifstream in(file);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("config: full TOML is read (dotted keys, multi-line and literal strings, inline tables)",
          "[config]") {
    auto config = parse(R"(# settings
current_profile = "ci"
profile.dotted.base_url = "http://dotted.example"
profile.inline = { base_url = "http://inline.example", api_key_file = "/run/key" }

[profile.ci]
base_url = """
http://ci.example"""
api_key = 'ar_literal_\key'
timeout = "30s"
retries = 4
)");
    CHECK(config.current_profile() == "ci");
    CHECK(config.get("dotted", "base_url") == "http://dotted.example");
    CHECK(config.get("ci", "base_url") == "http://ci.example");
    CHECK(config.get("ci", "api_key") == "ar_literal_\\key");
    CHECK(config.entry("ci", "retries")->integer == 4);
    CHECK(config.get("ci", "retries") == std::nullopt);  // not a string
    CHECK(config.get("inline", "api_key_file") == "/run/key");
    CHECK(config.profiles() == std::vector<std::string>{"dotted", "inline", "ci"});
    auto entries = config.entries("ci");
    REQUIRE(entries.size() == 4);
    CHECK(entries[0].key == "base_url");
    CHECK(entries[3].key == "retries");
    CHECK(entries[3].text == "4");
    CHECK(config.warnings().empty());
    CHECK(config.holds_api_key());
}

TEST_CASE("config: syntax errors name the file, line and column", "[config]") {
    CHECK(error_of("a = 1\nb = \n").rfind(path + ":2:5: ", 0) == 0);
    CHECK(error_of("[profile.x]\nbase_url = \"http://x\n").rfind(path + ":2:", 0) == 0);
    auto duplicate = error_of("[profile.x]\nretries = 1\nretries = 2\n");
    CHECK(duplicate.rfind(path + ":3:", 0) == 0);
    CHECK(duplicate.find("retries") != std::string::npos);
    CHECK(error_of("[profile.x]\n[profile.x]\n").rfind(path + ":2:", 0) == 0);
}

TEST_CASE("config: unknown keys and wrong types are warnings naming the key, the file and the line",
          "[config]") {
    auto config = parse(R"([profile.default]
base-url = "http://typo.example"
retries = "3"
timeout = true
api_key = 42
color = "auto"

[team]
owner = "me"
)");
    CHECK(config.get("default", "base_url") == std::nullopt);
    REQUIRE(config.warnings().size() == 6);
    CHECK(config.warnings()[0] == path +
                                      ":2:1: unknown key 'base-url' in [profile.default] (did you mean "
                                      "'base_url'?); it is ignored");
    CHECK(
        has_warning(config, path + ":3:1: retries in [profile.default] must be an integer (it is a string)"));
    CHECK(has_warning(config, path + ":4:1: timeout in [profile.default] must be a duration"));
    CHECK(
        has_warning(config, path + ":5:1: api_key in [profile.default] must be a string (it is an integer)"));
    CHECK(has_warning(config, "unknown key 'color' in [profile.default]; it is ignored"));
    CHECK(has_warning(config, "unknown key 'team'"));
    CHECK_FALSE(config.holds_api_key());

    auto top = parse("base_url = \"http://x\"\ncurrent_profile = 3\n");
    CHECK(has_warning(top, path + ":1:1: 'base_url' at the top level is ignored: profile keys go in a "
                                  "[profile.NAME] table"));
    CHECK(has_warning(top, ":2:1: current_profile must be a string"));
    CHECK(top.current_profile().empty());
}

TEST_CASE("config set: an existing value is replaced in place, comments, order, unknown keys kept",
          "[config]") {
    auto config = parse(R"(# My agentrail settings.
current_profile = "default"   # the one I use

[profile.default]
# the staging server
base_url = "http://old.example"  # moved in May
editor = "vim"   # not an agentrail key
api_key_file = "/run/key"

[tools."my tool"]
x = 1
)");
    config.set("default", "base_url", "https://new.example/v1");
    CHECK(config.text() == R"(# My agentrail settings.
current_profile = "default"   # the one I use

[profile.default]
# the staging server
base_url = "https://new.example/v1"  # moved in May
editor = "vim"   # not an agentrail key
api_key_file = "/run/key"

[tools."my tool"]
x = 1
)");
    config.set_current_profile("ci");
    CHECK(config.text().find("current_profile = \"ci\"   # the one I use\n") != std::string::npos);
}

TEST_CASE("config set: a new key goes after the last value of its table, before the next table", "[config]") {
    auto config = parse(R"([profile.default]
base_url = "http://a.example"
extra.nested = 1   # a dotted key of an unknown table

# the CI profile
[profile.ci]
base_url = "http://ci.example"
)");
    config.set("default", "api_key", "ar_new_key");
    config.set_integer("ci", "retries", 5);
    CHECK(config.text() == R"([profile.default]
base_url = "http://a.example"
extra.nested = 1   # a dotted key of an unknown table
api_key = "ar_new_key"

# the CI profile
[profile.ci]
base_url = "http://ci.example"
retries = 5
)");
    CHECK(config.entry("ci", "retries")->integer == 5);
}

TEST_CASE("config set: multi-line strings are replaced whole", "[config]") {
    auto config =
        parse("[profile.p]\nbase_url = \"\"\"\nhttp://a.example\n\"\"\"  # multi\ntimeout = \"5s\"\n");
    config.set("p", "base_url", "http://b.example");
    CHECK(config.text() == "[profile.p]\nbase_url = \"http://b.example\"  # multi\ntimeout = \"5s\"\n");
}

TEST_CASE("config set: profiles defined by dotted keys or inline tables are edited in their own form",
          "[config]") {
    auto dotted =
        parse("current_profile = \"d\"\nprofile.d.base_url = \"http://d.example\"\n\n[other]\nk = 1\n");
    dotted.set("d", "api_key", "ar_k");
    CHECK(
        dotted.text() ==
        "current_profile = \"d\"\nprofile.d.base_url = \"http://d.example\"\nprofile.d.api_key = \"ar_k\"\n\n"
        "[other]\nk = 1\n");

    auto section = parse("[profile]\nci.base_url = \"http://ci.example\"  # dotted\n");
    section.set("ci", "timeout", "10s");
    CHECK(section.text() ==
          "[profile]\nci.base_url = \"http://ci.example\"  # dotted\nci.timeout = \"10s\"\n");

    auto inline_table = parse("profile.i = { base_url = \"http://i.example\" }  # inline\n");
    inline_table.set("i", "api_key", "ar_i");
    CHECK(inline_table.get("i", "api_key") == "ar_i");
    CHECK(inline_table.get("i", "base_url") == "http://i.example");
    CHECK(inline_table.text().find("# inline\n") != std::string::npos);
    CHECK(inline_table.text().find('\n') == inline_table.text().size() - 1);  // still one line
}

TEST_CASE("config set: a new profile is a new table at the end, a new file starts with a comment",
          "[config]") {
    auto config = parse("[profile.a]\nbase_url = \"http://a.example\"\n");
    config.set("b", "base_url", "http://b.example");
    CHECK(config.text() ==
          "[profile.a]\nbase_url = \"http://a.example\"\n\n[profile.b]\nbase_url = "
          "\"http://b.example\"\n");

    ConfigFile fresh = parse("");
    fresh.set("default", "base_url", "http://x.example");
    fresh.set_current_profile("default");
    CHECK(fresh.text().rfind("# agentrail CLI configuration", 0) == 0);
    CHECK(fresh.text().find(
              "current_profile = \"default\"\n\n[profile.default]\nbase_url = \"http://x.example\"\n") !=
          std::string::npos);
    CHECK(fresh.profiles() == std::vector<std::string>{"default"});
}

TEST_CASE("config set: current_profile goes before the first table and the comments above it", "[config]") {
    auto config = parse("# header\n\n# the default profile\n[profile.default]\nbase_url = \"http://x\"\n");
    config.set_current_profile("default");
    CHECK(config.text() ==
          "# header\n\ncurrent_profile = \"default\"\n\n# the default profile\n[profile.default]\nbase_url = "
          "\"http://x\"\n");
}

TEST_CASE("config unset: only the key's lines go", "[config]") {
    auto config = parse(
        "[profile.p]\n# key below\napi_key = \"ar_x\"  # inline key\nbase_url = "
        "\"\"\"\nhttp://x\"\"\"\nother = 1\n");
    CHECK(config.unset("p", "api_key"));
    CHECK(config.unset("p", "base_url"));
    CHECK_FALSE(config.unset("p", "base_url"));
    CHECK_FALSE(config.unset("nope", "base_url"));
    CHECK(config.text() == "[profile.p]\n# key below\nother = 1\n");
}

TEST_CASE("config set: values are escaped, read back, and invalid UTF-8 is refused", "[config]") {
    auto config = parse("[profile.p]\n");
    const std::string odd = "a\"b\\c\nd\te\x01\x7f\xc3\xa9";
    config.set("p", "api_key", odd);
    CHECK(config.get("p", "api_key") == odd);
    auto again = parse(config.text());
    CHECK(again.get("p", "api_key") == odd);
    CHECK_THROWS_AS(config.set("p", "api_key", "\xff\xfe"), Failure);
    CHECK_THROWS_AS(config.set("bad name", "api_key", "x"), Failure);
}

TEST_CASE("config set: positions count code points, CRLF files stay CRLF", "[config]") {
    auto config = parse("[profile.p]\r\n# ünïcødé\r\nbase_url = \"http://exämple.test\" # ça\r\n");
    config.set("p", "base_url", "http://ok.test");
    config.set("p", "timeout", "9s");
    CHECK(config.text() ==
          "[profile.p]\r\n# ünïcødé\r\nbase_url = \"http://ok.test\" # ça\r\ntimeout = \"9s\"\r\n");
}

TEST_CASE("config set: a profile that is not a table is refused, the text untouched", "[config]") {
    auto config = parse("profile = \"oops\"\n");
    CHECK_THROWS_AS(config.set("p", "base_url", "http://x"), Failure);
    CHECK(config.text() == "profile = \"oops\"\n");
    auto sub = parse("[profile.p]\nbase_url = 3\n");
    sub.set("p", "base_url", "http://fixed");  // a wrong type is replaced
    CHECK(sub.get("p", "base_url") == "http://fixed");
}

TEST_CASE("config save: atomic, mode 0600, through a symbolic link", "[config]") {
    TempDir tmp;
    const auto real = tmp.dir + "/real.toml";
    const auto link = tmp.dir + "/config.toml";
    {
        std::ofstream out(real);
        out << "# mine\n[profile.default]\nbase_url = \"http://a\"\n";
    }
    ::chmod(real.c_str(), 0644);
    REQUIRE(::symlink(real.c_str(), link.c_str()) == 0);
    auto config = ConfigFile::load(link);
    CHECK(config.loose_mode() == 0644u);
    config.set("default", "api_key", "ar_secret");
    config.save();
    struct stat st {};
    REQUIRE(::lstat(link.c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
    REQUIRE(::stat(real.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(read(real) == "# mine\n[profile.default]\nbase_url = \"http://a\"\napi_key = \"ar_secret\"\n");

    const auto nested = tmp.dir + "/new/agentrail/config.toml";
    auto fresh = ConfigFile::load(nested);
    CHECK_FALSE(fresh.exists());
    fresh.set("default", "base_url", "http://b");
    fresh.save();
    REQUIRE(::stat((tmp.dir + "/new/agentrail").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    CHECK(ConfigFile::load(nested).get("default", "base_url") == "http://b");
}

TEST_CASE("config: edits the fuzzer found wrong", "[config]") {
    // Removing a key that is a [header] table would take its header line away: refused, text untouched.
    auto nested = parse("[profile.c.ci]\nbase_url = \"http://x\"\n");
    CHECK_THROWS_AS(nested.unset("c", "ci"), Failure);
    CHECK(nested.text() == "[profile.c.ci]\nbase_url = \"http://x\"\n");
    // A new table after a text shorter than a blank CRLF line.
    auto tiny = parse("#\r\n");
    tiny.set("p", "retries", "x");
    CHECK(tiny.text() == "#\r\n\r\n[profile.p]\r\nretries = \"x\"\r\n");
}
