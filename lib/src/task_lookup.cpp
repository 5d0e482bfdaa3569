#include "agentrail/task_lookup.hpp"

#include <algorithm>
#include <cctype>

#include "agentrail/models/task.hpp"
#include "agentrail/response.hpp"

namespace agentrail {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// The part of an identifier after its last ':' or '/' ("ENG-1" of "linear:acme:issues/ENG-1").
std::string_view last_segment(std::string_view identifier) {
    auto pos = identifier.find_last_of(":/");
    return pos == std::string_view::npos ? identifier : identifier.substr(pos + 1);
}

/// "DEMO" of "DEMO-12": the project part of a key, to suggest keys of the same project.
std::string_view project_of(std::string_view key) {
    auto segment = last_segment(key);
    auto dash = segment.find_last_of('-');
    return dash == std::string_view::npos ? segment : segment.substr(0, dash);
}

}  // namespace

bool is_task_id(std::string_view text) noexcept {
    if (text.size() <= 4 || text.substr(0, 4) != "tsk_") return false;
    return std::all_of(text.begin() + 4, text.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

TaskKeyLookup find_task_by_key(Client& client, std::string_view key) {
    TaskKeyLookup result;
    const auto wanted = lower(key);
    const auto wanted_project = lower(project_of(key));
    std::vector<TaskKeyMatch> loose, close;
    ListTasksOptions options;
    options.limit = 100;  // fewest pages
    client.for_each_task_page(options, [&](const TaskPage& page) {
        for (const auto& t : page.data) {
            TaskKeyMatch match{t.id, t.identifier, t.title};
            if (t.identifier == key) {
                result.task = std::move(match);
                return false;  // found: the pages after this one are not read
            }
            if (lower(t.identifier) == wanted || lower(last_segment(t.identifier)) == wanted)
                loose.push_back(std::move(match));
            else if (close.size() < 5 && !wanted_project.empty() &&
                     lower(project_of(t.identifier)) == wanted_project)
                close.push_back(std::move(match));
        }
        return true;
    });
    if (result.task) return result;
    if (loose.size() == 1) {
        result.task = std::move(loose.front());
    } else if (loose.size() > 1) {
        result.ambiguous = true;
        result.candidates = std::move(loose);
    } else {
        result.candidates = std::move(close);
    }
    return result;
}

}  // namespace agentrail
