#include "command_tree.hpp"

#include <CLI/CLI.hpp>

#include "help_meta.hpp"

namespace agentrail::cli {
namespace {

/// Splits CLI11's full type name ("TEXT:{table,json,ndjson}") into the value name and IsMember choices.
void parse_type_name(const std::string& full, OptionInfo& info) {
    auto colon = full.find(':');
    info.value_name = full.substr(0, colon);
    if (colon == std::string::npos) return;
    auto open = full.find('{', colon);
    auto close = full.find('}', open);
    if (open == std::string::npos || close == std::string::npos || open != colon + 1) return;
    std::string list = full.substr(open + 1, close - open - 1);
    std::size_t pos = 0;
    while (pos <= list.size()) {
        auto comma = list.find(',', pos);
        if (comma == std::string::npos) comma = list.size();
        if (comma > pos) info.choices.push_back(list.substr(pos, comma - pos));
        pos = comma + 1;
    }
}

CommandInfo describe(const CLI::App& app, const std::string& path, const std::string& parent) {
    CommandInfo info;
    info.name = app.get_name();
    info.path = path;
    info.aliases = app.get_aliases();
    info.description = app.get_description();
    info.footer = app.get_footer();
    const CLI::Option* help = app.get_help_ptr();
    const CLI::Option* help_all = app.get_help_all_ptr();
    for (const CLI::Option* opt : app.get_options()) {
        if (opt == help || opt == help_all || opt->get_group().empty()) continue;
        if (!opt->nonpositional()) {
            info.positionals.push_back({opt->get_name(true),
                                        positional_display_name(parent, opt->get_name(true)),
                                        opt->get_description(), opt->get_required()});
            continue;
        }
        OptionInfo o;
        for (const auto& s : opt->get_snames()) o.names.push_back("-" + s);
        for (const auto& l : opt->get_lnames()) o.names.push_back("--" + l);
        auto type_name = opt->get_type_name();  // empty for flags
        o.takes_value = !type_name.empty() && opt->get_type_size_max() > 0;
        if (o.takes_value) parse_type_name(type_name, o);
        o.description = opt->get_description();
        o.default_value = opt->get_default_str();
        o.required = opt->get_required();
        o.repeatable = o.takes_value && opt->get_expected_max() > 1;
        info.options.push_back(std::move(o));
    }
    for (const CLI::App* sub :
         app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); })) {
        info.subcommands.push_back(
            describe(*sub, path + " " + sub->get_name(), app.get_parent() == nullptr ? "" : app.get_name()));
    }
    info.examples = examples_for(path);
    if (app.get_parent() != nullptr && app.get_parent()->get_parent() == nullptr)
        info.group = group_of(info.name);
    return info;
}

void collect(const CommandInfo& command, std::vector<const CommandInfo*>& out) {
    out.push_back(&command);
    for (const auto& sub : command.subcommands) collect(sub, out);
}

}  // namespace

CommandInfo describe_command_tree(const CLI::App& app) {
    return describe(app, app.get_name(), "");
}

std::vector<const CommandInfo*> flatten(const CommandInfo& root) {
    std::vector<const CommandInfo*> out;
    collect(root, out);
    return out;
}

}  // namespace agentrail::cli
