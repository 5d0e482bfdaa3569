#pragma once
// `agentrail webhook verify`: options and run function; the wiring is in webhook.cpp.

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

}  // namespace agentrail::cli
