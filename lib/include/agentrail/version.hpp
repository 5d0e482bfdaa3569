#pragma once
#include "agentrail/export.hpp"

AGENTRAIL_PUBLIC_BEGIN
namespace agentrail {

/// The library's version, e.g. "0.1.0".
const char* version() noexcept;

}  // namespace agentrail
AGENTRAIL_PUBLIC_END
