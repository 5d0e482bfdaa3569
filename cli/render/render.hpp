#pragma once
// All output of results goes through Renderer: tables for people, JSON for programs.
//
//   table   (default) aligned columns; colour only on a TTY (never with NO_COLOR, always with
//           CLICOLOR_FORCE); rows truncated to the terminal width only on a TTY; times relative on a TTY,
//           RFC 3339 as sent when piped; availableActions shown as "Next steps" (a hint: on stderr,
//           only when stdout and stderr are terminals).
//   json    the server's `data`, exactly (unknown fields kept), indented. --raw: the whole envelope.
//   ndjson  one compact JSON value per line; a list prints one item per line.
//   --jq    a jq program applied to what json would print; string results print raw, others compact.
//   --quiet only the essential value (an id, a status), one per line.
//
// Machine formats print the JSON untouched; the table view is built by the command from Field/Column
// descriptions (JSON pointers into `data`, spelled from model members with json_path<...>(),
// agentrail/models/field_path.hpp), so every format is driven by the same raw JSON.
// stdout is written through one buffer: flushed once at the end for single results, after every row
// or event for streams.

#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agentrail/models/field_path.hpp"
#include "deps.hpp"
#include "render/width.hpp"

namespace agentrail::cli {

class JqFilter;
using Json = nlohmann::json;

enum class OutputFormat { table, json, ndjson };

struct OutputSettings {
    OutputFormat format = OutputFormat::table;
    bool format_explicit = false;  // -o or --json was given (a stream may default to ndjson when piped)
    bool raw = false;              // --raw: the whole envelope instead of data
    bool quiet = false;
    std::string jq;  // --jq program ("" = none)
    bool stdout_tty = false;
    bool stderr_tty = false;
    bool color = false;                // colour on stdout
    bool color_stderr = false;         // colour on stderr
    std::size_t width = 0;             // terminal columns on a TTY, 0 = do not truncate
    std::size_t height = 0;            // terminal rows on a TTY (for the pager), 0 = unknown
    bool wide = false;                 // -o wide: every column, nothing dropped or cut
    std::vector<std::string> columns;  // --columns: these headers, in this order (empty = the default set)
    bool pager = false;                // long output on the TTY goes through the pager (see page_output)
    std::FILE* out = stdout;           // results
    std::FILE* err = stderr;           // hints, warnings, notes
    Deps::Clock now;                   // for relative times; empty: the system clock

    /// Detects TTYs, NO_COLOR / CLICOLOR_FORCE and the terminal width (COLUMNS, then ioctl).
    static OutputSettings detect();
    /// The same from `deps`: its terminal facts, environment, streams and clock.
    static OutputSettings detect(const Deps& deps);
};

/// How a value is shown in the table view.
enum class Kind {
    text,     // strings as they are; other JSON compact
    status,   // coloured by meaning (passed/approved/done green, failed/blocked red, running yellow)
    time,     // relative on a TTY ("3m ago"), as sent when piped
    list,     // array joined with ", "
    actions,  // availableActions joined with ", ", the most useful first (ship, submit ... view_* last)
    lines,    // array, one element per line (key/value view)
    secret,   // printed as is, in bold: only for values the user must copy now
};

/// One row of a key/value view: `pointer` is a JSON pointer into the object, e.g.
/// json_path<&TaskDetail::assignee, &TaskAssignee::name>() ("/assignee/name").
struct Field {
    std::string label;
    std::string pointer;
    Kind kind = Kind::text;
};

/// One column of a table: `pointer` is a JSON pointer into each item. A `shrink` column gives up width
/// when a row does not fit the terminal (put it last).
///
/// On a terminal (never when piped, never with -o wide) a table is fitted to the width (fit_columns):
/// columns are cut down to `least` cells (a `shrink` column without `least`: 10), then, while that is
/// still too wide, `droppable` columns are left out, the lowest `priority` first.
struct Column {
    std::string header;
    std::string pointer;
    Kind kind = Kind::text;
    bool shrink = false;
    /// Streamed tables (ListStream) printed to a pipe make the column at least this wide, so rows past the
    /// look-ahead still line up when their values grow (e.g. a key from DEMO-999 to DEMO-1000).
    std::size_t min_width = 0;
    int priority = 0;        // higher: kept longer, and first to get space back
    bool droppable = false;  // may be left out on a narrow terminal
    std::size_t least = 0;   // cut down to this many cells at most (0: `shrink` ? 10 : never cut)
    bool middle = false;     // cut in the middle, keeping both ends (ids)
    bool wide_only = false;  // shown only with -o wide or when --columns names it
};

/// Table cells, row after row, held in one string (a look-ahead of a thousand rows stays small).
class Cells {
public:
    std::size_t size() const { return m_ends.size(); }
    std::string_view operator[](std::size_t k) const {
        const std::size_t begin = k == 0 ? 0 : m_ends[k - 1];
        return std::string_view(m_text).substr(begin, m_ends[k] - begin);
    }
    void push_back(std::string_view cell) {
        m_text += cell;
        m_ends.push_back(m_text.size());
    }
    void clear() {
        m_text.clear();
        m_ends.clear();
    }
    void release() {
        m_text = {};
        m_ends = {};
    }

private:
    std::string m_text;
    std::vector<std::size_t> m_ends;
};

enum class Style { bold, dim, red, green, yellow, cyan };

class Renderer {
public:
    /// Compiles the --jq program (usage Failure when it does not compile).
    explicit Renderer(OutputSettings settings);
    ~Renderer();  // flushes stdout
    Renderer(const Renderer&) = delete;
    Renderer& operator=(const Renderer&) = delete;

    const OutputSettings& settings() const { return m_settings; }
    /// True when the table view is wanted: table format without --jq, --raw or --quiet.
    bool human() const;

    // ---- whole results -------------------------------------------------------------------------------
    /// The general form: machine formats print `data` (or `envelope` with --raw), --quiet prints
    /// `quiet_value` when it is not empty, and the table view calls `human_view`.
    void result(const Json& data, const Json& envelope, std::string_view quiet_value,
                const std::function<void()>& human_view);
    /// The same with a --quiet value of several lines (e.g. an id, then a secret), each printed on a line
    /// of its own (sanitized one by one: the newlines between them are not escaped as text).
    void result(const Json& data, const Json& envelope, const std::vector<std::string>& quiet_lines,
                const std::function<void()>& human_view);
    /// One object: the table view is `fields` then the envelope's availableActions as next steps for
    /// `subject` (the id the suggested commands use). `quiet_pointer` selects the --quiet value.
    void object(const Json& data, const Json& envelope, const std::vector<Field>& fields,
                std::string_view quiet_pointer, std::string_view subject = {});
    /// One page of a list: ndjson prints one item per line, --quiet the `quiet_pointer` of each item.
    void list(const Json& items, const Json& envelope, const std::vector<Column>& columns,
              std::string_view quiet_pointer);

    /// A list printed page by page as pages arrive (e.g. `tasks list --all`), as ONE document:
    ///   json    one array of every item, streamed: "[" first, items as they arrive, "]" in finish();
    ///           the text equals that of the whole array printed at once. --raw: an array of the envelopes.
    ///   --jq    the program runs once over that whole array (the items are collected for it).
    ///   ndjson  one item per line; --quiet one value per line.
    ///   table   column widths are measured over a bounded look-ahead (the first `lookahead_rows` rows,
    ///           or every row when there are fewer), so rows of later pages line up with the first.
    ///           Piped, a column is also at least its `min_width`, and nothing is cut: only a later cell
    ///           wider than both pushes its own row out of line. On a terminal later cells are clipped.
    /// Pages are flushed as they are printed, so memory stays flat (bounded by the look-ahead).
    class ListStream {
    public:
        void page(const Json& items, const Json& envelope);
        /// The table view (Renderer::human()) of a page given as its cells, one per column of columns(),
        /// row after row, as the items' cells would be (e.g. append_raw_cells).
        void page_cells(const Cells& cells);
        /// The columns shown (--columns, -o wide applied).
        const std::vector<Column>& columns() const { return m_columns; }
        /// Ends the document (closes the JSON array, prints buffered rows, runs --jq). Not called when a
        /// page failed, so a cut-off list is never made to look complete.
        void finish();
        /// Number of items received so far.
        std::size_t count() const { return m_count; }

        static constexpr std::size_t lookahead_rows = 1000;

    private:
        friend class Renderer;
        ListStream(Renderer& renderer, std::vector<Column> columns, std::string quiet_pointer);
        std::vector<std::size_t> widths() const;  // of the look-ahead rows in m_cells
        Renderer* m_renderer;
        std::vector<Column> m_columns;
        std::string m_quiet_pointer;
        std::vector<std::size_t> m_widths;  // empty until the look-ahead is measured
        Cells m_cells;                      // table: the look-ahead rows' cells, row after row
        Json m_pending = Json::array();     // --jq: every item (--raw: every envelope)
        std::size_t m_count = 0;
        std::size_t m_printed = 0;  // items written into the JSON array
        bool m_finished = false;
    };
    ListStream stream_list(std::vector<Column> columns, std::string quiet_pointer);

    /// One item of a live stream (an event). Machine formats print `value` (ndjson: `raw_text` verbatim
    /// when given, which keeps the server's bytes), --quiet prints `quiet_value`, the table view calls
    /// `human_line`. Flushed at once.
    void stream_item(const Json& value, std::string_view raw_text, std::string_view quiet_value,
                     const std::function<void()>& human_line);

    /// Prints a JSON value in the machine format (json, ndjson, --jq), whatever the table setting: for
    /// commands whose only output is JSON (e.g. `api`).
    void json(const Json& value);

    // ---- building blocks of table views (stdout) ----------------------------------------------------
    void heading(std::string_view text);
    /// Key/value rows for `fields` of `object` (missing or null values show "-").
    void fields(const Json& object, const std::vector<Field>& fields);
    /// An aligned table of `items` (a JSON array); when empty, the hint "(none)".
    void table(const Json& items, const std::vector<Column>& columns);
    /// The hint "Next steps:" followed by one suggested command per action (nothing when `actions` is
    /// empty).
    void next_steps(const std::vector<std::string>& actions, std::string_view subject);
    /// A hint for a person ("Next steps:", "(none)"): on stderr, after what stdout holds so far, and only
    /// when stdout and stderr are both terminals, so piped stdout holds data only (gh's rule).
    void hint(std::string_view text);
    bool hints_shown() const;
    /// One line of text (a newline is added).
    void line(std::string_view text);
    /// Raw bytes to stdout, through the buffer.
    void write(std::string_view bytes);
    void flush();

    // ---- pager ----------------------------------------------------------------------------------------
    /// Long output of this command goes through a pager when stdout is a terminal, the table view is
    /// printed and --no-pager was not given (as gh does): the output is held until it is longer than the
    /// screen, then the pager starts and gets it all; shorter output is printed as usual at end_page().
    /// The pager is AGENTRAIL_PAGER, else PAGER, else `less -FRX` (LESS=FRX when LESS is unset); "" or
    /// "cat" means none. Quitting the pager early ends the output quietly.
    void page_output();
    /// Ends paged output: prints what is held, or closes the pager and waits for it. Called once the
    /// command's output is complete (Context::flush()).
    void end_page();

    // ---- stderr -----------------------------------------------------------------------------------------
    /// "warning: <text>" on stderr (shown even with --quiet).
    void warn(std::string_view text) const;
    /// A progress or status note on stderr; suppressed by --quiet.
    void note(std::string_view text) const;

    // ---- formatting -------------------------------------------------------------------------------------
    /// Cell text for a value of the given kind (no colour), made safe for a terminal (sanitize()).
    std::string format(const Json& value, Kind kind) const;
    /// Relative time on a TTY ("3m ago", "in 2h"), the text as sent otherwise.
    std::string time(std::string_view rfc3339) const;
    /// `text` in `style` when colour is on for stdout.
    std::string paint(std::string_view text, Style style) const;
    /// `text` in `style` (bold or dim) when colour is on for stderr.
    std::string paint_stderr(std::string_view text, Style style) const;
    /// A status word coloured by its meaning when colour is on.
    std::string paint_status(std::string_view status) const;

private:
    void machine(const Json& value);
    /// Starts the pager when the held output would not fit the screen; true when it decided (a pager
    /// started, or none is available). `final`: the output is complete (short output is then printed).
    bool start_pager(bool final);
    void emit_json(const Json& value, bool compact);
    void table_rows(const Json& items, const std::vector<Column>& columns,
                    const std::vector<std::size_t>& widths, bool header, bool clip_cells = false);
    std::vector<std::size_t> column_widths(const Json& items, const std::vector<Column>& columns) const;
    /// Appends the cells of each item of `items` (an array), one per column, row after row.
    void append_cells(const Json& items, const std::vector<Column>& columns, Cells& out) const;
    /// Column widths of rows held as cells (append_cells), fitted to a terminal.
    std::vector<std::size_t> cell_widths(const Cells& cells, const std::vector<Column>& columns) const;
    /// Prints rows held as cells (append_cells), the header first when asked.
    void table_cells(const Cells& cells, const std::vector<Column>& columns,
                     const std::vector<std::size_t>& widths, bool header);
    std::string cell(const Json& item, const Column& column) const;
    std::string text_of(const Json& value, Kind kind, bool keep_newlines) const;
    std::string unsafe_text_of(const Json& value, Kind kind) const;  // as sent: only via text_of()

    OutputSettings m_settings;
    std::unique_ptr<JqFilter> m_jq;
    std::string m_buffer;
    bool m_output_failed = false;
    bool m_paging = false;         // holding output for the pager
    std::string m_held_hints;      // hints given while paging: printed after the paged output
    std::FILE* m_pager = nullptr;  // the running pager's stdin
    bool m_pager_closed = false;   // the pager quit before the end of the output
};

/// A write to stdout failed with `error` (errno): EPIPE ends the process as SIGPIPE does (status 141,
/// quietly); anything else throws a Failure "cannot write output: ..." (exit 1).
[[noreturn]] void throw_output_error(int error);

/// Suggested command for one availableActions entry: "submit" with subject tsk_1 gives
/// "agentrail task submit tsk_1 --summary ..."; unknown actions are returned as they are.
std::string describe_action(std::string_view action, std::string_view subject);
/// availableActions of an envelope, then those of envelope.data, without duplicates.
std::vector<std::string> actions_of(const Json& envelope);
/// Value at a JSON pointer, or null when absent (never throws).
const Json& at_pointer(const Json& value, std::string_view pointer);
/// The string at a JSON pointer; empty when it is absent or not a string.
std::string string_at(const Json& value, std::string_view pointer);
/// `items` with `separator` between them.
std::string join(const std::vector<std::string>& items, std::string_view separator = " ");
/// `actions` ordered by usefulness for a NEXT column: lifecycle moves (ship, submit, start, ...) first,
/// reads (view_*, get_*) last; otherwise in the order given.
std::vector<std::string> rank_actions(std::vector<std::string> actions);
/// The columns a table shows: with --columns, those named (case-insensitive, in that order; a usage
/// Failure names the choices for an unknown one); else every column but the wide-only ones, or all with
/// -o wide.
std::vector<Column> select_columns(const std::vector<Column>& columns, const OutputSettings& settings);

}  // namespace agentrail::cli
