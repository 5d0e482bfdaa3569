// Fetches tasks from several threads through one shared Client (its calls share a bounded pool of
// kept-alive connections), and prints how long it took.
//
//   AGENTRAIL_BASE_URL=http://127.0.0.1:3000 AGENTRAIL_API_KEY=... agentrail-example-concurrent-get
//       THREADS CALLS TASK_ID...
//
// CALLS get_task calls in all, spread over THREADS threads, cycling through the task ids. Prints
// "<milliseconds> ms, <calls> calls, <threads> threads" and exits 1 when any call failed.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <agentrail/agentrail.hpp>

int main(int argc, char** argv) {
    if (argc < 4) {
        std::cerr << "usage: " << argv[0] << " THREADS CALLS TASK_ID...\n";
        return 2;
    }
    const int threads = std::atoi(argv[1]);
    const int calls = std::atoi(argv[2]);
    const std::vector<std::string> ids(argv + 3, argv + argc);
    if (threads < 1 || calls < 1) {
        std::cerr << "THREADS and CALLS must be positive\n";
        return 2;
    }

    agentrail::ClientOptions options;
    if (const char* url = std::getenv("AGENTRAIL_BASE_URL")) options.base_url = url;
    if (const char* key = std::getenv("AGENTRAIL_API_KEY")) options.api_key = key;
    options.transport_options.max_connections = static_cast<std::size_t>(threads);
    agentrail::Client client(options);  // one client for every thread

    std::atomic<int> next{0};
    std::atomic<int> failed{0};
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            for (int i = next.fetch_add(1); i < calls; i = next.fetch_add(1)) {
                try {
                    client.get_task(ids[static_cast<std::size_t>(i) % ids.size()]);
                } catch (const agentrail::Error& e) {
                    if (failed.fetch_add(1) == 0) std::cerr << "error: " << e.what() << '\n';
                }
            }
        });
    }
    for (auto& thread : pool) thread.join();
    const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started);
    std::printf("%.1f ms, %d calls, %d threads\n", ms.count(), calls, threads);
    return failed.load() == 0 ? 0 : 1;
}
