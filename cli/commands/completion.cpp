// `agentrail completion bash|zsh|fish`: shell completion scripts generated from the real command tree.
//
// Each script carries the tree as small lookup functions (subcommands of a command path, its options,
// which options take a value, their choices) and one completion function that walks the words typed so far
// to find the command path. The checked-in copies in completions/ are this output (a test compares them).

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "command_tree.hpp"
#include "commands/completion.hpp"
#include "commands/run.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "render/sanitize.hpp"

namespace agentrail::cli {
namespace {

/// `text` inside single quotes for sh, zsh and fish ('it'\''s' / fish: 'it\'s').
std::string sh_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string fish_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

/// First sentence-ish of a description, without characters that upset a describe list.
std::string short_description(const std::string& text) {
    std::string out;
    for (char c : text) out += (c == '\n' || c == '\t') ? ' ' : c;
    return out;
}

/// True for a positional that names a task (an id or a key).
bool takes_task(const std::string& name, const std::string& description) {
    return name == "TASK" || description.rfind("Task id", 0) == 0;
}

/// What every script needs, computed once from the tree.
struct Tables {
    std::vector<const CommandInfo*> commands;
    const CommandInfo* root = nullptr;
    // Per command path: subcommand names (with aliases) and every option (own plus the root's globals).
    std::map<std::string, std::vector<std::string>> words;
    std::map<std::string, std::vector<std::string>> options;
    std::map<std::string, std::vector<std::string>> value_options;
    // (path, option) -> choices; root options apply to every path.
    std::vector<std::pair<std::string, const OptionInfo*>> choice_options;
    // Commands whose positional is a task (completed with ids and keys from the server), and the
    // options that take a task ("--task").
    std::vector<std::string> task_commands;

    explicit Tables(const CommandInfo& tree) {
        root = &tree;
        commands = flatten(tree);
        for (const auto* c : commands) {
            for (const auto& p : c->positionals)
                if (takes_task(p.name, p.description)) task_commands.push_back(c->path);
            auto& w = words[c->path];
            for (const auto& sub : c->subcommands) {
                w.push_back(sub.name);
                for (const auto& alias : sub.aliases) w.push_back(alias);
            }
            auto& o = options[c->path];
            auto& v = value_options[c->path];
            auto add = [&](const CommandInfo& owner) {
                for (const auto& opt : owner.options) {
                    for (const auto& name : opt.names) {
                        if (std::find(o.begin(), o.end(), name) != o.end()) continue;  // a command's own wins
                        o.push_back(name);
                        if (opt.takes_value) v.push_back(name);
                    }
                }
            };
            add(*c);
            if (c != root) add(*root);
            o.push_back("--help");
            for (const auto& opt : c->options)
                if (!opt.choices.empty()) choice_options.emplace_back(c->path, &opt);
        }
    }
};

/// `"PATH -o"|"PATH --output"`: the case patterns of one option of the command at PATH.
std::string case_pattern(const std::vector<std::string>& names, const std::string& path) {
    std::vector<std::string> parts;
    for (const auto& n : names) parts.push_back("\"" + path + " " + n + "\"");
    return join(parts, "|");
}

/// The shell functions bash and zsh scripts share, each a `case` over the command path: resolve a word to
/// a subcommand, the options of a command, those that take a value, an option's choices, and whether a
/// command takes a task. `print` is how the shell writes a word list ("echo", "print -r --").
std::string shared_case_functions(Tables& t, const CommandInfo& tree, const std::string& print) {
    std::string s;
    s += "_agentrail_resolve() {\n    case \"$1/$2\" in\n";
    for (const auto* c : t.commands) {
        for (const auto& sub : c->subcommands) {
            std::vector<std::string> patterns = {"\"" + c->path + "/" + sub.name + "\""};
            for (const auto& alias : sub.aliases) patterns.push_back("\"" + c->path + "/" + alias + "\"");
            s += "        " + join(patterns, "|") + ") " + print + " \"" + sub.path + "\" ;;\n";
        }
    }
    s += "        *) return 1 ;;\n    esac\n}\n\n";

    s += "_agentrail_options() {\n    case \"$1\" in\n";
    for (const auto* c : t.commands)
        s += "        \"" + c->path + "\") " + print + " " + sh_quote(join(t.options[c->path])) + " ;;\n";
    s += "    esac\n}\n\n";

    s += "_agentrail_value_options() {\n    case \"$1\" in\n";
    for (const auto* c : t.commands) {
        const auto& values = t.value_options[c->path];
        if (!values.empty())
            s += "        \"" + c->path + "\") " + print + " " + sh_quote(join(values)) + " ;;\n";
    }
    s += "    esac\n}\n\n";

    s += "_agentrail_choices() {\n    case \"$1 $2\" in\n";
    for (const auto& [path, opt] : t.choice_options) {
        if (path == tree.path) continue;
        s += "        " + case_pattern(opt->names, path) + ") " + print + " " + sh_quote(join(opt->choices)) +
             " ;;\n";
    }
    for (const auto& [path, opt] : t.choice_options) {
        if (path != tree.path) continue;
        std::vector<std::string> patterns;
        for (const auto& n : opt->names) patterns.push_back("*\" " + n + "\"");
        s += "        " + join(patterns, "|") + ") " + print + " " + sh_quote(join(opt->choices)) + " ;;\n";
    }
    s += "    esac\n}\n\n";

    s += "_agentrail_takes_task() {\n    case \"$1\" in\n";
    if (!t.task_commands.empty()) {
        std::vector<std::string> patterns;
        for (const auto& p : t.task_commands) patterns.push_back("\"" + p + "\"");
        s += "        " + join(patterns, "|") + ") return 0 ;;\n";
    }
    s += "    esac\n    return 1\n}\n\n";
    return s;
}

std::string bash_script(const CommandInfo& tree) {
    Tables t(tree);
    std::string s;
    s += "# bash completion for agentrail. Generated by `agentrail completion bash`; do not edit.\n";
    s += "# Install: source this file, or copy it to /usr/share/bash-completion/completions/agentrail.\n\n";

    s += "_agentrail_subcommands() {\n    case \"$1\" in\n";
    for (const auto* c : t.commands)
        if (!t.words[c->path].empty())
            s += "        \"" + c->path + "\") echo " + sh_quote(join(t.words[c->path])) + " ;;\n";
    s += "    esac\n}\n\n";

    s += shared_case_functions(t, tree, "echo");

    s +=
        R"SH(# Task ids and keys from the server (`agentrail __complete tasks`: a short timeout, silent on failure).
_agentrail_tasks() {
    "${COMP_WORDS[0]:-agentrail}" __complete tasks "$1" 2>/dev/null | cut -f1
}

_agentrail() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="" cmd="agentrail" word next i skip=0
    ((COMP_CWORD > 0)) && prev="${COMP_WORDS[COMP_CWORD - 1]}"
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
        if ((skip)); then
            skip=0
            continue
        fi
        case "$word" in
            --*=*) ;;
            -*) [[ " $(_agentrail_value_options "$cmd") " == *" $word "* ]] && skip=1 ;;
            *) next="$(_agentrail_resolve "$cmd" "$word")" && cmd="$next" ;;
        esac
    done
    COMPREPLY=()
    if ((skip)); then
        local choices
        choices="$(_agentrail_choices "$cmd" "$prev")"
        if [[ $prev == --task ]]; then
            mapfile -t COMPREPLY < <(_agentrail_tasks "$cur")
        elif [[ -n $choices ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$choices" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        fi
        return 0
    fi
    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_agentrail_options "$cmd")" -- "$cur")
    elif _agentrail_takes_task "$cmd"; then
        mapfile -t COMPREPLY < <(_agentrail_tasks "$cur")
    else
        mapfile -t COMPREPLY < <(compgen -W "$(_agentrail_subcommands "$cmd")" -- "$cur")
    fi
    return 0
}

complete -F _agentrail agentrail
)SH";
    return s;
}

std::string zsh_script(const CommandInfo& tree) {
    Tables t(tree);
    std::string s;
    s += "#compdef agentrail\n";
    s += "# zsh completion for agentrail. Generated by `agentrail completion zsh`; do not edit.\n";
    s += "# Install: copy to a directory in $fpath as _agentrail (then compinit), or source it after "
         "compinit.\n\n";

    s += "_agentrail_subcommands() {\n    case \"$1\" in\n";
    for (const auto* c : t.commands) {
        if (c->subcommands.empty()) continue;
        std::vector<std::string> entries;
        for (const auto& sub : c->subcommands) {
            entries.push_back(sh_quote(sub.name + ":" + short_description(sub.description)));
            for (const auto& alias : sub.aliases)
                entries.push_back(sh_quote(alias + ":" + short_description(sub.description)));
        }
        s += "        \"" + c->path + "\") print -rl -- " + join(entries) + " ;;\n";
    }
    s += "    esac\n}\n\n";

    s += shared_case_functions(t, tree, "print -r --");

    s +=
        R"SH(# Task ids and keys from the server (`agentrail __complete tasks`: a short timeout, silent on failure).
_agentrail_tasks() {
    local -a tasks
    tasks=("${(@f)$(${words[1]:-agentrail} __complete tasks "$1" 2>/dev/null | sed 's/:/\\:/g; s/\t/:/')}")
    (( ${#tasks} )) && [[ -n ${tasks[1]} ]] && _describe -t tasks 'task' tasks
}

_agentrail() {
    local cmd="agentrail" word next prev="${words[CURRENT-1]}" cur="${words[CURRENT]}"
    local -i i skip=0
    for (( i = 2; i < CURRENT; i++ )); do
        word="${words[i]}"
        if (( skip )); then
            skip=0
            continue
        fi
        case "$word" in
            --*=*) ;;
            -*) [[ " $(_agentrail_value_options "$cmd") " == *" $word "* ]] && skip=1 ;;
            *) next="$(_agentrail_resolve "$cmd" "$word")" && cmd="$next" ;;
        esac
    done
    if (( skip )); then
        local choices="$(_agentrail_choices "$cmd" "$prev")"
        if [[ $prev == --task ]]; then
            _agentrail_tasks "$cur"
        elif [[ -n $choices ]]; then
            compadd -- ${=choices}
        else
            _files
        fi
        return
    fi
    if [[ $cur == -* ]]; then
        compadd -- ${=$(_agentrail_options "$cmd")}
        return
    fi
    if _agentrail_takes_task "$cmd"; then
        _agentrail_tasks "$cur"
        return
    fi
    local -a subcommands
    subcommands=("${(@f)$(_agentrail_subcommands "$cmd")}")
    (( ${#subcommands} )) && [[ -n ${subcommands[1]} ]] && _describe -t commands 'agentrail command' subcommands
}

if [[ ${funcstack[1]} == _agentrail ]]; then
    _agentrail "$@"
else
    (( $+functions[compdef] )) && compdef _agentrail agentrail
fi
)SH";
    return s;
}

std::string fish_script(const CommandInfo& tree) {
    Tables t(tree);
    std::string s;
    s += "# fish completion for agentrail. Generated by `agentrail completion fish`; do not edit.\n";
    s += "# Install: copy to ~/.config/fish/completions/agentrail.fish.\n\n";

    s += "function __agentrail_subcommands\n    switch $argv[1]\n";
    for (const auto* c : t.commands) {
        if (c->subcommands.empty()) continue;
        s += "        case " + fish_quote(c->path) + "\n";
        for (const auto& sub : c->subcommands) {
            s += "            printf '%s\\t%s\\n' " + fish_quote(sub.name) + " " +
                 fish_quote(short_description(sub.description)) + "\n";
            for (const auto& alias : sub.aliases)
                s += "            printf '%s\\t%s\\n' " + fish_quote(alias) + " " +
                     fish_quote(short_description(sub.description)) + "\n";
        }
    }
    s += "    end\nend\n\n";

    s += "function __agentrail_resolve\n    switch \"$argv[1]/$argv[2]\"\n";
    for (const auto* c : t.commands) {
        for (const auto& sub : c->subcommands) {
            std::vector<std::string> patterns = {fish_quote(c->path + "/" + sub.name)};
            for (const auto& alias : sub.aliases) patterns.push_back(fish_quote(c->path + "/" + alias));
            s += "        case " + join(patterns) + "\n            echo " + fish_quote(sub.path) + "\n";
        }
    }
    s += "        case '*'\n            return 1\n    end\nend\n\n";

    // The root's options apply everywhere: printed by one function, minus the names a command redefines.
    s += "function __agentrail_global_options\n";
    for (const auto& opt : t.root->options) {
        for (const auto& name : opt.names) {
            s += "    contains -- " + fish_quote(name) + " $argv; or printf '%s\\t%s\\n' " +
                 fish_quote(name) + " " + fish_quote(short_description(opt.description)) + "\n";
        }
    }
    s += "    printf '%s\\t%s\\n' --help 'Print help and exit'\nend\n\n";

    s += "function __agentrail_options\n    switch $argv[1]\n";
    for (const auto* c : t.commands) {
        s += "        case " + fish_quote(c->path) + "\n";
        std::vector<std::string> own;
        for (const auto& opt : c->options) {
            for (const auto& name : opt.names) {
                own.push_back(name);
                s += "            printf '%s\\t%s\\n' " + fish_quote(name) + " " +
                     fish_quote(short_description(opt.description)) + "\n";
            }
        }
        if (c != t.root) {
            s += "            __agentrail_global_options";
            for (const auto& name : own) s += " " + fish_quote(name);
            s += "\n";
        } else {
            s += "            printf '%s\\t%s\\n' --help 'Print help and exit'\n";
        }
    }
    s += "    end\nend\n\n";

    s += "function __agentrail_value_options\n    switch $argv[1]\n";
    for (const auto* c : t.commands)
        if (!t.value_options[c->path].empty())
            s += "        case " + fish_quote(c->path) + "\n            echo " +
                 join(t.value_options[c->path]) + "\n";
    s += "    end\nend\n\n";

    s += "function __agentrail_choices\n    switch \"$argv[1] $argv[2]\"\n";
    for (const auto& [path, opt] : t.choice_options) {
        if (path == tree.path) continue;
        std::vector<std::string> patterns;
        for (const auto& n : opt->names) patterns.push_back(fish_quote(path + " " + n));
        s += "        case " + join(patterns) + "\n            printf '%s\\n' " + join(opt->choices) + "\n";
    }
    for (const auto& [path, opt] : t.choice_options) {
        if (path != tree.path) continue;
        std::vector<std::string> patterns;
        for (const auto& n : opt->names) patterns.push_back(fish_quote("* " + n));
        s += "        case " + join(patterns) + "\n            printf '%s\\n' " + join(opt->choices) + "\n";
    }
    s += "    end\nend\n\n";

    s += "function __agentrail_takes_task\n    switch $argv[1]\n";
    if (!t.task_commands.empty()) {
        std::vector<std::string> patterns;
        for (const auto& p : t.task_commands) patterns.push_back(fish_quote(p));
        s += "        case " + join(patterns) + "\n            return 0\n";
    }
    s += "    end\n    return 1\nend\n\n";

    s +=
        R"SH(# Task ids and keys from the server (`agentrail __complete tasks`: a short timeout, silent on failure).
function __agentrail_tasks
    set -l tokens (commandline -opc)
    $tokens[1] __complete tasks $argv[1] 2>/dev/null
end

function __agentrail_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l cmd agentrail
    set -l skip 0
    set -l prev ''
    for word in $tokens[2..-1]
        set prev $word
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $word
            case '--*=*'
            case '-*'
                if contains -- $word (string split ' ' -- (__agentrail_value_options $cmd))
                    set skip 1
                end
            case '*'
                set -l next (__agentrail_resolve $cmd $word)
                and set cmd $next
        end
    end
    if test $skip -eq 1
        set -l choices (__agentrail_choices $cmd $prev)
        if test "$prev" = --task
            __agentrail_tasks $cur
        else if test (count $choices) -gt 0
            printf '%s\n' $choices
        else
            __fish_complete_path $cur
        end
        return
    end
    if string match -q -- '-*' $cur
        __agentrail_options $cmd
    else if __agentrail_takes_task $cmd
        __agentrail_tasks $cur
    else
        __agentrail_subcommands $cmd
    end
end

complete -c agentrail -f -a '(__agentrail_complete)'
)SH";
    return s;
}

}  // namespace

int run_complete(const CompleteOptions& o, Context& ctx) {
    if (o.what != "tasks") return exit_code::ok;
    auto& g = ctx.options();
    g.timeout = "1s";
    g.deadline = "2s";
    g.no_retry = true;
    auto lower = [](std::string text) {
        for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return text;
    };
    std::string out;
    try {
        ListTasksOptions options;
        options.limit = 100;
        auto page = ctx.client().list_my_tasks(options);
        auto want = lower(o.prefix);
        auto clean = [](const std::string& text) {
            std::string s = sanitize(text);
            for (auto& c : s)
                if (c == '\t') c = ' ';
            return s;
        };
        for (const auto& t : page.data) {
            if (!t.identifier.empty() && lower(t.identifier).rfind(want, 0) == 0)
                out += clean(t.identifier) + "\t" + clean(t.title) + "\n";
            if (t.id.rfind(o.prefix, 0) == 0)
                out += clean(t.id) + "\t" + clean(t.identifier) + ": " + clean(t.title) + "\n";
        }
    } catch (const std::exception&) {
        return exit_code::ok;  // no server, no key, a slow answer: no candidates
    }
    std::fputs(out.c_str(), ctx.deps().out);
    return exit_code::ok;
}

int run_completion(const CompletionOptions& o, Context& ctx) {
    auto tree = describe_command_tree(*o.root);
    std::string script = o.shell == "bash"  ? bash_script(tree)
                         : o.shell == "zsh" ? zsh_script(tree)
                                            : fish_script(tree);
    ctx.out().write(script);
    return exit_code::ok;
}

// ---- wiring: flags bound to the options, the callback calls run ---------------------------------------

namespace {

/// `agentrail __complete tasks [PREFIX]` (hidden): "ID<TAB>KEY: TITLE" and "KEY<TAB>TITLE" lines of the
/// caller's tasks that start with PREFIX, for the shell scripts. One page, a short timeout, no retries;
/// any failure prints nothing and exits 0, so a completion never hangs or shows an error.
void add_complete(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("__complete", "Dynamic completion candidates (used by the scripts)");
    cmd->group("");
    auto o = std::make_shared<CompleteOptions>();
    cmd->add_option("what", o->what, "tasks")->required()->check(CLI::IsMember({"tasks"}));
    cmd->add_option("prefix", o->prefix, "Only candidates starting with this");
    bind_run(cmd, ctx, o, run_complete);
}

}  // namespace

void register_completion(CLI::App& app, Context& ctx) {
    add_complete(app, ctx);
    auto* cmd = app.add_subcommand("completion", "Print a shell completion script: bash, zsh or fish");
    auto o = std::make_shared<CompletionOptions>();
    o->root = &app;
    cmd->add_option("shell", o->shell, "bash, zsh or fish")
        ->required()
        ->check(CLI::IsMember({"bash", "zsh", "fish"}));
    cmd->footer(
        "bash: source <(agentrail completion bash)   zsh: agentrail completion zsh > "
        "\"${fpath[1]}/_agentrail\"   "
        "fish: agentrail completion fish > ~/.config/fish/completions/agentrail.fish");
    bind_run(cmd, ctx, o, run_completion);
}

}  // namespace agentrail::cli
