// cli::display_width, truncate_cells and fit_columns: terminal cells and tables that fit.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "render/width.hpp"

using agentrail::cli::codepoint_width;
using agentrail::cli::ColumnFit;
using agentrail::cli::display_width;
using agentrail::cli::fit_columns;
using agentrail::cli::truncate_cells;

TEST_CASE("codepoint_width: narrow, wide, emoji and zero-width characters", "[width]") {
    CHECK(codepoint_width(U'a') == 1);
    CHECK(codepoint_width(U'\u00e9') == 1);      // é precomposed
    CHECK(codepoint_width(U'\u00ad') == 1);      // soft hyphen: shown by terminals
    CHECK(codepoint_width(U'\u0301') == 0);      // combining acute accent
    CHECK(codepoint_width(U'\u200b') == 0);      // zero width space
    CHECK(codepoint_width(U'\u200d') == 0);      // zero width joiner
    CHECK(codepoint_width(U'\ufe0f') == 0);      // variation selector 16
    CHECK(codepoint_width(U'\u4e2d') == 2);      // 中
    CHECK(codepoint_width(U'\u3042') == 2);      // あ
    CHECK(codepoint_width(U'\uac00') == 2);      // 가
    CHECK(codepoint_width(U'\uff21') == 2);      // fullwidth A
    CHECK(codepoint_width(U'\U0001F680') == 2);  // rocket
    CHECK(codepoint_width(U'\U0001F44D') == 2);  // thumbs up
    CHECK(codepoint_width(U'\u2026') == 1);      // …
    CHECK(codepoint_width(U'\U00020000') == 2);  // CJK extension B
    CHECK(codepoint_width(U'\U000E0001') == 0);  // language tag
}

TEST_CASE("display_width: cells of UTF-8 text", "[width]") {
    CHECK(display_width("") == 0);
    CHECK(display_width("hello") == 5);
    CHECK(display_width("caf\xc3\xa9") == 4);               // café, precomposed
    CHECK(display_width("cafe\xcc\x81") == 4);              // café, e + combining acute
    CHECK(display_width("\xe4\xb8\xad\xe6\x96\x87") == 4);  // 中文
    CHECK(display_width("ship \xf0\x9f\x9a\x80") == 7);     // ship 🚀
    CHECK(display_width("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd") ==
          4);                               // 👍🏽 (two wide code points as terminals show them)
    CHECK(display_width("a\xffz") == 3);    // an invalid byte counts one cell
    CHECK(display_width("\xe4\xb8") == 2);  // truncated sequence: two bytes, two cells
}

TEST_CASE("truncate_cells: cut by cells with an ellipsis, never through a wide character", "[width]") {
    CHECK(truncate_cells("hello", 5) == "hello");
    CHECK(truncate_cells("hello world", 8) == "hello w\xe2\x80\xa6");
    CHECK(display_width(truncate_cells("hello world", 8)) == 8);
    // 中文字幕 is 8 cells; 5 cells leave room for two wide characters and the ellipsis.
    CHECK(truncate_cells("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe5\xb9\x95", 5) ==
          "\xe4\xb8\xad\xe6\x96\x87\xe2\x80\xa6");
    CHECK(display_width(truncate_cells("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe5\xb9\x95", 6)) <= 6);
    // A combining mark stays with its letter.
    CHECK(truncate_cells("cafe\xcc\x81s and more", 6) == "cafe\xcc\x81s\xe2\x80\xa6");
    CHECK(truncate_cells("abc", 0).empty());
    CHECK(truncate_cells("abcdef", 1) == "\xe2\x80\xa6");
}

TEST_CASE("truncate_cells: ids are cut in the middle, keeping both ends", "[width]") {
    auto cut = truncate_cells("tsk_01JZDEMO0000000000000001", 12, true);
    CHECK(cut ==
          "tsk_01\xe2\x80\xa6"
          "00001");
    CHECK(display_width(cut) == 12);
    CHECK(truncate_cells("tsk_1", 12, true) == "tsk_1");
}

namespace {
std::size_t table_width(const std::vector<std::size_t>& widths) {
    std::size_t sum = 0, shown = 0;
    for (auto w : widths)
        if (w > 0) sum += w, ++shown;
    return shown == 0 ? 0 : sum + 2 * (shown - 1);
}
}  // namespace

TEST_CASE("fit_columns: natural widths when they fit", "[width][fit]") {
    std::vector<ColumnFit> cols = {{10, 10, 1, true}, {20, 5, 2, true}};
    CHECK(fit_columns(cols, 32) == std::vector<std::size_t>{10, 20});
    CHECK(fit_columns(cols, 200) == std::vector<std::size_t>{10, 20});
}

TEST_CASE("fit_columns: cut columns first, highest priority gets space back first", "[width][fit]") {
    // ID 28 (least 12), KEY 6, TITLE 50 (least 20, highest priority).
    std::vector<ColumnFit> cols = {{28, 12, 60, true}, {6, 6, 90, true}, {50, 20, 100, true}};
    auto w = fit_columns(cols, 60);
    CHECK(w == std::vector<std::size_t>{12, 6, 38});  // TITLE gets the space before ID
    CHECK(table_width(w) == 60);
    w = fit_columns(cols, 80);
    CHECK(w == std::vector<std::size_t>{20, 6, 50});  // TITLE whole, ID the rest
    CHECK(table_width(w) == 80);
}

TEST_CASE("fit_columns: the lowest priority droppable column goes first, title is the last", "[width][fit]") {
    // The `tasks list` columns of the demo data: ID KEY STATUS PRIORITY UPDATED NEXT TITLE.
    std::vector<ColumnFit> cols = {{28, 12, 60, true}, {6, 6, 90, true}, {11, 11, 80, true},
                                   {8, 8, 50, true},   {8, 8, 40, true}, {42, 8, 70, true},
                                   {50, 30, 100, true}};
    auto at80 = fit_columns(cols, 80);
    CHECK(at80[4] == 0);   // UPDATED dropped
    CHECK(at80[3] == 0);   // then PRIORITY
    CHECK(at80[6] >= 30);  // TITLE kept
    CHECK(at80[1] == 6);
    CHECK(table_width(at80) <= 80);
    auto at40 = fit_columns(cols, 40);
    CHECK(at40[6] >= 30);  // only the title is left, with the key when it fits
    CHECK(table_width(at40) <= 40);
    auto at160 = fit_columns(cols, 160);
    CHECK(std::count(at160.begin(), at160.end(), 0) == 0);
    CHECK(table_width(at160) <= 160);
}

TEST_CASE("fit_columns: columns that may not be dropped stay at their least width", "[width][fit]") {
    std::vector<ColumnFit> cols = {{30, 30, 0, false}, {40, 10, 0, false}};
    CHECK(fit_columns(cols, 20) == std::vector<std::size_t>{30, 10});  // the caller clips the line
    std::vector<ColumnFit> mixed = {{30, 30, 1, true}, {40, 10, 0, false}};
    CHECK(fit_columns(mixed, 20) == std::vector<std::size_t>{0, 20});
}
