#pragma once
// Text from a server (titles, error messages, cursors, action names, event fields) is never written raw
// to a terminal: an ESC sequence could clear the screen, set the window title or write the clipboard
// (OSC 52), and CR or BS could overwrite what was printed before it.

#include <string>
#include <string_view>

namespace agentrail::cli {

/// `text` made safe for a terminal: C0 controls, DEL and invalid UTF-8 bytes become "\xNN", C1 controls
/// (U+0080-U+009F) become "\u00NN"; everything else (printable ASCII, valid UTF-8) is kept. With
/// `keep_newlines`, '\n' is kept (multi-line values of a key/value view). Every human-readable output
/// (tables, views, next steps, stream lines, warnings, error lines, log lines) goes through it; JSON
/// output does not (it prints the data exactly, escaped by JSON itself).
std::string sanitize(std::string_view text, bool keep_newlines = false);

}  // namespace agentrail::cli
