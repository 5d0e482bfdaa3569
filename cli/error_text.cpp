#include "error_text.hpp"

#include <algorithm>

namespace agentrail::cli {
namespace {

std::string trim_clause(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty()) {
        char c = text.back();
        if (c == ' ' || c == '\t' || c == '\n' || c == '.' || c == ';' || c == ',' || c == ':') {
            // Keep an ellipsis ("...") that ends a cut-off message.
            if (c == '.' && text.size() >= 3 && text.substr(text.size() - 3) == "...") break;
            text.remove_suffix(1);
        } else {
            break;
        }
    }
    return std::string(text);
}

}  // namespace

std::string drop_repeated_detail(std::string_view message) {
    if (message.empty() || message.back() != ')') return std::string(message);
    auto open = message.rfind(" (");
    if (open == std::string_view::npos) return std::string(message);
    auto outer = message.substr(0, open);
    auto colon = outer.rfind(": ");
    if (colon == std::string_view::npos) return std::string(message);
    auto tail = outer.substr(colon + 2);
    auto inner = message.substr(open + 2, message.size() - open - 3);
    if (tail.empty() || inner.size() < tail.size() + 2 || inner.substr(inner.size() - tail.size()) != tail ||
        inner.substr(inner.size() - tail.size() - 2, 2) != ": ")
        return std::string(message);
    return std::string(outer);
}

std::string join_clauses(const std::vector<std::string>& clauses) {
    std::string out;
    for (const auto& clause : clauses) {
        auto c = trim_clause(clause);
        if (c.empty()) continue;
        out += (out.empty() ? "" : "; ") + c;
    }
    return out;
}

std::vector<std::string> format_error(const ErrorText& e) {
    std::string head = "error: ";
    if (!e.operation.empty()) head += trim_clause(e.operation) + ": ";
    if (!e.code.empty()) head += e.code + ": ";
    std::vector<std::string> clauses{e.message};
    clauses.insert(clauses.end(), e.extra.begin(), e.extra.end());
    if (!e.idempotency_key.empty()) clauses.push_back("idempotency key: " + e.idempotency_key);
    if (!e.request_id.empty()) clauses.push_back("request id: " + e.request_id);
    std::vector<std::string> lines{head + join_clauses(clauses)};
    std::vector<std::string> seen;
    for (const auto& command : e.next) {
        auto c = trim_clause(command);
        if (c.empty() || std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
        seen.push_back(c);
        lines.push_back("next: " + c);
    }
    return lines;
}

}  // namespace agentrail::cli
