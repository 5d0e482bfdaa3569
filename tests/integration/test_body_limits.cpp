// The curl transport's response body cap against a real HTTP server on 127.0.0.1: an endless chunked body,
// a declared length over the limit, a compressed body counted after decoding, and dot segments kept.

#include <chrono>
#include <mutex>
#include <string>

#include <catch2/catch.hpp>

#include "agentrail/curl_transport.hpp"
#include "agentrail/errors.hpp"
#include "test_server.hpp"

using namespace std::chrono_literals;
using agentrail::ErrorKind;
using agentrail::HttpRequest;
using agentrail::test::get_request;
using agentrail::test::TestServer;

namespace {

agentrail::TransportOptions limited(std::size_t bytes) {
    agentrail::TransportOptions options;
    options.max_body_bytes = bytes;
    return options;
}

}  // namespace

TEST_CASE("an endless chunked body is cut at max_body_bytes", "[curl][hostile]") {
    TestServer server;
    server.server().Get("/endless", [&server](const httplib::Request&, httplib::Response& res) {
        res.set_chunked_content_provider("application/json", [&server](std::size_t, httplib::DataSink& sink) {
            const std::string block(64 * 1024, ' ');
            // Bounded: at most 1 GiB, and it ends as soon as the client goes away or the server stops.
            for (int i = 0; i < 16384 && !server.stopping(); ++i)
                if (!sink.write(block.data(), block.size())) return false;
            sink.done();
            return true;
        });
    });
    server.start();
    auto transport = agentrail::make_curl_transport(limited(std::size_t{1} << 20));
    const auto started = std::chrono::steady_clock::now();
    try {
        transport->send(get_request(server.url("/endless")));
        FAIL("no exception");
    } catch (const agentrail::Error& e) {
        CHECK(e.kind() == ErrorKind::protocol);
        CHECK_THAT(e.what(), Catch::Contains("larger than the limit of 1 MiB"));
    }
    CHECK(std::chrono::steady_clock::now() - started < 5s);
}

TEST_CASE("a declared Content-Length over the limit fails before the body is read", "[curl][hostile]") {
    // Declared before the server: the server's threads, which read it, stop before it is destroyed.
    const std::string big(3 << 20, 'x');
    TestServer server;
    server.server().Get("/big", [&big](const httplib::Request&, httplib::Response& res) {
        res.set_content(big, "application/octet-stream");
    });
    server.server().Get("/small", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("{}", "application/json");
    });
    server.start();
    auto transport = agentrail::make_curl_transport(limited(std::size_t{1} << 20));
    CHECK_THROWS_WITH(transport->send(get_request(server.url("/big"))), Catch::Contains("1 MiB"));
    // The transport stays usable, and a body under the limit is fine.
    CHECK(transport->send(get_request(server.url("/small"))).body == "{}");
    // 0 means no limit.
    auto unlimited = agentrail::make_curl_transport(limited(0));
    CHECK(unlimited->send(get_request(server.url("/big"))).body.size() == big.size());
}

TEST_CASE("a compressed body is counted after decoding", "[curl][hostile]") {
    const std::string text(4 << 20, 'a');  // compresses to a few KB; outlives the server's threads
    TestServer server;
    server.server().Get("/text", [&text](const httplib::Request&, httplib::Response& res) {
        res.set_content(text, "text/plain");  // httplib compresses text/* when the client accepts it
    });
    server.start();
    auto transport = agentrail::make_curl_transport(limited(std::size_t{1} << 20));
    CHECK_THROWS_WITH(transport->send(get_request(server.url("/text"))), Catch::Contains("1 MiB"));
}

TEST_CASE("an error body streamed for a non-2xx stream() answer is capped too", "[curl][hostile]") {
    TestServer server;
    server.server().Get("/err", [](const httplib::Request&, httplib::Response& res) {
        res.status = 500;
        res.set_content(std::string(2 << 20, 'e'), "application/octet-stream");
    });
    server.start();
    auto transport = agentrail::make_curl_transport(limited(std::size_t{1} << 20));
    CHECK_THROWS_WITH(
        transport->stream(get_request(server.url("/err")), [](std::string_view) { return true; }),
        Catch::Contains("1 MiB"));
}

TEST_CASE("dot segments in a path are sent as written", "[curl][hostile]") {
    // Written by a server thread, read here: the mutex orders the two (the socket does not, for the
    // memory model), and both outlive the server's threads.
    std::mutex mutex;
    std::string seen;
    TestServer server;
    server.server().Get(".*", [&](const httplib::Request& req, httplib::Response& res) {
        const std::lock_guard lock(mutex);
        seen = req.path;
        res.set_content("{}", "application/json");
    });
    server.start();
    auto transport = agentrail::make_curl_transport();
    transport->send(get_request(server.url("/tasks/../keys")));
    const std::lock_guard lock(mutex);
    CHECK(seen == "/tasks/../keys");
}
