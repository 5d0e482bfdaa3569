#pragma once
// Redaction of secrets in text that is about to be logged or shown: the one routine the library's log
// handler and the CLI's error and log output both use.

#include <span>
#include <string>
#include <string_view>

#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// Replaces with "***" anything that looks like a secret: bearer tokens, ar_* API keys, whsec_* webhook
/// secrets, the values of "secret"/"apiKey"/"api_key" JSON members and the password of a URL
/// (scheme://user:PASSWORD@host). One pass, linear in the size of `text`, whatever it holds.
std::string redact(std::string_view text);

/// The same, and also every occurrence of each of `secrets` (e.g. the API key in use, whatever its
/// shape). Secrets shorter than 4 bytes are ignored: masking them would hide ordinary text.
std::string redact(std::string_view text, std::span<const std::string> secrets);

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
