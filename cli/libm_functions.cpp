// The three libm functions the CLI calls, defined here so that libm.so.6 is not mapped at start-up.
//
// Mapping libm.so.6 (relocations, IFUNC resolvers, fault-around of its pages) cost every agentrail
// process about 340 KiB of resident memory, for ceil() and round() (timeouts, retry delays, doctor) and a
// log10() in toml++'s number formatting. ceil() and round() are exact operations, computed here without
// libm; log10() opens libm on its first call (rare: only for floating-point values in the config file).
// Nothing here includes <cmath>, whose declarations these definitions replace.

#include <dlfcn.h>

namespace {

// Doubles of at least this magnitude are integers already.
constexpr double two_to_52 = 4503599627370496.0;

// The integer part of `x`, |x| < 2^52.
double integer_part(double x) {
    return static_cast<double>(static_cast<long long>(x));
}

}  // namespace

extern "C" double ceil(double x) {
    if (!(x > -two_to_52 && x < two_to_52)) return x;  // NaN, infinities, integers
    double t = integer_part(x);
    if (t < x) t += 1.0;
    return __builtin_copysign(t, x);  // -0.5 gives -0.0, as libm's
}

extern "C" double round(double x) {
    if (!(x > -two_to_52 && x < two_to_52)) return x;
    double t = integer_part(x);
    const double fraction = x - t;  // exact below 2^52
    if (fraction >= 0.5)
        t += 1.0;
    else if (fraction <= -0.5)
        t -= 1.0;
    return __builtin_copysign(t, x);  // halves away from zero; -0.4 gives -0.0
}

extern "C" double log10(double x) {
    using Log10 = double (*)(double);
    static const Log10 real = [] {
        void* libm = dlopen("libm.so.6", RTLD_LAZY | RTLD_LOCAL);
        void* symbol = libm != nullptr ? dlsym(libm, "log10") : nullptr;
        return reinterpret_cast<Log10>(symbol);
    }();
    if (real == nullptr) return __builtin_nan("");
    return real(x);
}
