// `agentrail api METHOD PATH`: a raw call with auth, retries and error handling, for any route.

#include <strings.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "agentrail/json.hpp"

#include "commands/api.hpp"
#include "commands/run.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

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

int run_api(const ApiOptions& o, Context& ctx) {
    auto method = parse_method(o.method);
    if (o.path.empty() || o.path[0] != '/')
        throw usage_error("PATH: must start with '/', got '" + o.path + "'");
    Headers headers;
    for (const auto& h : o.headers) {
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
    if (!o.data.empty()) {
        std::string text;
        if (o.data == "-") {
            if (ctx.options().api_key_stdin)
                throw usage_error("--data - and --api-key-stdin cannot both read standard input");
            text = read_stdin();
        } else if (o.data[0] == '@') {
            text = read_file(o.data.substr(1), "--data");
        } else {
            text = o.data;
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
    ctx.set_operation(std::string(to_string(method)) + " " + o.path);
    auto& out = ctx.out();
    auto r = ctx.client(Context::KeyNeed::optional).request(method, o.path, body, headers, key);
    out.json(r.envelope);
    return exit_code::ok;
}

void register_api(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("api", "Call any API route: prints the response body as JSON");
    auto o = std::make_shared<ApiOptions>();
    cmd->add_option("method", o->method, "GET, POST, PUT, PATCH or DELETE")->required();
    cmd->add_option("path", o->path,
                    "Path under the base URL, with any query string, e.g. /tasks/mine?limit=5")
        ->required();
    cmd->add_option("-d,--data", o->data, "JSON body: inline, @FILE, or - for standard input");
    cmd->add_option("-H,--header", o->headers, "Extra header 'Name: value', repeatable");
    cmd->footer(
        "POST, PUT and PATCH carry --idempotency-key when given, else a new random key (kept for retries); "
        "GET and DELETE carry none.");
    bind_run(cmd, ctx, o, run_api);
}

}  // namespace agentrail::cli
