// Lists the caller's tasks with libagentrail, following every page.
//
//   AGENTRAIL_BASE_URL=http://127.0.0.1:3000 AGENTRAIL_API_KEY=... agentrail-example-list-tasks [STATUS]

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <agentrail/agentrail.hpp>

int main(int argc, char** argv) {
    agentrail::ClientOptions options;
    if (const char* url = std::getenv("AGENTRAIL_BASE_URL")) options.base_url = url;
    if (const char* key = std::getenv("AGENTRAIL_API_KEY")) options.api_key = key;

    agentrail::ListTasksOptions list;
    if (argc > 1) list.status = argv[1];

    try {
        agentrail::Client client(options);
        client.for_each_task_page(list, [](const agentrail::TaskPage& page) {
            for (const auto& task : page.data)
                std::cout << task.identifier << '\t' << task.status << '\t' << task.title << '\n';
            return true;
        });
    } catch (const agentrail::ApiError& e) {
        std::cerr << "error: " << e.what() << '\n';
        return 1;
    } catch (const agentrail::Error& e) {
        std::cerr << "error (" << agentrail::to_string(e.kind()) << "): " << e.what() << '\n';
        return 1;
    }
    return 0;
}
