// One Client used from many threads at once, against the real agentrail-mock on 127.0.0.1.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "agentrail/agentrail.hpp"

extern char** environ;

namespace {

using namespace std::chrono_literals;

// agentrail-mock on a free port, stopped (SIGTERM, then waited for) when destroyed.
class Mock {
public:
    explicit Mock(std::vector<std::string> extra = {}) {
        const auto dir = std::filesystem::temp_directory_path();
        m_ready = (dir / ("agentrail-mock-ready-" + std::to_string(::getpid()) + ".json")).string();
        std::filesystem::remove(m_ready);
        std::vector<std::string> args = {AGENTRAIL_MOCK_BINARY, "--host", "127.0.0.1", "--port", "0",
                                         "--ready-file",        m_ready};
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        const int rc = posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0) throw std::runtime_error("cannot start agentrail-mock");
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        for (;;) {
            std::ifstream in(m_ready);
            std::string line;
            if (in && std::getline(in, line) && !line.empty()) {
                m_base_url = nlohmann::json::parse(line).at("baseUrl").get<std::string>();
                break;
            }
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("agentrail-mock did not start");
            std::this_thread::sleep_for(10ms);
        }
    }
    ~Mock() {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        ::waitpid(m_pid, &status, 0);
        std::filesystem::remove(m_ready);
    }
    Mock(const Mock&) = delete;
    Mock& operator=(const Mock&) = delete;
    const std::string& base_url() const { return m_base_url; }

private:
    pid_t m_pid = -1;
    std::string m_ready;
    std::string m_base_url;
};

}  // namespace

TEST_CASE("one Client from 8 threads: 8 x 200 get_task calls, at most 8 connections",
          "[client][threads][mock]") {
    if (std::string_view(AGENTRAIL_MOCK_BINARY).empty()) return;  // built without agentrail-mock
    Mock mock;
    agentrail::ClientOptions options;
    options.base_url = mock.base_url();
    options.api_key = "ar_local_demo_key";
    agentrail::Client client(options);

    const auto tasks = client.list_my_tasks();
    REQUIRE_FALSE(tasks.data.empty());
    std::vector<std::string> ids;
    for (const auto& t : tasks.data) ids.push_back(t.id);
    const auto connections_before =
        client.request(agentrail::Method::get, "/_mock/stats").data.at("connections").get<long long>();

    constexpr int threads = 8;
    constexpr int calls = 200;
    std::atomic<int> ok{0};
    std::atomic<int> wrong{0};
    std::vector<std::string> failures(threads);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            try {
                for (int i = 0; i < calls; ++i) {
                    const auto& id = ids[static_cast<std::size_t>(t + i) % ids.size()];
                    auto task = client.get_task(id);
                    if (task.status == 200 && task.data.id == id)
                        ok.fetch_add(1);
                    else
                        wrong.fetch_add(1);
                }
            } catch (const std::exception& e) {
                failures[static_cast<std::size_t>(t)] = e.what();
            }
        });
    }
    for (auto& th : pool) th.join();
    for (const auto& f : failures) CHECK(f.empty());
    CHECK(ok.load() == threads * calls);
    CHECK(wrong.load() == 0);

    const auto stats = client.request(agentrail::Method::get, "/_mock/stats").data;
    const auto opened = stats.at("connections").get<long long>() - connections_before;
    INFO("connections opened during the run: " << opened << ", in all: " << stats.at("connections"));
    // The pool holds at most 8 handles, each with one kept-alive connection: the one connection open
    // before the run is reused, and at most 7 more are opened.
    CHECK(opened <= 7);
    CHECK(stats.at("connections").get<long long>() <= 8);
}

TEST_CASE("a pool of one connection serialises 4 threads on one kept-alive connection",
          "[client][threads][mock]") {
    if (std::string_view(AGENTRAIL_MOCK_BINARY).empty()) return;
    Mock mock;
    agentrail::ClientOptions options;
    options.base_url = mock.base_url();
    options.api_key = "ar_local_demo_key";
    options.transport_options.max_connections = 1;
    agentrail::Client client(options);
    std::atomic<int> ok{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < 4; ++t) {
        pool.emplace_back([&] {
            for (int i = 0; i < 25; ++i) {
                if (client.health().status == 200) ok.fetch_add(1);
            }
        });
    }
    for (auto& th : pool) th.join();
    CHECK(ok.load() == 100);
    const auto stats = client.request(agentrail::Method::get, "/_mock/stats").data;
    CHECK(stats.at("connections").get<long long>() == 1);
}

TEST_CASE("a call waiting for a free connection ends at once when its context is cancelled",
          "[client][threads][mock][context]") {
    if (std::string_view(AGENTRAIL_MOCK_BINARY).empty()) return;
    Mock mock({"--latency-ms", "1500", "--fault-path", "/health"});
    agentrail::ClientOptions options;
    options.base_url = mock.base_url();
    options.api_key = "ar_local_demo_key";
    options.transport_options.max_connections = 1;
    agentrail::Client client(options);
    std::thread busy([&client] { client.health(); });  // holds the only connection for 1.5 s
    std::this_thread::sleep_for(200ms);
    agentrail::CallContext context;
    std::thread canceller([context] {
        std::this_thread::sleep_for(200ms);
        context.cancel();
    });
    const auto started = std::chrono::steady_clock::now();
    try {
        client.with_context(context).get_task("tsk_any");
        FAIL("expected a TransportError");
    } catch (const agentrail::TransportError& e) {
        CHECK(std::string(e.what()) == "cancelled");
    }
    const auto waited = std::chrono::steady_clock::now() - started;
    canceller.join();
    busy.join();
    CHECK(waited < 1000ms);  // not the 1.3 s the busy call still had to run
}
