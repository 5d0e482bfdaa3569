#include "agentrail/version.hpp"

namespace agentrail {

const char* version() noexcept {
    return AGENTRAIL_VERSION;
}

}  // namespace agentrail
