// Task Events: the SSE stream.
#include "net_util.hpp"
#include "routes_common.hpp"

namespace mock {

namespace {

struct StreamState {
    App& app;
    std::shared_ptr<StreamSubscriber> sub;
    std::string key_id;
    std::chrono::milliseconds heartbeat{20000};
    StreamFaults faults;
    int fd = -1;
    int local_port = -1;
    int remote_port = -1;
    bool started = false;
    bool dropped = false;  // sse_drop_idle: silently forgotten
    long long sent = 0;
    SteadyClock::time_point next_heartbeat;
    SteadyClock::time_point last_write;

    explicit StreamState(App& a) : app(a) {}
    StreamState(const StreamState&) = delete;
    StreamState& operator=(const StreamState&) = delete;

    ~StreamState() {
        app.bus.unsubscribe(sub);
        --app.stats.streams_active;
        std::lock_guard lock(app.store.mutex);
        if (ApiKey* key = app.store.find_key(key_id); key && key->active_streams > 0) --key->active_streams;
    }

    // One step of the stream; false ends it (and closes the connection).
    bool step(httplib::DataSink& sink) {
        if (!started) {
            started = true;
            // Lets an idle stream notice a client that went away without waiting for the next write.
            auto fds = connection_fds(local_port, remote_port);
            fd = fds.size() == 1 ? fds.front() : -1;
            next_heartbeat = SteadyClock::now() + heartbeat;
            last_write = SteadyClock::now();
            if (!faults.stall) {
                const std::string retry = "retry: " + std::to_string(app.config.sse_retry_ms) + "\n";
                if (!sink.write(retry.data(), retry.size())) return false;
            }
        }
        if (app.stopping || peer_closed(fd)) return false;
        if (faults.stall) {
            // Stalled: no events, no keepalives, until the client gives up.
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            return true;
        }
        if (!dropped && faults.drop_idle_ms > 0 &&
            SteadyClock::now() - last_write >= std::chrono::milliseconds(faults.drop_idle_ms)) {
            dropped = true;
            app.faults.count_stream_cut(faults.drop_rule_id);
        }
        if (dropped) {
            // Forgotten: whatever is published for this stream goes nowhere; the socket stays open.
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            std::lock_guard lock(sub->mutex);
            if (sub->closed) return false;
            sub->queue.clear();
            return true;
        }
        std::deque<EventPtr> batch;
        {
            std::unique_lock lock(sub->mutex);
            auto wake = std::min(SteadyClock::now() + std::chrono::milliseconds(100), next_heartbeat);
            sub->cv.wait_until(lock, wake, [this] { return !sub->queue.empty() || sub->closed; });
            if (sub->closed) return false;
            batch.swap(sub->queue);
        }
        if (!batch.empty()) {
            std::string buffer;
            buffer.reserve(64 * 1024);
            for (const auto& ev : batch) {
                buffer += ev->frame;
                ++sent;
                ++app.stats.stream_events_sent;
                bool cut = faults.cut_every > 0 && sent % faults.cut_every == 0;
                if (cut || buffer.size() >= 256 * 1024) {
                    if (!sink.write(buffer.data(), buffer.size())) return false;
                    buffer.clear();
                }
                if (cut) {
                    app.faults.count_stream_cut(faults.cut_rule_id);
                    return false;
                }
            }
            if (!buffer.empty() && !sink.write(buffer.data(), buffer.size())) return false;
            next_heartbeat = SteadyClock::now() + heartbeat;
            last_write = SteadyClock::now();
            return true;
        }
        if (SteadyClock::now() >= next_heartbeat) {
            auto line = ": keepalive " + iso_now() + "\n\n";
            if (!sink.write(line.data(), line.size())) return false;
            next_heartbeat = SteadyClock::now() + heartbeat;
            last_write = SteadyClock::now();
        }
        return true;
    }
};

void stream_events(Ctx& ctx) {
    auto& app = ctx.app;
    // Resume token: Last-Event-ID wins over ?cursor=.
    std::string token = ctx.req.get_header_value("Last-Event-ID");
    if (token.empty()) token = ctx.req.get_param_value("cursor");
    token = trim(token);
    std::optional<std::uint64_t> after;
    if (!token.empty()) {
        after = app.bus.resolve_cursor(token);
        if (!after) {
            send_error(ctx.res, 410, "cursor_expired", "The requested stream cursor is no longer available.",
                       Json{{"replayWindowHours", 72}}, Json{"reconnect_without_cursor"});
            return;
        }
    }
    if (app.config.max_streams > 0 && ctx.key->active_streams >= app.config.max_streams) {
        ctx.res.set_header("retry-after", "5");
        send_error(ctx.res, 429, "rate_limited", "Concurrent stream limit reached for this agent token.",
                   Json{{"concurrentLimit", app.config.max_streams}, {"retryAfterSeconds", 5}},
                   Json{"retry"});
        return;
    }

    int heartbeat_s = app.config.heartbeat_seconds;
    long long heartbeat_ms = app.config.heartbeat_ms > 0 ? app.config.heartbeat_ms : heartbeat_s * 1000LL;
    if (ctx.req.has_param("heartbeatSeconds")) {
        if (auto v = parse_int(ctx.req.get_param_value("heartbeatSeconds"))) {
            heartbeat_s = static_cast<int>(std::clamp(*v, 10LL, 60LL));
            heartbeat_ms = heartbeat_s * 1000LL;
        }
    }
    if (ctx.req.has_param("heartbeatMs")) {  // mock-only, for fast tests
        if (auto v = parse_int(ctx.req.get_param_value("heartbeatMs")))
            heartbeat_ms = std::clamp(*v, 10LL, 600000LL);
    }

    EventFilter filter;
    if (!ctx.key->is_admin()) filter.agent_id = ctx.key->agent.id;
    for (const auto& t : split(ctx.req.get_param_value("eventTypes"), ','))
        if (auto type = trim(t); !type.empty()) filter.types.insert(type);
    filter.task_id = trim(ctx.req.get_param_value("taskId"));

    auto state = std::make_shared<StreamState>(app);
    state->key_id = ctx.key->id;
    state->heartbeat = std::chrono::milliseconds(heartbeat_ms);
    state->faults = app.faults.stream_faults(ctx.req.path);
    state->local_port = ctx.req.local_port;
    state->remote_port = ctx.req.remote_port;
    state->sub = app.bus.subscribe(std::move(filter), after);
    ++ctx.key->active_streams;
    ++app.stats.streams_active;
    ++app.stats.streams_total;

    ctx.res.status = 200;
    ctx.res.set_header("cache-control", "no-store");
    ctx.res.set_header("x-agentrail-replay-window-hours", "72");
    ctx.res.set_header("x-agentrail-stream-heartbeat-seconds", std::to_string(heartbeat_s));
    ctx.res.set_header("x-agentrail-resume-mode", after ? "replay_then_live" : "live");
    ctx.res.set_header("x-mock-heartbeat-ms", std::to_string(heartbeat_ms));
    ctx.res.set_chunked_content_provider(
        "text/event-stream", [state](std::size_t, httplib::DataSink& sink) { return state->step(sink); });
}

}  // namespace

void register_stream_routes(Router& router) {
    Route r{"GET",         {"task-events", "stream"}, "stream_task_lifecycle_events",
            "events:read", AuthMode::required,        stream_events};
    r.streams = true;
    router.add(std::move(r));
}

}  // namespace mock
