// SseParser: the W3C EventSource "interpret an event stream" algorithm, fed in chunks of any size.

#include <cstring>
#include <string_view>

#include "agentrail/events.hpp"

namespace agentrail {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// Largest `retry:` value kept; longer digit strings saturate here instead of overflowing.
constexpr long long kMaxRetryMs = 1'000'000'000'000LL;

std::size_t find_byte(std::string_view text, char byte, std::size_t from) {
    if (from >= text.size()) return std::string_view::npos;
    const void* hit = std::memchr(text.data() + from, byte, text.size() - from);
    return hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - text.data())
               : std::string_view::npos;
}

// `text` starts with / is the literal `name`. A compare of a constant size, which the compiler does in
// place: these run for every line of the stream.
template <std::size_t N>
bool line_starts_with(std::string_view text, const char (&name)[N]) {
    return text.size() >= N - 1 && std::memcmp(text.data(), name, N - 1) == 0;
}
template <std::size_t N>
bool field_is(std::string_view text, const char (&name)[N]) {
    return text.size() == N - 1 && std::memcmp(text.data(), name, N - 1) == 0;
}

}  // namespace

void SseParser::overflow() {
    // The buffers are released, not just cleared: they may hold up to the limit each.
    std::string().swap(m_line);
    std::string().swap(m_data);
    m_event.clear();
    m_has_data = false;
    m_overflowed = true;
}

void SseParser::feed(std::string_view chunk, const EventHandler& on_event) {
    if (m_overflowed) return;
    std::size_t pos = 0;
    const std::size_t size = chunk.size();

    // A BOM is skipped only at the very start of a stream. Its bytes may arrive split across chunks, so
    // a partial match is held in the (still empty) line buffer until it is decided.
    while (!m_seen_first && pos < size) {
        const std::size_t matched = m_line.size();
        if (chunk[pos] != kBom[matched]) {
            m_seen_first = true;  // the held bytes, if any, are ordinary line content
            break;
        }
        m_line.push_back(chunk[pos++]);
        if (m_line.size() == kBom.size()) {
            m_line.clear();
            m_seen_first = true;
        }
    }

    // Each search result is reused until the scan passes it, so a chunk is searched once per byte
    // value however many lines it holds (CR-only streams included).
    std::size_t next_lf = find_byte(chunk, '\n', pos);
    std::size_t next_cr = find_byte(chunk, '\r', pos);
    while (pos < size) {
        if (m_last_was_cr) {
            // CR ended the previous line; an LF right after it belongs to the same line end.
            m_last_was_cr = false;
            if (chunk[pos] == '\n') {
                ++pos;
                continue;
            }
        }
        if (next_lf < pos) next_lf = find_byte(chunk, '\n', pos);
        if (next_cr < pos) next_cr = find_byte(chunk, '\r', pos);
        const std::size_t end = next_lf < next_cr ? next_lf : next_cr;
        if (end == std::string_view::npos) {
            if (m_max != 0 && m_line.size() + (size - pos) > m_max) return overflow();
            m_line.append(chunk.data() + pos, size - pos);
            return;
        }
        if (m_max != 0 && m_line.size() + (end - pos) > m_max) return overflow();

        std::string_view line;
        if (m_line.empty()) {
            line = chunk.substr(pos, end - pos);
        } else {
            m_line.append(chunk.data() + pos, end - pos);
            line = m_line;
        }
        pos = end + 1;
        if (chunk[end] == '\r') {
            if (pos < size) {
                if (chunk[pos] == '\n') ++pos;
            } else {
                m_last_was_cr = true;
            }
        }

        // The line buffer is emptied even when the handler throws, so a later feed starts clean.
        struct ClearLine {
            std::string& line;
            ~ClearLine() { line.clear(); }
        } clear_line{m_line};
        process_line(line, on_event);
        if (m_overflowed) return;
    }
}

void SseParser::process_line(std::string_view line, const EventHandler& on_event) {
    if (line.empty()) {
        // Dispatch. The buffers are reset before the handler runs so an exception leaves no half event.
        if (!m_has_data) {
            m_event.clear();
            return;
        }
        // The data buffer is swapped into the reused dispatch event (no copy) and swapped back after the
        // handler, so both keep their capacity and steady-state dispatch neither allocates nor copies.
        m_dispatch.id.assign(m_last_id);
        if (m_event.empty())
            m_dispatch.event.assign("message");
        else
            m_dispatch.event.assign(m_event);
        m_dispatch.data.swap(m_data);
        m_event.clear();
        m_data.clear();
        m_has_data = false;
        struct Reclaim {
            std::string& data;
            std::string& dispatched;
            ~Reclaim() {
                data.swap(dispatched);
                data.clear();
            }
        } reclaim{m_data, m_dispatch.data};
        on_event(m_dispatch);
        return;
    }
    if (line.front() == ':') {
        ++m_comments;
        return;
    }

    std::string_view field = line;
    std::string_view value;
    // The three fields every event of a busy stream carries are recognised by their prefix (none of these
    // names holds a colon, so the first colon is the one the prefix ends with); any other line is split
    // at its first colon.
    const auto split_at = [&](std::size_t colon) {
        field = line.substr(0, colon);
        value = line.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    };
    if (line_starts_with(line, "data:"))
        split_at(4);
    else if (line_starts_with(line, "id:"))
        split_at(2);
    else if (line_starts_with(line, "event:"))
        split_at(5);
    else if (const auto colon = line.find(':'); colon != std::string_view::npos)
        split_at(colon);

    if (field_is(field, "data")) {
        if (m_max != 0 && m_data.size() + value.size() + 1 > m_max) return overflow();
        if (m_has_data) m_data.push_back('\n');
        m_data.append(value);
        m_has_data = true;
    } else if (field_is(field, "event")) {
        m_event.assign(value);
    } else if (field_is(field, "id")) {
        if (value.find('\0') == std::string_view::npos) m_last_id.assign(value);
    } else if (field_is(field, "retry")) {
        if (value.empty()) return;
        long long ms = 0;
        for (char c : value) {
            if (c < '0' || c > '9') return;
            if (ms < kMaxRetryMs) ms = ms * 10 + (c - '0');
        }
        m_retry = std::chrono::milliseconds(ms < kMaxRetryMs ? ms : kMaxRetryMs);
    }
    // Any other field is ignored, as EventSource does.
}

void SseParser::reset_connection() {
    m_line.clear();
    m_data.clear();
    m_event.clear();
    m_has_data = false;
    m_last_was_cr = false;
    m_seen_first = false;  // each response body is a stream of its own and may start with a BOM
    m_overflowed = false;
}

}  // namespace agentrail
