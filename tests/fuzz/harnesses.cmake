# The fuzz harnesses, one fuzz_<name>.cpp each: those in AGENTRAIL_FUZZ_CLI_HARNESSES reach CLI code too.
# Read by tests/fuzz/CMakeLists.txt (libFuzzer builds) and tests/fuzz/replay.cmake (the replay test).
set(AGENTRAIL_FUZZ_HARNESSES sse_parser models api_error webhook_signature config times webhook_request
                             redact_sanitize)
set(AGENTRAIL_FUZZ_CLI_HARNESSES config times webhook_request redact_sanitize)
