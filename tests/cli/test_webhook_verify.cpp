// `webhook verify` in-process: the secret from the injected environment or a file, the signature from the
// flag or a headers file, the exit codes, and --print in each format. Nothing is sent.

#include <cstdio>
#include <fstream>

#include <catch2/catch.hpp>

#include "agentrail/webhook.hpp"
#include "cli_harness.hpp"
#include "commands/webhook.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {

const std::string secret = "whsec_0123456789abcdef0123456789abcdef";
const std::string body = R"({"id":"evt_1","type":"task.updated","data":{"taskId":"tsk_1"}})";

}  // namespace

TEST_CASE("webhook verify: exit 0 for a valid signature, 12 otherwise", "[cli][webhook]") {
    CliHarness cli;
    cli.env["HOOK_SECRET"] = secret;
    TempFile file(body);
    const auto signature = sign_webhook_body(body, secret);
    SECTION("valid, quiet when stderr is not a terminal") {
        auto r = cli.run({"webhook", "verify", "--secret-env", "HOOK_SECRET", "--signature", signature,
                          "--body-file", file.path});
        CHECK(r.exit == 0);
        CHECK(r.out.empty());
        CHECK(r.err.empty());
    }
    SECTION("valid, on a terminal: says so") {
        cli.terminal.stderr_tty = true;
        auto r = cli.run({"webhook", "verify", "--secret-env", "HOOK_SECRET", "--signature", signature,
                          "--body-file", file.path});
        CHECK(r.err == "valid\n");
    }
    SECTION("a body changed by one byte: exit 12") {
        TempFile changed(body + " ");
        auto r = cli.run({"webhook", "verify", "--secret-env", "HOOK_SECRET", "--signature", signature,
                          "--body-file", changed.path, "--errors", "json"});
        CHECK(r.exit == 12);
        CHECK(r.error_json()["code"] == "signature_invalid");
    }
    SECTION("the signature from a headers file; the secret from a file") {
        TempFile headers("POST /hook HTTP/1.1\r\nx-agentrail-signature: " + signature + "\r\n\r\n");
        TempFile key(secret + "\n");
        auto r = cli.run({"webhook", "verify", "--secret-file", key.path, "--headers-file", headers.path,
                          "--body-file", file.path});
        CHECK(r.exit == 0);
    }
    SECTION("--print: the body verbatim, or in the format asked") {
        auto r = cli.run({"webhook", "verify", "--secret-env", "HOOK_SECRET", "--signature", signature,
                          "--body-file", file.path, "--print"});
        CHECK(r.out == body + "\n");
        auto pretty = cli.run({"webhook", "verify", "--secret-env", "HOOK_SECRET", "--signature", signature,
                               "--body-file", file.path, "--print", "-o", "json"});
        CHECK(pretty.json() == json::parse(body));
        auto quiet = cli.run({"webhook", "verify", "--secret-env", "HOOK_SECRET", "--signature", signature,
                              "--body-file", file.path, "--print", "-q"});
        CHECK(quiet.out == "evt_1\n");
        auto jq = cli.run({"webhook", "verify", "--secret-env", "HOOK_SECRET", "--signature", signature,
                           "--body-file", file.path, "--print", "--jq", ".data.taskId"});
        CHECK(jq.out == "tsk_1\n");
    }
    SECTION("usage errors: exit 2") {
        CHECK(cli.run({"webhook", "verify", "--signature", signature, "--body-file", file.path}).exit == 2);
        CHECK(cli.run({"webhook", "verify", "--secret-env", "UNSET_VAR", "--signature", signature,
                       "--body-file", file.path})
                  .exit == 2);
        CHECK(cli.run({"webhook", "verify", "--secret-env", "HOOK_SECRET", "--body-file", file.path}).exit ==
              2);
        CHECK(cli.run({"webhook", "verify", "--secret-env", "HOOK_SECRET", "--signature", signature,
                       "--body-file", "/nonexistent/body"})
                  .exit == 2);
    }
    SECTION("the run function alone") {
        cli::WebhookVerifyOptions o;
        o.secret.env = "HOOK_SECRET";
        o.signature = "sha256=" + std::string(64, '0');
        o.body_file = file.path;
        auto r = cli.call([&](cli::Context& ctx) { return cli::run_webhook_verify(o, ctx); });
        CHECK(r.exit == 12);
    }
    CHECK(cli.fake->requests().empty());
}

TEST_CASE("webhook sign: the signature, or the whole header set", "[cli][webhook]") {
    CliHarness cli;
    cli.env["HOOK_SECRET"] = secret;
    TempFile file(body);
    const auto signature = sign_webhook_body(body, secret);
    SECTION("the signature in each format") {
        CHECK(cli.run({"webhook", "sign", "--secret-env", "HOOK_SECRET", "--body-file", file.path}).out ==
              signature + "\n");
        CHECK(cli.run({"webhook", "sign", "--secret-env", "HOOK_SECRET", "--body-file", file.path, "-o",
                       "json"})
                  .json() == json({{"signature", signature}}));
        CHECK(
            cli.run({"webhook", "sign", "--secret-env", "HOOK_SECRET", "--body-file", file.path, "-q"}).out ==
            signature + "\n");
    }
    SECTION("--headers: ids from the body, the ones given kept") {
        auto r =
            cli.run({"webhook", "sign", "--secret-env", "HOOK_SECRET", "--body-file", file.path, "--headers",
                     "--subscription-id", "evsub_1", "--delivery-id", "dlv_1", "-o", "json"});
        CHECK(r.exit == 0);
        auto h = r.json();
        CHECK(h["X-AgentRail-Signature"] == signature);
        CHECK(h["X-AgentRail-Event-Id"] == "evt_1");
        CHECK(h["X-AgentRail-Event-Type"] == "task.updated");
        CHECK(h["X-AgentRail-Subscription-Id"] == "evsub_1");
        CHECK(h["X-AgentRail-Delivery-Id"] == "dlv_1");
        auto text = cli.run({"webhook", "sign", "--secret-env", "HOOK_SECRET", "--body-file", file.path,
                             "--headers", "--subscription-id", "evsub_1", "--delivery-id", "dlv_1"});
        CHECK(text.out.find("X-AgentRail-Signature: " + signature + "\n") != std::string::npos);
    }
    SECTION("--headers on a body without id or type: exit 2") {
        TempFile bare(R"({"data":{}})");
        auto r = cli.run(
            {"webhook", "sign", "--secret-env", "HOOK_SECRET", "--body-file", bare.path, "--headers"});
        CHECK(r.exit == 2);
        CHECK(r.err.find("--event-id") != std::string::npos);
    }
    SECTION("what it signs, verify accepts") {
        auto sig =
            cli.run({"webhook", "sign", "--secret-env", "HOOK_SECRET", "--body-file", file.path, "-q"});
        std::string produced = sig.out.substr(0, sig.out.size() - 1);
        CHECK(cli.run({"webhook", "verify", "--secret-env", "HOOK_SECRET", "--signature", produced,
                       "--body-file", file.path})
                  .exit == 0);
    }
}
