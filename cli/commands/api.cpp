// `agentrail api METHOD PATH`: a raw call with auth, retries and error handling, for any route.

#include <strings.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "agentrail/json.hpp"

#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

struct ApiArgs {
    std::string method, path, data;
    std::vector<std::string> headers;
};

Method parse_method(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
    if (text == "GET") return Method::get;
    if (text == "POST") return Method::post;
    if (text == "PUT") return Method::put;
    if (text == "PATCH") return Method::patch;
    if (text == "DELETE") return Method::del;
    throw usage_error("METHOD: '" + text + "' is not one of GET, POST, PUT, PATCH, DELETE");
}

}  // namespace

void register_api(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("api", "Call any API route: prints the response body as JSON");
    auto a = std::make_shared<ApiArgs>();
    cmd->add_option("method", a->method, "GET, POST, PUT, PATCH or DELETE")->required();
    cmd->add_option("path", a->path,
                    "Path under the base URL, with any query string, e.g. /tasks/mine?limit=5")
        ->required();
    cmd->add_option("-d,--data", a->data, "JSON body: inline, @FILE, or - for standard input");
    cmd->add_option("-H,--header", a->headers, "Extra header 'Name: value', repeatable");
    cmd->footer(
        "POST, PUT and PATCH carry --idempotency-key when given, else a new random key (kept for retries); "
        "GET and DELETE carry none.");
    cmd->callback([&ctx, a] {
        auto method = parse_method(a->method);
        if (a->path.empty() || a->path[0] != '/')
            throw usage_error("PATH: must start with '/', got '" + a->path + "'");
        Headers headers;
        for (const auto& h : a->headers) {
            auto colon = h.find(':');
            if (colon == std::string::npos || colon == 0)
                throw usage_error("--header: expected 'Name: value', got '" + h + "'");
            // CR or LF would end the header early and start another one (header injection).
            if (std::any_of(h.begin(), h.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; }))
                throw usage_error("--header: a header must not contain CR, LF or NUL characters");
            auto name = trim(h.substr(0, colon));
            if (strcasecmp(name.c_str(), "Authorization") == 0) {
                bool twice = std::any_of(headers.begin(), headers.end(), [](const auto& header) {
                    return strcasecmp(header.first.c_str(), "Authorization") == 0;
                });
                if (twice || !ctx.settings().api_key.value.empty())
                    throw usage_error(
                        "--header: a second Authorization header; the API key already sends one (use "
                        "--api-key-file or --api-key-stdin to choose the key)");
            }
            headers.emplace_back(name, trim(h.substr(colon + 1)));
        }
        std::optional<Json> body;
        if (!a->data.empty()) {
            std::string text;
            if (a->data == "-") {
                if (ctx.options().api_key_stdin)
                    throw usage_error("--data - and --api-key-stdin cannot both read standard input");
                text = read_stdin();
            } else if (a->data[0] == '@') {
                text = read_file(a->data.substr(1), "--data");
            } else {
                text = a->data;
            }
            try {
                body = agentrail::parse_json(text);
            } catch (const agentrail::Error& e) {
                throw usage_error(std::string("--data: ") + e.what());
            }
            if (body->is_discarded()) {
                try {
                    body = Json::parse(text);         // throws, with the parser's description of the error
                } catch (const Json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
                    throw usage_error(std::string("--data: not valid JSON: ") + e.what());
                }
            }
        }
        std::optional<std::string> key;
        if (!ctx.options().idempotency_key.empty()) key = ctx.options().idempotency_key;
        ctx.set_operation(std::string(to_string(method)) + " " + a->path);
        auto& out = ctx.out();
        auto r = ctx.client(Context::KeyNeed::optional).request(method, a->path, body, headers, key);
        out.json(r.envelope);
    });
}

}  // namespace agentrail::cli
