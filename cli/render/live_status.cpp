#include "render/live_status.hpp"

#include "render/width.hpp"

namespace agentrail::cli {
namespace {

constexpr const char* spinner[] = {"\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9", "\xe2\xa0\xb8",
                                   "\xe2\xa0\xbc", "\xe2\xa0\xb4", "\xe2\xa0\xa6", "\xe2\xa0\xa7",
                                   "\xe2\xa0\x87", "\xe2\xa0\x8f"};  // ⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏
constexpr auto tick = std::chrono::milliseconds(100);

/// Cells of `text` without its colour codes.
std::size_t visible_width(const std::string& text) {
    std::string plain;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\x1b') {
            auto end = text.find('m', i);
            if (end == std::string::npos) break;
            i = end;
            continue;
        }
        plain += text[i];
    }
    return display_width(plain);
}

}  // namespace

LiveStatus::LiveStatus(std::FILE* stream, bool tty, std::size_t width, std::string prefix)
    : m_stream(stream), m_tty(tty), m_width(width == 0 ? 80 : width), m_prefix(std::move(prefix)) {
    if (m_tty) m_thread = std::thread([this] { loop(); });
}

LiveStatus::~LiveStatus() {
    stop();
}

std::string LiveStatus::elapsed_text(std::chrono::steady_clock::duration elapsed) {
    auto s = std::chrono::duration_cast<std::chrono::seconds>(elapsed).count();
    char text[32];
    if (s < 60)
        std::snprintf(text, sizeof text, "%llds", static_cast<long long>(s));
    else if (s < 3600)
        std::snprintf(text, sizeof text, "%lldm%02llds", static_cast<long long>(s / 60),
                      static_cast<long long>(s % 60));
    else
        std::snprintf(text, sizeof text, "%lldh%02lldm", static_cast<long long>(s / 3600),
                      static_cast<long long>((s % 3600) / 60));
    return text;
}

void LiveStatus::set(const std::string& text) {
    std::lock_guard lock(m_mutex);
    if (m_stopped) return;
    m_text = text;
    if (m_tty) {
        draw_locked();
    } else if (text != m_last_printed) {
        std::fprintf(m_stream, "%s%s\n", m_prefix.c_str(), text.c_str());
        std::fflush(m_stream);
        m_last_printed = text;
    }
}

void LiveStatus::set_block(std::vector<std::string> lines) {
    std::lock_guard lock(m_mutex);
    if (m_stopped || !m_tty || lines == m_block) return;
    m_block = std::move(lines);
    m_block_changed = true;
    draw_locked();
}

void LiveStatus::draw_locked() {
    std::string frame;
    if (m_block_changed) {
        // Back to the top of the block, clear to the end of the screen, draw it again.
        std::size_t up = m_block_drawn;
        frame += "\r";
        if (up > 0) frame += "\x1b[" + std::to_string(up) + "A";
        frame += "\x1b[J";
        for (const auto& l : m_block) frame += l + "\n";
        m_block_drawn = m_block.size();
        m_block_changed = false;
    } else {
        frame += "\r\x1b[K";
    }
    std::string line = std::string(spinner[m_frame % std::size(spinner)]) + " " + m_prefix + m_text +
                       " \xc2\xb7 " + elapsed_text(std::chrono::steady_clock::now() - m_started);
    // Never wider than the terminal: a wrapped line could not be redrawn in place.
    if (visible_width(line) >= m_width) {
        std::string plain;
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (line[i] == '\x1b') {
                auto end = line.find('m', i);
                if (end == std::string::npos) break;
                i = end;
                continue;
            }
            plain += line[i];
        }
        line = truncate_cells(plain, m_width - 1);
    }
    frame += line;
    std::fputs(frame.c_str(), m_stream);
    std::fflush(m_stream);
    m_line_drawn = true;
}

void LiveStatus::loop() {
    std::unique_lock lock(m_mutex);
    while (!m_stopped) {
        m_cv.wait_for(lock, tick);
        if (m_stopped) break;
        ++m_frame;
        if (!m_text.empty() || !m_block.empty()) draw_locked();
    }
}

void LiveStatus::stop() {
    {
        std::lock_guard lock(m_mutex);
        if (m_stopped) return;
        m_stopped = true;
        if (m_tty && m_line_drawn) {
            std::fputs("\r\x1b[K", m_stream);  // the block stays; the spinner line goes
            std::fflush(m_stream);
        }
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

}  // namespace agentrail::cli
