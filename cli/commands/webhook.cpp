// `agentrail webhook verify|sign|listen`: check, produce and receive signed webhook deliveries.
//
// Secrets never come from argv (they would show in `ps`): --secret-env names an environment variable,
// --secret-file a file whose first line is the secret.

#include <fcntl.h>
#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include <CLI/CLI.hpp>

#include "agentrail/curl_transport.hpp"
#include "agentrail/json.hpp"
#include "agentrail/recent_ids.hpp"
#include "agentrail/transport.hpp"
#include "agentrail/webhook.hpp"
#include "commands/events.hpp"
#include "commands/run.hpp"
#include "commands/webhook.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "validate.hpp"
#include "webhook_forwarder.hpp"
#include "webhook_listener.hpp"

namespace agentrail::cli {
namespace {

constexpr std::size_t kChunk = 64 * 1024;
constexpr const char* kSignatureHeader = "X-AgentRail-Signature";

using SecretArgs = WebhookSecretOptions;

void add_secret_options(CLI::App& cmd, SecretArgs& s) {
    auto* env =
        cmd.add_option("--secret-env", s.env, "Read the signing secret from this environment variable");
    auto* file =
        cmd.add_option("--secret-file", s.file, "Read the signing secret from the first line of FILE");
    env->excludes(file);
}

std::string load_secret(const Context& ctx, const SecretArgs& s) {
    std::string secret;
    if (!s.env.empty()) {
        const char* value = ctx.deps().lookup(s.env.c_str());
        if (value == nullptr || *value == '\0')
            throw usage_error("--secret-env: the environment variable " + s.env + " is not set or empty");
        secret = value;
    } else if (!s.file.empty()) {
        secret = trim(read_small_file(s.file, "--secret-file"));
        if (secret.empty()) throw usage_error("--secret-file: " + s.file + " is empty");
    } else {
        throw usage_error(
            "pass the signing secret with --secret-env VAR or --secret-file FILE (never on the command "
            "line)");
    }
    return secret;
}

/// Reads FILE (or stdin for "-") in 64 KiB chunks, handing each to `on_chunk`.
template <typename OnChunk>
void read_chunks(const std::string& path, OnChunk&& on_chunk) {
    int fd = STDIN_FILENO;
    if (path != "-") {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw usage_error("--body-file: cannot open " + path + ": " + std::strerror(errno));
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    struct Closer {
        int fd;
        ~Closer() {
            if (fd != STDIN_FILENO) ::close(fd);
        }
    } closer{fd};
    auto buffer = std::make_unique<char[]>(kChunk);
    for (;;) {
        auto n = ::read(fd, buffer.get(), kChunk);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw usage_error("--body-file: cannot read " + path + ": " + std::strerror(errno));
        }
        if (n == 0) return;
        on_chunk(std::string_view(buffer.get(), static_cast<std::size_t>(n)));
    }
}

/// X-AgentRail-Signature from a file of raw HTTP headers (`Name: value` lines; a request line and the
/// body after the blank line are ignored).
std::string signature_from_headers_file(const std::string& path) {
    auto text = read_file(path, "--headers-file");
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        std::string_view line(text.data() + pos, end - pos);
        pos = end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) break;  // end of the header block
        auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;  // e.g. "POST /hook HTTP/1.1"
        auto name = line.substr(0, colon);
        if (name.size() != std::strlen(kSignatureHeader) ||
            !std::equal(name.begin(), name.end(), kSignatureHeader, [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            }))
            continue;
        return trim(line.substr(colon + 1));
    }
    throw usage_error("--headers-file: no " + std::string(kSignatureHeader) + " header in " + path);
}

/// Prints a verified body: verbatim (it is the server's JSON), or through --jq / an explicit format.
void print_event(Context& ctx, std::string_view body) {
    auto& out = ctx.out();
    const auto& s = out.settings();
    if (s.jq.empty() && !s.format_explicit && !s.quiet) {
        out.write(body);
        if (body.empty() || body.back() != '\n') out.write("\n");
        return;
    }
    auto event = agentrail::parse_json(body);
    if (event.is_discarded())
        throw Error(ErrorKind::protocol, "the signature is valid but the body is not JSON");
    if (s.quiet) {
        out.line(event.value("id", std::string{}));
        return;
    }
    out.json(event);
}

}  // namespace

int run_webhook_verify(const WebhookVerifyOptions& a, Context& ctx) {
    ctx.set_operation("verify webhook signature");
    auto secret = load_secret(ctx, a.secret);
    std::string signature = a.signature;
    if (!a.headers_file.empty()) signature = signature_from_headers_file(a.headers_file);
    if (signature.empty())
        throw usage_error("pass the received signature with --signature SIG or --headers-file FILE");

    WebhookVerifier verifier(secret);
    std::string body;  // kept only to print it after verification
    read_chunks(a.body_file, [&](std::string_view chunk) {
        verifier.update(chunk);
        if (a.print) body.append(chunk);
    });
    if (!verifier.verify(signature)) {
        throw Failure(
            exit_code::signature_invalid, "signature_invalid",
            "the signature does not match the body for this secret (the body must be the exact bytes "
            "received, and the secret that of the subscription)");
    }
    if (a.print)
        print_event(ctx, body);
    else if (ctx.out().settings().stderr_tty)
        ctx.out().note("valid");  // scripts go by the exit code
    return exit_code::ok;
}

namespace {

std::string random_suffix() {
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    std::random_device device;
    std::string out;
    for (int i = 0; i < 26; ++i) out.push_back(alphabet[device() % 32]);
    return out;
}

}  // namespace

int run_webhook_sign(const WebhookSignOptions& a, Context& ctx) {
    ctx.set_operation("sign webhook body");
    auto secret = load_secret(ctx, a.secret);
    WebhookVerifier signer(secret);
    std::string body;
    read_chunks(a.body_file, [&](std::string_view chunk) {
        signer.update(chunk);
        if (a.headers) body.append(chunk);
    });
    auto signature = signer.signature();
    auto& out = ctx.out();
    if (!a.headers) {
        out.result(Json{{"signature", signature}}, Json{{"signature", signature}}, signature,
                   [&] { out.line(signature); });
        return exit_code::ok;
    }
    WebhookDeliveryHeaders h;
    h.signature = signature;
    h.event_id = a.event_id;
    h.event_type = a.event_type;
    if (h.event_id.empty() || h.event_type.empty()) {
        Json event;
        try {
            event = agentrail::parse_json(body);
        } catch (const agentrail::Error& e) {
            throw usage_error(std::string("the body: ") + e.what());
        }
        if (h.event_id.empty() && event.is_object()) h.event_id = event.value("id", std::string{});
        if (h.event_type.empty() && event.is_object()) h.event_type = event.value("type", std::string{});
    }
    if (h.event_id.empty()) throw usage_error("--event-id: the body has no \"id\"; pass --event-id evt_...");
    if (h.event_type.empty())
        throw usage_error("--event-type: the body has no \"type\"; pass --event-type TYPE");
    h.subscription_id = a.subscription_id.empty() ? "evsub_" + random_suffix() : a.subscription_id;
    h.delivery_id = a.delivery_id.empty() ? "dlv_" + random_suffix() : a.delivery_id;
    h.delivery_attempt = a.attempt;
    Json object = Json::object();
    std::string text;
    for (const auto& [name, value] : h.to_headers()) {
        object[name] = value;
        text += name + ": " + value + "\n";
    }
    out.result(object, object, signature, [&] { out.write(text); });
    return exit_code::ok;
}

namespace {

constexpr std::size_t kForwardQueue = 10000;               // deliveries waiting for the target
constexpr std::chrono::milliseconds kForwardGrace{10000};  // last chance for them after the listener stops

}  // namespace

int run_webhook_listen(const WebhookListenOptions& a, Context& ctx) {
    ctx.set_operation("listen for webhooks");
    auto secret = load_secret(ctx, a.secret);
    if (!a.forward_to.empty()) require_http_url(a.forward_to, "--forward-to");
    std::optional<std::chrono::steady_clock::time_point> deadline;
    if (!a.timeout.empty())
        deadline = std::chrono::steady_clock::now() + parse_duration(a.timeout, "--timeout");

    auto& out = ctx.out();
    const auto& settings = out.settings();
    bool raw =
        settings.jq.empty() && !settings.quiet && !settings.raw &&
        (settings.format == OutputFormat::ndjson ||
         (settings.format == OutputFormat::table && !settings.format_explicit && !settings.stdout_tty));
    bool human = !raw && out.human();

    WebhookListener listener(a.host, a.port);
    std::fprintf(settings.err, "ready: listening on %s (POST webhook deliveries here; Ctrl-C to stop)\n",
                 listener.url().c_str());
    std::fflush(settings.err);

    // Forwards go through a queue and a thread of their own, retried until the target takes them: a slow
    // or failing target holds up neither the listener nor the printing. A full queue answers 503.
    // The transport comes from deps() (a test's fake), else it is the library's curl transport.
    std::unique_ptr<WebhookForwarder> forwarder;
    if (!a.forward_to.empty()) {
        const TransportOptions transport_options;
        auto transport = ctx.make_transport(transport_options);
        if (!transport) transport = make_curl_transport(transport_options);
        forwarder = std::make_unique<WebhookForwarder>(std::move(transport), a.forward_to, kForwardQueue,
                                                       [&out](std::string_view text) { out.warn(text); });
    }

    // Ctrl-C, --timeout and --count end serve(): Ctrl-C cancels the interrupt context, --timeout is the
    // deadline of this child of it, and the follow-up that reaches --count cancels the child. serve() is
    // woken by them at once; nothing polls.
    Context::InterruptScope interruptible;
    const auto interrupt = Context::interrupt_context();
    const agentrail::CallContext serving = deadline ? interrupt.with_deadline(*deadline) : interrupt.child();
    RecentIds seen(10000);  // event ids already taken, bounded so a long-running listener stays small
    long long received = 0;
    auto handler = [&](const ReceivedRequest& request) -> ListenerReply {
        if (request.method == "GET" || request.method == "HEAD")
            return {200, R"({"status":"ok","service":"agentrail webhook listen"})", {}};
        if (request.method != "POST")
            return {405, R"({"error":{"code":"method_not_allowed","message":"POST deliveries here"}})", {}};
        auto signature = request.header(kSignatureHeader);
        if (!signature || !verify_signature(request.body, secret, *signature)) {
            std::string event_id(request.header("X-AgentRail-Event-Id").value_or("?"));
            return {
                401,
                R"({"error":{"code":"invalid_signature","message":"X-AgentRail-Signature does not verify"}})",
                [&out, event_id, missing = !signature] {
                    out.warn("rejected delivery of event " + event_id +
                             (missing ? ": no X-AgentRail-Signature header" : ": bad signature"));
                }};
        }
        std::string event_id(request.header("X-AgentRail-Event-Id").value_or(""));
        Json event;
        try {
            event = agentrail::parse_json(request.body);
        } catch (const agentrail::Error&) {
            // Too deeply nested: handled as a body that is not JSON (no id to de-duplicate on).
        }
        if (event_id.empty() && event.is_object()) event_id = event.value("id", std::string{});
        if (!event_id.empty() && seen.contains(event_id)) {
            ctx.log_info("duplicate delivery of " + event_id + " (attempt " +
                         std::string(request.header("X-AgentRail-Delivery-Attempt").value_or("?")) +
                         ") acknowledged");
            return {200, R"({"received":true,"duplicate":true})", {}};
        }
        if (forwarder) {
            WebhookForwarder::Item item{event_id, request.body, {}};
            for (const auto& [name, value] : request.headers) {
                if (name.size() > 12 && strncasecmp(name.c_str(), "X-AgentRail-", 12) == 0)
                    item.headers.emplace_back(name, value);
            }
            if (!forwarder->push(std::move(item))) {
                // Not taken, so not marked seen: the sender's redelivery gets another chance.
                return {
                    503,
                    R"({"error":{"code":"busy","message":"the forward queue is full; deliver again later"}})",
                    {}};
            }
        }
        if (!event_id.empty()) seen.insert(event_id);
        return {200, R"({"received":true})", [&, request, event = std::move(event)] {
                    if (raw) {
                        out.line(request.body);
                        out.flush();
                    } else if (event.is_discarded()) {
                        out.warn("verified delivery whose body is not JSON: " + request.body.substr(0, 200));
                    } else if (human) {
                        out.line(event_human_line(out, event));
                        out.flush();
                    } else {
                        out.stream_item(event, request.body, event.value("id", std::string{}), [] {});
                    }
                    ++received;
                    if (a.count > 0 && received >= a.count) serving.cancel();
                }};
    };

    listener.serve(handler, serving);
    out.flush();
    if (forwarder) {
        // Whatever is still queued gets a last chance; what the target never took is named.
        auto left = forwarder->close(kForwardGrace);
        if (!left.empty()) {
            std::string ids;
            for (std::size_t i = 0; i < left.size() && i < 20; ++i) ids += (i ? ", " : "") + left[i];
            out.warn(std::to_string(left.size()) + " deliveries were not forwarded to " + a.forward_to +
                     " before the listener stopped: " + ids + (left.size() > 20 ? ", ..." : ""));
        }
    }
    return exit_code::ok;
}

// ---- wiring: flags bound to the options, the callback calls run ---------------------------------------

void register_webhook(CLI::App& app, Context& ctx) {
    auto* webhook = app.add_subcommand("webhook", "Verify, sign and receive webhook deliveries");
    webhook->require_subcommand(1);

    auto* verify_cmd = webhook->add_subcommand(
        "verify",
        "Check a delivery's X-AgentRail-Signature against its exact body (exit 0 valid, 12 invalid)");
    auto v = std::make_shared<WebhookVerifyOptions>();
    add_secret_options(*verify_cmd, v->secret);
    auto* sig =
        verify_cmd->add_option("--signature", v->signature, "The received X-AgentRail-Signature value");
    auto* hdr = verify_cmd->add_option("--headers-file", v->headers_file,
                                       "Raw HTTP headers of the delivery (Name: value lines)");
    sig->excludes(hdr);
    verify_cmd->add_option("--body-file", v->body_file, "The raw body as received, or - for stdin")
        ->capture_default_str();
    verify_cmd->add_flag("--print", v->print, "Print the event once it verified");
    bind_run(verify_cmd, ctx, v, run_webhook_verify);

    auto* sign_cmd = webhook->add_subcommand(
        "sign", "Sign a body like AgentRail does: sha256=..., or the whole X-AgentRail-* header set");
    auto s = std::make_shared<WebhookSignOptions>();
    add_secret_options(*sign_cmd, s->secret);
    sign_cmd->add_option("--body-file", s->body_file, "The body to sign, or - for stdin")
        ->capture_default_str();
    sign_cmd->add_flag("--headers", s->headers,
                       "Print every X-AgentRail-* header of a delivery, not only the signature");
    sign_cmd->add_option("--event-id", s->event_id, "X-AgentRail-Event-Id (default: the body's id)");
    sign_cmd->add_option("--event-type", s->event_type, "X-AgentRail-Event-Type (default: the body's type)");
    sign_cmd->add_option("--subscription-id", s->subscription_id,
                         "X-AgentRail-Subscription-Id (default: random)");
    sign_cmd->add_option("--delivery-id", s->delivery_id, "X-AgentRail-Delivery-Id (default: random)");
    sign_cmd->add_option("--attempt", s->attempt, "X-AgentRail-Delivery-Attempt")
        ->check(CLI::Range(1, 8))
        ->capture_default_str();
    bind_run(sign_cmd, ctx, s, run_webhook_sign);

    auto* listen_cmd = webhook->add_subcommand(
        "listen", "Receive deliveries on 127.0.0.1: verify, de-duplicate, print, optionally forward");
    auto l = std::make_shared<WebhookListenOptions>();
    add_secret_options(*listen_cmd, l->secret);
    listen_cmd->add_option("--port", l->port, "Port to listen on (0: a free one, printed on stderr)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    listen_cmd->add_option("--host", l->host, "IPv4 address to bind")->capture_default_str();
    listen_cmd->add_option(
        "--forward-to", l->forward_to,
        "Also POST each new verified delivery here (same body and X-AgentRail-* headers), once per "
        "event id, retried until it answers 2xx");
    listen_cmd->add_option("--count", l->count, "Stop after N verified deliveries")->check(positive_count());
    listen_cmd->add_option("--timeout", l->timeout, "Stop after this long, e.g. 5m (exit 0)");
    bind_run(listen_cmd, ctx, l, run_webhook_listen);
}

}  // namespace agentrail::cli
