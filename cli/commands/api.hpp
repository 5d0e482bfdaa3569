#pragma once
// `agentrail api METHOD PATH`: options, run function (wiring in api.cpp).

#include <string>
#include <vector>

namespace agentrail::cli {

class Context;

struct ApiOptions {
    std::string method;                // GET, POST, PUT, PATCH, DELETE (any case)
    std::string path;                  // under the base URL, with any query string
    std::string data;                  // JSON body: inline, @FILE or - (standard input); "" = none
    std::vector<std::string> headers;  // "Name: value"
};
/// Sends the request (auth, retries, error mapping as any call) and prints the response body as JSON.
int run_api(const ApiOptions& options, Context& ctx);

}  // namespace agentrail::cli
