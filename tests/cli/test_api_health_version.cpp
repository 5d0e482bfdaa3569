// `health`, `version` and `api` in-process: outputs in each format, requests, error paths.

#include <catch2/catch.hpp>

#include "agentrail/version.hpp"
#include "cli_harness.hpp"
#include "commands/api.hpp"
#include "commands/health.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

TEST_CASE("health: the bare object in each format, no key needed", "[cli][health]") {
    CliHarness cli;
    cli.env.erase("AGENTRAIL_API_KEY");
    const auto& h = example("GET /health 200 cloud");
    SECTION("table") {
        cli.fake->reply(200, h.dump());
        auto r = cli.run({"health"});
        CHECK(r.exit == 0);
        for (const char* text : {"Status", "ok", "Service", "agentrail-service", "Base URL",
                                 "https://api.agentrail.app/v1", "Server time", "2026-05-04T14:54:17Z"})
            CHECK(r.out.find(text) != std::string::npos);
        CHECK(header_of(cli.fake->last(), "authorization").empty());
    }
    SECTION("json, ndjson, --jq, --quiet") {
        cli.fake->reply(200, h.dump());
        CHECK(cli.run({"health", "-o", "json"}).json() == h);
        cli.fake->reply(200, h.dump());
        CHECK(cli.run({"health", "-o", "ndjson"}).out == h.dump() + "\n");
        cli.fake->reply(200, h.dump());
        CHECK(cli.run({"health", "--jq", ".uptimeSeconds"}).out == "43\n");
        cli.fake->reply(200, h.dump());
        CHECK(cli.run({"health", "-q"}).out == "ok\n");
    }
    SECTION("maintenance: exit 9 after the retries") {
        for (int i = 0; i < 3; ++i) cli.fake->reply(503, error_body("maintenance", "down for maintenance"));
        auto r = cli.run({"health"});
        CHECK(r.exit == 9);
        CHECK(r.err.find("health check") != std::string::npos);
        CHECK(cli.fake->requests().size() == 3);  // the default: 2 retries after the first attempt
        CHECK(cli.sleeps.size() == 2);
    }
    SECTION("the run function alone") {
        cli.fake->reply(200, h.dump());
        auto r = cli.call([](cli::Context& ctx) { return cli::run_health({}, ctx); },
                          [](cli::GlobalOptions& g) { g.quiet = true; });
        CHECK(r.exit == 0);
        CHECK(r.out == "ok\n");
    }
}

TEST_CASE("version: the versions in each format, nothing sent", "[cli][version]") {
    CliHarness cli;
    auto text = cli.run({"version"});
    CHECK(text.exit == 0);
    CHECK(text.out.rfind("agentrail ", 0) == 0);
    CHECK(text.out.find("libagentrail " + std::string(agentrail::version())) != std::string::npos);
    auto j = cli.run({"version", "-o", "json"}).json();
    CHECK(j["library"] == agentrail::version());
    for (const char* key : {"cli", "commit", "buildDate", "curl"}) CHECK(j.contains(key));
    CHECK(cli.run({"version", "-q"}).out == j["cli"].get<std::string>() + "\n");
    CHECK(cli.fake->requests().empty());
}

TEST_CASE("api: any route, the body as JSON", "[cli][api]") {
    CliHarness cli;
    SECTION("GET with a query; the whole envelope printed") {
        const auto& page = example("GET /tasks/mine 200 default");
        cli.fake->reply(200, page.dump());
        auto r = cli.run({"api", "get", "/tasks/mine?limit=2"});
        CHECK(r.exit == 0);
        CHECK(r.json() == page);
        CHECK(cli.fake->last().method == Method::get);
        CHECK(cli.fake->last().url == "http://127.0.0.1:3000/tasks/mine?limit=2");
        CHECK(header_of(cli.fake->last(), "idempotency-key").empty());
    }
    SECTION("POST with --data, a header and the idempotency key") {
        cli.fake->reply(201, R"({"data":{"ok":true}})");
        auto r = cli.run({"api", "POST", "/event-subscriptions", "-d", R"({"url":"https://x.example"})", "-H",
                          "X-Trace: t1", "--idempotency-key", "api-key-00001", "--jq", ".data.ok"});
        CHECK(r.exit == 0);
        CHECK(r.out == "true\n");
        CHECK(json::parse(cli.fake->last().body) == json({{"url", "https://x.example"}}));
        CHECK(header_of(cli.fake->last(), "x-trace") == "t1");
        CHECK(header_of(cli.fake->last(), "idempotency-key") == "api-key-00001");
    }
    SECTION("an unknown route: exit 5") {
        cli.fake->reply(404, error_body("not_found", "no route"));
        auto r = cli.run({"api", "GET", "/nope", "--errors", "json"});
        CHECK(r.exit == 5);
        CHECK(r.error_json()["operation"] == "GET /nope");
    }
    SECTION("usage errors: exit 2, nothing sent") {
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {"api", "FETCH", "/tasks/mine"},
                 {"api", "GET", "tasks/mine"},
                 {"api", "POST", "/x", "-d", "{not json"},
                 {"api", "GET", "/x", "-H", "no colon"},
                 {"api", "GET", "/x", "-H", "Authorization: Bearer other"},
                 {"api", "GET"},
             }) {
            auto r = cli.run(args);
            INFO(args.back());
            CHECK(r.exit == 2);
            CHECK(r.out.empty());
        }
        CHECK(cli.fake->requests().empty());
    }
    SECTION("the run function alone") {
        cli.fake->reply(200, R"({"status":"ok"})");
        cli::ApiOptions o;
        o.method = "get";
        o.path = "/health";
        auto r = cli.call([&](cli::Context& ctx) { return cli::run_api(o, ctx); });
        CHECK(r.exit == 0);
        CHECK(r.json() == json({{"status", "ok"}}));
    }
}

TEST_CASE("config path follows the injected environment", "[cli][config]") {
    CliHarness cli;
    CHECK(cli.run({"config", "path"}).out ==
          "/nonexistent/agentrail-cli-tests/.config/agentrail/config.toml\n");
    cli.env["XDG_CONFIG_HOME"] = "/xdg";
    CHECK(cli.run({"config", "path"}).out == "/xdg/agentrail/config.toml\n");
    cli.env["XDG_CONFIG_HOME"] = "relative";  // not absolute: ignored, as the XDG spec says
    CHECK(cli.run({"config", "path"}).out ==
          "/nonexistent/agentrail-cli-tests/.config/agentrail/config.toml\n");
}
