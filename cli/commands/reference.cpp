// `agentrail help reference` and `agentrail help man` (hidden): the command reference in Markdown
// (docs/commands.md) and the man page in roff (docs/agentrail.1), both generated from the command tree so
// they cannot drift from the parser (a test compares the checked-in files with this output).

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "command_tree.hpp"
#include "commands/help.hpp"
#include "commands/run.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "help_meta.hpp"
#include "render/render.hpp"

namespace agentrail::cli {
namespace {

std::string option_label(const OptionInfo& o) {
    std::string label = join(o.names, ", ");
    if (o.takes_value)
        label += " " + (o.choices.empty() ? (o.value_name.empty() ? std::string("VALUE") : o.value_name)
                                          : join(o.choices, "|"));
    return label;
}

std::string option_notes(const OptionInfo& o) {
    std::string notes;
    if (o.required) notes += " (required)";
    if (o.repeatable) notes += " (repeatable)";
    if (!o.default_value.empty()) notes += " (default: " + o.default_value + ")";
    return notes;
}

/// The same usage line as --help prints (help_format.cpp).
std::string usage(const CommandInfo& c) {
    std::string u = c.path;
    if (!c.subcommands.empty())
        u += " COMMAND";
    else
        for (const auto& p : c.positionals)
            u += p.required ? " " + p.display_name : " [" + p.display_name + "]";
    return u + " [flags]";
}

constexpr const char* other_commands = "Other commands";

/// The help groups that hold a top-level command, in help order, then "Other commands" if any is left.
std::vector<std::string> top_level_titles(const CommandInfo& root) {
    std::vector<std::string> titles;
    for (const auto& group : command_groups())
        for (const auto& top : root.subcommands)
            if (top.group == group.title) {
                titles.push_back(group.title);
                break;
            }
    for (const auto& top : root.subcommands)
        if (top.group.empty()) {
            titles.push_back(other_commands);
            break;
        }
    return titles;
}

// ---- Markdown -------------------------------------------------------------------------------------------

std::string md_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += ' ';
        else
            out += c;
    }
    return out;
}

void md_options(std::string& s, const std::vector<OptionInfo>& options) {
    if (options.empty()) return;
    s += "| Option | Description |\n|---|---|\n";
    for (const auto& o : options)
        s +=
            "| `" + md_escape(option_label(o)) + "` | " + md_escape(o.description + option_notes(o)) + " |\n";
    s += "\n";
}

std::string markdown(const CommandInfo& root) {
    std::string s;
    s += "# agentrail command reference\n\n";
    s += "Generated from the command tree by `agentrail help reference`: do not edit by hand (a test checks "
         "that\n"
         "this file matches the binary). Every command also accepts `-h, --help`. Exit codes: "
         "[exit-codes.md](exit-codes.md).\n\n";
    s += "```\n" + usage(root) + "\n```\n\n" + root.description + "\n\n";
    s += "## Global options\n\nAccepted before or after the command.\n\n";
    md_options(s, root.options);
    s += "## Commands\n\n";
    auto all = flatten(root);
    auto link = [](const CommandInfo& c) {
        std::string anchor;
        for (char ch : c.path) anchor += ch == ' ' ? '-' : ch;
        return "- [`" + c.path + "`](#" + anchor + "): " + md_escape(c.description) + "\n";
    };
    for (const auto& title : top_level_titles(root)) {
        s += "### " + title + "\n\n";
        for (const auto& top : root.subcommands) {
            if (top.group != title && !(title == other_commands && top.group.empty())) continue;
            for (const auto* c : flatten(top)) s += link(*c);
        }
        s += "\n";
    }
    for (const auto* c : all) {
        if (c == &root) continue;
        s += "## " + c->path + "\n\n" + c->description + "\n\n";
        s += "```\n" + usage(*c) + "\n```\n\n";
        if (!c->aliases.empty()) s += "Alias: `" + join(c->aliases, "`, `") + "`.\n\n";
        if (!c->positionals.empty()) {
            s += "| Argument | Description |\n|---|---|\n";
            for (const auto& p : c->positionals)
                s += "| `" + p.display_name + "` | " + md_escape(p.description) +
                     (p.required ? " (required)" : "") + " |\n";
            s += "\n";
        }
        md_options(s, c->options);
        if (!c->subcommands.empty()) {
            s += "Commands:";
            for (const auto& sub : c->subcommands) s += " `" + sub.name + "`";
            s += "\n\n";
        }
        if (!c->footer.empty()) s += c->footer + "\n\n";
        if (!c->examples.empty()) {
            s += "Examples:\n\n```\n";
            for (const auto& example : c->examples) s += "$ " + example + "\n";
            s += "```\n\n";
        }
    }
    s += "## Exit codes\n\n| Code | Name | Meaning |\n|---|---|---|\n";
    for (const auto& e : exit_code_table)
        s += "| " + std::to_string(e.code) + " | `" + e.name + "` | " + md_escape(e.meaning) + " |\n";
    return s;
}

// ---- roff (man 7 man) ----------------------------------------------------------------------------------

std::string roff(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\\')
            out += "\\e";
        else if (c == '-')
            out += "\\-";
        else if (c == '\n')
            out += ' ';
        else
            out += c;
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
    return out;
}

/// roff() for a preformatted (.nf) block: each line escaped on its own, the line breaks kept.
std::string roff_lines(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        out += (start == 0 ? "" : "\n") + roff(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

void man_options(std::string& s, const std::vector<OptionInfo>& options) {
    for (const auto& o : options) {
        s += ".TP\n\\fB" + roff(join(o.names, ", ")) + "\\fR";
        if (o.takes_value)
            s += " \\fI" +
                 roff(o.choices.empty() ? (o.value_name.empty() ? std::string("VALUE") : o.value_name)
                                        : join(o.choices, "|")) +
                 "\\fR";
        s += "\n" + roff(o.description + option_notes(o)) + "\n";
    }
}

/// The man page's EXAMPLES: what a session with a real server looks like, one step per entry.
const std::vector<std::pair<std::string, std::string>> man_examples = {
    {"Point agentrail at a server and store the key, checked with the server first (prompted for with the "
     "input hidden, or read from a pipe):",
     "agentrail login --base-url https://agentrail.example.com\n"
     "printf '%s' \"$KEY\" | agentrail login --profile ci --base-url https://agentrail.example.com"},
    {"List your tasks, then only the ones in progress as JSON for jq:",
     "agentrail tasks list\nagentrail tasks list --status in_progress --json | jq -r '.[].identifier'"},
    {"Start a task, submit its pull request, wait for CI and ship:",
     "agentrail task start TASK\n"
     "agentrail task submit TASK --mode artifact --summary \"Tests pass.\" \\\n"
     "    --artifact pull_request=https://github.com/acme/app/pull/42\n"
     "agentrail task wait TASK --until action=ship --timeout 30m\n"
     "agentrail task ship TASK --mode merge_and_deploy"},
    {"Follow lifecycle events as NDJSON, resuming after a restart:",
     "agentrail events tail -o ndjson --state-file ~/.cache/agentrail-tail.state"},
    {"Verify a webhook delivery's signature (secret read from a file):",
     "agentrail webhook verify --secret-file secret.txt --signature \"$SIG\" --body-file body.json"},
};

std::string man_page(const CommandInfo& root) {
    std::string s;
    s += ".\\\" Generated by `agentrail help man`: do not edit by hand.\n";
    s += ".TH AGENTRAIL 1 \"" AGENTRAIL_CLI_RELEASE_DATE "\" \"agentrail " AGENTRAIL_CLI_VERSION
         "\" \"User Commands\"\n";
    s += ".SH NAME\nagentrail \\- the AgentRail Task Lifecycle API from the command line\n";
    s += ".SH SYNOPSIS\n.B agentrail\n[\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR] "
         "[\\fIARGS\\fR]\n";
    s += ".SH DESCRIPTION\n" + roff(root.description) + "\n.PP\n";
    s += "Results go to standard output (tables on a terminal, JSON with \\fB\\-\\-json\\fR, \\fB\\-o "
         "ndjson\\fR or "
         "\\fB\\-\\-jq\\fR); diagnostics go to standard error. Every command accepts \\fB\\-h\\fR, "
         "\\fB\\-\\-help\\fR.\n";
    s += ".SH GLOBAL OPTIONS\nAccepted before or after the command.\n";
    man_options(s, root.options);
    s += ".SH COMMANDS\n";
    for (const auto* c : flatten(root)) {
        if (c == &root) continue;
        s += ".SS \"" + roff(usage(*c)) + "\"\n" + roff(c->description) + "\n";
        if (!c->aliases.empty()) s += "Alias: \\fB" + roff(join(c->aliases, ", ")) + "\\fR.\n";
        for (const auto& p : c->positionals)
            s += ".TP\n\\fI" + roff(p.display_name) + "\\fR\n" + roff(p.description) + "\n";
        man_options(s, c->options);
        if (!c->footer.empty()) s += ".PP\n" + roff(c->footer) + "\n";
        if (!c->examples.empty()) {
            s += ".PP\nExamples:\n.PP\n.RS 4\n.nf\n";
            for (const auto& example : c->examples) s += roff_lines("$ " + example) + "\n";
            s += ".fi\n.RE\n";
        }
    }
    s += ".SH EXIT STATUS\n";
    for (const auto& e : exit_code_table)
        s += ".TP\n\\fB" + std::to_string(e.code) + "\\fR (" + roff(e.name) + ")\n" + roff(e.meaning) + "\n";
    s += ".SH ENVIRONMENT\n";
    s += ".TP\n\\fBAGENTRAIL_BASE_URL\\fR\nAPI base URL (default http://127.0.0.1:3000).\n";
    s += ".TP\n\\fBAGENTRAIL_API_KEY\\fR\nThe API key (no flag takes the key itself).\n";
    s += ".TP\n\\fBAGENTRAIL_PROFILE\\fR\nConfig file profile.\n";
    s += ".TP\n\\fBNO_COLOR\\fR, \\fBCLICOLOR_FORCE\\fR\nTurn colour off, or force it when not on a "
         "terminal.\n";
    s += ".SH FILES\n.TP\n\\fI$XDG_CONFIG_HOME/agentrail/config.toml\\fR\nProfiles in TOML "
         "(base_url, api_key or api_key_file, retries, timeout); edited in place, written with mode 0600.\n";
    s += ".SH EXAMPLES\n";
    for (const auto& [what, command] : man_examples)
        s += ".PP\n" + roff(what) + "\n.PP\n.RS 4\n.nf\n" + roff_lines(command) + "\n.fi\n.RE\n";
    s += ".SH SEE ALSO\n\\fBagentrail\\-mock\\fR(1) (package agentrail\\-mock), \\fBcurl\\fR(1), "
         "\\fBjq\\fR(1). "
         "The command reference with every option: \\fI/usr/share/doc/agentrail/commands.md\\fR; "
         "recipes: \\fI/usr/share/doc/agentrail/recipes.md\\fR.\n";
    return s;
}

}  // namespace

int run_help_reference(const ReferenceOptions& o, Context& ctx) {
    ctx.out().write(markdown(describe_command_tree(*o.root)));
    return exit_code::ok;
}

int run_help_man(const ReferenceOptions& o, Context& ctx) {
    ctx.out().write(man_page(describe_command_tree(*o.root)));
    return exit_code::ok;
}

// ---- wiring ---------------------------------------------------------------------------------------------

void register_reference(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<ReferenceOptions>();
    o->root = &app;
    auto* help = app.get_subcommand("help");
    auto* reference = help->add_subcommand("reference", "Print the command reference (Markdown)");
    reference->group("");  // hidden: a tool for docs/, not a topic for users
    bind_run(reference, ctx, o, run_help_reference);
    auto* man = help->add_subcommand("man", "Print the man page (roff)");
    man->group("");
    bind_run(man, ctx, o, run_help_man);
}

}  // namespace agentrail::cli
