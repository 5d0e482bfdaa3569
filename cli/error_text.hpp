#pragma once
// The text form of an error on stderr, as pure functions (unit-tested): one line of what failed, then
// the commands to run next, one per line.
//
//   error: submit task tsk_1: action_not_available: task is todo and does not offer 'submit' (available:
//   start) next: agentrail task start tsk_1

#include <string>
#include <string_view>
#include <vector>

namespace agentrail::cli {

struct ErrorText {
    std::string operation;  // "submit task tsk_1" (may be empty)
    std::string code;       // "not_found", "invalid_argument", ...
    std::string message;
    std::vector<std::string> extra;  // further clauses: "required scope: x (key has: y)"
    std::string idempotency_key;
    std::string request_id;
    std::vector<std::string> next;  // commands to run, already translated from API actions
};

/// Joins clauses with "; ", dropping each clause's trailing '.', ';', ',' or ':' and empty clauses, so the
/// line never shows doubled punctuation (".;", ";;").
std::string join_clauses(const std::vector<std::string>& clauses);

/// Drops a closing "(detail: X)" from "...: X (detail: X)", as curl's messages repeat themselves:
/// "GET URL failed: Couldn't connect to server (Failed to connect to h port 1 after 0 ms: Couldn't connect
/// to server)" becomes "GET URL failed: Couldn't connect to server". Other text is returned as it is.
std::string drop_repeated_detail(std::string_view message);

/// "error: OPERATION: CODE: MESSAGE; EXTRA...; idempotency key: K; request id: R", then one
/// "next: COMMAND" line per distinct command. Lines carry no trailing newline.
std::vector<std::string> format_error(const ErrorText& error);

}  // namespace agentrail::cli
