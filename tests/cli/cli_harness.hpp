#pragma once
// Runs CLI commands in-process on a Context whose Deps are fakes: the scripted FakeTransport, captured
// stdout/stderr, a fixed clock, chosen TTY facts and an environment of the test's own (no config file is
// read: HOME points at a directory that does not exist). Nothing touches the network or sleeps.
//
//   CliHarness cli;
//   cli.fake->reply(200, R"({"data":{"id":"tsk_1"}})");
//   auto r = cli.run({"tasks", "show", "tsk_1", "-o", "json"});
//   CHECK(r.exit == 0);  CHECK(r.json()["id"] == "tsk_1");

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app.hpp"
#include "context.hpp"
#include "deps.hpp"
#include "fake_transport.hpp"

namespace agentrail::test {

/// A FILE* whose bytes are read back as a string once closed (open_memstream).
class CapturedStream {
public:
    CapturedStream() : m_file(open_memstream(&m_data, &m_size)) {}
    ~CapturedStream() {
        close();
        std::free(m_data);
    }
    CapturedStream(const CapturedStream&) = delete;
    CapturedStream& operator=(const CapturedStream&) = delete;
    std::FILE* file() const { return m_file; }
    std::string text() {
        if (m_file != nullptr) std::fflush(m_file);
        return std::string(m_data != nullptr ? m_data : "", m_size);
    }
    void close() {
        if (m_file != nullptr) std::fclose(m_file);
        m_file = nullptr;
    }

private:
    char* m_data = nullptr;
    std::size_t m_size = 0;
    std::FILE* m_file = nullptr;
};

struct CliResult {
    int exit = -1;
    std::string out;
    std::string err;
    /// stdout parsed as one JSON document.
    nlohmann::json json() const { return nlohmann::json::parse(out); }
    /// stdout as NDJSON: one JSON value per line.
    std::vector<nlohmann::json> ndjson() const {
        std::vector<nlohmann::json> values;
        std::size_t start = 0;
        while (start < out.size()) {
            auto end = out.find('\n', start);
            if (end == std::string::npos) end = out.size();
            if (end > start) values.push_back(nlohmann::json::parse(out.substr(start, end - start)));
            start = end + 1;
        }
        return values;
    }
    /// stderr parsed as the --errors json object.
    nlohmann::json error_json() const { return nlohmann::json::parse(err).at("error"); }
};

class CliHarness {
public:
    std::shared_ptr<FakeTransport> fake = std::make_shared<FakeTransport>();
    std::map<std::string, std::string> env = {{"AGENTRAIL_API_KEY", "ar_test_key_123456"},
                                              {"HOME", "/nonexistent/agentrail-cli-tests"}};
    cli::Terminal terminal;  // not a TTY anywhere: what a script sees
    std::chrono::system_clock::time_point now =
        std::chrono::system_clock::from_time_t(1780000000);  // 2026-05-28T20:26:40Z
    /// Standard input as a pipe would give it (e.g. the key `login` reads); nullopt: reading it fails.
    std::optional<std::string> input;
    /// Retry waits the client asked for (it never sleeps).
    std::vector<std::chrono::milliseconds> sleeps;

    /// Deps bound to this harness and to the given streams.
    cli::Deps deps(std::FILE* out, std::FILE* err) {
        cli::Deps d;
        d.transport = [this](const TransportOptions&) -> std::shared_ptr<Transport> { return fake; };
        d.out = out;
        d.err = err;
        d.now = [this] { return now; };
        d.terminal = terminal;
        d.env = [this](const char* name) -> const char* {
            auto it = env.find(name);
            return it == env.end() ? nullptr : it->second.c_str();
        };
        d.sleep = [this](std::chrono::milliseconds ms) { sleeps.push_back(ms); };
        d.input = [this](std::size_t max_bytes, std::string_view what) -> std::string {
            if (!input) throw std::runtime_error("the test gave no standard input for " + std::string(what));
            return input->substr(0, max_bytes);
        };
        return d;
    }

    /// Runs `agentrail ARGS...` as the binary would, start to end.
    CliResult run(std::vector<std::string> args) {
        args.insert(args.begin(), "agentrail");
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        return with_context(
            [&](cli::Context& ctx) { return cli::run_app(static_cast<int>(argv.size()), argv.data(), ctx); });
    }

    /// Calls a run function directly on a Context made from this harness, with the global flags
    /// `global` set first; errors are reported and mapped as run_app() does.
    CliResult call(const std::function<int(cli::Context&)>& command,
                   const std::function<void(cli::GlobalOptions&)>& global = {}) {
        return with_context([&](cli::Context& ctx) {
            if (global) global(ctx.options());
            return cli::run_guarded(ctx, [&] { return command(ctx); });
        });
    }

private:
    CliResult with_context(const std::function<int(cli::Context&)>& body) {
        CapturedStream out, err;
        CliResult result;
        {
            cli::Context ctx(deps(out.file(), err.file()));
            result.exit = body(ctx);
        }  // the renderer flushes into `out` here
        result.out = out.text();
        result.err = err.text();
        return result;
    }
};

/// An example of the API contract (docs/api/*.openapi.yaml, as tests/unit/api_examples/api_examples.json
/// holds them): a response body by "METHOD PATH STATUS NAME", e.g. example("GET /tasks/{id} 200 default"),
/// or a request body by "REQUEST METHOD PATH NAME".
inline const nlohmann::json& example(const std::string& key) {
    static const nlohmann::json all = [] {
        std::ifstream in(AGENTRAIL_API_EXAMPLES);
        nlohmann::json by_key = nlohmann::json::object();
        // "where" reads "paths./tasks/{id} get 200 application/json examples.default" (or "requestBody").
        for (const auto& entry : nlohmann::json::parse(in)) {
            std::istringstream where(entry.at("where").get<std::string>());
            std::string path, method, status, content_type, name;
            if (!(where >> path >> method >> status >> content_type >> name)) continue;
            if (path.rfind("paths.", 0) != 0 || name.rfind("examples.", 0) != 0) continue;
            path = path.substr(6);
            name = name.substr(9);
            for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            by_key[status == "requestBody" ? "REQUEST " + method + " " + path + " " + name
                                           : method + " " + path + " " + status + " " + name] =
                entry.at("value");
        }
        return by_key;
    }();
    return all.at(key);
}

/// A file with `text` in it, removed when the object goes (with the ".lock" beside it that a state file
/// used through --state-file gets).
struct TempFile {
    std::string path;
    explicit TempFile(const std::string& text) {
        char name[] = "/tmp/agentrail-cli-test-XXXXXX";
        int fd = ::mkstemp(name);
        path = name;
        std::ofstream(path, std::ios::binary) << text;
        ::close(fd);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        std::remove(path.c_str());
        std::remove((path + ".lock").c_str());
    }
};

/// A JSON envelope {"data": DATA, "availableActions": ACTIONS} as the server sends it.
inline std::string envelope(const nlohmann::json& data, const std::vector<std::string>& actions = {}) {
    nlohmann::json e = {{"data", data}};
    if (!actions.empty()) e["availableActions"] = actions;
    return e.dump();
}

}  // namespace agentrail::test
