// `keys` in-process: create/rotate (the one-time secret printed, saved to a file or to the profile) and
// usage, in each format, with their error paths.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "commands/keys.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {

const std::string key_id = "akey_01JY52RRF5PAGHT5DCZXJ4N2DG";

std::vector<std::string> create_args() {
    return {"keys",           "create",
            "--agent-id",     "agt_ci_reader",
            "--display-name", "CI Reader",
            "--role",         "platform_ci",
            "--scope",        "ci:read",
            "--scope",        "ci:read",
            "--external",     "github:agentrail-ci-reader"};
}

std::vector<std::string> with(std::vector<std::string> args, std::initializer_list<std::string> more) {
    args.insert(args.end(), more);
    return args;
}

/// A temporary directory, removed with what is in it.
struct TempDir {
    std::string path;
    TempDir() {
        char name[] = "/tmp/agentrail-cli-keys-XXXXXX";
        path = mkdtemp(name);
    }
    ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
    std::string read(const std::string& file) const {
        std::ifstream in(path + "/" + file);
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }
};

}  // namespace

TEST_CASE("keys create: the request, the secret shown once", "[cli][keys]") {
    CliHarness cli;
    const auto& created = example("POST /agent-api-keys 201 default");
    SECTION("json: the server's data, the request from the flags") {
        cli.fake->reply(201, created.dump());
        auto r = cli.run(with(create_args(), {"--rate-limit", "100/1m", "-o", "json"}));
        CHECK(r.exit == 0);
        CHECK(r.json() == created["data"]);
        auto body = json::parse(cli.fake->last().body);
        CHECK(body["scopes"] == json::array({"ci:read"}));
        CHECK(body["rateLimit"] == json({{"maxRequests", 100}, {"windowSeconds", 60}}));
        CHECK(body["agent"]["externalIdentities"][0] ==
              json({{"provider", "github"}, {"subject", "agentrail-ci-reader"}}));
    }
    SECTION("table: the key, then a warning to store it") {
        cli.fake->reply(201, created.dump());
        auto r = cli.run(create_args());
        CHECK(r.exit == 0);
        CHECK(r.out.find("ar_live_example_created_once") != std::string::npos);
        CHECK(r.out.find("600 per 60s") != std::string::npos);
        CHECK(r.err.find("warning: store this API key now") != std::string::npos);
    }
    SECTION("--quiet: the secret alone") {
        cli.fake->reply(201, created.dump());
        CHECK(cli.run(with(create_args(), {"-q"})).out == "ar_live_example_created_once\n");
    }
    SECTION("--save-to: the file holds it, stdout does not") {
        TempDir dir;
        cli.fake->reply(201, created.dump());
        auto r = cli.run(with(create_args(), {"--save-to", dir.path + "/key", "-o", "json"}));
        CHECK(r.exit == 0);
        CHECK(dir.read("key") == "ar_live_example_created_once\n");
        CHECK_FALSE(r.json().contains("apiKey"));
        CHECK(r.err.find("API key written to " + dir.path + "/key (mode 0600)") != std::string::npos);
        struct stat st {};
        REQUIRE(::stat((dir.path + "/key").c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
    }
    SECTION("bad flags: exit 2, nothing sent") {
        for (const auto& args : std::vector<std::vector<std::string>>{
                 with(create_args(), {"--rate-limit", "600"}),
                 with(create_args(), {"--rate-limit", "600/5s"}),
                 with(create_args(), {"--scope", "everything"}),
                 with(create_args(), {"--external", "github"}),
                 with(create_args(), {"--expires-at", "2020-01-01T00:00:00Z"}),
                 {"keys", "create", "--agent-id", "bob", "--display-name", "B", "--role", "r", "--scope",
                  "ci:read"},
             }) {
            auto r = cli.run(args);
            INFO(args.back());
            CHECK(r.exit == 2);
        }
        CHECK(cli.fake->requests().empty());
    }
    SECTION("works without a key (a server with no keys yet); 403 is exit 4") {
        cli.env.erase("AGENTRAIL_API_KEY");
        cli.fake->reply(403, error_body("insufficient_scope", "needs auth:admin"));
        auto r = cli.run(create_args());
        CHECK(r.exit == 4);
        CHECK(cli.fake->requests().size() == 1);
    }
}

TEST_CASE("keys rotate: the new secret, saved into the profile with --save", "[cli][keys]") {
    CliHarness cli;
    const auto& rotated = example("POST /agent-api-keys/{keyId}/rotate 201 default");
    SECTION("printed") {
        cli.fake->reply(201, rotated.dump());
        auto r = cli.run({"keys", "rotate", key_id, "--expires-at", "2099-01-01T00:00:00Z", "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(r.json()["apiKey"] == "ar_live_example_replacement");
        CHECK(cli.fake->last().url == "http://127.0.0.1:3000/agent-api-keys/" + key_id + "/rotate");
        CHECK(json::parse(cli.fake->last().body)["expiresAt"] == "2099-01-01T00:00:00Z");
    }
    SECTION("--save: into the profile of the config file in the (injected) XDG_CONFIG_HOME") {
        TempDir dir;
        cli.env["XDG_CONFIG_HOME"] = dir.path;
        cli.fake->reply(201, rotated.dump());
        auto r = cli.run({"keys", "rotate", key_id, "--save", "-q"});
        CHECK(r.exit == 0);
        CHECK(r.out == "akey_01JY52WNA3Z1W3HPJSK3V7S3M2\n");
        auto config = dir.read("agentrail/config.toml");
        CHECK(config.find("ar_live_example_replacement") != std::string::npos);
        CHECK(config.find("[profile.default]") != std::string::npos);
        CHECK(r.err.find("AGENTRAIL_API_KEY is set: it takes precedence") != std::string::npos);
    }
    SECTION("an unknown key id: exit 3, said to be the key id") {
        cli.fake->reply(401, error_body("unauthorized", "Agent API key was not found."));
        auto r = cli.run({"keys", "rotate", "akey_nope"});
        CHECK(r.exit == 3);
        CHECK(r.err.find("API key id akey_nope was not found") != std::string::npos);
    }
    SECTION("an inactive key: exit 6") {
        cli.fake->reply(409, example("POST /agent-api-keys/{keyId}/rotate 409 inactive").dump());
        CHECK(cli.run({"keys", "rotate", key_id}).exit == 6);
    }
    SECTION("--save and --save-to together, a bad id: exit 2") {
        CHECK(cli.run({"keys", "rotate", key_id, "--save", "--save-to", "/tmp/x"}).exit == 2);
        CHECK(cli.run({"keys", "rotate", "key_1"}).exit == 2);
        CHECK(cli.fake->requests().empty());
    }
}

TEST_CASE("keys usage in each format", "[cli][keys]") {
    CliHarness cli;
    const auto& usage = example("GET /agent-api-keys/{keyId}/usage 200 default");
    SECTION("table") {
        cli.fake->reply(200, usage.dump());
        auto r = cli.run({"keys", "usage", key_id});
        CHECK(r.exit == 0);
        CHECK(r.out.find("12 of 600 used in this 60s window (588 left)") != std::string::npos);
        CHECK(r.out.find("get_task_ci_status") != std::string::npos);
        CHECK(r.out.find("SCOPE") != std::string::npos);
    }
    SECTION("json, --jq, --quiet") {
        cli.fake->reply(200, usage.dump());
        CHECK(cli.run({"keys", "usage", key_id, "-o", "json"}).json() == usage["data"]);
        cli.fake->reply(200, usage.dump());
        CHECK(cli.run({"keys", "usage", key_id, "--jq", ".totals.accepted"}).out == "42\n");
        cli.fake->reply(200, usage.dump());
        CHECK(cli.run({"keys", "usage", key_id, "-q"}).out == key_id + "\n");
    }
    SECTION("the run function alone") {
        cli.fake->reply(200, usage.dump());
        cli::KeyUsageOptions o;
        o.id = key_id;
        auto r = cli.call([&](cli::Context& ctx) { return cli::run_key_usage(o, ctx); },
                          [](cli::GlobalOptions& g) { g.output = "ndjson"; });
        CHECK(r.exit == 0);
        CHECK(r.ndjson().at(0)["totals"]["denied"] == 1);
    }
}
