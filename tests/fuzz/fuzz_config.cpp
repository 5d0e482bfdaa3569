// libFuzzer harness for the CLI's config file parser (cli/config.cpp): the input is a config file. Loading
// fails only with a usage Failure; a file that loads must survive what `agentrail config set` does (set a
// value, save, load again) with every profile, key and value unchanged, the new value included.

#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "config.hpp"
#include "exit_codes.hpp"

namespace {

using agentrail::cli::ConfigFile;

[[noreturn]] void fail(const char* what) {
    std::fputs(what, stderr);
    std::fputc('\n', stderr);
    std::abort();
}

// A private directory on tmpfs when there is one: every input is written, saved and read back.
struct Scratch {
    std::string dir;
    std::string path;
    Scratch() {
        dir = std::string(access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") + "/agentrail-fuzz-config-" +
              std::to_string(getpid());
        mkdir(dir.c_str(), 0700);
        path = dir + "/config.toml";
    }
    ~Scratch() {
        unlink(path.c_str());
        rmdir(dir.c_str());
    }
};

const std::string& config_path() {
    static const Scratch scratch;
    return scratch.path;
}

struct Snapshot {
    std::string current;
    std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::string>>>> profiles;
    bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const ConfigFile& config) {
    Snapshot s{config.current_profile(), {}};
    for (const auto& name : config.profiles()) {
        s.profiles.emplace_back(name, config.entries(name));
        for (const auto& [key, value] : s.profiles.back().second)
            if (config.get(name, key) == std::nullopt) fail("get() misses a key entries() lists");
    }
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
    const std::string& path = config_path();
    const std::string text(reinterpret_cast<const char*>(bytes), size);
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << text;
    }
    ConfigFile config;
    try {
        config = ConfigFile::load(path);
    } catch (const agentrail::cli::Failure&) {
        return 0;  // a syntax error, reported with the line number
    }
    (void)snapshot(config);

    // What `agentrail config set api_key` does, with the input itself as the value (any bytes).
    config.set("fuzz", "api_key", text);
    config.set_current_profile(text.substr(0, 16));
    const Snapshot before = snapshot(config);
    config.save();
    ConfigFile again;
    try {
        again = ConfigFile::load(path);
    } catch (const agentrail::cli::Failure& e) {
        std::fprintf(stderr, "%s\n", e.what());
        fail("a saved config file does not load again");
    }
    if (!(snapshot(again) == before)) fail("save + load changed the config");
    if (again.get("fuzz", "api_key") != text) fail("the value set did not come back");
    return 0;
}
