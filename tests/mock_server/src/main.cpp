// agentrail-mock: a stateful local AgentRail server (see docs/mock-server.md).
#include <signal.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "app.hpp"
#include "config.hpp"
#include "server.hpp"

int main(int argc, char** argv) {
    mock::Config config;
    if (auto code = mock::parse_args(argc, argv, config)) return *code;

    // Block the stop signals before any thread starts so only the main thread receives them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    std::string seed_text;
    if (config.seed_file.empty()) {
        seed_text = mock::default_seed_json();
    } else {
        std::ifstream in(config.seed_file);
        if (!in) {
            std::cerr << "agentrail-mock: cannot read seed file " << config.seed_file << std::endl;
            return 2;
        }
        std::stringstream buf;
        buf << in.rdbuf();
        seed_text = buf.str();
    }

    mock::App app(config);
    try {
        app.seed = mock::Json::parse(seed_text);
        app.store.load_seed(app.seed, config.extra_tasks);
    } catch (const std::exception& e) {
        std::cerr << "agentrail-mock: invalid seed: " << e.what() << std::endl;
        return 2;
    }
    for (const auto& spec : config.faults) {
        auto parsed = mock::Json::parse(spec, nullptr, false);
        if (auto err = app.faults.add(parsed)) {
            std::cerr << "agentrail-mock: invalid --fault " << spec << ": " << *err << std::endl;
            return 2;
        }
    }
    return mock::serve(app);
}
