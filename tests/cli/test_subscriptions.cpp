// `subscriptions` in-process: list/get/delete in each format, create's secret handling, error paths.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "commands/subscriptions.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {
const std::string sub_id = "evsub_01JY5046P0GQF33KKV80M0X19A";
}

TEST_CASE("subscriptions list in each format", "[cli][subscriptions]") {
    CliHarness cli;
    const auto& list = example("GET /event-subscriptions 200 default");
    SECTION("table") {
        cli.fake->reply(200, list.dump());
        auto r = cli.run({"subs", "list"});
        CHECK(r.exit == 0);
        CHECK(r.out.rfind("ID", 0) == 0);
        CHECK(r.out.find("task.awaiting_user, task.updated") != std::string::npos);
        CHECK(r.out.find("https://agents.example.com/webhooks/archive") != std::string::npos);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 3);
    }
    SECTION("json, ndjson, --quiet, --jq") {
        cli.fake->reply(200, list.dump());
        CHECK(cli.run({"subscriptions", "list", "--json"}).json() == list["data"]);
        cli.fake->reply(200, list.dump());
        CHECK(cli.run({"subscriptions", "list", "-o", "ndjson"}).ndjson().size() == 2);
        cli.fake->reply(200, list.dump());
        CHECK(cli.run({"subscriptions", "list", "-q"}).out ==
              sub_id + "\nevsub_01JY505D3N3NQ96Z4BNC5S40A1\n");
        cli.fake->reply(200, list.dump());
        CHECK(cli.run({"subscriptions", "list", "--jq", ".[1].status"}).out == "disabled\n");
    }
    SECTION("a key without webhooks:read: exit 4") {
        cli.fake->reply(403,
                        error_body("insufficient_scope", "needs webhooks:read",
                                   {{"requiredScope", "webhooks:read"}, {"grantedScopes", {"tasks:read"}}}));
        auto r = cli.run({"subscriptions", "list"});
        CHECK(r.exit == 4);
        CHECK(r.err.find("needs webhooks:read (key has: tasks:read)") != std::string::npos);
    }
}

TEST_CASE("subscriptions get and delete", "[cli][subscriptions]") {
    CliHarness cli;
    SECTION("get: json and table") {
        const json env = {{"data", example("POST /event-subscriptions 201 default")["data"]}};
        cli.fake->reply(200, env.dump());
        auto r = cli.run({"subs", "get", sub_id, "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(r.json() == env["data"]);
        CHECK(cli.fake->last().url == "http://127.0.0.1:3000/event-subscriptions/" + sub_id);
        cli.fake->reply(200, env.dump());
        auto table = cli.run({"subs", "get", sub_id});
        CHECK(table.out.find("Max attempts") != std::string::npos);
        CHECK(table.out.find("hmac_sha256") != std::string::npos);
    }
    SECTION("delete (alias deactivate): DELETE, --quiet the id") {
        cli.fake->reply(202, example("DELETE /event-subscriptions/{subscriptionId} 202 default").dump());
        auto r = cli.run({"subs", "deactivate", sub_id, "-q"});
        CHECK(r.exit == 0);
        CHECK(r.out == sub_id + "\n");
        CHECK(cli.fake->last().method == Method::del);
    }
    SECTION("a malformed id: exit 2, nothing sent") {
        CHECK(cli.run({"subs", "get", "sub_1"}).exit == 2);
        CHECK(cli.run({"subs", "delete", "../x"}).exit == 2);
        CHECK(cli.fake->requests().empty());
    }
    SECTION("unknown: exit 5") {
        cli.fake->reply(404, error_body("not_found", "no such subscription"));
        CHECK(cli.run({"subs", "get", "evsub_nope"}).exit == 5);
    }
}

TEST_CASE("subscriptions create: the secret generated, read, or saved", "[cli][subscriptions]") {
    CliHarness cli;
    const auto& created = example("POST /event-subscriptions 201 default");
    SECTION("generated: shown once in the json, the request carries it") {
        cli.fake->reply(201, created.dump());
        auto r = cli.run({"subs", "create", "--url", "https://agents.example.com/hook", "--event-type",
                          "task.updated", "--event-type", "task.updated", "--event-type", "task.shipped",
                          "-o", "json"});
        CHECK(r.exit == 0);
        auto body = json::parse(cli.fake->last().body);
        CHECK(body["eventTypes"] == json::array({"task.updated", "task.shipped"}));  // de-duplicated
        const std::string secret = body["secret"];
        CHECK(secret.rfind("whsec_", 0) == 0);
        CHECK(secret.size() == 70);
        auto shown = r.json();
        CHECK(shown["secret"] == secret);
        CHECK(shown["id"] == sub_id);
    }
    SECTION("generated, table: a warning to store it now") {
        cli.fake->reply(201, created.dump());
        auto r = cli.run({"subs", "create", "--url", "https://a.example/h", "--event-type", "task.updated"});
        CHECK(r.exit == 0);
        CHECK(r.out.find("Signing secret") != std::string::npos);
        CHECK(r.err.find("warning: store the signing secret now") != std::string::npos);
    }
    SECTION("generated, --quiet: the id, then the secret") {
        cli.fake->reply(201, created.dump());
        auto r =
            cli.run({"subs", "create", "--url", "https://a.example/h", "--event-type", "task.updated", "-q"});
        // Two lines, the id then the secret, so a script reads them apart (`read -r id; read -r secret`).
        CHECK(r.exit == 0);
        REQUIRE(r.out.size() == sub_id.size() + 1 + 70 + 1);
        CHECK(r.out.rfind(sub_id + "\nwhsec_", 0) == 0);
        CHECK(r.out.back() == '\n');
        CHECK(r.out.find("\\x") == std::string::npos);
    }
    SECTION("--secret-env: read from the environment given") {
        cli.env["HOOK_SECRET"] = "  0123456789abcdef0123  ";
        cli.fake->reply(201, created.dump());
        auto r = cli.run({"subs", "create", "--url", "https://a.example/h", "--event-type", "task.updated",
                          "--secret-env", "HOOK_SECRET", "-o", "json"});
        CHECK(r.exit == 0);
        CHECK(json::parse(cli.fake->last().body)["secret"] == "0123456789abcdef0123");
        CHECK_FALSE(r.json().contains("secret"));  // not generated: not shown
    }
    SECTION("--secret-env unset, or too short: exit 2, nothing sent") {
        CHECK(cli.run({"subs", "create", "--url", "https://a.example/h", "--event-type", "task.updated",
                       "--secret-env", "NOT_SET_ANYWHERE"})
                  .exit == 2);
        cli.env["SHORT"] = "short";
        CHECK(cli.run({"subs", "create", "--url", "https://a.example/h", "--event-type", "task.updated",
                       "--secret-env", "SHORT"})
                  .exit == 2);
        CHECK(cli.run({"subs", "create", "--url", "ftp://a.example", "--event-type", "task.updated"}).exit ==
              2);
        CHECK(
            cli.run({"subs", "create", "--url", "https://a.example", "--event-type", "task.deleted"}).exit ==
            2);
        CHECK(cli.fake->requests().empty());
    }
    SECTION("--save-secret-to: written with mode 0600, not printed") {
        char dir_template[] = "/tmp/agentrail-cli-test-XXXXXX";
        REQUIRE(mkdtemp(dir_template) != nullptr);
        const std::string path = std::string(dir_template) + "/secret";
        cli.fake->reply(201, created.dump());
        auto r = cli.run({"subs", "create", "--url", "https://a.example/h", "--event-type", "task.updated",
                          "--save-secret-to", path, "-o", "json"});
        CHECK(r.exit == 0);
        CHECK_FALSE(r.json().contains("secret"));
        CHECK(r.err.find("signing secret written to " + path + " (mode 0600)") != std::string::npos);
        std::ifstream in(path);
        std::string saved;
        std::getline(in, saved);
        CHECK(saved == json::parse(cli.fake->last().body)["secret"]);
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
        std::remove(path.c_str());
        cli.fake->reply(201, created.dump());
        auto quiet = cli.run({"subs", "create", "--url", "https://a.example/h", "--event-type",
                              "task.updated", "--save-secret-to", path, "-q"});
        CHECK(quiet.out == sub_id + "\n");  // saved, so not printed: the id alone
        std::remove(path.c_str());
        ::rmdir(dir_template);
    }
    SECTION("a duplicate: exit 6 with the contract's message") {
        cli.fake->reply(409, example("POST /event-subscriptions 409 duplicate").dump());
        auto r = cli.run({"subs", "create", "--url", "https://a.example/h", "--event-type", "task.updated"});
        CHECK(r.exit == 6);
        CHECK(r.err.find("An active subscription already exists") != std::string::npos);
    }
}
