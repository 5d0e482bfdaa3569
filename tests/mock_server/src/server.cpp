#include "server.hpp"

#include <httplib.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <thread>

#include "app.hpp"
#include "http_util.hpp"
#include "lifecycle.hpp"
#include "net_util.hpp"
#include "router.hpp"

namespace mock {

App::App(Config cfg)
    : config(std::move(cfg)), bus(config.replay_buffer), faults(config.fault_seed), webhooks(*this) {}

namespace {

// httplib hands each accepted connection to the task queue exactly once, which makes the queue
// the one place to count TCP connections.
class CountingTaskQueue : public httplib::TaskQueue {
public:
    CountingTaskQueue(std::size_t threads, Stats& stats) : m_pool(threads), m_stats(stats) {}

    void enqueue(std::function<void()> fn) override {
        ++m_stats.connections;
        m_pool.enqueue([this, fn = std::move(fn)] {
            ++m_stats.active_connections;
            fn();
            --m_stats.active_connections;
        });
    }

    void shutdown() override { m_pool.shutdown(); }

private:
    httplib::ThreadPool m_pool;
    Stats& m_stats;
};

bool write_ready_file(const std::string& path, const std::string& line) {
    auto tmp = path + ".tmp." + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) return false;
        out << line << '\n';
        if (!out.flush()) return false;
    }
    return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int serve(App& app) {
    httplib::Server svr;
    svr.new_task_queue = [&app] { return new CountingTaskQueue(app.config.threads, app.stats); };
    svr.set_keep_alive_max_count(100000);
    svr.set_keep_alive_timeout(static_cast<time_t>(app.config.keep_alive_timeout_s));
    svr.set_tcp_nodelay(true);
    svr.set_read_timeout(10);
    svr.set_write_timeout(10);
    svr.set_payload_max_length(16 * 1024 * 1024);

    Router router(app);
    register_key_routes(router);
    register_task_routes(router);
    register_subscription_routes(router);
    register_stream_routes(router);
    register_provider_routes(router);
    register_control_routes(router);

    auto handler = [&router](const httplib::Request& req, httplib::Response& res) {
        router.dispatch(req, res);
    };
    svr.Get(".*", handler);
    svr.Post(".*", handler);
    svr.Put(".*", handler);
    svr.Patch(".*", handler);
    svr.Delete(".*", handler);
    svr.Options(".*", handler);
    // Errors httplib raises itself (unparsable request, payload too large) still get a JSON body.
    svr.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&,
                                                                  httplib::Response& res) {
        if (!res.body.empty() || res.content_provider_) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 404) {
            send_not_found(res);
        } else if (res.status == 400 || res.status == 413) {
            int status = res.status;
            send_validation_error(
                res,
                Json::array({Json{
                    {"field", "body"},
                    {"reason",
                     res.status == 413
                         ? "request body is too large"
                         : "request could not be read (a body needs Content-Length or chunked encoding)"}}}));
            res.status = status;
        } else {
            send_error(res, res.status, "invalid_request", "The request could not be processed.");
        }
        return httplib::Server::HandlerResponse::Handled;
    }));

    int port = app.config.port;
    if (port == 0) {
        port = svr.bind_to_any_port(app.config.host);
        if (port <= 0) {
            std::cerr << "agentrail-mock: cannot bind " << app.config.host << ":0" << std::endl;
            return 1;
        }
    } else if (!svr.bind_to_port(app.config.host, port)) {
        std::cerr << "agentrail-mock: cannot bind " << app.config.host << ":" << port << std::endl;
        return 1;
    }
    std::string host = app.config.host;
    if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
    if (host == "::") host = "::1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    app.origin = "http://" + host + ":" + std::to_string(port);
    app.base_url = app.origin + app.config.path_prefix;

    Ticker ticker(app);
    ticker.start();
    app.webhooks.start();

    std::promise<bool> listen_done;
    auto listen_result = listen_done.get_future();
    std::thread listener([&svr, &listen_done] { listen_done.set_value(svr.listen_after_bind()); });

    // Key order matters to line-oriented consumers, so this is written by hand.
    std::string ready = R"({"event":"ready","baseUrl":")" + app.base_url + R"("})";
    // The file is in place before the stdout line, so either signal means both are ready.
    if (!app.config.ready_file.empty() && !write_ready_file(app.config.ready_file, ready)) {
        std::cerr << "agentrail-mock: cannot write ready file " << app.config.ready_file << std::endl;
    }
    std::cout << ready << std::endl;

    // Wait for SIGINT/SIGTERM, or for the listener to die on its own.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    int exit_code = 0;
    while (true) {
        timespec timeout{0, 200 * 1000 * 1000};
        int sig = sigtimedwait(&signals, nullptr, &timeout);
        if (sig == SIGINT || sig == SIGTERM) break;
        if (listen_result.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
            std::cerr << "agentrail-mock: listener stopped unexpectedly" << std::endl;
            exit_code = 1;
            break;
        }
    }

    // Idle keep-alive connections can hold workers for a few seconds; never let shutdown hang.
    std::thread([] {
        std::this_thread::sleep_for(std::chrono::seconds(3));
        std::fflush(stdout);
        std::fflush(stderr);
        ::_exit(0);
    }).detach();

    app.stopping = true;
    app.bus.close_all();
    svr.stop();
    // Workers blocked reading idle keep-alive connections would otherwise wait for their timeout.
    for (int fd : connection_fds(port)) ::shutdown(fd, SHUT_RDWR);
    if (listener.joinable()) listener.join();
    ticker.stop();
    {
        std::lock_guard lock(app.background_mutex);
        for (auto& t : app.background)
            if (t.joinable()) t.join();
    }
    app.webhooks.stop();
    if (!app.config.ready_file.empty()) std::remove(app.config.ready_file.c_str());
    return exit_code;
}

}  // namespace mock
