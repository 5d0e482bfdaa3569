#pragma once
// The library never writes to stdout/stderr; it reports through this callback. Secrets (API keys,
// Authorization headers, webhook secrets) are redacted before a message is handed over.

#include <functional>
#include <string_view>

#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

enum class LogLevel { trace, debug, info, warn, error };

using LogHandler = std::function<void(LogLevel level, std::string_view message)>;

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
