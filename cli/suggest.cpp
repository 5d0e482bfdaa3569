#include "suggest.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace agentrail::cli {
namespace {

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

/// Words people type for a command that has another name here.
struct Synonym {
    std::string_view word;
    std::string_view meant;
};
constexpr Synonym synonyms[] = {
    {"show", "get"},        {"show", "explain"},      {"view", "show"},
    {"view", "get"},        {"info", "show"},         {"info", "get"},
    {"get", "show"},        {"ls", "list"},           {"rm", "delete"},
    {"remove", "delete"},   {"del", "delete"},        {"new", "create"},
    {"add", "create"},      {"watch", "tail"},        {"follow", "tail"},
    {"stream", "tail"},     {"logs", "tail"},         {"status", "doctor"},
    {"check", "doctor"},    {"login", "config"},      {"settings", "config"},
    {"merge", "ship"},      {"deploy", "ship"},       {"revert", "rollback"},
    {"unblock", "resolve"}, {"task", "tasks"},        {"key", "keys"},
    {"event", "events"},    {"sub", "subscriptions"}, {"subscription", "subscriptions"},
    {"hook", "webhook"},    {"webhooks", "webhook"},
};

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size(), m = b.size();
    // Three rows: the one two back is needed for transpositions.
    std::vector<std::size_t> two(m + 1), one(m + 1), cur(m + 1);
    for (std::size_t j = 0; j <= m; ++j) one[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= m; ++j) {
            std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            cur[j] = std::min({one[j] + 1, cur[j - 1] + 1, one[j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
                cur[j] = std::min(cur[j], two[j - 2] + 1);
        }
        std::swap(two, one);
        std::swap(one, cur);
    }
    return one[m];
}

std::vector<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates) {
    if (word.empty()) return {};
    std::vector<std::pair<std::size_t, std::string>> scored;  // (score, name): lower is better
    auto add = [&](std::size_t score, const std::string& name) {
        for (auto& [s, n] : scored) {
            if (n == name) {
                s = std::min(s, score);
                return;
            }
        }
        scored.emplace_back(score, name);
    };
    const std::size_t limit = word.size() <= 3 ? 1 : 2;
    for (const auto& name : candidates) {
        auto d = edit_distance(word, name);
        if (d <= limit) add(d * 2, name);
        // "sub" for "subscriptions", "comp" for "completion"
        if (word.size() >= 2 && name.size() > word.size() &&
            edit_distance(word, name.substr(0, word.size())) == 0)
            add(3, name);
    }
    for (const auto& s : synonyms) {
        if (edit_distance(word, s.word) != 0) continue;
        for (const auto& name : candidates)
            if (name == s.meant) add(4, name);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::string> out;
    for (const auto& [score, name] : scored) {
        if (out.size() == 3) break;
        out.push_back(name);
    }
    return out;
}

std::string quote_alternatives(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
        out += "`" + names[i] + "`";
    }
    return out;
}

}  // namespace agentrail::cli
