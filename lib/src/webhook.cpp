// Webhook signatures: HMAC-SHA256 over the raw body with OpenSSL 3's EVP_MAC, compared in constant time.

#include "agentrail/webhook.hpp"

#include <array>
#include <charconv>
#include <cstddef>
#include <memory>
#include <string>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <nlohmann/json.hpp>

#include "agentrail/errors.hpp"

namespace agentrail {

namespace {

constexpr std::string_view kPrefix = "sha256=";
constexpr std::size_t kMacSize = 32;
using Mac = std::array<unsigned char, kMacSize>;

[[noreturn]] void throw_openssl(const char* what) {
    unsigned long code = ERR_get_error();
    char buf[256] = "unknown error";
    if (code != 0) ERR_error_string_n(code, buf, sizeof buf);
    ERR_clear_error();
    throw Error(ErrorKind::signature, std::string("HMAC-SHA256: ") + what + " failed: " + buf);
}

// The HMAC implementation is fetched once; an EVP_MAC may be shared by any number of contexts and threads.
EVP_MAC* hmac_algorithm() {
    static const std::unique_ptr<EVP_MAC, decltype(&EVP_MAC_free)> mac(
        EVP_MAC_fetch(nullptr, "HMAC", nullptr), &EVP_MAC_free);
    if (!mac) throw_openssl("EVP_MAC_fetch");
    return mac.get();
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes `sha256=<64 hex digits>`; anything else (other prefix, length or character) is nullopt.
std::optional<Mac> decode_signature(std::string_view header) {
    if (header.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    header.remove_prefix(kPrefix.size());
    if (header.size() != 2 * kMacSize) return std::nullopt;
    Mac mac{};
    for (std::size_t i = 0; i < kMacSize; ++i) {
        int hi = hex_value(header[2 * i]);
        int lo = hex_value(header[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        mac[i] = static_cast<unsigned char>(hi << 4 | lo);
    }
    return mac;
}

std::string encode_signature(const Mac& mac) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(kPrefix);
    out.reserve(kPrefix.size() + 2 * kMacSize);
    for (unsigned char b : mac) {
        out += digits[b >> 4];
        out += digits[b & 0x0f];
    }
    return out;
}

}  // namespace

struct WebhookVerifier::Impl {
    std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx{nullptr, &EVP_MAC_CTX_free};
    std::optional<Mac> result;  // set once the MAC is finished

    const Mac& finish() {
        if (!result) {
            Mac mac{};
            std::size_t written = 0;
            if (EVP_MAC_final(ctx.get(), mac.data(), &written, mac.size()) != 1 || written != kMacSize)
                throw_openssl("EVP_MAC_final");
            result = mac;
        }
        return *result;
    }
};

WebhookVerifier::WebhookVerifier(std::string_view secret) : m_impl(std::make_unique<Impl>()) {
    if (secret.empty()) throw Error(ErrorKind::invalid_argument, "webhook secret must not be empty");
    m_impl->ctx.reset(EVP_MAC_CTX_new(hmac_algorithm()));
    if (!m_impl->ctx) throw_openssl("EVP_MAC_CTX_new");
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(m_impl->ctx.get(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     params) != 1)
        throw_openssl("EVP_MAC_init");
}

WebhookVerifier::~WebhookVerifier() = default;

void WebhookVerifier::update(std::string_view bytes) {
    if (m_impl->result)
        throw Error(ErrorKind::invalid_argument, "WebhookVerifier::update after the MAC was finished");
    if (bytes.empty()) return;
    if (EVP_MAC_update(m_impl->ctx.get(), reinterpret_cast<const unsigned char*>(bytes.data()),
                       bytes.size()) != 1)
        throw_openssl("EVP_MAC_update");
}

bool WebhookVerifier::verify(std::string_view signature_header) {
    const Mac& mac = m_impl->finish();
    auto given = decode_signature(signature_header);
    return given && CRYPTO_memcmp(mac.data(), given->data(), kMacSize) == 0;
}

std::string WebhookVerifier::signature() {
    return encode_signature(m_impl->finish());
}

bool verify_signature(std::string_view raw_body, std::string_view secret, std::string_view signature_header) {
    // An empty secret is a misconfiguration; accepting signatures made with it would accept anyone's.
    if (secret.empty()) return false;
    WebhookVerifier verifier(secret);
    verifier.update(raw_body);
    return verifier.verify(signature_header);
}

std::string sign_webhook_body(std::string_view body, std::string_view secret) {
    WebhookVerifier signer(secret);
    signer.update(body);
    return signer.signature();
}

TaskEvent parse_webhook_event(std::string_view raw_body, std::string_view secret,
                              std::string_view signature_header) {
    if (!verify_signature(raw_body, secret, signature_header))
        throw Error(ErrorKind::signature, "webhook signature did not verify (X-AgentRail-Signature)");
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(raw_body);
    } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for a number like 1e999
        throw Error(ErrorKind::protocol, std::string("webhook body is not valid JSON: ") + e.what());
    }
    if (!json.is_object()) throw Error(ErrorKind::protocol, "webhook body is not a JSON object");
    try {
        return json.get<TaskEvent>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorKind::protocol, std::string("webhook body is not an event envelope: ") + e.what());
    }
}

namespace {

constexpr std::string_view kSubscriptionId = "X-AgentRail-Subscription-Id";
constexpr std::string_view kEventId = "X-AgentRail-Event-Id";
constexpr std::string_view kEventType = "X-AgentRail-Event-Type";
constexpr std::string_view kDeliveryId = "X-AgentRail-Delivery-Id";
constexpr std::string_view kDeliveryAttempt = "X-AgentRail-Delivery-Attempt";
constexpr std::string_view kSignature = "X-AgentRail-Signature";

std::string header_or_empty(const Headers& headers, std::string_view name) {
    auto value = find_header(headers, name);
    return value ? std::string(*value) : std::string();
}

}  // namespace

WebhookDeliveryHeaders WebhookDeliveryHeaders::from_headers(const Headers& headers) {
    WebhookDeliveryHeaders out;
    out.subscription_id = header_or_empty(headers, kSubscriptionId);
    out.event_id = header_or_empty(headers, kEventId);
    out.event_type = header_or_empty(headers, kEventType);
    out.delivery_id = header_or_empty(headers, kDeliveryId);
    out.signature = header_or_empty(headers, kSignature);
    if (auto attempt = find_header(headers, kDeliveryAttempt)) {
        std::string_view text = *attempt;
        while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
        while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
        int value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size() && value > 0) out.delivery_attempt = value;
    }
    return out;
}

Headers WebhookDeliveryHeaders::to_headers() const {
    return Headers{
        {std::string(kSubscriptionId), subscription_id},
        {std::string(kEventId), event_id},
        {std::string(kEventType), event_type},
        {std::string(kDeliveryId), delivery_id},
        {std::string(kDeliveryAttempt), std::to_string(delivery_attempt)},
        {std::string(kSignature), signature},
    };
}

}  // namespace agentrail
