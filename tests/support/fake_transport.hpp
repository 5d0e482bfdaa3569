#pragma once
// A scripted Transport for unit tests: replies are queued in order; every request is recorded.

#include <chrono>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include "agentrail/agentrail.hpp"
#include "agentrail/errors.hpp"
#include "agentrail/transport.hpp"

namespace agentrail::test {

class FakeTransport : public Transport {
public:
    struct Reply {
        int status = 200;
        std::string body;
        Headers headers;
        bool network_error = false;       // throw TransportError instead of answering
        std::vector<std::string> chunks;  // for stream(): body split into these chunks
        bool stream_error_after = false;  // for stream(): throw TransportError after the chunks
    };

    FakeTransport& reply(int status, std::string body, Headers headers = {}) {
        m_replies.push_back(Reply{status, std::move(body), std::move(headers), false, {}, false});
        return *this;
    }
    FakeTransport& fail_network() {
        Reply r;
        r.network_error = true;
        m_replies.push_back(std::move(r));
        return *this;
    }
    /// A 200 stream delivering `chunks`, then ending cleanly (or with a transport error).
    FakeTransport& stream_reply(std::vector<std::string> chunks, bool error_after = false,
                                Headers headers = {}) {
        Reply r;
        r.status = 200;
        r.chunks = std::move(chunks);
        r.stream_error_after = error_after;
        r.headers = std::move(headers);
        m_replies.push_back(std::move(r));
        return *this;
    }

    HttpResponse send(const HttpRequest& request) override {
        m_requests.push_back(request);
        Reply r = next();
        if (r.network_error) throw TransportError("connection refused (fake)", 7);
        return HttpResponse{r.status, r.headers, r.body};
    }

    HttpResponse stream(const HttpRequest& request,
                        const std::function<bool(std::string_view chunk)>& on_chunk) override {
        m_requests.push_back(request);
        Reply r = next();
        if (r.network_error) throw TransportError("connection refused (fake)", 7);
        if (r.status < 200 || r.status >= 300) return HttpResponse{r.status, r.headers, r.body};
        for (const auto& c : r.chunks)
            if (!on_chunk(c)) return HttpResponse{r.status, r.headers, {}};
        if (r.stream_error_after) throw TransportError("connection reset (fake)", 56);
        return HttpResponse{r.status, r.headers, {}};
    }

    const std::vector<HttpRequest>& requests() const { return m_requests; }
    const HttpRequest& last() const { return m_requests.back(); }
    std::size_t pending() const { return m_replies.size(); }

private:
    Reply next() {
        if (m_replies.empty()) throw std::logic_error("FakeTransport: no scripted reply left");
        Reply r = std::move(m_replies.front());
        m_replies.pop_front();
        return r;
    }
    std::deque<Reply> m_replies;
    std::vector<HttpRequest> m_requests;
};

/// Records sleeps instead of sleeping.
struct SleepRecorder {
    std::shared_ptr<std::vector<std::chrono::milliseconds>> sleeps =
        std::make_shared<std::vector<std::chrono::milliseconds>>();
    std::function<void(std::chrono::milliseconds)> fn() {
        auto s = sleeps;
        return [s](std::chrono::milliseconds d) { s->push_back(d); };
    }
};

/// A client on a fake transport that never sleeps and has deterministic jitter (none).
inline Client make_test_client(std::shared_ptr<FakeTransport> fake, SleepRecorder* sleeps = nullptr,
                               std::string base_url = "http://127.0.0.1:3000") {
    ClientOptions o;
    o.base_url = std::move(base_url);
    o.api_key = "ar_test_key_123456";
    o.transport = std::move(fake);
    o.random = [] { return 0.5; };  // 0.5 = no jitter
    if (sleeps)
        o.sleep = sleeps->fn();
    else
        o.sleep = [](std::chrono::milliseconds) {};
    return Client(std::move(o));
}

/// An API error body: {"error": {"code", "message", "details"}}.
inline std::string error_body(const std::string& code, const std::string& message,
                              const nlohmann::json& details = nlohmann::json::object()) {
    return nlohmann::json{{"error", {{"code", code}, {"message", message}, {"details", details}}}}.dump();
}

/// Value of the first request header with this name (case-insensitive), or "" when absent.
inline std::string header_of(const HttpRequest& r, std::string_view name) {
    auto v = find_header(r.headers, name);
    return v ? std::string(*v) : std::string();
}

}  // namespace agentrail::test
