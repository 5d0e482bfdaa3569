// agentrail::redact: the one redaction routine (library log handler, CLI errors and logs).

#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "agentrail/redact.hpp"

using agentrail::redact;

TEST_CASE("redact: secrets of every shape are masked", "[redact]") {
    CHECK(redact("Authorization: Bearer abc.def") == "Authorization: Bearer ***");
    CHECK(redact("authorization: bearer abc;x") == "authorization: bearer ***;x");
    CHECK(redact("key ar_live_0123456789 end") == "key *** end");
    CHECK(redact("whsec_abcdef") == "***");
    CHECK(redact(R"({"apiKey":"k1","secret":"s\"2","api_key" : "k3"})") ==
          R"({"apiKey":"***","secret":"***","api_key" : "***"})");
    CHECK(redact("plain text, nothing to hide") == "plain text, nothing to hide");
}

TEST_CASE("redact: the password of a URL is masked, the rest kept", "[redact]") {
    CHECK(redact("-> GET http://user:pa55@example.com/v1/tasks") ==
          "-> GET http://user:***@example.com/v1/tasks");
    CHECK(redact("https://user:p:w@h:8443/") == "https://user:***@h:8443/");
    CHECK(redact("https://user@host/ and http://host:80/x@y") == "https://user@host/ and http://host:80/x@y");
    CHECK(redact("base URL 'http://a:b@c'") == "base URL 'http://a:***@c'");
}

TEST_CASE("redact: extra secrets (the key in use) are masked wherever they appear", "[redact]") {
    std::vector<std::string> secrets = {"my-plain-key-42", "abc"};  // "abc" is too short to mask
    CHECK(redact("sent my-plain-key-42 twice: my-plain-key-42.", secrets) == "sent *** twice: ***.");
    CHECK(redact("abc", secrets) == "abc");
    // Overlapping occurrences and secrets inside a pattern match are masked whole.
    std::vector<std::string> repeat = {"aaaa"};
    CHECK(redact("xaaaaaay", repeat) == "x***y");
    std::vector<std::string> key = {"ar_local_xyz,tail"};
    CHECK(redact("Bearer ar_local_xyz,tail!", key) == "Bearer ***!");
    std::vector<std::string> prefix = {"earer  x"};  // starts inside the kept "Bearer " of a token
    CHECK(redact("Bearer  xyz", prefix) == "B***yz");
}

TEST_CASE("redact: huge hostile inputs are handled in one linear pass", "[redact]") {
    // std::regex recursed once per character here and crashed the CLI (SIGSEGV) on these messages.
    const std::vector<std::string> inputs = {
        "ar_" + std::string(50'000, 'a'),
        R"("secret": ")" + std::string(100'000, 'x'),
        "Bearer " + std::string(40'000, 't'),
        "http://user:" + std::string(100'000, 'p'),
        std::string(200'000, ':'),
        std::string(200'000, 'a'),
    };
    std::string needle(2000, 'a');  // "aaa...ab": the worst case for a naive search
    needle.push_back('b');
    std::vector<std::string> secrets;
    secrets.push_back(needle);
    auto started = std::chrono::steady_clock::now();
    for (const auto& text : inputs) {
        auto out = redact(text, secrets);
        CHECK(out.size() <= text.size() + 3);
    }
    CHECK(redact(inputs[0]) == "***");
    CHECK(redact(inputs[1]) == R"("secret": "***)");
    CHECK(redact(inputs[2]) == "Bearer ***");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
}
