// `doctor` as a list of checks: each check on its own (a DoctorState built by hand or by the checks before
// it), then the whole command's report and exit code.

#include <catch2/catch.hpp>

#include "cli_harness.hpp"
#include "commands/doctor.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {

/// GET /health as the contract's example, with the server's clock at `time`.
std::string health(const std::string& status = "ok", const std::string& time = "2026-05-28T20:26:40Z") {
    json h = example("GET /health 200 cloud");
    h["status"] = status;
    h["time"] = time;
    return h.dump();
}

std::string tasks_page(const json& items) {
    return json{{"data", items}, {"page", {{"hasMore", false}}}}.dump();
}

json summary(const std::string& id, const std::string& status) {
    json t = example("GET /tasks/mine 200 default")["data"][0];
    t["id"] = id;
    t["status"] = status;
    return t;
}

/// Runs `checks` in order on one state (each as doctor would), returning the last one's result.
template <typename... Checks>
std::optional<cli::DoctorResult> run_checks(cli::DoctorState& state, Checks... checks) {
    std::optional<cli::DoctorResult> last;
    ((last = checks(state)), ...);
    return last;
}

/// A harness Context for the check functions (no command line).
struct CheckBench {
    CliHarness cli;
    CapturedStream out, err;
    std::unique_ptr<cli::Context> ctx;
    std::unique_ptr<cli::DoctorState> state;
    void start() {
        ctx = std::make_unique<cli::Context>(cli.deps(out.file(), err.file()));
        state = std::make_unique<cli::DoctorState>(*ctx);
    }
    /// config, client and reachability, done (the server answers `health_body`).
    void reach(const std::string& health_body = health()) {
        cli.fake->reply(200, health_body);
        start();
        run_checks(*state, cli::doctor_check_config, cli::doctor_check_client,
                   cli::doctor_check_reachability);
    }
};

}  // namespace

TEST_CASE("doctor check config: where the settings come from, the key masked", "[cli][doctor]") {
    CheckBench b;
    SECTION("a key from the environment") {
        b.start();
        auto r = cli::doctor_check_config(*b.state);
        REQUIRE(r);
        CHECK(r->id == "config");
        CHECK(r->result == "ok");
        CHECK(r->detail == "base URL http://127.0.0.1:3000 (default); key ar_t...3456 (env)");
        CHECK(r->extra["apiKeySource"] == "env");
        CHECK(r->extra["profile"] == "default");
        CHECK(b.state->settings != nullptr);
    }
    SECTION("no key: a warning with the fix") {
        b.cli.env.erase("AGENTRAIL_API_KEY");
        b.cli.env["AGENTRAIL_BASE_URL"] = "http://127.0.0.1:9";
        b.start();
        auto r = cli::doctor_check_config(*b.state);
        CHECK(r->result == "warn");
        CHECK(r->detail == "base URL http://127.0.0.1:9 (env); no API key");
        CHECK(r->hint.find("AGENTRAIL_API_KEY") != std::string::npos);
    }
    SECTION("settings that do not resolve: fail, and nothing after it can run") {
        b.cli.env["AGENTRAIL_BASE_URL"] = "ftp://nowhere";
        b.start();
        auto r = cli::doctor_check_config(*b.state);
        CHECK(r->result == "fail");
        CHECK(r->error != nullptr);
        CHECK(r->hint.find("config explain") != std::string::npos);
        CHECK_FALSE(cli::doctor_check_client(*b.state));
        auto reach = cli::doctor_check_reachability(*b.state);
        CHECK(reach->result == "warn");
        CHECK(reach->detail == "not checked: no usable settings");
        CHECK(cli::doctor_check_clock_skew(*b.state)->detail == "not checked: no usable settings");
        CHECK(cli::doctor_check_auth(*b.state)->detail == "not checked: server unreachable");
    }
}

TEST_CASE("doctor check reachability: /health answered, and how", "[cli][doctor]") {
    CheckBench b;
    SECTION("ok") {
        b.cli.fake->reply(200, health());
        b.start();
        auto r = run_checks(*b.state, cli::doctor_check_config, cli::doctor_check_client,
                            cli::doctor_check_reachability);
        CHECK(r->result == "ok");
        CHECK(r->detail.rfind("GET /health: ok in ", 0) == 0);
        CHECK(b.cli.fake->last().url == "http://127.0.0.1:3000/health");
    }
    SECTION("the server says it is not healthy: warn") {
        b.cli.fake->reply(200, health("degraded"));
        b.start();
        auto r = run_checks(*b.state, cli::doctor_check_config, cli::doctor_check_client,
                            cli::doctor_check_reachability);
        CHECK(r->result == "warn");
        CHECK(r->hint == "the server reports it is not healthy");
    }
    SECTION("no answer: fail at once (doctor does not retry)") {
        b.cli.fake->fail_network();
        b.start();
        auto r = run_checks(*b.state, cli::doctor_check_config, cli::doctor_check_client,
                            cli::doctor_check_reachability);
        CHECK(r->result == "fail");
        CHECK(r->detail.rfind("transport: ", 0) == 0);
        CHECK(r->hint.find("is the server running?") == 0);
        CHECK(b.cli.fake->requests().size() == 1);
        CHECK(cli::doctor_check_clock_skew(*b.state)->detail == "not checked: server unreachable");
    }
}

TEST_CASE("doctor check clock_skew: the server's time against the local clock", "[cli][doctor]") {
    CheckBench b;
    SECTION("in step") {
        b.reach(health("ok", "2026-05-28T20:26:40Z"));
        auto r = cli::doctor_check_clock_skew(*b.state);
        CHECK(r->result == "ok");
        CHECK(r->detail == "local clock ahead of the server by 0.0 s");
        CHECK(r->extra["skewSeconds"] == 0.0);
    }
    SECTION("two minutes behind the server, an offset time: warn") {
        b.reach(health("ok", "2026-05-28T22:28:40+02:00"));
        auto r = cli::doctor_check_clock_skew(*b.state);
        CHECK(r->result == "warn");
        CHECK(r->detail == "local clock behind the server by 120.0 s");
        CHECK(r->hint.find("NTP") != std::string::npos);
    }
    SECTION("a time that does not parse") {
        b.reach(health("ok", "yesterday"));
        auto r = cli::doctor_check_clock_skew(*b.state);
        CHECK(r->result == "warn");
        CHECK(r->detail == "the server did not report a usable time ('yesterday')");
    }
}

TEST_CASE("doctor check auth: the key accepted, refused, or without tasks:read", "[cli][doctor]") {
    CheckBench b;
    SECTION("accepted") {
        b.reach();
        b.cli.fake->reply(200, tasks_page(json::array()));
        auto r = cli::doctor_check_auth(*b.state);
        CHECK(r->result == "ok");
        CHECK(r->detail == "key accepted (GET /tasks/mine)");
        CHECK(b.cli.fake->last().url == "http://127.0.0.1:3000/tasks/mine?limit=1");
        CHECK(b.state->authenticated);
    }
    SECTION("refused: fail, and scopes and tasks are not checked") {
        b.reach();
        b.cli.fake->reply(401, error_body("unauthorized", "unknown key"));
        auto r = cli::doctor_check_auth(*b.state);
        CHECK(r->result == "fail");
        CHECK(r->hint.find("rotated or expired") != std::string::npos);
        CHECK(cli::doctor_check_scopes(*b.state)->detail == "not checked: the key was not accepted");
        CHECK(cli::doctor_check_tasks(*b.state)->detail == "not checked: the key was not accepted");
    }
    SECTION("403: the key is valid but may not list tasks") {
        b.reach();
        b.cli.fake->reply(403, error_body("insufficient_scope", "needs tasks:read"));
        auto r = cli::doctor_check_auth(*b.state);
        CHECK(r->result == "ok");
        CHECK(r->detail == "key accepted, but it may not list tasks: needs tasks:read");
        CHECK_FALSE(b.state->can_read_tasks);
        auto tasks = cli::doctor_check_tasks(*b.state);
        CHECK(tasks->result == "warn");
        CHECK(tasks->hint == "ask for a key with tasks:read");
    }
}

TEST_CASE("doctor check scopes: revealed by a 403, else proven by what works", "[cli][doctor]") {
    CheckBench b;
    b.reach();
    b.cli.fake->reply(200, tasks_page(json::array()));
    cli::doctor_check_auth(*b.state);
    SECTION("granted scopes from a 403, the missing ones named") {
        b.cli.fake->reply(403, error_body("insufficient_scope", "no",
                                          {{"requiredScope", "webhooks:read"},
                                           {"grantedScopes", json::array({"tasks:read", "events:read"})}}));
        auto r = cli::doctor_check_scopes(*b.state);
        CHECK(r->result == "warn");
        CHECK(r->detail == "tasks:read, events:read (missing tasks:write)");
        CHECK(r->extra["grantedScopes"] == json::array({"tasks:read", "events:read"}));
        CHECK(b.cli.fake->pending() == 0);  // the usage probe is not sent once scopes are known
    }
    SECTION("nothing revealed: the scopes the reads proved") {
        b.cli.fake->reply(200, example("GET /event-subscriptions 200 default").dump());
        b.cli.fake->reply(404, error_body("not_found", "no such key"));
        auto r = cli::doctor_check_scopes(*b.state);
        CHECK(r->result == "ok");
        CHECK(r->detail == "unknown (includes tasks:read, webhooks:read)");
        CHECK(b.cli.fake->last().url == "http://127.0.0.1:3000/agent-api-keys/akey_doctorprobe/usage");
    }
}

TEST_CASE("doctor check tasks: visible tasks counted by status", "[cli][doctor]") {
    CheckBench b;
    b.reach();
    b.cli.fake->reply(200, tasks_page(json::array()));
    cli::doctor_check_auth(*b.state);
    SECTION("some") {
        b.cli.fake->reply(200, tasks_page(json::array({summary("tsk_1", "todo"), summary("tsk_2", "todo"),
                                                       summary("tsk_3", "blocked")})));
        auto r = cli::doctor_check_tasks(*b.state);
        CHECK(r->result == "ok");
        CHECK(r->detail == "3 visible tasks (1 blocked, 2 todo)");
        CHECK(r->extra["byStatus"] == json({{"blocked", 1}, {"todo", 2}}));
    }
    SECTION("none: warn") {
        b.cli.fake->reply(200, tasks_page(json::array()));
        auto r = cli::doctor_check_tasks(*b.state);
        CHECK(r->result == "warn");
        CHECK(r->detail == "0 visible tasks");
    }
    SECTION("a server error: fail") {
        b.cli.fake->reply(500, error_body("internal", "boom"));
        auto r = cli::doctor_check_tasks(*b.state);
        CHECK(r->result == "fail");
        CHECK(r->hint.find("retry later") != std::string::npos);
    }
}

TEST_CASE("doctor: the report in every format, exit 0 when nothing fails", "[cli][doctor]") {
    CliHarness cli;
    auto script = [&] {
        cli.fake->reply(200, health());
        cli.fake->reply(200, tasks_page(json::array({summary("tsk_1", "todo")})));
        cli.fake->reply(200, example("GET /event-subscriptions 200 default").dump());
        cli.fake->reply(200, example("GET /agent-api-keys/{keyId}/usage 200 default").dump());
        cli.fake->reply(200, tasks_page(json::array({summary("tsk_1", "todo")})));
    };
    SECTION("json") {
        script();
        auto r = cli.run({"doctor", "-o", "json"});
        CHECK(r.exit == 0);
        auto report = r.json();
        CHECK(report["ok"] == true);
        std::vector<std::string> ids;
        for (const auto& c : report["checks"]) ids.push_back(c["id"]);
        CHECK(ids ==
              std::vector<std::string>{"config", "reachability", "clock_skew", "auth", "scopes", "tasks"});
        CHECK(report["checks"][5]["detail"] == "1 visible task (1 todo)");
        CHECK(report["checks"][4]["detail"] == "unknown (includes tasks:read, webhooks:read, usage:read)");
    }
    SECTION("table") {
        script();
        auto r = cli.run({"doctor"});
        CHECK(r.exit == 0);
        CHECK(r.out.rfind("CHECK", 0) == 0);
        CHECK(r.out.find("clock_skew") != std::string::npos);
        CHECK(r.out.find("local clock ahead of the server by 0.0 s") != std::string::npos);
    }
    SECTION("--quiet: ok") {
        script();
        CHECK(cli.run({"doctor", "-q"}).out == "ok\n");
    }
    SECTION("--jq") {
        script();
        CHECK(cli.run({"doctor", "--jq", ".checks | length"}).out == "6\n");
    }
}

TEST_CASE("doctor: the first failing check's error gives the exit code", "[cli][doctor]") {
    CliHarness cli;
    SECTION("server down: exit 10, the report still printed") {
        cli.fake->fail_network();
        auto r = cli.run({"doctor", "-o", "json", "--errors", "json"});
        CHECK(r.exit == 10);
        auto report = r.json();
        CHECK(report["ok"] == false);
        CHECK(report["checks"][1]["result"] == "fail");
        CHECK(report["checks"][2]["detail"] == "not checked: server unreachable");
        CHECK(r.error_json()["operation"] == "doctor: reachability");
    }
    SECTION("key refused: exit 3") {
        cli.fake->reply(200, health());
        cli.fake->reply(401, error_body("unauthorized", "unknown key"));
        auto r = cli.run({"doctor", "-q"});
        CHECK(r.exit == 3);
        CHECK(r.out == "fail\n");
        CHECK(r.err.find("doctor: auth") != std::string::npos);
    }
    SECTION("no key is not a failure of its own") {
        cli.env.erase("AGENTRAIL_API_KEY");
        cli.fake->reply(200, health());
        cli.fake->reply(401, error_body("unauthorized", "missing key"));
        auto r = cli.run({"doctor", "-o", "json"});
        CHECK(r.exit == 3);
        CHECK(r.json()["checks"][0]["result"] == "warn");
        CHECK(header_of(cli.fake->requests()[0], "authorization").empty());
    }
}
