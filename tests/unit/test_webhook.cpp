// Webhook signatures (HMAC-SHA256, `sha256=<hex>`), the streaming verifier and the delivery headers.

#include <algorithm>
#include <cctype>
#include <string>

#include <catch2/catch.hpp>

#include "agentrail/errors.hpp"
#include "agentrail/webhook.hpp"

using namespace agentrail;

namespace {

const std::string kSecret = "whsec_test_secret_0001";
const std::string kBody = R"({"id":"evt_1"})";
// printf '%s' '{"id":"evt_1"}' | openssl dgst -sha256 -hmac 'whsec_test_secret_0001'
const std::string kBodySignature = "sha256=4331f606fdb4bb4e90b665ebe0692856c6a6a2a86f04b3208944b908e3f08c03";

const std::string kEnvelope =
    R"({"id":"evt_01JY50A13CW2JNEQR3MYXSGQQQ","type":"task.updated","occurredAt":"2026-05-01T03:21:04Z",)"
    R"("sequence":4121,"taskVersion":8,"traceId":"trc_01JY509N1N8AMCNJQ4G4YMYKMQ",)"
    R"("data":{"taskId":"tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V","taskIdentifier":"AGEA-13","status":"in_review",)"
    R"("previousStatus":"in_progress","changedFields":["status","availableActions"],)"
    R"("actor":{"id":"agt_cto","role":"cto"},"summary":"Submission accepted and routed to CEO review.",)"
    R"("availableActions":["view_review_feedback","view_ci_status"],)"
    R"("links":{"task":"https://api.agentrail.app/v1/tasks/tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V"}}})";

std::string upper(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return s;
}

}  // namespace

TEST_CASE("known HMAC-SHA256 vectors", "[webhook]") {
    CHECK(sign_webhook_body(kBody, kSecret) == kBodySignature);
    CHECK(verify_signature(kBody, kSecret, kBodySignature));
    // RFC-style vector: HMAC_SHA256("key", "The quick brown fox jumps over the lazy dog").
    CHECK(sign_webhook_body("The quick brown fox jumps over the lazy dog", "key") ==
          "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST_CASE("signature verification rejects everything but the exact MAC", "[webhook]") {
    const std::string hex = kBodySignature.substr(7);
    CHECK(verify_signature(kBody, kSecret, kBodySignature));
    SECTION("tampered body") {
        CHECK_FALSE(verify_signature(R"({"id":"evt_2"})", kSecret, kBodySignature));
        CHECK_FALSE(verify_signature(kBody + " ", kSecret, kBodySignature));
        CHECK_FALSE(verify_signature("", kSecret, kBodySignature));
    }
    SECTION("wrong secret") {
        CHECK_FALSE(verify_signature(kBody, "whsec_test_secret_0002", kBodySignature));
        CHECK_FALSE(verify_signature(kBody, "", kBodySignature));
    }
    SECTION("prefix must be exactly sha256=") {
        CHECK_FALSE(verify_signature(kBody, kSecret, "sha1=" + hex));
        CHECK_FALSE(verify_signature(kBody, kSecret, "SHA256=" + hex));
        CHECK_FALSE(verify_signature(kBody, kSecret, " sha256=" + hex));
        CHECK_FALSE(verify_signature(kBody, kSecret, "sha256 =" + hex));
        CHECK_FALSE(verify_signature(kBody, kSecret, hex));
    }
    SECTION("length and characters") {
        CHECK_FALSE(verify_signature(kBody, kSecret, kBodySignature.substr(0, kBodySignature.size() - 2)));
        CHECK_FALSE(verify_signature(kBody, kSecret, kBodySignature.substr(0, kBodySignature.size() - 1)));
        CHECK_FALSE(verify_signature(kBody, kSecret, kBodySignature + "00"));
        CHECK_FALSE(verify_signature(kBody, kSecret, kBodySignature + " "));
        std::string non_hex = kBodySignature;
        non_hex.back() = 'g';
        CHECK_FALSE(verify_signature(kBody, kSecret, non_hex));
        std::string flipped = kBodySignature;
        flipped.back() = flipped.back() == '3' ? '4' : '3';
        CHECK_FALSE(verify_signature(kBody, kSecret, flipped));
    }
    SECTION("empty header") {
        CHECK_FALSE(verify_signature(kBody, kSecret, ""));
        CHECK_FALSE(verify_signature(kBody, kSecret, "sha256="));
    }
    SECTION("hex is case-insensitive") {
        CHECK(verify_signature(kBody, kSecret, "sha256=" + upper(hex)));
        std::string mixed = kBodySignature;
        for (std::size_t i = 7; i < mixed.size(); i += 2)
            mixed[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(mixed[i])));
        CHECK(verify_signature(kBody, kSecret, mixed));
    }
}

TEST_CASE("streaming verifier in many chunks equals one-shot", "[webhook]") {
    std::string body;
    for (int i = 0; i < 2000; ++i) body += kEnvelope;
    const std::string expected = sign_webhook_body(body, kSecret);
    for (std::size_t chunk :
         {std::size_t{1}, std::size_t{7}, std::size_t{64}, std::size_t{4096}, body.size()}) {
        INFO("chunk size " << chunk);
        WebhookVerifier verifier(kSecret);
        for (std::size_t i = 0; i < body.size(); i += chunk)
            verifier.update(std::string_view(body).substr(i, chunk));
        CHECK(verifier.verify(expected));
    }
    WebhookVerifier signer(kSecret);
    signer.update(body.substr(0, 100));
    signer.update("");
    signer.update(body.substr(100));
    CHECK(signer.signature() == expected);
    CHECK(signer.verify(expected));  // the finished MAC can be compared again
    CHECK_THROWS_AS(signer.update("more"), Error);
}

TEST_CASE("an empty secret is refused", "[webhook]") {
    CHECK_THROWS_AS(WebhookVerifier(""), Error);
    CHECK_THROWS_AS(sign_webhook_body(kBody, ""), Error);
    CHECK_FALSE(verify_signature(kBody, "", kBodySignature));
}

TEST_CASE("parse_webhook_event verifies, then parses", "[webhook]") {
    const std::string signature = sign_webhook_body(kEnvelope, kSecret);
    auto event = parse_webhook_event(kEnvelope, kSecret, signature);
    CHECK(event.id == "evt_01JY50A13CW2JNEQR3MYXSGQQQ");
    CHECK(event.type == "task.updated");
    CHECK(event.sequence == 4121);
    CHECK(event.task_id() == "tsk_01JY4X8Q6J5Q3P7M0N2K3R4T5V");

    try {
        parse_webhook_event(kEnvelope + " ", kSecret, signature);
        FAIL("a bad signature was accepted");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::signature);
    }
    try {
        parse_webhook_event(kEnvelope, kSecret, "sha1=" + signature.substr(7));
        FAIL("a bad prefix was accepted");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::signature);
    }
    // 1e999 does not fit a double: nlohmann throws out_of_range, not parse_error (found by fuzzing).
    for (std::string bad : {std::string("not json"), std::string("[1,2]"), std::string("{\"id\":"),
                            std::string("{\"sequence\":1e999}")}) {
        INFO(bad);
        try {
            parse_webhook_event(bad, kSecret, sign_webhook_body(bad, kSecret));
            FAIL("a body that is not an envelope was accepted");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::protocol);
        }
    }
}

TEST_CASE("delivery headers round-trip with canonical names", "[webhook]") {
    Headers received{
        {"x-agentrail-subscription-id", "evsub_01"}, {"x-agentrail-event-id", "evt_01"},
        {"x-agentrail-event-type", "task.updated"},  {"x-agentrail-delivery-id", "dlv_01"},
        {"x-agentrail-delivery-attempt", "3"},       {"x-agentrail-signature", kBodySignature},
        {"content-type", "application/json"},
    };
    auto h = WebhookDeliveryHeaders::from_headers(received);
    CHECK(h.subscription_id == "evsub_01");
    CHECK(h.event_id == "evt_01");
    CHECK(h.event_type == "task.updated");
    CHECK(h.delivery_id == "dlv_01");
    CHECK(h.delivery_attempt == 3);
    CHECK(h.signature == kBodySignature);

    auto out = h.to_headers();
    REQUIRE(out.size() == 6);
    CHECK(out[0] == std::pair<std::string, std::string>{"X-AgentRail-Subscription-Id", "evsub_01"});
    CHECK(out[1] == std::pair<std::string, std::string>{"X-AgentRail-Event-Id", "evt_01"});
    CHECK(out[2] == std::pair<std::string, std::string>{"X-AgentRail-Event-Type", "task.updated"});
    CHECK(out[3] == std::pair<std::string, std::string>{"X-AgentRail-Delivery-Id", "dlv_01"});
    CHECK(out[4] == std::pair<std::string, std::string>{"X-AgentRail-Delivery-Attempt", "3"});
    CHECK(out[5] == std::pair<std::string, std::string>{"X-AgentRail-Signature", kBodySignature});

    auto again = WebhookDeliveryHeaders::from_headers(out);
    CHECK(again.event_id == h.event_id);
    CHECK(again.delivery_attempt == 3);

    auto partial = WebhookDeliveryHeaders::from_headers(
        {{"X-AGENTRAIL-EVENT-ID", "evt_9"}, {"X-AgentRail-Delivery-Attempt", "many"}});
    CHECK(partial.event_id == "evt_9");
    CHECK(partial.subscription_id.empty());
    CHECK(partial.delivery_attempt == 0);
}
