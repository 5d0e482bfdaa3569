// cli::sanitize: server text made safe for a terminal (every human-readable output goes through it).

#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

#include "render/sanitize.hpp"

using agentrail::cli::sanitize;

TEST_CASE("sanitize: every C0 control and DEL becomes a visible escape", "[sanitize]") {
    for (int c = 0; c < 0x20; ++c) {
        std::string text = std::string("a") + static_cast<char>(c) + "b";
        auto out = sanitize(text);
        CAPTURE(c, out);
        char expected[8];
        std::snprintf(expected, sizeof expected, "a\\x%02xb", c);
        CHECK(out == expected);
    }
    CHECK(sanitize("\x7f") == "\\x7f");
    CHECK(sanitize("\x1b[2J\x1b]0;pwned\x07") == "\\x1b[2J\\x1b]0;pwned\\x07");
    CHECK(sanitize("\x1b]52;c;aGk=\x1b\\") == "\\x1b]52;c;aGk=\\x1b\\");
}

TEST_CASE("sanitize: newlines are kept only when asked", "[sanitize]") {
    CHECK(sanitize("one\ntwo") == "one\\x0atwo");
    CHECK(sanitize("one\ntwo\r", true) == "one\ntwo\\x0d");
}

TEST_CASE("sanitize: C1 controls (U+0080-U+009F) are escaped, other UTF-8 kept", "[sanitize]") {
    for (int c = 0x80; c <= 0x9f; ++c) {
        std::string text = std::string("\xc2") + static_cast<char>(c);
        char expected[8];
        std::snprintf(expected, sizeof expected, "\\u00%02x", c);
        CAPTURE(c);
        CHECK(sanitize(text) == expected);
    }
    CHECK(sanitize("caf\xc3\xa9 \xc2\xa0 \xe2\x82\xac \xf0\x9f\x98\x80") ==
          "caf\xc3\xa9 \xc2\xa0 \xe2\x82\xac \xf0\x9f\x98\x80");
    CHECK(sanitize("plain ASCII ~!") == "plain ASCII ~!");
}

TEST_CASE("sanitize: bytes that are not UTF-8 never pass raw", "[sanitize]") {
    CHECK(sanitize("\x9b"
                   "31m") == "\\x9b31m");                           // a bare 8-bit CSI
    CHECK(sanitize("\xc0\xaf") == "\\xc0\\xaf");                    // overlong '/'
    CHECK(sanitize("\xed\xa0\x80") == "\\xed\\xa0\\x80");           // surrogate
    CHECK(sanitize("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // beyond U+10FFFF
    CHECK(sanitize("\xe2\x82") == "\\xe2\\x82");                    // truncated
    CHECK(sanitize("\xff\xfe") == "\\xff\\xfe");
    // Every single byte: the output is printable ASCII or valid UTF-8 without controls.
    for (int b = 0; b < 256; ++b) {
        auto out = sanitize(std::string(1, static_cast<char>(b)));
        for (unsigned char c : out) CHECK(((c >= 0x20 && c < 0x7f) || c >= 0x80));
        if (b >= 0x80) CHECK(out.size() == 4);
    }
}
