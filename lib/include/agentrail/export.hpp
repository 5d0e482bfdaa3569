#pragma once
// Symbol visibility of libagentrail. The library is compiled with hidden visibility, so the shared
// library exports only what the public headers declare: each wraps its declarations in
// AGENTRAIL_PUBLIC_BEGIN / AGENTRAIL_PUBLIC_END. Private code (lib/src, agentrail::detail outside the
// public headers) stays internal, which keeps the ABI small and lets it change freely.

#if defined(__GNUC__) || defined(__clang__)
#define AGENTRAIL_PUBLIC_BEGIN _Pragma("GCC visibility push(default)")
#define AGENTRAIL_PUBLIC_END _Pragma("GCC visibility pop")
#else
#define AGENTRAIL_PUBLIC_BEGIN
#define AGENTRAIL_PUBLIC_END
#endif
