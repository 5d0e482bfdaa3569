// RecentIds (the de-duplication window of streams and webhook listeners) and CursorFile (a stream
// consumer's position on disk: `events tail --state-file`).

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "agentrail/cursor_file.hpp"
#include "agentrail/errors.hpp"
#include "agentrail/recent_ids.hpp"

using namespace agentrail;
namespace fs = std::filesystem;

namespace {

struct CursorDir {
    fs::path path;
    CursorDir() {
        std::string tmpl = (fs::temp_directory_path() / "agentrail-cursor-XXXXXX").string();
        path = ::mkdtemp(tmpl.data());
    }
    ~CursorDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

TEST_CASE("RecentIds drops repeats and forgets the oldest beyond its capacity", "[recent_ids]") {
    RecentIds ids(3);
    CHECK(ids.insert("a"));
    CHECK(ids.insert("b"));
    CHECK_FALSE(ids.insert("a"));
    CHECK(ids.contains("b"));
    CHECK(ids.insert("c"));
    CHECK(ids.insert("d"));  // evicts "a"
    CHECK(ids.size() == 3);
    CHECK_FALSE(ids.contains("a"));
    CHECK(ids.insert("a"));  // forgotten, so new again
    CHECK_FALSE(ids.contains("b"));
}

TEST_CASE("RecentIds: an empty id or a capacity of 0 is never a duplicate", "[recent_ids]") {
    RecentIds ids(2);
    CHECK(ids.insert(""));
    CHECK(ids.insert(""));
    CHECK(ids.size() == 0);
    RecentIds none(0);
    CHECK(none.insert("x"));
    CHECK(none.insert("x"));
}

TEST_CASE("RecentIds: ids in sequence, then a replay of some of them after a reconnect", "[recent_ids]") {
    RecentIds ids(4);
    for (const char* id : {"evt_7", "evt_8", "evt_9", "evt_10", "evt_11"}) CHECK(ids.insert(id));
    CHECK(ids.size() == 4);
    CHECK_FALSE(ids.contains("evt_12"));  // after the last one: never seen
    CHECK_FALSE(ids.contains("evt_7"));   // the oldest, forgotten
    // The replay: the ones still in the window are duplicates, older ones are new again.
    CHECK_FALSE(ids.insert("evt_9"));
    CHECK_FALSE(ids.insert("evt_10"));
    CHECK(ids.insert("evt_7"));  // out of order from here on: evicts evt_8
    CHECK_FALSE(ids.contains("evt_8"));
    CHECK_FALSE(ids.insert("evt_11"));
    CHECK(ids.insert("evt_12"));  // evicts evt_9
    CHECK(ids.insert("evt_9"));
    CHECK(ids.size() == 4);
    CHECK_FALSE(ids.insert("evt_7"));
    CHECK_FALSE(ids.insert("evt_12"));
}

TEST_CASE("RecentIds: long ids are remembered whole, and the window's size does not depend on them",
          "[recent_ids]") {
    RecentIds ids(100);
    const std::string base(100000, 'x');
    for (int i = 0; i < 1000; ++i) CHECK(ids.insert(base + std::to_string(i)));
    CHECK(ids.size() == 100);
    CHECK_FALSE(ids.insert(base + "999"));
    CHECK(ids.contains(base + "900"));
    CHECK_FALSE(ids.contains(base + "899"));
    // Ids that differ only in their first or last byte are different ids.
    CHECK_FALSE(ids.contains("y" + base.substr(1) + "999"));
    CHECK_FALSE(ids.contains(base + "99"));
}

TEST_CASE("CursorFile: nothing saved yet loads as empty, a save is read back", "[cursor_file]") {
    CursorDir dir;
    const auto path = (dir.path / "last-event-id").string();
    {
        CursorFile file(path);
        CHECK(file.load().empty());
        file.save("evt_01ABC000000000000042");
        CHECK(file.load() == "evt_01ABC000000000000042");
        CHECK(slurp(path) == "evt_01ABC000000000000042\n");
        file.save("");  // not written
        CHECK(file.load() == "evt_01ABC000000000000042");
    }
    CursorFile again(path);  // a restart resumes after the saved id
    CHECK(again.load() == "evt_01ABC000000000000042");
    // Nothing but the file and its lock is left next to it (the temporary files were renamed).
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path)) ++entries;
    CHECK(entries == 2);
}

TEST_CASE("CursorFile: the first line is the id, trimmed", "[cursor_file]") {
    CursorDir dir;
    const auto path = dir.path / "state";
    std::ofstream(path) << "  evt_7 \nrest\n";
    CursorFile file(path.string());
    CHECK(file.load() == "evt_7");
}

TEST_CASE("CursorFile: one owner at a time, the second names the first's PID", "[cursor_file]") {
    CursorDir dir;
    const auto path = (dir.path / "state").string();
    auto first = std::make_unique<CursorFile>(path);
    try {
        CursorFile second(path);
        FAIL("the second CursorFile got the lock");
    } catch (const CursorFileInUseError& e) {
        CHECK(e.kind() == ErrorKind::conflict);
        CHECK(e.owner_pid() == std::to_string(::getpid()));
        CHECK(std::string(e.what()).find("already in use by PID " + std::to_string(::getpid())) !=
              std::string::npos);
    }
    first.reset();  // released with its owner
    CHECK_NOTHROW(CursorFile(path));
}

TEST_CASE("CursorFile: a FIFO or a directory is not a cursor file, neither is a huge file", "[cursor_file]") {
    CursorDir dir;
    SECTION("FIFO") {
        const auto path = dir.path / "fifo";
        REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
        CursorFile file(path.string());
        try {
            (void)file.load();  // must not block waiting for a writer
            FAIL("a FIFO loaded");
        } catch (const Error& e) {
            CHECK(e.kind() == ErrorKind::invalid_argument);
            CHECK(std::string(e.what()).find("not a regular file") != std::string::npos);
        }
    }
    SECTION("directory") {
        const auto path = dir.path / "sub";
        fs::create_directory(path);
        CursorFile file(path.string());
        CHECK_THROWS_WITH(file.load(), Catch::Contains("not a regular file"));
    }
    SECTION("larger than 4 KiB") {
        const auto path = dir.path / "big";
        std::ofstream(path) << std::string(5000, 'x');
        CursorFile file(path.string());
        CHECK_THROWS_WITH(file.load(), Catch::Contains("larger than 4 KiB"));
    }
}

TEST_CASE("CursorFile: a lock file that cannot be created is an invalid_argument error", "[cursor_file]") {
    CursorDir dir;
    const auto path = (dir.path / "missing-dir" / "state").string();
    try {
        CursorFile file(path);
        FAIL("opened");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::invalid_argument);
        CHECK(std::string(e.what()).find("cannot open") != std::string::npos);
    }
}
