#pragma once

namespace agentrail {

/// The library's version, e.g. "0.1.0".
const char* version() noexcept;

}  // namespace agentrail
