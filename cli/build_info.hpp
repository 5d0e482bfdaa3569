#pragma once
// Facts about this build, filled in by CMake (cli/build_info.cpp.in): the source commit and the build
// date, for `agentrail version`.

namespace agentrail::cli {

/// Short git commit of the sources ("unknown" when built outside a git checkout; -DAGENTRAIL_GIT_COMMIT
/// overrides it).
const char* build_commit() noexcept;
/// UTC date and time of the build's configuration, RFC 3339 (SOURCE_DATE_EPOCH makes it reproducible).
const char* build_date() noexcept;

}  // namespace agentrail::cli
