#include "commands/list_all.hpp"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "agentrail/errors.hpp"
#include "agentrail/json.hpp"
#include "agentrail/raw_task_page.hpp"
#include "context.hpp"
#include "render/raw_cells.hpp"
#include "render/raw_stream.hpp"

namespace agentrail::cli {
namespace {

/// The pages fetched ahead of the writer: one slot, filled by the fetch thread, emptied by the writer.
class PageQueue {
public:
    /// Fetch side: waits for the slot to be free. False when the writer has stopped.
    bool put(RawTaskPage& page) {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return !m_slot || m_stopped; });
        if (m_stopped) return false;
        m_slot = std::move(page);
        m_changed.notify_all();
        return true;
    }
    /// Fetch side: no more pages (`error` when the fetch failed).
    void close(std::exception_ptr error) {
        std::lock_guard lock(m_mutex);
        m_closed = true;
        m_error = std::move(error);
        m_changed.notify_all();
    }
    /// Writer side: the next page, or nothing once the fetch side closed and the slot is empty.
    std::optional<RawTaskPage> take() {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_slot || m_closed; });
        std::optional<RawTaskPage> page = std::move(m_slot);
        m_slot.reset();
        m_changed.notify_all();
        return page;
    }
    /// Writer side: stop the fetch side (after an error while writing).
    void stop() {
        std::lock_guard lock(m_mutex);
        m_stopped = true;
        m_changed.notify_all();
    }
    std::exception_ptr error() {
        std::lock_guard lock(m_mutex);
        return m_error;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::optional<RawTaskPage> m_slot;
    bool m_closed = false;
    bool m_stopped = false;
    std::exception_ptr m_error;
};

/// Writes raw items: one per line (ndjson) or as one indented array (json), one write per page.
class RawItemWriter {
public:
    RawItemWriter(Renderer& out, bool ndjson) : m_out(out), m_ndjson(ndjson) {}

    void page(const RawTaskPage& page) {
        m_text.clear();
        for (std::size_t i = 0; i < page.size(); ++i) {
            const auto item = page.item(i);
            if (m_ndjson) {
                if (page.compact)
                    m_text.append(item);
                else
                    append_compact_json(m_text, item);
                m_text += '\n';
            } else {
                m_text.append(m_count == 0 ? "[\n  " : ",\n  ");
                append_indented_json(m_text, item, 2);
            }
            ++m_count;
        }
        m_out.write(m_text);
        m_out.flush();
    }
    void finish() {
        if (!m_ndjson) m_out.line(m_count == 0 ? "[]" : "\n]");
        m_out.flush();
    }

private:
    Renderer& m_out;
    bool m_ndjson;
    std::size_t m_count = 0;
    std::string m_text;
};

bool raw_items_wanted(const OutputSettings& s) {
    return s.jq.empty() && !s.raw && (s.format == OutputFormat::ndjson || s.format == OutputFormat::json);
}

}  // namespace

bool print_raw_task_page(Context& ctx, const ListTasksOptions& options) {
    auto& out = ctx.out();
    if (!raw_items_wanted(out.settings())) return false;
    RawItemWriter writer(out, out.settings().format == OutputFormat::ndjson);
    ctx.client().for_each_raw_task_page(options, [&](RawTaskPage& page) {
        writer.page(page);
        return false;  // this page only
    });
    writer.finish();
    return true;
}

void list_all_tasks(Context& ctx, const ListTasksOptions& options, const std::vector<Column>& columns,
                    const std::string& quiet_pointer) {
    auto& out = ctx.out();
    auto& client = ctx.client();
    const auto& s = out.settings();
    const bool raw_items = raw_items_wanted(s);

    Context::InterruptScope interruptible;
    PageQueue queue;
    // Only the fetch thread uses the client (and, through its log handler, the logger) until it is joined.
    std::thread fetcher([&] {
        std::exception_ptr error;
        try {
            client.for_each_raw_task_page(
                options, [&](RawTaskPage& page) { return queue.put(page) && !Context::interrupted(); });
        } catch (...) {
            error = std::current_exception();
        }
        queue.close(error);
    });
    try {
        if (raw_items) {
            RawItemWriter writer(out, s.format == OutputFormat::ndjson);
            while (auto page = queue.take()) writer.page(*page);
            if (auto error = queue.error()) std::rethrow_exception(error);
            writer.finish();
        } else {
            auto stream = out.stream_list(columns, quiet_pointer);
            // A table needs a few members of each item: only those are read, straight into the cells (most
            // of the time went to parsing whole pages into values).
            bool members_only = out.human();
            for (const auto& c : stream.columns())
                if (c.pointer.size() < 2 || c.pointer[0] != '/') members_only = false;
            const auto keys = members_only ? member_keys(stream.columns()) : std::vector<std::string>{};
            Cells cells;
            while (auto page = queue.take()) {
                if (members_only) {
                    cells.clear();
                    for (std::size_t i = 0; i < page->size(); ++i)
                        append_raw_cells(out, page->item(i), stream.columns(), keys, cells);
                    stream.page_cells(cells);
                    continue;
                }
                // Already checked to be JSON with a "data" array by the fetch side's scan.
                const Json envelope = agentrail::parse_json(page->body);
                const auto data = envelope.find("data");
                stream.page(data == envelope.end() ? Json::array() : *data, envelope);
            }
            if (auto error = queue.error()) std::rethrow_exception(error);
            stream.finish();
        }
    } catch (...) {
        queue.stop();
        fetcher.join();
        throw;
    }
    fetcher.join();
}

}  // namespace agentrail::cli
