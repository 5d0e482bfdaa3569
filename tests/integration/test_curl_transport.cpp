// The curl transport against a real HTTP server on 127.0.0.1.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "agentrail/curl_transport.hpp"
#include "agentrail/errors.hpp"
#include "agentrail/transport.hpp"
#include "test_server.hpp"

using namespace std::chrono_literals;
using agentrail::HttpRequest;
using agentrail::Method;
using agentrail::TransportError;
using agentrail::test::get_request;
using agentrail::test::TestServer;

namespace {

// CURLcode values asserted below (this file deliberately does not include <curl/curl.h>).
constexpr int curle_aborted_by_callback = 42;

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// A port on 127.0.0.1 that was free a moment ago and now has no listener.
int closed_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t length = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("bind() failed");
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

// Listens on 127.0.0.1, accepts one connection, reads the request head (each read bounded by
// `recv_timeout`) and hands the connection to `respond`, on a thread of its own; closes it after.
class OneConnectionServer {
public:
    using Respond = std::function<void(int client, const std::string& head)>;
    OneConnectionServer(Respond respond, int recv_timeout_seconds)
        : m_respond(std::move(respond)), m_timeout(recv_timeout_seconds) {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t length = sizeof addr;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
            ::listen(m_fd, 1) != 0 || ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&addr), &length) != 0) {
            throw std::runtime_error("test server: cannot listen");
        }
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~OneConnectionServer() {
        ::shutdown(m_fd, SHUT_RDWR);
        join();
        ::close(m_fd);
    }
    OneConnectionServer(const OneConnectionServer&) = delete;
    OneConnectionServer& operator=(const OneConnectionServer&) = delete;

    std::string url(std::string_view path) const {
        return "http://127.0.0.1:" + std::to_string(m_port) + std::string(path);
    }
    /// Waits until the connection was served.
    void join() {
        if (m_thread.joinable()) m_thread.join();
    }

private:
    void serve() {
        const int client = ::accept(m_fd, nullptr, nullptr);
        if (client < 0) return;
        timeval timeout{m_timeout, 0};
        ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        char buffer[4096];
        std::string received;
        while (received.find("\r\n\r\n") == std::string::npos) {
            const auto n = ::recv(client, buffer, sizeof buffer, 0);
            if (n <= 0) break;
            received.append(buffer, static_cast<std::size_t>(n));
        }
        m_respond(client, received.substr(0, received.find("\r\n\r\n") + 2));
        ::close(client);
    }

    Respond m_respond;
    int m_timeout;
    int m_fd = -1;
    int m_port = 0;
    std::thread m_thread;
};

// Accepts one connection, records the raw request head, answers 204 and closes.
class RawServer {
public:
    std::string url(std::string_view path) const { return m_server.url(path); }
    /// The request head as received (valid after the client got its answer).
    std::string head() const { return m_head; }

private:
    std::string m_head;
    OneConnectionServer m_server{[this](int client, const std::string& head) {
                                     m_head = head;
                                     const std::string_view answer =
                                         "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
                                     ::send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
                                 },
                                 2};
};

// Accepts one connection, reads the request head and sends `response` with one send() call, so it
// reaches the client in as few reads as the socket allows. Then it closes at once (`cut`), or waits (at
// most 5 s) for the client to close the connection and records that it did.
class BurstServer {
public:
    BurstServer(std::string response, bool cut) : m_response(std::move(response)), m_cut(cut) {}

    std::string url(std::string_view path) const { return m_server.url(path); }
    /// Waits for the server to finish (at most 6 s); true when the client closed the connection.
    bool client_closed() {
        m_server.join();
        return m_client_closed;
    }

private:
    void respond(int client) {
        int big = 4 << 20;  // the whole answer fits in the socket buffer: one send() queues it all
        ::setsockopt(client, SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
        // A client that closes with data unread resets the connection: a failed send() or recv() with
        // EPIPE / ECONNRESET is a close as much as recv() returning 0.
        const auto reset = [] { return errno == EPIPE || errno == ECONNRESET; };
        std::string_view rest = m_response;
        while (!rest.empty()) {
            const auto n = ::send(client, rest.data(), rest.size(), MSG_NOSIGNAL);
            if (n <= 0) {
                m_client_closed = n < 0 && reset();
                break;
            }
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
        if (!m_cut && !m_client_closed) {
            // Bounded by SO_RCVTIMEO: recv() returns 0 once the client closed, -1 (EAGAIN) after 5 s without.
            char buffer[4096];
            while (true) {
                const auto n = ::recv(client, buffer, sizeof buffer, 0);
                if (n == 0 || (n < 0 && reset())) m_client_closed = true;
                if (n <= 0) break;
            }
        }
    }

    std::string m_response;
    bool m_cut;
    bool m_client_closed = false;
    OneConnectionServer m_server{[this](int client, const std::string&) { respond(client); }, 5};
};

// An event stream answer: `events` HTTP chunks of one event each ("id: N\ndata: <payload>\n\n"), then the
// terminating chunk unless `terminated` is false. `text` gets the body as the client should see it.
std::string chunked_events(int events, std::size_t payload, bool terminated, std::string& text) {
    std::string out =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
    text.clear();
    for (int i = 1; i <= events; ++i) {
        const std::string event =
            "id: " + std::to_string(i) + "\ndata: " + std::string(payload, 'x') + "\n\n";
        char size[16];
        std::snprintf(size, sizeof size, "%zx\r\n", event.size());
        out += size;
        out += event;
        out += "\r\n";
        text += event;
    }
    if (terminated) out += "0\r\n\r\n";
    return out;
}

// Echoes what arrived: "<method>|<body>|<content-length>|<content-type>".
void echo(const httplib::Request& req, httplib::Response& res) {
    res.set_content(req.method + "|" + req.body + "|" + req.get_header_value("Content-Length") + "|" +
                        req.get_header_value("Content-Type"),
                    "application/octet-stream");
}

}  // namespace

TEST_CASE("many sequential requests reuse one kept-alive connection", "[curl]") {
    TestServer server;
    server.server().Get("/ping", [](const httplib::Request&, httplib::Response& res) {
        res.set_content(R"({"ok":true})", "application/json");
    });
    server.server().Post("/ping", [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(req.body, "application/json");
    });
    server.start();
    auto transport = agentrail::make_curl_transport();

    for (int i = 0; i < 50; ++i) {
        HttpRequest request = get_request(server.url("/ping?i=" + std::to_string(i)));
        if (i % 2 == 1) {
            request.method = Method::post;
            request.body = R"({"i":)" + std::to_string(i) + "}";
        }
        const auto response = transport->send(request);
        REQUIRE(response.status == 200);
        CHECK(response.body == (i % 2 == 1 ? request.body : R"({"ok":true})"));
    }
    CHECK(server.requests() == 50);
    CHECK(server.connections() == 1);
}

TEST_CASE("methods and bodies arrive intact", "[curl]") {
    TestServer server;
    server.server().Get("/echo", echo);
    server.server().Post("/echo", echo);
    server.server().Put("/echo", echo);
    server.server().Patch("/echo", echo);
    server.server().Delete("/echo", echo);
    server.start();
    auto transport = agentrail::make_curl_transport();

    const auto call = [&](Method method, std::string body, agentrail::Headers headers = {}) {
        HttpRequest request = get_request(server.url("/echo"));
        request.method = method;
        request.body = std::move(body);
        request.headers = std::move(headers);
        const auto response = transport->send(request);
        REQUIRE(response.status == 200);
        return response.body;
    };
    const agentrail::Headers json{{"Content-Type", "application/json"}};

    CHECK(call(Method::get, "") == "GET|||");
    CHECK(call(Method::post, R"({"a":1})", json) == R"(POST|{"a":1}|7|application/json)");
    // An empty POST still says Content-Length: 0 and gets no form Content-Type from curl.
    CHECK(call(Method::post, "") == "POST||0|");
    CHECK(call(Method::put, "put-body", json) == "PUT|put-body|8|application/json");
    CHECK(call(Method::patch, "{}", json) == "PATCH|{}|2|application/json");
    CHECK(call(Method::del, "") == "DELETE|||");
    CHECK(call(Method::del, "gone", json) == "DELETE|gone|4|application/json");
    const std::string large(300000, 'x');
    CHECK(call(Method::post, large, json) == "POST|" + large + "|300000|application/json");
    CHECK(server.connections() == 1);
}

TEST_CASE("custom headers are sent and response header names are lower-cased", "[curl]") {
    TestServer server;
    server.server().Get("/headers", [](const httplib::Request& req, httplib::Response& res) {
        res.set_header("X-Mixed-Case", "Value With Spaces");
        res.set_header("X-Echo-Custom", req.get_header_value("X-Custom"));
        res.set_header("X-Echo-Auth", req.get_header_value("Authorization"));
        res.set_header("X-Echo-Accept", req.get_header_value("Accept"));
        res.set_content(req.get_header_value("User-Agent"), "text/plain");
    });
    server.start();
    auto transport = agentrail::make_curl_transport();

    HttpRequest request = get_request(server.url("/headers"));
    request.headers = {
        {"X-Custom", "abc 123"}, {"Authorization", "Bearer ar_test"}, {"Accept", "application/json"}};
    const auto response = transport->send(request);
    REQUIRE(response.status == 200);
    CHECK(response.body.rfind("agentrail/", 0) == 0);  // the User-Agent
    CHECK(response.body.size() > std::string_view("agentrail/").size());
    for (const auto& [name, value] : response.headers) {
        INFO(name);
        CHECK(name.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string::npos);
    }
    const auto has = [&](std::string_view name, std::string_view value) {
        for (const auto& header : response.headers) {
            if (header.first == name && header.second == value) return true;
        }
        return false;
    };
    CHECK(has("x-mixed-case", "Value With Spaces"));
    CHECK(has("x-echo-custom", "abc 123"));
    CHECK(has("x-echo-auth", "Bearer ar_test"));
    CHECK(has("x-echo-accept", "application/json"));
    CHECK(agentrail::find_header(response.headers, "X-MIXED-CASE") == "Value With Spaces");

    SECTION("a header value with a line break is refused before sending") {
        HttpRequest bad = get_request(server.url("/headers"));
        bad.headers = {{"X-Injected", "a\r\nX-Evil: 1"}};
        CHECK_THROWS_AS(transport->send(bad), agentrail::Error);
        CHECK(server.requests() == 1);
    }
}

TEST_CASE("an empty POST goes on the wire with Content-Length 0 and nothing curl-specific", "[curl]") {
    RawServer server;
    auto transport = agentrail::make_curl_transport();
    HttpRequest request = get_request(server.url("/tasks/tsk_1/start"));
    request.method = Method::post;
    request.headers = {{"Accept", "application/json"}, {"X-Empty", ""}};
    CHECK(transport->send(request).status == 204);
    const auto head = server.head();
    INFO(head);
    CHECK(head.rfind("POST /tasks/tsk_1/start HTTP/1.1\r\n", 0) == 0);
    CHECK(head.find("\r\nContent-Length: 0\r\n") != std::string::npos);
    CHECK(head.find("\r\nAccept: application/json\r\n") != std::string::npos);
    CHECK(head.find("\r\nX-Empty:\r\n") != std::string::npos);
    CHECK(head.find("\r\nUser-Agent: agentrail/") != std::string::npos);
    CHECK(head.find("Content-Type") == std::string::npos);
    CHECK(head.find("Expect") == std::string::npos);
    CHECK(head.find("Accept: */*") == std::string::npos);
}

TEST_CASE("error statuses and redirects are values, not exceptions", "[curl]") {
    TestServer server;
    server.server().Get("/missing", [](const httplib::Request&, httplib::Response& res) {
        res.status = 404;
        res.set_content(R"({"error":{"code":"not_found","message":"no","details":{}}})", "application/json");
    });
    server.server().Get("/boom", [](const httplib::Request&, httplib::Response& res) {
        res.status = 500;
        res.set_content("internal", "text/plain");
    });
    server.server().Get(
        "/moved", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/missing", 302); });
    server.start();
    auto transport = agentrail::make_curl_transport();

    const auto missing = transport->send(get_request(server.url("/missing")));
    CHECK(missing.status == 404);
    CHECK(missing.body.find("not_found") != std::string::npos);
    const auto boom = transport->send(get_request(server.url("/boom")));
    CHECK(boom.status == 500);
    CHECK(boom.body == "internal");
    const auto moved = transport->send(get_request(server.url("/moved")));
    CHECK(moved.status == 302);
    CHECK(agentrail::find_header(moved.headers, "location") == "/missing");
    CHECK(server.requests() == 3);
    CHECK(server.connections() == 1);
}

TEST_CASE("a slow answer exceeds the total timeout", "[curl]") {
    TestServer server;
    server.server().Get("/slow", [&server](const httplib::Request&, httplib::Response& res) {
        server.pause(3s);
        res.set_content("late", "text/plain");
    });
    server.server().Get("/fast", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("fast", "text/plain");
    });
    server.start();
    auto transport = agentrail::make_curl_transport();

    HttpRequest request = get_request(server.url("/slow?cursor=secret-cursor"));
    request.timeout = 300ms;
    const auto start = Clock::now();
    try {
        transport->send(request);
        FAIL("expected a TransportError");
    } catch (const TransportError& e) {
        CHECK(e.timed_out());
        CHECK(e.kind() == agentrail::ErrorKind::transport);
        const std::string message = e.what();
        CHECK(message.find("/slow") != std::string::npos);
        CHECK(message.find("secret-cursor") == std::string::npos);
    }
    CHECK(since(start) < 2s);

    // The transport stays usable: the next call opens a fresh connection.
    CHECK(transport->send(get_request(server.url("/fast"))).body == "fast");

    SECTION("the transport-wide default timeout applies when the request sets none") {
        agentrail::TransportOptions options;
        options.timeout = 200ms;
        auto short_transport = agentrail::make_curl_transport(options);
        const auto begin = Clock::now();
        CHECK_THROWS_AS(short_transport->send(get_request(server.url("/slow"))), TransportError);
        CHECK(since(begin) < 2s);
    }
}

TEST_CASE("a refused connection throws quickly", "[curl]") {
    auto transport = agentrail::make_curl_transport();
    const int port = closed_port();
    HttpRequest request = get_request("http://user:pw@127.0.0.1:" + std::to_string(port) + "/x?token=hidden");
    request.headers = {{"Authorization", "Bearer ar_do_not_log"}};
    const auto start = Clock::now();
    try {
        transport->send(request);
        FAIL("expected a TransportError");
    } catch (const TransportError& e) {
        const std::string message = e.what();
        INFO(message);
        CHECK_FALSE(e.timed_out());
        CHECK(e.code() != 0);
        CHECK(message.find("127.0.0.1") != std::string::npos);
        CHECK(message.find("hidden") == std::string::npos);
        CHECK(message.find("pw") == std::string::npos);
        CHECK(message.find("ar_do_not_log") == std::string::npos);
    }
    CHECK(since(start) < 2s);
}

TEST_CASE("a chunked answer is reassembled", "[curl]") {
    TestServer server;
    server.server().Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
        res.set_chunked_content_provider("application/octet-stream",
                                         [](std::size_t, httplib::DataSink& sink) {
                                             for (int i = 0; i < 100; ++i) {
                                                 const std::string piece = std::to_string(i) + ",";
                                                 if (!sink.write(piece.data(), piece.size())) return false;
                                             }
                                             sink.done();
                                             return true;
                                         });
    });
    server.start();
    auto transport = agentrail::make_curl_transport();

    std::string expected;
    for (int i = 0; i < 100; ++i) expected += std::to_string(i) + ",";
    for (int round = 0; round < 3; ++round) {
        const auto response = transport->send(get_request(server.url("/chunked")));
        CHECK(response.status == 200);
        CHECK(response.body == expected);
        CHECK(agentrail::find_header(response.headers, "transfer-encoding") == "chunked");
    }
    CHECK(server.connections() == 1);
}

TEST_CASE("a compressed answer is decoded", "[curl]") {
    std::string text;  // outlives the server's threads, which read it
    for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i) + " of a compressible body\n";
    TestServer server;
    server.server().Get("/text", [&text](const httplib::Request&, httplib::Response& res) {
        res.set_content(text, "text/plain");  // httplib compresses text/* when the client accepts it
    });
    server.start();
    auto transport = agentrail::make_curl_transport();

    const auto response = transport->send(get_request(server.url("/text")));
    REQUIRE(response.status == 200);
    const auto encoding = agentrail::find_header(response.headers, "content-encoding");
    REQUIRE(encoding.has_value());
    CHECK((*encoding == "gzip" || *encoding == "br" || *encoding == "deflate"));
    CHECK(response.body == text);
}

TEST_CASE("stream delivers chunks as they arrive", "[curl][stream]") {
    TestServer server;
    std::atomic<Clock::rep> last_chunk_sent_at{0};
    server.server().Get("/events", [&](const httplib::Request&, httplib::Response& res) {
        res.set_chunked_content_provider("text/event-stream", [&](std::size_t, httplib::DataSink& sink) {
            if (!sink.write("data: 1\n\n", 9) || !server.pause(300ms)) return false;
            if (!sink.write("data: 2\n\n", 9) || !server.pause(300ms)) return false;
            last_chunk_sent_at.store(Clock::now().time_since_epoch().count());
            if (!sink.write("data: 3\n\n", 9)) return false;
            sink.done();
            return true;
        });
    });
    server.start();
    auto transport = agentrail::make_curl_transport();

    std::vector<std::string> chunks;
    Clock::rep first_chunk_at = 0;
    const auto response = transport->stream(get_request(server.url("/events")), [&](std::string_view chunk) {
        if (chunks.empty()) first_chunk_at = Clock::now().time_since_epoch().count();
        chunks.emplace_back(chunk);
        return true;
    });
    CHECK(response.status == 200);
    CHECK(response.body.empty());
    CHECK(agentrail::find_header(response.headers, "content-type") == "text/event-stream");
    std::string all;
    for (const auto& chunk : chunks) all += chunk;
    CHECK(all == "data: 1\n\ndata: 2\n\ndata: 3\n\n");
    CHECK(chunks.size() >= 2);
    REQUIRE(first_chunk_at != 0);
    CHECK(first_chunk_at < last_chunk_sent_at.load());
}

TEST_CASE("stream stops early when on_chunk returns false", "[curl][stream]") {
    TestServer server;
    server.server().Get("/endless", [&server](const httplib::Request&, httplib::Response& res) {
        res.set_chunked_content_provider("text/event-stream",
                                         [&server](std::size_t, httplib::DataSink& sink) {
                                             while (sink.write(": keepalive\n", 12)) {
                                                 if (!server.pause(20ms)) return false;
                                             }
                                             return false;
                                         });
    });
    server.server().Get("/after", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("after", "text/plain");
    });
    server.start();
    auto transport = agentrail::make_curl_transport();

    int calls = 0;
    const auto start = Clock::now();
    const auto response = transport->stream(get_request(server.url("/endless")), [&](std::string_view) {
        ++calls;
        return false;
    });
    CHECK(response.status == 200);
    CHECK(calls == 1);
    CHECK(since(start) < 2s);
    CHECK(transport->send(get_request(server.url("/after"))).body == "after");
}

TEST_CASE("stream returns a non-2xx answer whole without calling on_chunk", "[curl][stream]") {
    TestServer server;
    server.server().Get("/events", [](const httplib::Request&, httplib::Response& res) {
        res.status = 410;
        res.set_content(R"({"error":{"code":"cursor_expired","message":"gone","details":{}}})",
                        "application/json");
    });
    server.start();
    auto transport = agentrail::make_curl_transport();

    bool called = false;
    const auto response = transport->stream(get_request(server.url("/events")), [&](std::string_view) {
        called = true;
        return true;
    });
    CHECK(response.status == 410);
    CHECK(response.body.find("cursor_expired") != std::string::npos);
    CHECK_FALSE(called);
}

TEST_CASE("stream idle timeout fires when the server stalls", "[curl][stream]") {
    TestServer server;
    server.server().Get("/stall", [&server](const httplib::Request&, httplib::Response& res) {
        res.set_chunked_content_provider("text/event-stream",
                                         [&server](std::size_t, httplib::DataSink& sink) {
                                             if (!sink.write("retry: 5000\n\n", 13)) return false;
                                             server.pause(4s);
                                             return false;
                                         });
    });
    server.start();
    auto transport = agentrail::make_curl_transport();

    HttpRequest request = get_request(server.url("/stall"));
    request.idle_timeout = 300ms;
    request.timeout = 100ms;  // ignored by stream()
    std::string received;
    const auto start = Clock::now();
    try {
        transport->stream(request, [&](std::string_view chunk) {
            received += chunk;
            return true;
        });
        FAIL("expected a TransportError");
    } catch (const TransportError& e) {
        CHECK(e.timed_out());
    }
    const auto elapsed = since(start);
    CHECK(elapsed >= 300ms);
    CHECK(elapsed < 2s);
    CHECK(received == "retry: 5000\n\n");
}

TEST_CASE("cancel stops a stream that receives nothing", "[curl][stream]") {
    TestServer server;
    server.server().Get("/silent", [&server](const httplib::Request&, httplib::Response& res) {
        server.pause(4s);  // not even headers
        res.set_content("", "text/event-stream");
    });
    server.start();
    auto transport = agentrail::make_curl_transport();

    agentrail::CallContext cancel;
    HttpRequest request = get_request(server.url("/silent"));
    request.context = cancel;
    std::thread canceller([&cancel] {
        std::this_thread::sleep_for(200ms);
        cancel.cancel();
    });
    const auto start = Clock::now();
    try {
        transport->stream(request, [](std::string_view) { return true; });
        FAIL("expected a TransportError");
    } catch (const TransportError& e) {
        CHECK(e.code() == curle_aborted_by_callback);
        CHECK_FALSE(e.timed_out());
        CHECK(std::string(e.what()) == "cancelled");
    }
    canceller.join();
    CHECK(since(start) < 1s);

    SECTION("a flag already set fails before connecting") {
        const int before = server.requests();
        CHECK_THROWS_AS(transport->send(request), TransportError);
        CHECK(server.requests() == before);
    }
}

// A stream the server cuts inside a chunked body (no terminating chunk) surfaces as a TransportError
// with the bytes received so far already delivered; the transport then serves the next call normally.
TEST_CASE("a stream cut mid-event is a TransportError and the transport recovers", "[curl][stream]") {
    TestServer server;
    server.server().Get("/cut", [](const httplib::Request&, httplib::Response& res) {
        res.set_chunked_content_provider("text/event-stream", [](std::size_t, httplib::DataSink& sink) {
            sink.write("id: 1\ndata: one\n\n", 17);
            sink.write("id: 2\ndata: tw", 14);
            return false;  // httplib closes the connection without the last chunk
        });
    });
    server.server().Get("/after", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("after", "text/plain");
    });
    server.start();
    auto transport = agentrail::make_curl_transport();

    std::string received;
    try {
        transport->stream(get_request(server.url("/cut")), [&](std::string_view chunk) {
            received += chunk;
            return true;
        });
        FAIL("expected a TransportError");
    } catch (const TransportError& e) {
        CHECK_FALSE(e.timed_out());
    }
    CHECK(received == "id: 1\ndata: one\n\nid: 2\ndata: tw");
    const auto after = transport->send(get_request(server.url("/after")));
    CHECK(after.status == 200);
    CHECK(after.body == "after");
}

TEST_CASE("an exception from on_chunk propagates after the transfer is aborted", "[curl][stream]") {
    TestServer server;
    server.server().Get("/events", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("data: x\n\n", "text/event-stream");
    });
    server.start();
    auto transport = agentrail::make_curl_transport();

    CHECK_THROWS_WITH(
        transport->stream(get_request(server.url("/events")),
                          [](std::string_view) -> bool { throw std::runtime_error("handler failed"); }),
        "handler failed");
    CHECK(transport->send(get_request(server.url("/events"))).status == 200);
}

// A burst of many small HTTP chunks that arrives in one read reaches on_chunk in one piece, not one call
// per HTTP chunk: the event stream parses and writes it once.
TEST_CASE("stream hands on_chunk what one read brought, whatever the HTTP chunks", "[curl][stream]") {
    std::string text;
    BurstServer server(chunked_events(200, 40, true, text), false);  // about 12 KiB in 200 chunks
    auto transport = agentrail::make_curl_transport();

    std::vector<std::string> chunks;
    const auto response = transport->stream(get_request(server.url("/events")), [&](std::string_view chunk) {
        chunks.emplace_back(chunk);
        return true;
    });
    CHECK(response.status == 200);
    std::string all;
    for (const auto& chunk : chunks) all += chunk;
    CHECK(all == text);
    // One send() on loopback is one read as a rule; a few are tolerated, one per HTTP chunk is not.
    CHECK(chunks.size() <= 4);
}

TEST_CASE("stream holds at most 128 KiB before handing it on", "[curl][stream]") {
    std::string text;
    BurstServer server(chunked_events(1000, 1000, true, text), false);  // about 1 MiB in one burst
    auto transport = agentrail::make_curl_transport();

    std::size_t calls = 0;
    std::size_t largest = 0;
    std::string all;
    const auto response = transport->stream(get_request(server.url("/events")), [&](std::string_view chunk) {
        ++calls;
        largest = std::max(largest, chunk.size());
        all += chunk;
        return true;
    });
    CHECK(response.status == 200);
    CHECK(all == text);
    CHECK(largest <= std::size_t{128} << 10);
    CHECK(calls >= text.size() / (std::size_t{128} << 10));
}

// on_chunk returning false inside a burst: nothing after that call is delivered, and the connection is
// closed (not read to its end, not kept for another request).
TEST_CASE("stream stopped in the middle of a burst delivers nothing more and closes", "[curl][stream]") {
    std::string text;
    BurstServer server(chunked_events(1000, 1000, false, text), false);  // about 1 MiB, never ends
    auto transport = agentrail::make_curl_transport();

    int calls = 0;
    std::size_t delivered = 0;
    const auto response = transport->stream(get_request(server.url("/events")), [&](std::string_view chunk) {
        ++calls;
        delivered += chunk.size();
        return false;
    });
    CHECK(response.status == 200);
    CHECK(calls == 1);
    CHECK(delivered <= std::size_t{128} << 10);
    CHECK(server.client_closed());
}

// A stream's connection takes a burst at the server's pace: while the client is busy with what it read
// first, the server can still queue megabytes (the client's socket asks for a 4 MiB receive buffer) instead
// of the ~200 KiB a default socket buffer takes before the server has to wait. Where the system caps socket
// buffers below that (net.core.rmem_max), the transport leaves autotuning on and this is not checked.
TEST_CASE("a stream's connection can queue megabytes of a burst while the client is busy", "[curl][stream]") {
    long long rmem_max = 0;
    std::ifstream("/proc/sys/net/core/rmem_max") >> rmem_max;
    if (rmem_max < (4 << 20)) {
        WARN("net.core.rmem_max is " << rmem_max << ": the transport keeps the kernel's autotuning");
        return;
    }
    std::atomic<std::size_t> queued{0};
    OneConnectionServer server(
        [&queued](int client, const std::string&) {
            int small = 64 << 10;  // the server's own buffer stays small: what is queued is the client's
            ::setsockopt(client, SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
            std::string head =
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
            ::send(client, head.data(), head.size(), MSG_NOSIGNAL);
            std::string text;
            std::string body = chunked_events(1000, 1000, false, text).substr(head.size());  // ~1 MiB
            // Sends until the client's buffer is full: no progress for 300 ms (at most 8 MiB, 5 s).
            const auto start = Clock::now();
            auto last_progress = Clock::now();
            std::size_t offset = 0;
            while (queued.load() < (std::size_t{8} << 20) && since(start) < 5s &&
                   since(last_progress) < 300ms) {
                const auto n =
                    ::send(client, body.data() + offset, body.size() - offset, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n > 0) {
                    queued += static_cast<std::size_t>(n);
                    offset = (offset + static_cast<std::size_t>(n)) % body.size();
                    last_progress = Clock::now();
                } else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                    break;
                } else {
                    std::this_thread::sleep_for(5ms);
                }
            }
        },
        5);
    auto transport = agentrail::make_curl_transport();
    bool first = true;
    const auto response = transport->stream(get_request(server.url("/events")), [&](std::string_view) {
        if (first) std::this_thread::sleep_for(1s);  // busy with the first read: the socket is not read
        first = false;
        return false;
    });
    server.join();
    CHECK(response.status == 200);
    CHECK(queued.load() >= (std::size_t{2} << 20));
}

// The server sends its last events and closes in the middle of a chunk: the bytes before the cut (read
// in the same pass as the close) are delivered before the TransportError.
TEST_CASE("stream cut within a burst delivers every byte before the cut", "[curl][stream]") {
    std::string text;
    std::string response = chunked_events(50, 100, false, text);
    response += "40\r\nid: 51\ndata: cut";  // a chunk that promises 64 bytes and stops after 19
    text += "id: 51\ndata: cut";
    BurstServer server(response, true);
    auto transport = agentrail::make_curl_transport();

    std::string received;
    int calls = 0;
    try {
        transport->stream(get_request(server.url("/cut")), [&](std::string_view chunk) {
            ++calls;
            received += chunk;
            return true;
        });
        FAIL("expected a TransportError");
    } catch (const TransportError& e) {
        CHECK_FALSE(e.timed_out());
    }
    CHECK(received == text);
    CHECK(calls <= 4);
}

TEST_CASE("curl_version names libcurl", "[curl]") {
    CHECK(agentrail::curl_version().rfind("libcurl/", 0) == 0);
}
