#pragma once
// "Did you mean ...?" for an unknown command word: the closest names by edit distance, plus a few common
// synonyms (show/get, ls/list, rm/delete). Pure functions, unit-tested.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace agentrail::cli {

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two adjacent
/// characters each cost 1 ("taks" -> "tasks" is 1, "lsit" -> "list" is 1). Case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// Up to three of `candidates` that `word` was probably meant to be, best first: those within edit
/// distance 2 (1 for words of up to 3 characters), those `word` is a prefix of, and known synonyms.
std::vector<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates);

/// "`tasks`", "`get` or `explain`", "`a`, `b` or `c`".
std::string quote_alternatives(const std::vector<std::string>& names);

}  // namespace agentrail::cli
