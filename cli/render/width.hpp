#pragma once
// Width of text in terminal cells, and the fitting of table columns to a terminal.
//
// Terminals give most characters one cell, East Asian wide and fullwidth characters and emoji two, and
// combining marks, zero-width joiners and other format characters none (wcwidth(3) without the locale:
// the tables are built in, from Unicode 14, so the result does not depend on the user's LC_CTYPE).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace agentrail::cli {

/// Cells taken by one code point: 0 (combining, format, NUL), 2 (wide, fullwidth, emoji) or 1. Control
/// characters count 1 here (the sanitizer escapes them before anything is measured).
int codepoint_width(char32_t cp) noexcept;

/// Cells taken by UTF-8 `text`; a byte that is not part of valid UTF-8 counts as one cell.
std::size_t display_width(std::string_view text);

/// `text` cut to at most `width` cells, ending in "…" when something was cut. A wide character never
/// straddles the cut (the result may be one cell narrower). `middle`: the cut is made in the middle,
/// keeping both ends ("tsk_01J…000001"), for ids whose distinct part is at the end.
std::string truncate_cells(std::string_view text, std::size_t width, bool middle = false);

/// One column for fit_columns(): its natural width (widest cell or header), the least it may be cut to
/// (equal to `natural` for a column that is never cut), its priority (a higher one stays longer and gets
/// space back first) and whether it may be left out.
struct ColumnFit {
    std::size_t natural = 0;
    std::size_t min = 0;
    int priority = 0;
    bool droppable = false;
};

/// Widths that make a table fit `width` cells with `gap` cells between columns; 0 marks a dropped
/// column. While the columns at their least widths do not fit, the lowest-priority droppable column is
/// dropped (the rightmost one of equal priority); then every column gets its least width and the space
/// left goes to the cut columns, highest priority first, up to their natural width. When nothing more can
/// be dropped, the columns keep their least widths (the caller clips the line).
std::vector<std::size_t> fit_columns(const std::vector<ColumnFit>& columns, std::size_t width,
                                     std::size_t gap = 2);

}  // namespace agentrail::cli
