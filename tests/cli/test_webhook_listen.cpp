// `webhook listen` in-process: its error paths (before anything is bound), deliveries on a real loopback
// socket (127.0.0.1, a free port) verified, de-duplicated, printed and forwarded through the injected
// (fake) transport, and its ends (--count, --timeout) while a client holds a connection. Signals and long
// runs stay in the end-to-end tests.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
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

/// A connection to 127.0.0.1:port, retried for up to 5 s (the listener is starting); -1 when none came.
int listen_connect(int port) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < until) {
        int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<uint16_t>(port));
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
        ::close(fd);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
}

/// POSTs `body` to 127.0.0.1:port, retrying the connection for up to 5 s (the listener is starting);
/// returns the status line of the answer, or "" when nothing answered. `extra_headers`: more
/// "Name: value\r\n" lines.
std::string listen_post(int port, const std::string& body, const std::string& signature,
                        const std::string& event_id, const std::string& extra_headers = "") {
    const int fd = listen_connect(port);
    if (fd < 0) return {};
    std::string request =
        "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "X-AgentRail-Signature: " +
        signature + "\r\nX-AgentRail-Event-Id: " + event_id + "\r\n" + extra_headers +
        "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
    (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string answer;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    return answer.substr(0, answer.find("\r\n"));
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

TEST_CASE("webhook listen: a signed delivery on loopback is printed once, a bad signature is 401",
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

TEST_CASE(
    "webhook listen --forward-to: a verified delivery is forwarded through the injected transport, "
    "its body and X-AgentRail-* headers intact, and a 503 from the target is retried",
    "[cli][webhook][forward]") {
    CliHarness cli;
    cli.env["HOOK_SECRET"] = listen_secret;
    cli.fake->reply(503, R"({"error":{"code":"busy","message":"later"}})");
    cli.fake->reply(200, R"({"ok":true})");
    const int port = listen_free_port();
    const std::string target = "http://127.0.0.1:9/hooks/agentrail";  // never dialled: the fake answers
    const std::string body =
        json{{"id", "evt_F1"},
             {"type", "task.updated"},
             {"occurredAt", "2026-05-01T03:21:04Z"},
             {"data", {{"taskId", "tsk_A"}, {"taskIdentifier", "DEMO-1"}, {"status", "todo"}}}}
            .dump();
    const std::string signature = sign_webhook_body(body, listen_secret);
    auto listening = std::async(std::launch::async, [&] {
        return cli.run({"webhook", "listen", "--secret-env", "HOOK_SECRET", "--port", std::to_string(port),
                        "--count", "1", "--timeout", "20s", "-o", "ndjson", "--forward-to", target});
    });
    CHECK(listen_post(port, body, signature, "evt_F1",
                      "X-AgentRail-Event-Type: task.updated\r\nX-AgentRail-Delivery-Id: dlv_F1\r\n"
                      "X-AgentRail-Delivery-Attempt: 2\r\nX-Not-Forwarded: private\r\n") ==
          "HTTP/1.1 200 OK");
    auto r = listening.get();  // --count 1: ends once the target took it (or after the 10 s grace)
    INFO(r.err);
    CHECK(r.exit == 0);
    CHECK(r.out == body + "\n");
    CHECK(r.err.find("forward of evt_F1 to " + target + " answered 503; retrying in 100 ms") !=
          std::string::npos);
    CHECK(r.err.find("were not forwarded") == std::string::npos);
    const auto& requests = cli.fake->requests();
    REQUIRE(requests.size() == 2);  // the 503, then the retry that the target took
    CHECK(cli.fake->pending() == 0);
    for (const auto& request : requests) {
        CHECK(request.method == Method::post);
        CHECK(request.url == target);
        CHECK(request.body == body);
        CHECK(header_of(request, "Content-Type") == "application/json");
        CHECK(header_of(request, "X-AgentRail-Signature") == signature);
        CHECK(header_of(request, "X-AgentRail-Event-Id") == "evt_F1");
        CHECK(header_of(request, "X-AgentRail-Event-Type") == "task.updated");
        CHECK(header_of(request, "X-AgentRail-Delivery-Id") == "dlv_F1");
        CHECK(header_of(request, "X-AgentRail-Delivery-Attempt") == "2");
        CHECK(header_of(request, "X-Not-Forwarded").empty());
        CHECK(header_of(request, "Authorization").empty());  // the API key is not the target's business
    }
}

TEST_CASE("webhook listen: --timeout and --count end it at once, while a silent client holds a connection",
          "[cli][webhook]") {
    using clock = std::chrono::steady_clock;
    CliHarness cli;
    cli.env["HOOK_SECRET"] = listen_secret;
    const std::string body = json{{"id", "evt_C1"}, {"type", "task.updated"}}.dump();

    SECTION("--timeout 300ms: exit 0; the silent client is closed without an answer") {
        const int port = listen_free_port();
        const auto started = clock::now();
        auto listening = std::async(std::launch::async, [&] {
            return cli.run({"webhook", "listen", "--secret-env", "HOOK_SECRET", "--port",
                            std::to_string(port), "--timeout", "300ms"});
        });
        int silent = listen_connect(port);
        REQUIRE(silent >= 0);
        const std::string partial = "POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\n";  // and nothing more
        (void)::send(silent, partial.data(), partial.size(), MSG_NOSIGNAL);
        REQUIRE(listening.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
        auto r = listening.get();
        const auto took = clock::now() - started;
        CHECK(r.exit == 0);
        CHECK(r.out.empty());
        CHECK(took >= std::chrono::milliseconds(300));
        CHECK(took <
              std::chrono::seconds(8));  // the silent client's 10 s request deadline did not hold it up
        timeval wait{5, 0};
        ::setsockopt(silent, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
        char buf[256];
        CHECK(::recv(silent, buf, sizeof buf, 0) == 0);  // closed, unanswered
        ::close(silent);
    }

    SECTION("--count 1 with a long --timeout: ends when the delivery was printed") {
        const int port = listen_free_port();
        auto listening = std::async(std::launch::async, [&] {
            return cli.run({"webhook", "listen", "--secret-env", "HOOK_SECRET", "--port",
                            std::to_string(port), "--count", "1", "--timeout", "60s", "-o", "ndjson"});
        });
        int silent = listen_connect(port);
        REQUIRE(silent >= 0);
        CHECK(listen_post(port, body, sign_webhook_body(body, listen_secret), "evt_C1") == "HTTP/1.1 200 OK");
        // Well before --timeout, and before the silent client's 10 s request deadline.
        REQUIRE(listening.wait_for(std::chrono::seconds(8)) == std::future_status::ready);
        auto r = listening.get();
        CHECK(r.exit == 0);
        CHECK(r.out == body + "\n");
        ::close(silent);
    }
}
