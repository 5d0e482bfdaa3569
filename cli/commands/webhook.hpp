#pragma once
// `agentrail webhook verify|sign|listen`: options and run functions; the wiring is in webhook.cpp.

#include <string>

namespace agentrail::cli {

class Context;

/// Where the signing secret comes from (never the command line).
struct WebhookSecretOptions {
    std::string env;   // --secret-env VAR
    std::string file;  // --secret-file FILE (first line)
};

/// `webhook verify`
struct WebhookVerifyOptions {
    WebhookSecretOptions secret;
    std::string signature;     // --signature
    std::string headers_file;  // --headers-file: raw headers holding X-AgentRail-Signature
    std::string body_file = "-";
    bool print = false;  // print the event once it verified
};
/// Exit 0 when the signature matches the body for the secret; a Failure with exit 12 when it does not.
int run_webhook_verify(const WebhookVerifyOptions& options, Context& ctx);

/// `webhook sign`
struct WebhookSignOptions {
    WebhookSecretOptions secret;
    std::string body_file = "-";
    bool headers = false;         // the whole X-AgentRail-* header set instead of the signature alone
    std::string event_id;         // default: the body's "id"
    std::string event_type;       // default: the body's "type"
    std::string subscription_id;  // default: evsub_<random>
    std::string delivery_id;      // default: dlv_<random>
    int attempt = 1;
};
int run_webhook_sign(const WebhookSignOptions& options, Context& ctx);

/// `webhook listen`
struct WebhookListenOptions {
    WebhookSecretOptions secret;
    int port = 0;  // 0: a free one, printed on stderr
    std::string host = "127.0.0.1";
    std::string forward_to;  // --forward-to URL
    long long count = 0;     // stop after N verified deliveries, 0 = no limit
    std::string timeout;     // stop after this long (exit 0)
};
/// Serves deliveries on a real socket until --count, --timeout or Ctrl-C (exit 0); usage Failure (exit 2)
/// for a missing secret, a bad --forward-to or --timeout, or an address that cannot be bound.
int run_webhook_listen(const WebhookListenOptions& options, Context& ctx);

}  // namespace agentrail::cli
