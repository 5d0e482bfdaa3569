// libFuzzer harness for the HTTP request parser of `agentrail webhook listen` (cli/webhook_listener.cpp),
// through its public interface: each input is sent as one raw request over a real loopback connection,
// followed by a well-formed request that stops serve(). Nothing may crash or hang, and a request that
// reaches the handler carries at most `max_body` bytes of body.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "agentrail/context.hpp"
#include "webhook_listener.hpp"

namespace {

using agentrail::cli::ListenerReply;
using agentrail::cli::ReceivedRequest;
using agentrail::cli::WebhookListener;

constexpr std::size_t kMaxBody = 256;  // small, so the fuzzer can cross it

[[noreturn]] void fail(const char* what) {
    std::fputs(what, stderr);
    std::fputc('\n', stderr);
    std::abort();
}

int connect_to(int port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0) fail("socket failed");
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        // libFuzzer's SIGALRM watchdog can interrupt a connect that waits for a retransmitted SYN (a
        // loaded machine); the attempt goes on, so wait for it to finish.
        int error = errno;
        if (error == EINTR) {
            pollfd p{fd, POLLOUT, 0};
            socklen_t len = sizeof error;
            while (::poll(&p, 1, 10000) < 0 && errno == EINTR) {
            }
            if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) error = errno;
        }
        if (error != 0) {
            std::fprintf(stderr, "connect: %s\n", std::strerror(error));
            fail("connect failed");
        }
    }
    // Closed with a reset rather than a FIN: thousands of connections a second must not pile up in
    // TIME_WAIT until no local port is left.
    linger reset{1, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    return fd;
}

void send_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0) fail("send failed");
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    static WebhookListener listener("127.0.0.1", 0);
    static unsigned long long round = 0;
    ++round;
    const std::string stop_target = "/stop/" + std::to_string(round);

    // Both connections wait in the listen backlog until serve() accepts them, in order; the input is
    // small enough to sit in the socket buffers meanwhile. Each client closes with a reset right after
    // sending: the listener still reads what was queued, then meets the end of the stream (its answer
    // is lost), and no side is left in TIME_WAIT, which would exhaust local ports within seconds.
    int request_fd = connect_to(listener.port());
    send_all(request_fd, std::string_view(reinterpret_cast<const char*>(bytes), size));
    ::close(request_fd);
    int stop_fd = connect_to(listener.port());
    send_all(stop_fd, "POST " + stop_target + " HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
    ::close(stop_fd);

    const agentrail::CallContext serving;
    listener.serve(
        [&](const ReceivedRequest& request) {
            if (request.body.size() > kMaxBody) fail("a body larger than max_body reached the handler");
            if (request.target == stop_target) serving.cancel();
            for (const auto& [name, value] : request.headers) (void)request.header(name);
            return ListenerReply{200, "{}", {}};
        },
        serving, kMaxBody);
    return 0;
}
