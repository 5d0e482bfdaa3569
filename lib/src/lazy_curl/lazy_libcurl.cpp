// libcurl, loaded on the first call into it.
//
// libcurl.so.4 brings some thirty shared libraries with it (TLS, HTTP/2, IDN, LDAP, Kerberos, ...):
// mapping and relocating them costs every process several MiB of resident memory and a share of its
// start-up time, also `webhook verify`, `--help` and `completion` that never touch the network. This file
// defines the libcurl functions the library calls; each resolves the real one with dlopen()/dlsym() on its
// first call. It is linked into the CLI only (libagentrail.so links libcurl as usual), ahead of libcurl,
// so the linker (--as-needed) records no DT_NEEDED entry for libcurl and the transport code is unchanged.
// A libcurl function the library starts to call without a forwarder here is simply linked from libcurl
// again: the CLI keeps working, and the test cli_libcurl_loaded_lazily (readelf) says so.

#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>

#include <cstdarg>
#include <string>

#include "agentrail/errors.hpp"

namespace {

void* libcurl_handle() {
    static void* const handle = [] {
        void* h = dlopen("libcurl.so.4", RTLD_LAZY | RTLD_LOCAL);
        if (h == nullptr) {
            const char* why = dlerror();
            throw agentrail::TransportError(
                std::string("cannot load libcurl (libcurl.so.4): ") + (why != nullptr ? why : "not found"),
                CURLE_FAILED_INIT);
        }
        return h;
    }();
    return handle;
}

void* resolve(const char* name) {
    void* fn = dlsym(libcurl_handle(), name);
    if (fn == nullptr) {
        throw agentrail::TransportError(std::string("libcurl.so.4 lacks ") + name, CURLE_FAILED_INIT);
    }
    return fn;
}

template <class Fn>
Fn lookup(const char* name) {
    return reinterpret_cast<Fn>(resolve(name));
}

}  // namespace

// Fixed-argument functions: `static` caches the pointer (thread-safe initialisation).
#define AGENTRAIL_CURL_FORWARD(ret, name, params, args)            \
    extern "C" ret name params {                                   \
        static const auto real = lookup<decltype(&::name)>(#name); \
        return real args;                                          \
    }

AGENTRAIL_CURL_FORWARD(CURLcode, curl_global_init, (long flags), (flags))
AGENTRAIL_CURL_FORWARD(void, curl_global_cleanup, (void), ())
AGENTRAIL_CURL_FORWARD(CURL*, curl_easy_init, (void), ())
AGENTRAIL_CURL_FORWARD(void, curl_easy_cleanup, (CURL * h), (h))
AGENTRAIL_CURL_FORWARD(void, curl_easy_reset, (CURL * h), (h))
AGENTRAIL_CURL_FORWARD(CURL*, curl_easy_duphandle, (CURL * h), (h))
AGENTRAIL_CURL_FORWARD(CURLcode, curl_easy_perform, (CURL * h), (h))
AGENTRAIL_CURL_FORWARD(CURLcode, curl_easy_pause, (CURL * h, int mask), (h, mask))
AGENTRAIL_CURL_FORWARD(const char*, curl_easy_strerror, (CURLcode code), (code))
AGENTRAIL_CURL_FORWARD(char*, curl_easy_escape, (CURL * h, const char* s, int n), (h, s, n))
AGENTRAIL_CURL_FORWARD(char*, curl_easy_unescape, (CURL * h, const char* s, int n, int* out), (h, s, n, out))
AGENTRAIL_CURL_FORWARD(void, curl_free, (void* p), (p))
AGENTRAIL_CURL_FORWARD(curl_slist*, curl_slist_append, (curl_slist * list, const char* s), (list, s))
AGENTRAIL_CURL_FORWARD(void, curl_slist_free_all, (curl_slist * list), (list))
AGENTRAIL_CURL_FORWARD(CURLM*, curl_multi_init, (void), ())
AGENTRAIL_CURL_FORWARD(CURLMcode, curl_multi_cleanup, (CURLM * m), (m))
AGENTRAIL_CURL_FORWARD(CURLMcode, curl_multi_add_handle, (CURLM * m, CURL* h), (m, h))
AGENTRAIL_CURL_FORWARD(CURLMcode, curl_multi_remove_handle, (CURLM * m, CURL* h), (m, h))
AGENTRAIL_CURL_FORWARD(CURLMcode, curl_multi_perform, (CURLM * m, int* running), (m, running))
AGENTRAIL_CURL_FORWARD(CURLMcode, curl_multi_poll,
                       (CURLM * m, curl_waitfd* fds, unsigned int n, int timeout_ms, int* numfds),
                       (m, fds, n, timeout_ms, numfds))
AGENTRAIL_CURL_FORWARD(CURLMcode, curl_multi_wait,
                       (CURLM * m, curl_waitfd* fds, unsigned int n, int timeout_ms, int* numfds),
                       (m, fds, n, timeout_ms, numfds))
AGENTRAIL_CURL_FORWARD(CURLMcode, curl_multi_wakeup, (CURLM * m), (m))
AGENTRAIL_CURL_FORWARD(CURLMcode, curl_multi_timeout, (CURLM * m, long* ms), (m, ms))
AGENTRAIL_CURL_FORWARD(CURLMsg*, curl_multi_info_read, (CURLM * m, int* left), (m, left))
AGENTRAIL_CURL_FORWARD(const char*, curl_multi_strerror, (CURLMcode code), (code))
AGENTRAIL_CURL_FORWARD(CURLSH*, curl_share_init, (void), ())
AGENTRAIL_CURL_FORWARD(CURLSHcode, curl_share_cleanup, (CURLSH * s), (s))
AGENTRAIL_CURL_FORWARD(const char*, curl_share_strerror, (CURLSHcode code), (code))
AGENTRAIL_CURL_FORWARD(curl_version_info_data*, curl_version_info, (CURLversion v), (v))

#undef AGENTRAIL_CURL_FORWARD

// The version string is shown by --version, which must work (and say so) without libcurl.
extern "C" char* curl_version(void) {
    static char* const text = [] {
        try {
            return lookup<decltype(&::curl_version)>("curl_version")();
        } catch (const agentrail::TransportError&) {
            static char missing[] = "libcurl not found";
            return missing;
        }
    }();
    return text;
}

// The variadic setters take one argument whose type depends on the option's range (curl reads it the
// same way): long, object pointer, function pointer or curl_off_t.
namespace {

template <class Result, class Handle, class Option>
Result forward_setopt(void* fn, Handle* handle, Option option, va_list args) {
    using Real = Result (*)(Handle*, Option, ...);
    auto* real = reinterpret_cast<Real>(fn);
    const long kind = static_cast<long>(option);
    if (kind < CURLOPTTYPE_OBJECTPOINT) return real(handle, option, va_arg(args, long));
    if (kind < CURLOPTTYPE_FUNCTIONPOINT) return real(handle, option, va_arg(args, void*));
    if (kind < CURLOPTTYPE_OFF_T) return real(handle, option, va_arg(args, void (*)()));
    if (kind < CURLOPTTYPE_BLOB) return real(handle, option, va_arg(args, curl_off_t));
    return real(handle, option, va_arg(args, void*));
}

}  // namespace

extern "C" CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
    static void* const fn = resolve("curl_easy_setopt");
    va_list args;
    va_start(args, option);
    const CURLcode rc = forward_setopt<CURLcode>(fn, handle, option, args);
    va_end(args);
    return rc;
}

extern "C" CURLMcode curl_multi_setopt(CURLM* handle, CURLMoption option, ...) {
    static void* const fn = resolve("curl_multi_setopt");
    va_list args;
    va_start(args, option);
    const CURLMcode rc = forward_setopt<CURLMcode>(fn, handle, option, args);
    va_end(args);
    return rc;
}

// Every CURLINFO takes a pointer to where the value goes.
extern "C" CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
    static const auto real = lookup<CURLcode (*)(CURL*, CURLINFO, ...)>("curl_easy_getinfo");
    va_list args;
    va_start(args, info);
    void* where = va_arg(args, void*);
    va_end(args);
    return real(handle, info, where);
}

// CURLSHOPT_SHARE/UNSHARE take an int (a curl_lock_data), the lock functions a function pointer,
// CURLSHOPT_USERDATA a pointer.
extern "C" CURLSHcode curl_share_setopt(CURLSH* share, CURLSHoption option, ...) {
    static const auto real = lookup<CURLSHcode (*)(CURLSH*, CURLSHoption, ...)>("curl_share_setopt");
    va_list args;
    va_start(args, option);
    CURLSHcode rc = CURLSHE_BAD_OPTION;
    switch (option) {
        case CURLSHOPT_SHARE:
        case CURLSHOPT_UNSHARE:
            rc = real(share, option, va_arg(args, int));
            break;
        case CURLSHOPT_LOCKFUNC:
        case CURLSHOPT_UNLOCKFUNC:
            rc = real(share, option, va_arg(args, void (*)()));
            break;
        default:
            rc = real(share, option, va_arg(args, void*));
            break;
    }
    va_end(args);
    return rc;
}
