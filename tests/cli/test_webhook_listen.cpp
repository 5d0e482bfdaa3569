// `webhook listen` in-process: its error paths (before anything is bound), and one delivery on a real
// loopback socket (127.0.0.1, a free port), verified, de-duplicated and printed. Signals, forwarding and
// long runs stay in the end-to-end tests.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "agentrail/webhook.hpp"
#include "cli_harness.hpp"
#include "commands/webhook.hpp"

using namespace agentrail;
using namespace agentrail::test;
using nlohmann::json;

namespace {

const std::string listen_secret = "whsec_listen_test_0123456789abcdef";

/// A port that was free a moment ago on 127.0.0.1.
int listen_free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

/// POSTs `body` to 127.0.0.1:port, retrying the connection for up to 5 s (the listener is starting);
/// returns the status line of the answer, or "" when nothing answered.
std::string listen_post(int port, const std::string& body, const std::string& signature,
                        const std::string& event_id) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < until) {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            ::close(fd);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        std::string request =
            "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "X-AgentRail-Signature: " +
            signature + "\r\nX-AgentRail-Event-Id: " + event_id +
            "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
        std::string answer;
        char buf[4096];
        ssize_t n = 0;
        while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, static_cast<std::size_t>(n));
        ::close(fd);
        return answer.substr(0, answer.find("\r\n"));
    }
    return {};
}

}  // namespace

TEST_CASE("webhook listen: bad input is exit 2 before anything is bound", "[cli][webhook]") {
    CliHarness cli;
    cli.env["HOOK_SECRET"] = listen_secret;
    for (const auto& [args, message] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{}, "pass the signing secret with --secret-env VAR or --secret-file FILE"},
             {{"--secret-env", "NOT_SET_ANYWHERE"},
              "--secret-env: the environment variable NOT_SET_ANYWHERE"},
             {{"--secret-file", "/nonexistent/secret"}, "--secret-file"},
             {{"--secret-env", "HOOK_SECRET", "--forward-to", "ftp://x"}, "--forward-to"},
             {{"--secret-env", "HOOK_SECRET", "--timeout", "soon"}, "--timeout: invalid duration 'soon'"},
             {{"--secret-env", "HOOK_SECRET", "--host", "not-an-address"}, "not-an-address"},
             {{"--secret-env", "HOOK_SECRET", "--port", "70000"}, "--port"},
             {{"--secret-env", "HOOK_SECRET", "--count", "0"}, "--count"},
         }) {
        std::vector<std::string> full = {"webhook", "listen"};
        full.insert(full.end(), args.begin(), args.end());
        auto r = cli.run(full);
        INFO(r.err);
        CHECK(r.exit == 2);
        CHECK(r.err.find(message) != std::string::npos);
        CHECK(r.err.find("ready: listening") == std::string::npos);
    }
    auto j = cli.run({"webhook", "listen", "--errors", "json"});
    CHECK(j.exit == 2);
    CHECK(j.error_json()["message"].get<std::string>().find("--secret-env VAR") != std::string::npos);
}

TEST_CASE("webhook listen: --timeout with no delivery ends with exit 0", "[cli][webhook]") {
    CliHarness cli;
    cli.env["HOOK_SECRET"] = listen_secret;
    cli::WebhookListenOptions o;
    o.secret.env = "HOOK_SECRET";
    o.timeout = "200ms";
    auto r = cli.call([&](cli::Context& ctx) { return cli::run_webhook_listen(o, ctx); });
    CHECK(r.exit == 0);
    CHECK(r.err.rfind("ready: listening on http://127.0.0.1:", 0) == 0);
    CHECK(r.out.empty());
}

TEST_CASE("webhook listen: a signed delivery on loopback is printed once; a bad signature is 401",
          "[cli][webhook]") {
    CliHarness cli;
    cli.env["HOOK_SECRET"] = listen_secret;
    const int port = listen_free_port();
    const std::string body =
        json{{"id", "evt_L1"},
             {"type", "task.updated"},
             {"occurredAt", "2026-05-01T03:21:04Z"},
             {"data", {{"taskId", "tsk_A"}, {"taskIdentifier", "DEMO-1"}, {"status", "todo"}}}}
            .dump();
    for (const char* format : {"ndjson", "json"}) {
        auto listening = std::async(std::launch::async, [&] {
            return cli.run({"webhook", "listen", "--secret-env", "HOOK_SECRET", "--port",
                            std::to_string(port), "--count", "1", "--timeout", "10s", "-o", format});
        });
        CHECK(listen_post(port, body, "sha256=00", "evt_L0") == "HTTP/1.1 401 Unauthorized");
        CHECK(listen_post(port, body, sign_webhook_body(body, listen_secret), "evt_L1") == "HTTP/1.1 200 OK");
        auto r = listening.get();
        INFO(format << ": " << r.err);
        CHECK(r.exit == 0);
        CHECK(r.err.find("rejected delivery of event evt_L0: bad signature") != std::string::npos);
        if (std::string(format) == "ndjson")
            CHECK(r.out == body + "\n");  // the body verbatim
        else
            CHECK(json::parse(r.out) == json::parse(body));
    }
}
