// CallContext: deadline and cancellation; the client and the event stream honour it.

#include <atomic>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "agentrail/client.hpp"
#include "agentrail/context.hpp"
#include "fake_transport.hpp"

using namespace agentrail;
using namespace agentrail::test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST_CASE("a context starts live, cancel() is seen by it and its children, not its parent", "[context]") {
    CallContext root;
    CHECK_FALSE(root.done());
    CHECK_FALSE(root.deadline().has_value());
    CHECK_FALSE(root.remaining().has_value());
    auto child = root.child();
    auto grandchild = child.with_timeout(1h);
    child.cancel();
    CHECK(child.cancelled());
    CHECK(grandchild.cancelled());
    CHECK_FALSE(root.cancelled());
    auto copy = root;  // a copy is the same context
    root.cancel();
    CHECK(copy.cancelled());
    CHECK(root.child().cancelled());  // a child of a cancelled context starts cancelled
}

TEST_CASE("a child's deadline is the earlier of its own and its parent's", "[context]") {
    const auto now = Clock::now();
    auto parent = CallContext().with_deadline(now + 10s);
    CHECK(parent.with_deadline(now + 1h).deadline() == now + 10s);
    CHECK(parent.with_deadline(now + 1s).deadline() == now + 1s);
    CHECK(parent.child().deadline() == now + 10s);
    auto passed = CallContext().with_deadline(now - 1ms);
    CHECK(passed.expired());
    CHECK(passed.done());
    CHECK_FALSE(passed.cancelled());
    CHECK(passed.remaining() == std::optional<std::chrono::milliseconds>(0ms));
}

TEST_CASE("sleep_for ends at the deadline or at once on cancel", "[context]") {
    auto bounded = CallContext().with_timeout(50ms);
    auto start = Clock::now();
    CHECK_FALSE(bounded.sleep_for(10s));
    CHECK(Clock::now() - start < 5s);
    CHECK(bounded.expired());

    CallContext plain;
    CHECK(plain.sleep_for(1ms));

    CallContext context;
    auto child = context.child();
    std::thread canceller([context] {
        std::this_thread::sleep_for(50ms);
        context.cancel();
    });
    start = Clock::now();
    CHECK_FALSE(child.sleep_for(30s));  // woken through the parent, by a condition variable
    CHECK(Clock::now() - start < 5s);
    canceller.join();
}

TEST_CASE("on_cancel callbacks run once, a dropped registration never runs", "[context]") {
    CallContext context;
    int runs = 0;
    int dropped_runs = 0;
    auto kept = context.on_cancel([&runs] { ++runs; });
    {
        auto dropped = context.on_cancel([&dropped_runs] { ++dropped_runs; });
    }
    context.cancel();
    context.cancel();
    CHECK(runs == 1);
    CHECK(dropped_runs == 0);
    int late = 0;
    auto after = context.on_cancel([&late] { ++late; });  // already cancelled: runs at once
    CHECK(late == 1);
}

TEST_CASE("cancel from many threads and registrations coming and going stay consistent",
          "[context][threads]") {
    for (int round = 0; round < 50; ++round) {
        CallContext context;
        std::atomic<int> runs{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&context, &runs, t] {
                if (t % 2 == 0) {
                    auto r = context.on_cancel([&runs] { runs.fetch_add(1); });
                    auto c = context.child();
                    c.sleep_for(1ms);
                } else {
                    context.cancel();
                }
            });
        }
        for (auto& th : threads) th.join();
        CHECK(context.cancelled());
        CHECK(runs.load() <= 2);
    }
}

TEST_CASE("a client's context bounds its calls: cancelled, nothing is sent", "[context][client]") {
    auto fake = std::make_shared<FakeTransport>();
    auto client = make_test_client(fake);
    CallContext context;
    auto scoped = client.with_context(context);
    fake->reply(200, R"({"data":{}})");
    CHECK(scoped.request(Method::get, "/x").status == 200);
    context.cancel();
    CHECK_THROWS_AS(scoped.request(Method::get, "/x"), TransportError);
    CHECK(fake->requests().size() == 1);
    fake->reply(200, R"({"data":{}})");
    CHECK(client.request(Method::get, "/x").status == 200);  // the original client is not affected
}

TEST_CASE("an event stream waiting to reconnect ends at once when its context is cancelled",
          "[context][stream]") {
    auto fake = std::make_shared<FakeTransport>();
    ClientOptions o;
    o.transport = fake;
    o.random = [] { return 0.5; };  // no custom sleep: the stream waits on its context
    Client client(std::move(o));
    fake->fail_network();
    CallContext context;
    StreamOptions options;
    options.context = context;
    options.max_reconnects = 5;
    auto stream = client.stream_events(options);
    StreamState last = StreamState::connecting;
    std::string reason;
    stream.on_state([&](StreamState s, std::string_view r) {
        last = s;
        reason = r;
    });
    std::thread canceller([context] {
        std::this_thread::sleep_for(100ms);
        context.cancel();
    });
    const auto start = Clock::now();
    stream.run([](const StreamEvent&) { return true; });  // would wait 1 s before reconnecting
    canceller.join();
    CHECK(Clock::now() - start < 900ms);
    CHECK(last == StreamState::stopped);
    CHECK(reason == "cancelled");
    CHECK(fake->requests().size() == 1);
}

TEST_CASE("an event stream ends at its context's deadline", "[context][stream]") {
    auto fake = std::make_shared<FakeTransport>();
    ClientOptions o;
    o.transport = fake;
    o.random = [] { return 0.5; };
    Client client(std::move(o));
    fake->fail_network();
    StreamOptions options;
    options.context = CallContext().with_timeout(100ms);
    auto stream = client.stream_events(options);
    std::string reason;
    stream.on_state([&](StreamState, std::string_view r) { reason = r; });
    const auto start = Clock::now();
    stream.run([](const StreamEvent&) { return true; });
    CHECK(Clock::now() - start < 900ms);
    CHECK(reason == "deadline reached");
}
