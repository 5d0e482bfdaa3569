// libFuzzer harness for error answers and redaction: an error status with a fuzzer-made body goes through
// the client's pipeline (parse_api_error, throw_api_error, Retry-After, logging), and the body is
// redacted. Every error status must end as an ApiError of the kind its status maps to, and redaction
// must be idempotent (what it leaves holds nothing it would still replace).
//
// Input: bytes 0-1 pick the status (400..599), byte 2 the Retry-After header text, the rest is the body.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "agentrail/agentrail.hpp"
#include "agentrail/redact.hpp"
#include "client_core.hpp"
#include "fake_transport.hpp"

namespace {

using agentrail::ErrorKind;

[[noreturn]] void fail(const char* what) {
    std::fputs(what, stderr);
    std::fputc('\n', stderr);
    std::abort();
}

ErrorKind expected_kind(int status, const std::string& code) {
    switch (status) {
        case 400:
        case 422:
            return ErrorKind::validation;
        case 401:
            return ErrorKind::unauthorized;
        case 403:
            return ErrorKind::forbidden;
        case 404:
            return ErrorKind::not_found;
        case 409:
            return ErrorKind::conflict;
        case 410:
            return code.empty() || code == "cursor_expired" ? ErrorKind::cursor_expired
                                                            : ErrorKind::not_found;
        case 429:
            return ErrorKind::rate_limited;
        default:
            // Any other client error: the server refused the request as sent.
            return status < 500 ? ErrorKind::validation : ErrorKind::server;
    }
}

void check_redaction(std::string_view text) {
    const std::string once = agentrail::redact(text);
    if (agentrail::redact(once) != once) fail("redact() is not idempotent");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    if (size < 3) return 0;
    const int status = 400 + (bytes[0] << 8 | bytes[1]) % 200;
    static const char* const retry_after[] = {"",
                                              "0",
                                              "5",
                                              "999999999999",
                                              "-1",
                                              " 7 ",
                                              "Wed, 21 Oct 2015 07:28:00 GMT",
                                              "Fri, 31 Dec 9999 23:59:59 GMT",
                                              "soon"};
    const char* ra = retry_after[bytes[2] % (sizeof retry_after / sizeof *retry_after)];
    const std::string body(reinterpret_cast<const char*>(bytes + 3), size - 3);

    check_redaction(body);

    auto fake = std::make_shared<agentrail::test::FakeTransport>();
    agentrail::Headers headers{{"X-Request-Id", "req_1"}};
    if (*ra) headers.emplace_back("Retry-After", ra);
    fake->reply(status, body, headers);
    agentrail::ClientOptions options;
    options.base_url = "http://127.0.0.1:3000";
    options.api_key = "ar_test_key_123456";
    options.transport = fake;
    options.retry.max_attempts = 1;
    std::string logged;
    options.log = [&logged](agentrail::LogLevel, std::string_view message) { logged.append(message); };
    agentrail::Client client(options);
    try {
        client.get_task("tsk_1");
        fail("an error status did not throw");
    } catch (const agentrail::ApiError& e) {
        if (e.status() != status) fail("status lost");
        if (e.kind() != expected_kind(status, e.code())) fail("status mapped to the wrong kind");
        if (e.retry_after() && e.retry_after()->count() < 0) fail("negative Retry-After");
        // The accessors of the subclasses read `details`, which is fuzzer-controlled.
        if (const auto* v = dynamic_cast<const agentrail::ValidationError*>(&e)) (void)v->field_errors();
        if (const auto* f = dynamic_cast<const agentrail::ForbiddenError*>(&e)) {
            (void)f->required_scope();
            (void)f->granted_scopes();
        }
        if (const auto* c = dynamic_cast<const agentrail::ConflictError*>(&e))
            (void)c->is_idempotency_mismatch();
        check_redaction(e.what());
    }
    // The key is sent only in the Authorization header, which is never logged (a body that quotes it
    // after a word character, which redaction leaves alone, is the server's text, not a leak).
    const char* key = "ar_test_key_123456";
    if (logged.find(key) != std::string::npos && body.find(key) == std::string::npos)
        fail("the API key reached the log");
    return 0;
}
