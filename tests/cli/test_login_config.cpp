// `login` and the `config` commands in-process: the key read from (injected) standard input and checked
// with the fake server, the config file in a temporary XDG_CONFIG_HOME, each output format and error path.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "commands/config_commands.hpp"
#include "commands/login.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {

/// A temporary XDG_CONFIG_HOME, removed with what is in it.
struct ConfigHome {
    std::string path;
    ConfigHome() {
        char name[] = "/tmp/agentrail-cli-config-XXXXXX";
        path = mkdtemp(name);
    }
    ~ConfigHome() { std::system(("rm -rf '" + path + "'").c_str()); }
    std::string file() const { return path + "/agentrail/config.toml"; }
    bool exists() const { return ::access(file().c_str(), F_OK) == 0; }
    std::string text() const {
        std::ifstream in(file());
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }
    void write(const std::string& toml) const {
        ::mkdir((path + "/agentrail").c_str(), 0700);
        std::ofstream(file()) << toml;
        ::chmod(file().c_str(), 0600);
    }
};

const std::string login_key = "ar_live_login_key_0123456789";

std::string health_body() {
    return example("GET /health 200 cloud").dump();
}

}  // namespace

TEST_CASE("login: the key from standard input, checked, then saved", "[cli][login]") {
    CliHarness cli;
    ConfigHome home;
    cli.env["XDG_CONFIG_HOME"] = home.path;
    cli.env.erase("AGENTRAIL_API_KEY");
    cli.input = "  " + login_key + "\n";
    SECTION("table: what was checked and saved; the file holds the key, mode 0600") {
        cli.fake->reply(200, health_body());
        cli.fake->reply(200, example("GET /tasks/mine 200 default").dump());
        auto r = cli.run({"login"});
        INFO(r.err);
        CHECK(r.exit == 0);
        CHECK(r.out ==
              "Logged in to http://127.0.0.1:3000 (agentrail-service) with key ar_l...6789.\n"
              "Saved api_key in [profile.default] of " +
                  home.file() + " (mode 0600).\n");
        REQUIRE(cli.fake->requests().size() == 2);
        CHECK(cli.fake->requests()[0].url == "http://127.0.0.1:3000/health");
        CHECK(cli.fake->requests()[1].url.find("/tasks/mine?limit=1") != std::string::npos);
        CHECK(header_of(cli.fake->requests()[1], "Authorization") == "Bearer " + login_key);
        CHECK(home.text().find("api_key = \"" + login_key + "\"") != std::string::npos);
        CHECK(home.text().find("current_profile = \"default\"") != std::string::npos);
        struct stat st {};
        REQUIRE(::stat(home.file().c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
    }
    SECTION("json, --quiet, --base-url saved with it, --profile a new profile") {
        cli.fake->reply(200, health_body());
        cli.fake->reply(200, example("GET /tasks/mine 200 default").dump());
        auto r = cli.run({"login", "-o", "json", "--base-url", "http://127.0.0.1:4000", "--profile", "ci"});
        CHECK(r.exit == 0);
        auto j = r.json();
        CHECK(j["profile"] == "ci");
        CHECK(j["baseUrl"] == "http://127.0.0.1:4000");
        CHECK(j["apiKey"] == "ar_l...6789");
        CHECK(j["canListTasks"] == true);
        CHECK(j["baseUrlSaved"] == true);
        CHECK(j["configFile"] == home.file());
        CHECK(home.text().find("base_url = \"http://127.0.0.1:4000\"") != std::string::npos);
        CHECK(cli.fake->requests()[0].url == "http://127.0.0.1:4000/health");
        cli.input = login_key;
        cli.fake->reply(200, health_body());
        cli.fake->reply(200, example("GET /tasks/mine 200 default").dump());
        CHECK(cli.run({"login", "-q"}).out == "ci\n");  // the profile the first login made current
    }
    SECTION("a key without tasks:read (403): saved, with a warning; AGENTRAIL_* set: warned") {
        cli.env["AGENTRAIL_API_KEY"] = "ar_env_key_0000000000";
        cli.env["AGENTRAIL_BASE_URL"] = "http://127.0.0.1:3000";
        cli.fake->reply(200, health_body());
        cli.fake->reply(403, error_body("insufficient_scope", "needs tasks:read"));
        auto r = cli.run({"login"});
        CHECK(r.exit == 0);
        CHECK(r.err.find("this key cannot list tasks (it lacks the tasks:read scope)") != std::string::npos);
        CHECK(r.err.find("AGENTRAIL_API_KEY is set: it takes precedence") != std::string::npos);
        CHECK(r.err.find("AGENTRAIL_BASE_URL is set") != std::string::npos);
        CHECK(home.text().find(login_key) != std::string::npos);
    }
    SECTION("a rejected key (401): exit 3, nothing saved (text and --errors json)") {
        cli.fake->reply(200, health_body());
        cli.fake->reply(401, error_body("unauthorized", "Invalid API key"));
        auto r = cli.run({"login"});
        CHECK(r.exit == 3);
        CHECK(r.err.find("rejected this API key (Invalid API key); nothing was saved") != std::string::npos);
        CHECK_FALSE(home.exists());
        cli.input = login_key;
        cli.fake->reply(200, health_body());
        cli.fake->reply(401, error_body("unauthorized", "Invalid API key"));
        auto j = cli.run({"login", "--errors", "json"});
        CHECK(j.exit == 3);
        CHECK(j.error_json()["code"] == "unauthorized");
    }
    SECTION("no server: exit 10, one attempt, nothing saved") {
        cli.fake->fail_network();
        CHECK(cli.run({"login"}).exit == 10);
        CHECK(cli.fake->requests().size() == 1);
        CHECK_FALSE(home.exists());
    }
    SECTION("bad input: an empty key, --api-key-file: exit 2, nothing sent") {
        cli.input = " \n";
        auto r = cli.run({"login"});
        CHECK(r.exit == 2);
        CHECK(r.err.find("API key: nothing was read from standard input") != std::string::npos);
        auto f = cli.run({"login", "--api-key-file", "/tmp/whatever"});
        CHECK(f.exit == 2);
        CHECK(f.err.find("drop --api-key-file/--api-key-stdin") != std::string::npos);
        CHECK(cli.fake->requests().empty());
        CHECK_FALSE(home.exists());
    }
    SECTION("the run function alone") {
        cli.fake->reply(200, health_body());
        cli.fake->reply(200, example("GET /tasks/mine 200 default").dump());
        auto r = cli.call([](cli::Context& ctx) { return cli::run_login(cli::LoginOptions{}, ctx); },
                          [](cli::GlobalOptions& g) { g.output = "ndjson"; });
        CHECK(r.exit == 0);
        CHECK(r.ndjson().at(0)["service"] == "agentrail-service");
    }
}

TEST_CASE("config set/get/unset/use-profile", "[cli][config]") {
    CliHarness cli;
    ConfigHome home;
    cli.env["XDG_CONFIG_HOME"] = home.path;
    SECTION("set then get, in each format; the note names the file") {
        auto s = cli.run({"config", "set", "base_url", "http://127.0.0.1:4000"});
        CHECK(s.exit == 0);
        CHECK(s.out.empty());
        CHECK(s.err.find("set base_url in [profile.default] of " + home.file()) != std::string::npos);
        CHECK(cli.run({"config", "get", "base_url"}).out == "http://127.0.0.1:4000\n");
        CHECK(cli.run({"config", "get", "base_url", "-o", "json"}).json() == "http://127.0.0.1:4000");
        CHECK(cli.run({"config", "get", "base_url", "-q"}).out == "http://127.0.0.1:4000\n");
        CHECK(cli.run({"config", "set", "retries", "4"}).exit == 0);
        CHECK(cli.run({"config", "get", "retries", "--jq", "."}).out == "4\n");
        CHECK(home.text().find("retries = 4") != std::string::npos);
    }
    SECTION("api_key from standard input (masked by get); it replaces api_key_file") {
        home.write("[profile.default]\napi_key_file = \"/tmp/k\"\n");
        cli.input = "ar_live_from_stdin_0123456789\n";
        auto r = cli.run({"config", "set", "api_key"});
        CHECK(r.exit == 0);
        CHECK(r.err.find("(mode 0600)") != std::string::npos);
        CHECK(home.text().find("api_key_file") == std::string::npos);
        CHECK(cli.run({"config", "get", "api_key"}).out == "ar_l...6789\n");
    }
    SECTION("unset, then get and unset say it is not set: exit 5") {
        home.write("[profile.default]\ntimeout = \"5s\"\n");
        CHECK(cli.run({"config", "unset", "timeout"}).exit == 0);
        CHECK(home.text().find("timeout") == std::string::npos);
        auto g = cli.run({"config", "get", "timeout"});
        CHECK(g.exit == 5);
        CHECK(g.err.find("timeout is not set in [profile.default]") != std::string::npos);
        auto u = cli.run({"config", "unset", "timeout", "--errors", "json"});
        CHECK(u.exit == 5);
        CHECK(u.error_json()["code"] == "not_set");
    }
    SECTION("use-profile: the current profile changes; an unknown one is exit 2") {
        home.write("[profile.default]\nbase_url = \"http://a\"\n\n[profile.ci]\nbase_url = \"http://b\"\n");
        auto r = cli.run({"config", "use-profile", "ci"});
        CHECK(r.exit == 0);
        CHECK(r.err.find("current profile: ci") != std::string::npos);
        CHECK(home.text().find("current_profile = \"ci\"") != std::string::npos);
        auto bad = cli.run({"config", "use-profile", "nope", "--errors", "json"});
        CHECK(bad.exit == 2);
        CHECK(bad.error_json()["code"] == "unknown_profile");
        CHECK(cli.run({"config", "use-profile", "bad name!"}).exit == 2);
    }
    SECTION("bad input: exit 2 with the message, the file untouched") {
        for (const auto& [args, message] : std::vector<std::pair<std::vector<std::string>, std::string>>{
                 {{"set", "colour", "red"}, "unknown key 'colour'"},
                 {{"get", "colour"}, "unknown key 'colour'"},
                 {{"unset", "colour"}, "unknown key 'colour'"},
                 {{"set", "api_key", "ar_on_argv_123456"}, "api_key is a secret"},
                 {{"set", "base_url"}, "missing value for base_url"},
                 {{"set", "base_url", "ftp://x"}, "base_url"},
                 {{"set", "timeout", "soon"}, "timeout: invalid duration 'soon'"},
                 {{"set", "retries", "11"}, "retries: expected a number from 0 to 10, got '11'"},
             }) {
            std::vector<std::string> full = {"config"};
            full.insert(full.end(), args.begin(), args.end());
            auto r = cli.run(full);
            INFO(args.front() + " " + r.err);
            CHECK(r.exit == 2);
            CHECK(r.err.find(message) != std::string::npos);
        }
        CHECK_FALSE(home.exists());
        cli.input = "";
        CHECK(cli.run({"config", "set", "api_key"}).exit == 2);
        CHECK_FALSE(home.exists());
    }
    SECTION("the run function alone") {
        cli::ConfigSetOptions o;
        o.key = "timeout";
        o.value = "45s";
        CHECK(cli.call([&](cli::Context& ctx) { return cli::run_config_set(o, ctx); }).exit == 0);
        CHECK(home.text().find("timeout = \"45s\"") != std::string::npos);
    }
}

TEST_CASE("config list and explain in each format", "[cli][config]") {
    CliHarness cli;
    ConfigHome home;
    TempFile key_file("ar_live_from_file_0123456789\n");
    ::chmod(key_file.path.c_str(), 0600);
    cli.env["XDG_CONFIG_HOME"] = home.path;
    home.write(
        "current_profile = \"ci\"\n\n[profile.default]\nbase_url = \"http://127.0.0.1:3000\"\n"
        "api_key = \"ar_live_default_0123456789\"\n\n[profile.ci]\nbase_url = \"https://ci.example\"\n"
        "api_key_file = \"" +
        key_file.path + "\"\nretries = 2\n");
    SECTION("list: table, json, --quiet one name a line") {
        auto t = cli.run({"config", "list"});
        CHECK(t.exit == 0);
        CHECK(t.out.find("PROFILE") != std::string::npos);
        CHECK(t.out.find("inline ar_l...6789") != std::string::npos);
        CHECK(t.out.find("file " + key_file.path) != std::string::npos);
        CHECK(t.out.find("ar_live_default_0123456789") == std::string::npos);
        auto j = cli.run({"config", "list", "-o", "json"}).json();
        CHECK(j["currentProfile"] == "ci");
        CHECK(j["path"] == home.file());
        CHECK(j["profiles"]["ci"]["retries"] == 2);
        CHECK(j["profiles"]["default"]["api_key"] == "ar_l...6789");
        CHECK(cli.run({"config", "list", "-q"}).out == "default\nci\n");
        CHECK(cli.run({"config", "list", "--jq", ".profiles | keys[]"}).out == "ci\ndefault\n");
    }
    SECTION("explain: each setting and where it came from") {
        cli.env.erase("AGENTRAIL_API_KEY");
        auto j = cli.run({"config", "explain", "-o", "json"}).json();
        CHECK(j["profile"]["value"] == "ci");
        CHECK(j["baseUrl"]["value"] == "https://ci.example");
        CHECK(j["baseUrl"]["source"] == "config");
        CHECK(j["retries"]["value"] == "2");
        CHECK(j["configFile"]["read"] == true);
        CHECK(j["apiKey"]["value"] == "ar_l...6789");
        CHECK(j["apiKey"]["source"] == "config");
        auto flag = cli.run({"config", "explain", "-o", "json", "--base-url", "http://127.0.0.1:9"}).json();
        CHECK(flag["baseUrl"]["source"] == "flag");
        CHECK(flag["baseUrl"]["origin"] == "--base-url");
        auto t = cli.run({"config", "explain", "--profile", "default"});
        CHECK(t.exit == 0);
        CHECK(t.out.find("Precedence: flags > environment") != std::string::npos);
        CHECK(t.out.find("ar_l...6789") != std::string::npos);
        CHECK(t.out.find("ar_live_default_0123456789") == std::string::npos);
        CHECK(cli.run({"config", "explain", "-q", "--profile", "default"}).out == "http://127.0.0.1:3000\n");
    }
    SECTION("an api_key_file that cannot be read: exit 2, named") {
        cli.env.erase("AGENTRAIL_API_KEY");  // else the environment's key wins and the file is not read
        std::remove(key_file.path.c_str());
        auto r = cli.run({"config", "explain", "--errors", "json"});
        CHECK(r.exit == 2);
        CHECK(r.error_json()["message"].get<std::string>().find("cannot read " + key_file.path) !=
              std::string::npos);
    }
    SECTION("a config file that does not parse: exit 2") {
        home.write("[profile.default\n");
        auto r = cli.run({"config", "list"});
        CHECK(r.exit == 2);
        CHECK(r.err.find(home.file()) != std::string::npos);
    }
}
