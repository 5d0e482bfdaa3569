#include "help_format.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

#include "exit_codes.hpp"
#include "help_meta.hpp"
#include "suggest.hpp"

namespace agentrail::cli {
namespace {

const CLI::App* root_of(const CLI::App* app) {
    while (app->get_parent() != nullptr) app = app->get_parent();
    return app;
}

std::string parent_name(const CLI::App* app) {
    const CLI::App* parent = app->get_parent();
    return parent == nullptr || parent->get_parent() == nullptr ? std::string() : parent->get_name();
}

std::vector<const CLI::App*> visible_subcommands(const CLI::App* app) {
    std::vector<const CLI::App*> out;
    for (const CLI::App* sub :
         app->get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); }))
        out.push_back(sub);
    return out;
}

std::vector<const CLI::Option*> positionals(const CLI::App* app) {
    return app->get_options(
        [](const CLI::Option* opt) { return !opt->nonpositional() && !opt->get_group().empty(); });
}

}  // namespace

std::string command_path(const CLI::App* app) {
    std::string path = app->get_name();
    for (const CLI::App* p = app->get_parent(); p != nullptr; p = p->get_parent())
        path = p->get_name() + " " + path;
    return path;
}

std::string help_text(const CLI::App* app) {
    return app->get_formatter()->make_help(app, command_path(app), CLI::AppFormatMode::Normal);
}

std::string HelpFormatter::make_usage(const CLI::App* app, std::string name) const {
    std::string usage = "Usage: " + name;
    if (!visible_subcommands(app).empty()) {
        usage += " COMMAND";
    } else {
        for (const CLI::Option* p : positionals(app)) {
            auto shown = positional_display_name(parent_name(app), p->get_name(true));
            if (p->get_expected_max() > 1) shown += "...";
            usage += p->get_required() ? " " + shown : " [" + shown + "]";
        }
    }
    usage += " [flags]";
    return usage + "\n";
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string name, CLI::AppFormatMode mode) const {
    if (mode == CLI::AppFormatMode::Sub) return make_expanded(app);
    const bool is_root = app->get_parent() == nullptr;
    const std::string path = is_root ? app->get_name() : command_path(app);
    const auto subs = visible_subcommands(app);
    std::ostringstream out;
    if (!app->get_description().empty()) out << app->get_description() << "\n\n";
    out << make_usage(app, path);
    if (!app->get_aliases().empty()) {
        out << "\nAliases: ";
        for (std::size_t i = 0; i < app->get_aliases().size(); ++i)
            out << (i ? ", " : "") << app->get_aliases()[i];
        out << "\n";
    }

    if (!subs.empty()) {
        if (is_root) {
            std::vector<const CLI::App*> shown;
            auto print_group = [&](const std::string& title, const std::vector<const CLI::App*>& list) {
                if (list.empty()) return;
                out << "\n" << title << ":\n";
                for (const CLI::App* sub : list) {
                    out << make_subcommand(sub);
                    shown.push_back(sub);
                }
            };
            for (const auto& group : command_groups()) {
                std::vector<const CLI::App*> list;
                for (const auto& command : group.commands)
                    for (const CLI::App* sub : subs)
                        if (sub->get_name() == command) list.push_back(sub);
                print_group(group.title, list);
            }
            std::vector<const CLI::App*> rest;
            for (const CLI::App* sub : subs)
                if (std::find(shown.begin(), shown.end(), sub) == shown.end()) rest.push_back(sub);
            print_group("Other commands", rest);
        } else {
            out << "\nCommands:\n";
            for (const CLI::App* sub : subs) out << make_subcommand(sub);
        }
    }

    auto ps = positionals(app);
    if (!ps.empty()) {
        out << "\nArguments:\n";
        for (const CLI::Option* p : ps)
            CLI::detail::format_help(out, positional_display_name(parent_name(app), p->get_name(true)),
                                     p->get_description() + (p->get_required() ? " (required)" : ""),
                                     get_column_width());
    }

    // The command's own flags; at the top level they are the global flags, by group.
    const CLI::Option* help = app->get_help_ptr();
    auto own = app->get_options([&](const CLI::Option* opt) {
        return opt->nonpositional() && !opt->get_group().empty() && opt != help;
    });
    if (is_root) {
        for (const std::string& group : app->get_groups()) {
            std::vector<const CLI::Option*> in_group;
            for (const CLI::Option* opt : own)
                if (opt->get_group() == group) in_group.push_back(opt);
            if (in_group.empty()) continue;
            out << make_group(group == "Options" ? std::string("Flags") : "Global flags (" + group + ")",
                              false, in_group);
        }
    } else if (!own.empty()) {
        out << make_group("Flags", false, own);
    }
    if (!is_root && subs.empty() && takes_output_flags(path)) {
        auto output =
            root_of(app)->get_options([](const CLI::Option* opt) { return opt->get_group() == "Output"; });
        if (!output.empty()) out << make_group("Global flags", false, output);
    }

    const auto& examples = examples_for(path);
    if (!examples.empty()) {
        out << "\nExamples:\n";
        for (const auto& example : examples) {
            std::string text = "  $ " + example;
            for (auto pos = text.find('\n'); pos != std::string::npos; pos = text.find('\n', pos + 1))
                text.insert(pos + 1, "  ");
            out << text << "\n";
        }
    }

    out << "\n";
    if (!app->get_footer().empty() && app->get_footer() != root_of(app)->get_footer())
        out << app->get_footer() << "\n\n";
    if (is_root || !subs.empty())
        out << "Learn more: agentrail help "
            << (is_root ? "COMMAND" : path.substr(path.find(' ') + 1) + " COMMAND") << ". ";
    else
        out << "Connection and logging flags: agentrail --help. ";
    out << "Exit codes: agentrail exit-codes.\n";
    (void)name;
    return out.str();
}

}  // namespace agentrail::cli

namespace agentrail::cli {

Failure unknown_command(const CLI::App* at, const std::string& word,
                        const std::function<std::string(const std::string&)>& corrected) {
    std::vector<std::string> names;
    for (const CLI::App* sub : visible_subcommands(at)) {
        names.push_back(sub->get_name());
        for (const auto& alias : sub->get_aliases()) names.push_back(alias);
    }
    auto matches = suggest(word, names);
    // An alias and its command are one suggestion: keep the first name met.
    std::vector<std::string> distinct;
    for (const auto& m : matches) {
        const CLI::App* sub = at->get_subcommand(m);
        bool seen = false;
        for (const auto& d : distinct) seen = seen || at->get_subcommand(d) == sub;
        if (!seen) distinct.push_back(m);
    }
    const std::string path = command_path(at);
    std::string message =
        "`" + word + "` is not " +
        (at->get_parent() == nullptr ? "an agentrail command" : "a command of `" + path + "`");
    std::vector<std::string> next;
    if (!distinct.empty()) {
        message += ". Did you mean " + quote_alternatives(distinct) + "?";
        for (const auto& d : distinct) next.push_back(corrected ? corrected(d) : path + " " + d);
    } else {
        next.push_back(at->get_parent() == nullptr ? std::string("agentrail --help")
                                                   : "agentrail help " + path.substr(path.find(' ') + 1));
    }
    return Failure(exit_code::usage, "unknown_command", message, next);
}

const CLI::App* find_command(const CLI::App* root, const std::vector<std::string>& words) {
    const CLI::App* at = root;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const CLI::App* next = nullptr;
        for (const CLI::App* sub : at->get_subcommands([](const CLI::App*) { return true; }))
            if (sub->check_name(words[i])) next = sub;
        if (next == nullptr) {
            throw unknown_command(at, words[i], [&](const std::string& replacement) {
                std::string line = "agentrail help";
                for (std::size_t j = 0; j < words.size(); ++j)
                    line += " " + (j == i ? replacement : words[j]);
                return line;
            });
        }
        at = next;
    }
    return at;
}

}  // namespace agentrail::cli
