// The fuzz harnesses without libFuzzer: every harness of tests/fuzz, compiled with the project's own
// compiler and flags (the sanitizers of the build tree), run on its checked-in seed corpus and then on a
// fixed number of inputs mutated from it by a seeded generator. The test suite runs this (ctest label
// `fuzz`): each harness's invariants and the sanitizers see thousands of inputs in a few seconds without a
// second, clang-built copy of the code. Coverage-guided fuzzing is tests/fuzz/run.sh (label fuzz-libfuzzer).
//
//   agentrail-fuzz-replay CORPUS_DIR [--runs N] [--seed S] [--seconds T] [HARNESS...]
//
// CORPUS_DIR holds one directory of seeds per harness (tests/fuzz/corpus). A harness that fails an
// invariant aborts, as under libFuzzer; the input it was given is written to
// agentrail-fuzz-replay-<harness>.crash in the working directory first, for tests/fuzz/run.sh or a debugger.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_harnesses.hpp"  // generated: AGENTRAIL_FUZZ_HARNESSES(X), one X(name) per harness

#define AGENTRAIL_DECLARE_HARNESS(name) \
    extern "C" int agentrail_fuzz_##name(const std::uint8_t* data, std::size_t size);
AGENTRAIL_FUZZ_HARNESSES(AGENTRAIL_DECLARE_HARNESS)
#undef AGENTRAIL_DECLARE_HARNESS

namespace {

using Bytes = std::string;
using HarnessFn = int (*)(const std::uint8_t*, std::size_t);

struct Harness {
    const char* name;
    HarnessFn run;
};

#define AGENTRAIL_HARNESS_ENTRY(name) Harness{#name, agentrail_fuzz_##name},
constexpr Harness harnesses[] = {AGENTRAIL_FUZZ_HARNESSES(AGENTRAIL_HARNESS_ENTRY)};
#undef AGENTRAIL_HARNESS_ENTRY

// The longest input tried, as tests/fuzz/run.sh passes -max_len.
constexpr std::size_t max_len = 16384;

// Byte strings that matter to the parsers under test, spliced in by the mutator.
constexpr std::string_view tokens[] = {"\n",
                                       "\r\n",
                                       "\n\n",
                                       ":",
                                       "data:",
                                       "id:",
                                       "event:",
                                       "retry:",
                                       "{",
                                       "}",
                                       "[",
                                       "]",
                                       "\"",
                                       "\\u0000",
                                       "\\ud800",
                                       "null",
                                       "true",
                                       "-0",
                                       "1e999",
                                       "\x1b[2J",
                                       "\xc2\x9b",
                                       "\xff",
                                       "\xf0\x9f",
                                       "=",
                                       "[section]",
                                       "\"\"\"",
                                       "2026-05-01T",
                                       "Z",
                                       "+99:99",
                                       "t=",
                                       ",v1=",
                                       "sha256=",
                                       "HTTP/1.1",
                                       "chunked",
                                       "Content-Length:",
                                       "ar_live_",
                                       "Bearer ",
                                       "0000000000",
                                       "9999999999999999999999"};

class Mutator {
public:
    explicit Mutator(std::uint64_t seed) : rng_(seed) {}

    Bytes mutate(Bytes input, const std::vector<Bytes>& corpus) {
        const int steps = 1 + static_cast<int>(pick(4));
        for (int i = 0; i < steps; ++i) step(input, corpus);
        if (input.size() > max_len) input.resize(max_len);
        return input;
    }

    std::size_t pick(std::size_t n) {
        return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
    }

private:
    void step(Bytes& s, const std::vector<Bytes>& corpus) {
        const std::size_t at = pick(s.size() + 1);
        switch (pick(8)) {
            case 0:  // flip a bit
                if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1u << pick(8));
                break;
            case 1:  // a random byte
                s.insert(at, 1, static_cast<char>(pick(256)));
                break;
            case 2:  // erase a run
                if (at < s.size()) s.erase(at, 1 + pick(std::min<std::size_t>(s.size() - at, 64)));
                break;
            case 3:  // repeat a run
                if (at < s.size()) {
                    const Bytes run = s.substr(at, 1 + pick(std::min<std::size_t>(s.size() - at, 32)));
                    for (std::size_t n = 1 + pick(64); n > 0 && s.size() < max_len; --n) s.insert(at, run);
                }
                break;
            case 4:  // a token
                s.insert(at, tokens[pick(std::size(tokens))]);
                break;
            case 5:  // splice with another seed
                if (!corpus.empty()) {
                    const Bytes& other = corpus[pick(corpus.size())];
                    const std::size_t from = pick(other.size() + 1);
                    s = s.substr(0, at) + other.substr(from);
                }
                break;
            case 6:  // cut short
                s.resize(at);
                break;
            default:  // overwrite a byte with an ASCII digit or letter
                if (!s.empty()) s[pick(s.size())] = "09azAZ-_.:"[pick(10)];
                break;
        }
    }

    std::mt19937_64 rng_;
};

// FNV-1a: a harness's own seed, the same with every compiler and library.
std::uint64_t name_hash(std::string_view name) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ULL;
    return h;
}

std::vector<Bytes> read_corpus(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());  // the same order, and so the same inputs, on every machine
    std::vector<Bytes> corpus;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (corpus.back().size() > max_len) corpus.back().resize(max_len);
    }
    return corpus;
}

// Keeps the input being tried on disk before the harness sees it: an abort leaves it behind.
void run_one(const Harness& h, const Bytes& input) {
    const std::string crash = std::string("agentrail-fuzz-replay-") + h.name + ".crash";
    { std::ofstream(crash, std::ios::binary | std::ios::trunc) << input; }
    h.run(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

int usage() {
    std::fputs("usage: agentrail-fuzz-replay CORPUS_DIR [--runs N] [--seed S] [--seconds T] [HARNESS...]\n",
               stderr);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage();
    const std::filesystem::path corpus_root = argv[1];
    unsigned long runs = 3000, seed = 1;
    double seconds = 10;
    std::vector<std::string> only;
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if ((arg == "--runs" || arg == "--seed" || arg == "--seconds") && i + 1 < argc) {
            char* end = nullptr;
            const char* value = argv[++i];
            if (arg == "--seconds")
                seconds = std::strtod(value, &end);
            else
                (arg == "--runs" ? runs : seed) = std::strtoul(value, &end, 10);
            if (end == value || *end != '\0') return usage();
        } else if (!arg.empty() && arg[0] != '-') {
            only.emplace_back(arg);
        } else {
            return usage();
        }
    }
    int status = 0;
    for (const auto& h : harnesses) {
        if (!only.empty() && std::find(only.begin(), only.end(), h.name) == only.end()) continue;
        const auto corpus = read_corpus(corpus_root / h.name);
        if (corpus.empty()) {
            std::fprintf(stderr, "fuzz replay: %s has no seeds in %s\n", h.name,
                         (corpus_root / h.name).c_str());
            status = 1;
            continue;
        }
        const auto start = std::chrono::steady_clock::now();
        for (const auto& input : corpus) run_one(h, input);
        // Each harness gets the same sequence for a given seed, whichever harnesses run.
        Mutator mutator(seed * 0x9e3779b97f4a7c15ULL + name_hash(h.name));
        unsigned long done = 0;
        for (; done < runs; ++done) {
            // A time cap for slow builds (sanitizers on a loaded machine) and slow harnesses (webhook_request
            // waits out the listener's 100 ms poll per input): fewer inputs, never a hang.
            if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() > seconds)
                break;
            run_one(h, mutator.mutate(corpus[mutator.pick(corpus.size())], corpus));
        }
        std::remove((std::string("agentrail-fuzz-replay-") + h.name + ".crash").c_str());
        std::printf("fuzz replay: %-18s %zu seeds + %lu mutated inputs ok (%.1f s)\n", h.name, corpus.size(),
                    done, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return status;
}
