#pragma once
// A live status for commands that wait (`task wait`, `task ci --watch`), so a person is never left
// looking at a silent terminal. On a terminal: one line, redrawn in place every 100 ms, with a spinner and
// the time elapsed ("⠹ CI running 2/3 · 14s"), optionally under a block of lines that is redrawn when it
// changes (the checks of a CI run). Not on a terminal: one plain line per change of the status text, no
// spinner, no escape codes.

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace agentrail::cli {

class LiveStatus {
public:
    /// Writes to `stream` (stdout or stderr). `tty`: redraw in place, `width` cells wide; otherwise print
    /// one line per change. Either way the text is prefixed with `prefix` (e.g. "DEMO-4: ").
    LiveStatus(std::FILE* stream, bool tty, std::size_t width, std::string prefix = {});
    /// Clears the live line (stop()).
    ~LiveStatus();
    LiveStatus(const LiveStatus&) = delete;
    LiveStatus& operator=(const LiveStatus&) = delete;

    /// The status text (already safe for a terminal; colour codes allowed).
    void set(const std::string& text);
    /// Lines shown above the status line on a terminal (redrawn when they change); ignored when not on a
    /// terminal.
    void set_block(std::vector<std::string> lines);
    /// Ends the live line: on a terminal the spinner line is erased and the block stays. Idempotent.
    void stop();

    /// "12s", "3m04s", "1h02m": the elapsed-time text of the status line.
    static std::string elapsed_text(std::chrono::steady_clock::duration elapsed);

private:
    void loop();
    void draw_locked();

    std::FILE* m_stream;
    bool m_tty;
    std::size_t m_width;
    std::string m_prefix;
    std::chrono::steady_clock::time_point m_started = std::chrono::steady_clock::now();
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::string m_text;
    std::string m_last_printed;
    std::vector<std::string> m_block;
    bool m_block_changed = false;
    std::size_t m_block_drawn = 0;  // lines of the block on screen
    bool m_line_drawn = false;      // the status line is on screen (the cursor is at its end)
    std::size_t m_frame = 0;
    bool m_stopped = false;
    std::thread m_thread;
};

}  // namespace agentrail::cli
