// The member reads of the `tasks list --all` table path (render/raw_stream.cpp): member_values finds the
// members' texts, member_value turns one into the value parse_json gives.

#include <catch2/catch.hpp>

#include "agentrail/json.hpp"
#include "render/raw_stream.hpp"

using agentrail::cli::member_value;
using agentrail::cli::member_values;

TEST_CASE("raw members: member_value equals parse_json, with and without its shortcuts", "[raw][render]") {
    for (const char* text :
         {R"("plain")", R"("")", R"("caf\u00e9 \"q\" \\")", "null", "true", "false", "[]", "[ ]",
          R"(["a","b"])", R"([ "a" , "b" ])", R"(["a\"b"])", R"([1,"a"])", R"(["a",null])", R"([["a"]])",
          "12.5", "-0", R"({"a":[1,{"b":null}]})", R"({})"}) {
        INFO(text);
        CHECK(member_value(text) == agentrail::parse_json(text));
    }
}

TEST_CASE("raw members: member_values finds the members' texts in the order asked", "[raw][render]") {
    const std::vector<std::string> keys = {"title", "missing", "id", "nested"};
    auto values =
        member_values(R"( { "id" : "a" , "nested":{"x":[1,{"y":"}"}]},"title":"t\"}","id":"b" } )", keys);
    REQUIRE(values);
    CHECK((*values)[0] == R"("t\"}")");
    CHECK((*values)[1].empty());
    CHECK((*values)[2] == R"("b")");  // a repeated key: the last one, as parse_json
    CHECK((*values)[3] == R"({"x":[1,{"y":"}"}]})");
    CHECK(member_values("{}", keys) == std::vector<std::string_view>(keys.size()));
    CHECK_FALSE(member_values(R"({"ti\u0074le":"x"})", keys));  // an escaped key: parse instead
    CHECK_FALSE(member_values(R"(["title"])", keys));
}
