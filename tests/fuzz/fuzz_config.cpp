// libFuzzer harness for the CLI's config file (cli/config.cpp: toml++ and the in-place editor): the input is
// a config file. Parsing fails only with a usage Failure. A file that parses must survive what `agentrail
// config set` and `login` do (set a value, set current_profile, unset a key): each edit either changes
// exactly what it was asked to and leaves a text that parses again to the same config, or fails with a usage
// Failure and leaves the text as it was.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>

#include "config.hpp"
#include "exit_codes.hpp"

namespace {

using agentrail::cli::ConfigFile;
using agentrail::cli::Failure;

[[noreturn]] void fail(const char* what, const std::string& text) {
    std::fprintf(stderr, "%s\n--- text ---\n%s\n---\n", what, text.c_str());
    std::abort();
}

// Every profile's keys and values (order aside: an edit may add a key or a profile at its end).
using Snapshot =
    std::pair<std::string, std::map<std::string, std::map<std::string, std::pair<std::string, bool>>>>;

Snapshot snapshot(const ConfigFile& config) {
    Snapshot s{config.current_profile(), {}};
    for (const auto& name : config.profiles()) {
        auto& keys = s.second[name];
        for (const auto& e : config.entries(name)) keys[e.key] = {e.text, e.is_string};
        for (const auto& [key, value] : keys)
            if (!config.entry(name, key)) fail("entry() misses a key entries() lists", config.text());
    }
    return s;
}

void same_when_parsed_again(const ConfigFile& config) {
    ConfigFile again;
    try {
        again = ConfigFile::parse(config.text(), config.path());
    } catch (const Failure& e) {
        std::fprintf(stderr, "%s\n", e.what());
        fail("an edited config does not parse", config.text());
    }
    if (snapshot(again) != snapshot(config)) fail("the edited text reads back differently", config.text());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(bytes), size);
    ConfigFile config;
    try {
        config = ConfigFile::parse(text, "/fuzz/config.toml");
    } catch (const Failure&) {
        return 0;  // a syntax error, reported with its line and column
    }
    (void)config.warnings();
    (void)config.holds_api_key();

    // `config set api_key` (or login) with the input itself as the value (any bytes).
    auto expected = snapshot(config);
    auto before = config.text();
    try {
        config.set("fuzz", "api_key", text);
        expected.second["fuzz"]["api_key"] = {text, true};
        if (snapshot(config) != expected) fail("set changed something else", config.text());
        same_when_parsed_again(config);
    } catch (const Failure&) {
        if (config.text() != before) fail("a failed set changed the text", before);
    }

    // `config set retries N` on a profile the input may already have.
    expected = snapshot(config);
    before = config.text();
    const std::string name = expected.second.empty() ? "default" : expected.second.begin()->first;
    try {
        config.set_integer(name, "retries", static_cast<long long>(size % 11));
        expected.second[name]["retries"] = {std::to_string(size % 11), false};
        if (snapshot(config) != expected) fail("set_integer changed something else", config.text());
        same_when_parsed_again(config);
    } catch (const Failure&) {
        if (config.text() != before) fail("a failed set_integer changed the text", before);
    }

    // `config use-profile`, with a name from the input.
    expected = snapshot(config);
    before = config.text();
    try {
        config.set_current_profile(text.substr(0, 16));
        expected.first = text.substr(0, 16);
        if (snapshot(config) != expected) fail("set_current_profile changed something else", config.text());
        same_when_parsed_again(config);
    } catch (const Failure&) {
        if (config.text() != before) fail("a failed set_current_profile changed the text", before);
    }

    // `config unset`: the first key of the first profile.
    expected = snapshot(config);
    before = config.text();
    if (!expected.second.empty() && !expected.second.begin()->second.empty()) {
        const auto profile = expected.second.begin()->first;
        const auto key = expected.second.begin()->second.begin()->first;
        try {
            if (!config.unset(profile, key)) fail("unset missed a key entries() lists", before);
            expected.second[profile].erase(key);
            auto after = snapshot(config);
            // A profile left empty may vanish (an inline table) or stay (a [header]).
            if (after.second.count(profile) == 0 && expected.second[profile].empty())
                expected.second.erase(profile);
            if (after != expected) fail("unset changed something else", config.text());
            same_when_parsed_again(config);
        } catch (const Failure&) {
            if (config.text() != before) fail("a failed unset changed the text", before);
        }
    }
    return 0;
}
