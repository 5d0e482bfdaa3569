#include "render/render.hpp"

#include <unistd.h>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>

#include "exit_codes.hpp"
#include "render/jq.hpp"
#include "render/sanitize.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

const char* env(const char* name) {
    const char* value = std::getenv(name);
    return (value != nullptr && *value != '\0') ? value : nullptr;
}

std::string dump(const Json& value, int indent) {
    return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

/// Cuts a line that may hold ANSI colour codes to `width` visible cells, ending it with "…".
std::string clip_line(const std::string& text, std::size_t width) {
    std::string plain;  // the text without colour codes
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\x1b') {
            auto end = text.find('m', i);
            i = end == std::string::npos ? text.size() : end + 1;
            continue;
        }
        plain += text[i++];
    }
    if (display_width(plain) <= width || width < 2) return text;
    // Keep the colour codes, count the cells of everything else.
    std::string out;
    std::size_t used = 0;
    bool coloured = false;
    for (std::size_t i = 0; i < text.size();) {
        if (text[i] == '\x1b') {
            auto end = text.find('m', i);
            end = end == std::string::npos ? text.size() : end + 1;
            out.append(text, i, end - i);
            coloured = true;
            i = end;
            continue;
        }
        std::size_t length = 1;
        while (i + length < text.size() && (static_cast<unsigned char>(text[i + length]) & 0xC0) == 0x80)
            ++length;
        auto cells = display_width(std::string_view(text).substr(i, length));
        if (used + cells > width - 1) break;
        used += cells;
        out.append(text, i, length);
        i += length;
    }
    return out + (coloured ? "\x1b[0m\xe2\x80\xa6" : "\xe2\x80\xa6");
}

}  // namespace

void throw_output_error(int error) {
    if (error == EPIPE) {
        // The reader went away (`| head`): end as a process killed by SIGPIPE does, quietly, status 141,
        // also when SIGPIPE was inherited as ignored.
        std::signal(SIGPIPE, SIG_DFL);
        std::raise(SIGPIPE);
        std::_Exit(128 + SIGPIPE);
    }
    throw Failure(exit_code::unexpected, "output",
                  std::string("cannot write output: ") + std::strerror(error));
}

std::string string_at(const Json& value, std::string_view pointer) {
    const auto& v = at_pointer(value, pointer);
    return v.is_string() ? v.get<std::string>() : std::string{};
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

const Json& at_pointer(const Json& value, std::string_view pointer) {
    static const Json null_json;
    if (pointer.empty()) return value;
    const Json* current = &value;
    std::size_t pos = 1;  // skip the leading '/'
    while (pos <= pointer.size()) {
        auto next = pointer.find('/', pos);
        auto token = std::string(
            pointer.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos));
        if (current->is_object()) {
            auto it = current->find(token);
            if (it == current->end()) return null_json;
            current = &*it;
        } else if (current->is_array()) {
            std::size_t index = 0;
            try {
                index = std::stoul(token);
            } catch (const std::exception&) {
                return null_json;
            }
            if (index >= current->size()) return null_json;
            current = &(*current)[index];
        } else {
            return null_json;
        }
        if (next == std::string_view::npos) break;
        pos = next + 1;
    }
    return *current;
}

std::vector<std::string> rank_actions(std::vector<std::string> actions) {
    // What moves the task forward comes first; reading more about it last.
    static constexpr std::string_view order[] = {"ship",    "submit",   "start", "resolve_blocker",
                                                 "resolve", "rollback", "block"};
    auto rank = [](const std::string& a) -> std::size_t {
        for (std::size_t i = 0; i < std::size(order); ++i)
            if (a == order[i]) return i;
        bool read = a.rfind("view_", 0) == 0 || a.rfind("get_", 0) == 0 || a.rfind("list_", 0) == 0;
        return read ? std::size(order) + 1 : std::size(order);
    };
    std::stable_sort(actions.begin(), actions.end(),
                     [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
    return actions;
}

std::vector<Column> select_columns(const std::vector<Column>& columns, const OutputSettings& settings) {
    std::vector<Column> out;
    if (settings.columns.empty()) {
        for (const auto& c : columns)
            if (settings.wide || !c.wide_only) out.push_back(c);
        return out;
    }
    auto lower = [](std::string text) {
        for (auto& ch : text) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        return text;
    };
    for (const auto& name : settings.columns) {
        auto it = std::find_if(columns.begin(), columns.end(),
                               [&](const Column& c) { return lower(c.header) == lower(name); });
        if (it == columns.end()) {
            std::string choices;
            for (const auto& c : columns) choices += (choices.empty() ? "" : ", ") + lower(c.header);
            throw usage_error("--columns: unknown column '" + name + "' (choose from " + choices + ")");
        }
        Column c = *it;
        c.droppable = false;  // asked for by name: cut if need be, never left out
        out.push_back(c);
    }
    return out;
}

std::vector<std::string> actions_of(const Json& envelope) {
    std::vector<std::string> actions;
    auto add = [&](const Json& list) {
        if (!list.is_array()) return;
        for (const auto& a : list)
            if (a.is_string() &&
                std::find(actions.begin(), actions.end(), a.get<std::string>()) == actions.end())
                actions.push_back(a.get<std::string>());
    };
    if (envelope.is_object()) {
        add(at_pointer(envelope, "/availableActions"));
        add(at_pointer(envelope, "/data/availableActions"));
    }
    return actions;
}

OutputSettings OutputSettings::detect() {
    return detect(Deps::system());
}

OutputSettings OutputSettings::detect(const Deps& deps) {
    OutputSettings s;
    const auto terminal = deps.tty();
    s.stdout_tty = terminal.stdout_tty;
    s.stderr_tty = terminal.stderr_tty;
    bool no_color = deps.getenv("NO_COLOR") != nullptr;
    const char* force_text = deps.getenv("CLICOLOR_FORCE");
    bool force = force_text != nullptr && std::string_view(force_text) != "0";
    s.color = !no_color && (s.stdout_tty || force);
    s.color_stderr = !no_color && (s.stderr_tty || force);
    if (s.stdout_tty) {
        s.width = terminal.width;
        s.height = terminal.height;
    }
    s.out = deps.out;
    s.err = deps.err;
    s.now = deps.now;
    return s;
}

Renderer::Renderer(OutputSettings settings) : m_settings(std::move(settings)) {
    if (!m_settings.jq.empty()) m_jq = std::make_unique<JqFilter>(m_settings.jq);
}

Renderer::~Renderer() {
    try {
        end_page();
    } catch (const Failure&) {
        // Already reported by main.cpp's final flush, or unwinding from another error.
    }
}

bool Renderer::human() const {
    return m_settings.format == OutputFormat::table && !m_jq && !m_settings.raw && !m_settings.quiet;
}

void Renderer::write(std::string_view bytes) {
    m_buffer.append(bytes);
    if (m_buffer.size() > (1u << 16)) flush();
}

namespace {

/// True when `program` is an executable file in PATH (or a path to one).
bool on_path(const std::string& program) {
    if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
    const char* path = env("PATH");
    std::string_view dirs = path != nullptr ? path : "/usr/bin:/bin";
    while (!dirs.empty()) {
        auto colon = dirs.find(':');
        auto dir = dirs.substr(0, colon);
        std::string candidate = (dir.empty() ? std::string(".") : std::string(dir)) + "/" + program;
        if (access(candidate.c_str(), X_OK) == 0) return true;
        if (colon == std::string_view::npos) break;
        dirs.remove_prefix(colon + 1);
    }
    return false;
}

/// The pager command, or "" for none.
std::string pager_command() {
    const char* chosen = std::getenv("AGENTRAIL_PAGER");
    if (chosen == nullptr) chosen = std::getenv("PAGER");
    std::string command = chosen != nullptr ? chosen : "less -FRX";
    auto first = command.find_first_not_of(" \t");
    if (first == std::string::npos || command.substr(first) == "cat") return {};
    // The default must exist: sh would start, fail to find it and take the output with it.
    if (chosen == nullptr && !on_path("less")) return {};
    return command;
}

/// Terminal rows `text` takes on a screen `width` cells wide.
std::size_t screen_rows(std::string_view text, std::size_t width) {
    std::size_t rows = 0;
    while (!text.empty()) {
        auto nl = text.find('\n');
        auto line = text.substr(0, nl);
        auto cells = display_width(line);
        rows += width == 0 || cells == 0 ? 1 : (cells + width - 1) / width;
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return rows;
}

}  // namespace

void Renderer::page_output() {
    m_paging = m_settings.pager && m_settings.stdout_tty && human();
}

void Renderer::end_page() {
    if (m_paging && m_pager == nullptr && !m_buffer.empty()) start_pager(true);
    if (m_pager != nullptr) {
        flush();
        // The pager owns the terminal until it exits: Ctrl-C is for it (less ignores it), not for us.
        auto previous = std::signal(SIGINT, SIG_IGN);
        pclose(m_pager);
        std::signal(SIGINT, previous);
        std::signal(SIGPIPE, SIG_DFL);
        m_pager = nullptr;
    }
    m_paging = false;
    flush();
    if (!m_held_hints.empty()) {
        std::fwrite(m_held_hints.data(), 1, m_held_hints.size(), m_settings.err);
        std::fflush(m_settings.err);
        m_held_hints.clear();
    }
}

bool Renderer::start_pager(bool final) {
    // Output that fits the screen (with a line left for the prompt) is printed as it is.
    if (m_settings.height == 0 || screen_rows(m_buffer, m_settings.width) < m_settings.height) {
        if (final) m_paging = false;
        return false;
    }
    auto command = pager_command();
    if (!command.empty()) {
        if (std::getenv("LESS") == nullptr) setenv("LESS", "FRX", 1);
        std::fflush(m_settings.out);
        std::signal(SIGPIPE, SIG_IGN);  // quitting the pager early is not an error
        m_pager = popen(command.c_str(), "w");
    }
    if (m_pager == nullptr) {
        std::signal(SIGPIPE, SIG_DFL);
        m_paging = false;  // no pager: print as usual
    }
    return true;
}

void Renderer::flush() {
    if (m_buffer.empty()) return;
    if (m_paging) {
        if (m_pager_closed) {
            m_buffer.clear();  // the pager quit: the rest is not wanted
            return;
        }
        if (m_pager == nullptr && !start_pager(false)) return;  // held until it would not fit the screen
        if (m_pager == nullptr) return flush();
        bool ok = std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_pager) == m_buffer.size();
        ok = std::fflush(m_pager) == 0 && ok;
        m_buffer.clear();
        if (!ok) m_pager_closed = true;
        return;
    }
    if (m_output_failed) {
        m_buffer.clear();  // reported once; the rest is dropped
        return;
    }
    errno = 0;
    bool ok = std::fwrite(m_buffer.data(), 1, m_buffer.size(), m_settings.out) == m_buffer.size();
    ok = std::fflush(m_settings.out) == 0 && ok;
    m_buffer.clear();
    if (!ok) {
        int error = errno != 0 ? errno : EIO;
        m_output_failed = true;
        std::clearerr(m_settings.out);
        throw_output_error(error);
    }
}

void Renderer::line(std::string_view text) {
    write(text);
    write("\n");
}

void Renderer::emit_json(const Json& value, bool compact) {
    line(dump(value, compact ? -1 : 2));
}

void Renderer::machine(const Json& value) {
    if (m_jq) {
        m_jq->apply(value, [this](std::string_view text) { line(text); });
    } else {
        emit_json(value, m_settings.format == OutputFormat::ndjson);
    }
}

void Renderer::json(const Json& value) {
    machine(value);
}

void Renderer::result(const Json& data, const Json& envelope, std::string_view quiet_value,
                      const std::function<void()>& human_view) {
    if (m_jq || m_settings.raw || m_settings.format != OutputFormat::table) {
        machine(m_settings.raw ? envelope : data);
    } else if (m_settings.quiet) {
        if (!quiet_value.empty()) line(sanitize(quiet_value));
    } else {
        human_view();
    }
}

void Renderer::result(const Json& data, const Json& envelope, const std::vector<std::string>& quiet_lines,
                      const std::function<void()>& human_view) {
    if (m_jq || m_settings.raw || m_settings.format != OutputFormat::table) {
        machine(m_settings.raw ? envelope : data);
    } else if (m_settings.quiet) {
        for (const auto& value : quiet_lines)
            if (!value.empty()) line(sanitize(value));
    } else {
        human_view();
    }
}

void Renderer::object(const Json& data, const Json& envelope, const std::vector<Field>& field_list,
                      std::string_view quiet_pointer, std::string_view subject) {
    const auto& quiet = at_pointer(data, quiet_pointer);
    result(data, envelope, quiet.is_null() ? std::string{} : format(quiet, Kind::text), [&] {
        fields(data, field_list);
        next_steps(actions_of(envelope), subject);
    });
}

void Renderer::list(const Json& items, const Json& envelope, const std::vector<Column>& columns,
                    std::string_view quiet_pointer) {
    if (!m_jq && !m_settings.raw && m_settings.format == OutputFormat::ndjson) {
        if (items.is_array())
            for (const auto& item : items) emit_json(item, true);
        return;
    }
    if (m_jq || m_settings.raw || m_settings.format != OutputFormat::table) {
        machine(m_settings.raw ? envelope : items);
        return;
    }
    if (m_settings.quiet) {
        if (items.is_array())
            for (const auto& item : items) {
                const auto& v = at_pointer(item, quiet_pointer);
                if (!v.is_null()) line(format(v, Kind::text));
            }
        return;
    }
    table(items, columns);
    const auto& cursor = at_pointer(envelope, "/page/nextCursor");
    next_steps(actions_of(envelope), cursor.is_string() ? cursor.get<std::string>() : std::string{});
}

Renderer::ListStream::ListStream(Renderer& renderer, std::vector<Column> columns, std::string quiet_pointer)
    : m_renderer(&renderer),
      m_columns(select_columns(columns, renderer.m_settings)),
      m_quiet_pointer(std::move(quiet_pointer)) {}

Renderer::ListStream Renderer::stream_list(std::vector<Column> columns, std::string quiet_pointer) {
    return ListStream(*this, std::move(columns), std::move(quiet_pointer));
}

void Renderer::ListStream::page(const Json& items, const Json& envelope) {
    auto& r = *m_renderer;
    const auto& s = r.m_settings;
    static const Json no_items = Json::array();
    const Json& list = items.is_array() ? items : no_items;
    m_count += list.size();
    if (r.human()) {
        // Rows are held and printed as their cells, each computed once: not as JSON values.
        if (!m_widths.empty()) {
            m_cells.clear();
            r.append_cells(list, m_columns, m_cells);
            r.table_cells(m_cells, m_columns, m_widths, false);
            m_cells.clear();
        } else {
            r.append_cells(list, m_columns, m_cells);
            if (m_count >= lookahead_rows) {
                m_widths = widths();
                r.table_cells(m_cells, m_columns, m_widths, true);
                m_cells.clear();
            }
        }
    } else if (r.m_jq) {
        // jq sees the whole list as one array, as without --all.
        if (s.raw)
            m_pending.push_back(envelope);
        else
            for (const auto& item : list) m_pending.push_back(item);
        return;
    } else if (!s.raw && s.format == OutputFormat::table && s.quiet) {
        for (const auto& item : list) {
            const auto& v = at_pointer(item, m_quiet_pointer);
            if (!v.is_null()) r.line(r.format(v, Kind::text));
        }
    } else if (s.format == OutputFormat::ndjson) {
        if (s.raw)
            r.emit_json(envelope, true);
        else
            for (const auto& item : list) r.emit_json(item, true);
    } else {
        // One array, written as it grows: the same text as dump(whole array, 2) would give.
        auto add = [&](const Json& value) {
            std::string text = dump(value, 2);
            for (auto pos = text.find('\n'); pos != std::string::npos; pos = text.find('\n', pos + 3))
                text.insert(pos + 1, "  ");
            r.write(m_printed == 0 ? "[\n  " : ",\n  ");
            r.write(text);
            ++m_printed;
        };
        if (s.raw)
            add(envelope);
        else
            for (const auto& item : list) add(item);
    }
    r.flush();
}

void Renderer::ListStream::page_cells(const Cells& cells) {
    auto& r = *m_renderer;
    if (m_columns.empty()) return;
    m_count += cells.size() / m_columns.size();
    if (!m_widths.empty()) {
        r.table_cells(cells, m_columns, m_widths, false);
    } else {
        for (std::size_t k = 0; k < cells.size(); ++k) m_cells.push_back(cells[k]);
        if (m_count >= lookahead_rows) {
            m_widths = widths();
            r.table_cells(m_cells, m_columns, m_widths, true);
            m_cells.clear();
        }
    }
    r.flush();
}

std::vector<std::size_t> Renderer::ListStream::widths() const {
    auto widths = m_renderer->cell_widths(m_cells, m_columns);
    if (m_renderer->m_settings.width == 0 || m_renderer->m_settings.wide)
        for (std::size_t i = 0; i < widths.size(); ++i)
            widths[i] = std::max(widths[i], m_columns[i].min_width);
    return widths;
}

void Renderer::ListStream::finish() {
    if (m_finished) return;
    m_finished = true;
    auto& r = *m_renderer;
    const auto& s = r.m_settings;
    if (r.human()) {
        if (m_widths.empty()) {
            if (m_count == 0)
                r.hint(r.paint_stderr("(none)", Style::dim));
            else
                r.table_cells(m_cells, m_columns, widths(), true);
        }
    } else if (r.m_jq) {
        r.machine(m_pending);
    } else if ((!s.raw && s.format == OutputFormat::table && s.quiet) || s.format == OutputFormat::ndjson) {
        // one value per line: nothing to close
    } else {
        r.line(m_printed == 0 ? "[]" : "\n]");
    }
    m_pending = Json::array();
    m_cells.release();
    r.flush();
}

void Renderer::stream_item(const Json& value, std::string_view raw_text, std::string_view quiet_value,
                           const std::function<void()>& human_line) {
    if (m_jq) {
        machine(value);
    } else if (m_settings.format == OutputFormat::ndjson) {
        if (raw_text.empty())
            emit_json(value, true);
        else
            line(raw_text);
    } else if (m_settings.format == OutputFormat::json || m_settings.raw) {
        emit_json(value, false);
    } else if (m_settings.quiet) {
        if (!quiet_value.empty()) line(sanitize(quiet_value));
    } else {
        human_line();
    }
    flush();
}

void Renderer::heading(std::string_view text) {
    line(paint(sanitize(text), Style::bold));
}

void Renderer::fields(const Json& object, const std::vector<Field>& field_list) {
    std::size_t label_width = 0;
    for (const auto& f : field_list) label_width = std::max(label_width, display_width(f.label));
    std::string indent(label_width + 2, ' ');
    for (const auto& f : field_list) {
        const auto& value = at_pointer(object, f.pointer);
        std::string label = f.label + std::string(label_width - display_width(f.label), ' ');
        std::string text;
        if (f.kind == Kind::lines && value.is_array() && !value.empty()) {
            for (std::size_t i = 0; i < value.size(); ++i) {
                if (i > 0) text += "\n" + indent;
                text += "- " + format(value[i], Kind::text);
            }
        } else {
            text = text_of(value, f.kind, true);  // multi-line values keep their lines, indented
            for (auto pos = text.find('\n'); pos != std::string::npos; pos = text.find('\n', pos + 1))
                text.insert(pos + 1, indent);
            if (f.kind == Kind::status && value.is_string()) text = paint_status(text);
            if (f.kind == Kind::secret) text = paint(text, Style::bold);
        }
        line(paint(label, Style::bold) + "  " + text);
    }
}

std::string Renderer::cell(const Json& item, const Column& column) const {
    return format(at_pointer(item, column.pointer), column.kind);
}

void Renderer::append_cells(const Json& items, const std::vector<Column>& columns, Cells& out) const {
    if (!items.is_array()) return;
    for (const auto& item : items)
        for (const auto& c : columns) out.push_back(cell(item, c));
}

std::vector<std::size_t> Renderer::column_widths(const Json& items,
                                                 const std::vector<Column>& columns) const {
    Cells cells;
    append_cells(items, columns, cells);
    return cell_widths(cells, columns);
}

std::vector<std::size_t> Renderer::cell_widths(const Cells& cells, const std::vector<Column>& columns) const {
    std::vector<std::size_t> widths;
    for (const auto& c : columns) widths.push_back(display_width(c.header));
    if (!columns.empty())
        for (std::size_t k = 0; k < cells.size(); ++k) {
            auto& width = widths[k % columns.size()];
            width = std::max(width, display_width(cells[k]));
        }
    if (m_settings.width == 0 || m_settings.wide || columns.empty()) return widths;
    // On a terminal: fit the width, cutting and dropping columns by their priorities.
    std::vector<ColumnFit> fits;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const auto& c = columns[i];
        std::size_t least = c.least > 0 ? c.least : c.shrink ? 10 : widths[i];
        least = std::max(least, display_width(c.header));
        fits.push_back({widths[i], std::min(least, widths[i]), c.priority, c.droppable});
    }
    return fit_columns(fits, m_settings.width);
}

void Renderer::table_rows(const Json& items, const std::vector<Column>& columns,
                          const std::vector<std::size_t>& widths, bool header, bool /*clip_cells*/) {
    Cells cells;
    append_cells(items, columns, cells);
    table_cells(cells, columns, widths, header);
}

void Renderer::table_cells(const Cells& cells, const std::vector<Column>& columns,
                           const std::vector<std::size_t>& widths, bool header) {
    // On a terminal every cell keeps to its column's width (rows printed after the widths were fixed
    // included) and a dropped column (width 0) is left out; piped, nothing is cut (a wider cell only
    // pushes its own row out of line).
    const bool fit = m_settings.width > 0 && !m_settings.wide;
    std::vector<std::size_t> shown;
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (!fit || widths[i] > 0) shown.push_back(i);
    std::string row;
    std::string cut;
    // `cell(i)` is the text of column i in the row; header rows are bold, status cells coloured.
    auto emit_row = [&](const auto& cell, bool bold) {
        row.clear();
        for (std::size_t k = 0; k < shown.size(); ++k) {
            const auto i = shown[k];
            std::string_view text = cell(i);
            const bool last = k + 1 == shown.size();
            if (fit) {
                cut = truncate_cells(text, widths[i], columns[i].middle);
                text = cut;
            }
            const auto cells_used = display_width(text);
            const std::size_t pad = last || widths[i] <= cells_used ? 0 : widths[i] - cells_used;
            if (bold)
                row += paint(text, Style::bold);
            else if (columns[i].kind == Kind::status && m_settings.color)
                row += paint_status(text);
            else
                row += text;
            row.append(pad, ' ');
            if (!last) row += "  ";
        }
        if (fit)
            line(clip_line(row, m_settings.width));
        else
            line(row);
    };
    if (header) emit_row([&](std::size_t i) -> std::string_view { return columns[i].header; }, true);
    if (columns.empty()) return;
    for (std::size_t base = 0; base + columns.size() <= cells.size(); base += columns.size())
        emit_row([&](std::size_t i) -> std::string_view { return cells[base + i]; }, false);
}

void Renderer::table(const Json& items, const std::vector<Column>& columns) {
    if (!items.is_array() || items.empty()) {
        hint(paint_stderr("(none)", Style::dim));
        return;
    }
    auto shown = select_columns(columns, m_settings);
    table_rows(items, shown, column_widths(items, shown), true);
}

void Renderer::next_steps(const std::vector<std::string>& actions, std::string_view subject) {
    if (!hints_shown()) return;
    std::string text;
    for (const auto& a : actions) {
        auto command = describe_action(a, subject);
        if (!command.empty()) text += "  " + sanitize(command) + "\n";
    }
    if (text.empty()) return;
    hint("\n" + paint_stderr("Next steps:", Style::bold) + "\n" + text.substr(0, text.size() - 1));
}

bool Renderer::hints_shown() const {
    return m_settings.stdout_tty && m_settings.stderr_tty;
}

void Renderer::hint(std::string_view text) {
    if (!hints_shown()) return;
    if (m_paging) {  // the results may still be held for the pager: the hint follows them at end_page()
        m_held_hints.append(text).push_back('\n');
        return;
    }
    flush();  // after the results it belongs to
    std::fprintf(m_settings.err, "%.*s\n", static_cast<int>(text.size()), text.data());
    std::fflush(m_settings.err);
}

std::string Renderer::paint_stderr(std::string_view text, Style style) const {
    if (!m_settings.color_stderr || text.empty()) return std::string(text);
    const char* code = style == Style::bold ? "1" : style == Style::dim ? "2" : "0";
    return std::string("\x1b[") + code + "m" + std::string(text) + "\x1b[0m";
}

void Renderer::warn(std::string_view text) const {
    std::fflush(m_settings.out);
    std::string prefix = m_settings.color_stderr ? "\x1b[33mwarning:\x1b[0m " : "warning: ";
    std::fprintf(m_settings.err, "%s%s\n", prefix.c_str(), sanitize(text).c_str());
}

void Renderer::note(std::string_view text) const {
    if (m_settings.quiet) return;
    std::fprintf(m_settings.err, "%s\n", sanitize(text).c_str());
}

std::string Renderer::format(const Json& value, Kind kind) const {
    return text_of(value, kind, kind == Kind::lines);
}

std::string Renderer::text_of(const Json& value, Kind kind, bool keep_newlines) const {
    return sanitize(unsafe_text_of(value, kind), keep_newlines);
}

std::string Renderer::unsafe_text_of(const Json& value, Kind kind) const {
    if (value.is_null()) return "-";
    if (value.is_string()) {
        const auto& s = value.get_ref<const std::string&>();
        if (kind == Kind::time) return time(s);
        return s;
    }
    if (value.is_array() && kind == Kind::actions) {
        std::vector<std::string> actions;
        for (const auto& v : value) actions.push_back(v.is_string() ? v.get<std::string>() : dump(v, -1));
        std::string out;
        for (const auto& a : rank_actions(std::move(actions))) out += (out.empty() ? "" : ", ") + a;
        return out.empty() ? "-" : out;
    }
    if (value.is_array()) {
        if (value.empty()) return "-";
        std::string out;
        for (const auto& v : value) {
            if (!out.empty()) out += kind == Kind::lines ? "\n" : ", ";
            out += v.is_string() ? v.get<std::string>() : dump(v, -1);
        }
        return out;
    }
    return dump(value, -1);
}

std::string Renderer::time(std::string_view rfc3339) const {
    if (!m_settings.stdout_tty) return std::string(rfc3339);
    auto t = parse_rfc3339(rfc3339);
    if (!t) return std::string(rfc3339);
    auto now = std::chrono::system_clock::to_time_t(m_settings.now ? m_settings.now()
                                                                   : std::chrono::system_clock::now());
    long long diff = static_cast<long long>(now) - static_cast<long long>(*t);
    bool future = diff < 0;
    long long d = future ? -diff : diff;
    std::string amount;
    if (d < 10) return "just now";
    if (d < 60)
        amount = std::to_string(d) + "s";
    else if (d < 3600)
        amount = std::to_string(d / 60) + "m";
    else if (d < 86400)
        amount = std::to_string(d / 3600) + "h";
    else if (d < 30 * 86400)
        amount = std::to_string(d / 86400) + "d";
    else
        return std::string(rfc3339.substr(0, 10));
    return future ? "in " + amount : amount + " ago";
}

std::string Renderer::paint(std::string_view text, Style style) const {
    if (!m_settings.color || text.empty()) return std::string(text);
    const char* code = "0";
    switch (style) {
        case Style::bold:
            code = "1";
            break;
        case Style::dim:
            code = "2";
            break;
        case Style::red:
            code = "31";
            break;
        case Style::green:
            code = "32";
            break;
        case Style::yellow:
            code = "33";
            break;
        case Style::cyan:
            code = "36";
            break;
    }
    return std::string("\x1b[") + code + "m" + std::string(text) + "\x1b[0m";
}

std::string Renderer::paint_status(std::string_view status) const {
    static constexpr std::string_view good[] = {"passed", "approved", "done",    "succeeded", "active",
                                                "merged", "ok",       "created", "accepted",  "valid"};
    static constexpr std::string_view bad[] = {"failed",   "changes_requested", "blocked", "cancelled",
                                               "disabled", "revoked",           "rotated", "invalid"};
    static constexpr std::string_view busy[] = {"running",   "queued",  "in_progress",
                                                "in_review", "pending", "review_required"};
    auto in = [&](const auto& list) {
        return std::find(std::begin(list), std::end(list), status) != std::end(list);
    };
    if (in(good)) return paint(status, Style::green);
    if (in(bad)) return paint(status, Style::red);
    if (in(busy)) return paint(status, Style::yellow);
    return std::string(status);
}

}  // namespace agentrail::cli
