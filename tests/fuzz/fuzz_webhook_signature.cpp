// libFuzzer harness for webhook signatures: a fuzzer-made X-AgentRail-Signature header, secret, body and
// delivery headers. A made-up header must not verify; the signature computed for the body must verify (in
// lower or upper case hex, and fed in fuzzer-chosen chunks), and no longer once one character changes;
// parse_webhook_event fails only with a signature or protocol Error.
//
// Input: "SECRET\nSIGNATURE-HEADER\nHEADER-LINES\n\nBODY" (any part may be missing); byte 0 also seeds
// the chunk sizes.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "agentrail/errors.hpp"
#include "agentrail/webhook.hpp"

namespace {

[[noreturn]] void fail(const char* what) {
    std::fputs(what, stderr);
    std::fputc('\n', stderr);
    std::abort();
}

std::string_view take_line(std::string_view& rest) {
    auto nl = rest.find('\n');
    auto line = rest.substr(0, nl);
    rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
    return line;
}

agentrail::Headers parse_header_lines(std::string_view& rest) {
    agentrail::Headers headers;
    for (;;) {
        auto line = take_line(rest);
        if (line.empty()) return headers;
        auto colon = line.find(':');
        if (colon == std::string_view::npos)
            headers.emplace_back(std::string(line), "");
        else
            headers.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    if (size == 0) return 0;
    std::string_view rest(reinterpret_cast<const char*>(bytes), size);
    const std::string_view secret = take_line(rest);
    const std::string_view header = take_line(rest);
    const agentrail::Headers delivery_headers = parse_header_lines(rest);
    const std::string_view body = rest;

    // Delivery headers: any text, never a crash; the attempt is positive or 0.
    const auto delivery = agentrail::WebhookDeliveryHeaders::from_headers(delivery_headers);
    if (delivery.delivery_attempt < 0) fail("negative delivery attempt");
    (void)delivery.to_headers();

    if (secret.empty()) {
        if (agentrail::verify_signature(body, secret, header)) fail("verified with an empty secret");
        return 0;
    }
    const std::string good = agentrail::sign_webhook_body(body, secret);
    if (agentrail::verify_signature(body, secret, header) != (header == good || [&] {
            // Hex is case-insensitive: the header may be `good` with some digits in upper case.
            if (header.size() != good.size() || header.substr(0, 7) != "sha256=") return false;
            for (std::size_t i = 7; i < header.size(); ++i)
                if (std::tolower(static_cast<unsigned char>(header[i])) != good[i]) return false;
            return true;
        }()))
        fail("verify_signature disagrees with the computed signature");
    if (!agentrail::verify_signature(body, secret, good)) fail("the body's own signature did not verify");
    std::string upper = good;
    for (std::size_t i = 7; i < upper.size(); ++i)
        upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
    if (!agentrail::verify_signature(body, secret, upper)) fail("upper-case hex did not verify");
    std::string flipped = good;
    flipped[7 + bytes[0] % 64] = flipped[7 + bytes[0] % 64] == '0' ? '1' : '0';
    if (agentrail::verify_signature(body, secret, flipped)) fail("a changed signature verified");
    if (agentrail::verify_signature(body, secret, good + " ")) fail("trailing text verified");

    // Streaming verification in chunks gives the same answer.
    agentrail::WebhookVerifier verifier(secret);
    unsigned state = bytes[0];
    for (std::size_t pos = 0; pos < body.size();) {
        state = state * 1103515245u + 12345u;
        std::size_t len = std::min<std::size_t>((state >> 16) % 64, body.size() - pos);
        verifier.update(body.substr(pos, len));
        pos += len;
    }
    if (verifier.signature() != good) fail("chunked signature differs");

    for (const std::string_view sig : {header, std::string_view(good)}) {
        try {
            (void)agentrail::parse_webhook_event(body, secret, sig);
        } catch (const agentrail::Error& e) {
            if (e.kind() != agentrail::ErrorKind::signature && e.kind() != agentrail::ErrorKind::protocol)
                fail("parse_webhook_event failed with an unexpected kind");
        }
    }
    return 0;
}
