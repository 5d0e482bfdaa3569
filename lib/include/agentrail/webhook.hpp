#pragma once
// Webhook deliveries: HMAC-SHA256 signatures over the exact raw body, as AgentRail sends them in
// X-AgentRail-Signature (`sha256=<hex>`).

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agentrail/export.hpp"
#include "agentrail/models/event.hpp"
#include "agentrail/transport.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// True when `signature_header` is `sha256=<hex HMAC-SHA256(secret, raw_body)>`. Hex is
/// case-insensitive; a wrong prefix or length is false; the comparison is constant-time.
bool verify_signature(std::string_view raw_body, std::string_view secret, std::string_view signature_header);

/// `sha256=<lowercase hex>` for `body`, as AgentRail would send it.
std::string sign_webhook_body(std::string_view body, std::string_view secret);

/// Verifies, then parses the body into a TaskEvent; throws Error{signature} on a bad signature and
/// Error{protocol} on a body that is not an event envelope.
TaskEvent parse_webhook_event(std::string_view raw_body, std::string_view secret,
                              std::string_view signature_header);

/// Incremental HMAC-SHA256 so a large body can be verified while it streams in.
class WebhookVerifier {
public:
    explicit WebhookVerifier(std::string_view secret);
    ~WebhookVerifier();
    WebhookVerifier(const WebhookVerifier&) = delete;
    WebhookVerifier& operator=(const WebhookVerifier&) = delete;
    void update(std::string_view bytes);
    /// Finishes the MAC and compares it with the header (the verifier cannot be updated afterwards).
    bool verify(std::string_view signature_header);
    /// Finishes the MAC and returns `sha256=<lowercase hex>`.
    std::string signature();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// The six X-AgentRail-* headers of a delivery.
struct WebhookDeliveryHeaders {
    std::string subscription_id;
    std::string event_id;
    std::string event_type;
    std::string delivery_id;
    int delivery_attempt = 0;
    std::string signature;

    /// Reads them from a header list (names case-insensitive); missing ones stay empty.
    static WebhookDeliveryHeaders from_headers(const Headers& headers);
    Headers to_headers() const;
};

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
