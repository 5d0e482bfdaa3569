// The command line run on a Context: builds the command tree, parses, runs the command, and reports what
// failed. This file holds the only top-level try/catch and the only mapping from an error to an exit code.

#include "app.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "agentrail/errors.hpp"
#include "commands/registry.hpp"
#include "context.hpp"
#include "error_text.hpp"
#include "exit_codes.hpp"
#include "help_format.hpp"
#include "render/render.hpp"
#include "render/sanitize.hpp"
#include "suggest.hpp"

namespace agentrail::cli {

int exit_code_for(const agentrail::Error& error) {
    switch (error.kind()) {
        case ErrorKind::invalid_argument:
            return exit_code::usage;
        case ErrorKind::validation:
            return exit_code::validation;
        case ErrorKind::unauthorized:
            return exit_code::unauthorized;
        case ErrorKind::forbidden:
            return exit_code::forbidden;
        case ErrorKind::not_found:
            return exit_code::not_found;
        case ErrorKind::conflict:
            return exit_code::conflict;
        case ErrorKind::cursor_expired:
            return exit_code::cursor_expired;
        case ErrorKind::rate_limited:
            return exit_code::rate_limited;
        case ErrorKind::server:
            return exit_code::server;
        case ErrorKind::transport:
            return exit_code::network;
        case ErrorKind::protocol:
            return exit_code::protocol;
        case ErrorKind::signature:
            return exit_code::signature_invalid;
    }
    return exit_code::unexpected;
}

namespace {

/// Everything known about a failure, gathered once and printed as text or JSON.
struct Report {
    std::string kind;
    int exit = exit_code::unexpected;
    int status = 0;
    std::string code;
    std::string message;
    nlohmann::json details = nlohmann::json::object();
    std::vector<std::string> actions;
    std::vector<std::string> extra;  // further "label: value" parts of the text line
    std::string idempotency_key;
    std::string request_id;
    bool no_answer = false;  // no response came: say where the server was expected
};

Report report_for(const agentrail::Error& error) {
    Report r;
    r.kind = to_string(error.kind());
    r.exit = exit_code_for(error);
    r.message = error.what();
    r.code = r.kind;
    r.idempotency_key = error.idempotency_key();
    if (const auto* api = dynamic_cast<const ApiError*>(&error)) {
        r.status = api->status();
        if (!api->code().empty()) r.code = api->code();
        r.message = api->api_message();
        r.details = api->details();
        r.actions = api->available_actions();
        r.request_id = api->request_id();
        if (const auto* forbidden = dynamic_cast<const ForbiddenError*>(&error)) {
            auto required = forbidden->required_scope();
            if (!required.empty()) {
                std::string granted;
                for (const auto& s : forbidden->granted_scopes()) granted += (granted.empty() ? "" : ",") + s;
                r.extra.push_back("needs " + required + " (key has: " + (granted.empty() ? "none" : granted) +
                                  ")");
            }
        }
        if (const auto* validation = dynamic_cast<const ValidationError*>(&error)) {
            for (const auto& [field, reason] : validation->field_errors())
                r.extra.push_back(field + ": " + reason);
        }
        if (const auto* conflict = dynamic_cast<const ConflictError*>(&error);
            conflict && conflict->is_idempotency_mismatch())
            r.extra.push_back(
                "the idempotency key was already used with another request; pass a new --idempotency-key");
        if (api->retry_after())
            r.extra.push_back("retry after: " + std::to_string(api->retry_after()->count()) + "s");
    } else if (const auto* transport = dynamic_cast<const TransportError*>(&error)) {
        r.code = transport->timed_out() ? "timeout" : "network";
        r.message = drop_repeated_detail(r.message);
        r.no_answer = true;
    }
    return r;
}

Report report_for(const Failure& failure) {
    Report r;
    r.kind = failure.code();
    r.code = failure.code();
    r.exit = failure.exit_code();
    r.message = failure.what();
    r.details = failure.details();
    r.actions = failure.hints();
    return r;
}

/// `argv` as a command line to paste back ("agentrail tasks list --status todo"), for `retry` hints.
std::string command_line(int argc, char** argv) {
    std::string line = "agentrail";
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        bool plain = !arg.empty() && arg.find_first_not_of(
                                         "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                         "0123456789-_=.,/:@%+") == std::string::npos;
        if (plain) {
            line += " " + arg;
            continue;
        }
        std::string quoted = "'";
        for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        line += " " + quoted + "'";
    }
    return line;
}

/// The commands to run next: each action translated (never a raw API action name), `retry` as the
/// command that failed (after a 429 or 5xx), and for a server that did not answer, the command that diagnoses
/// it.
std::vector<std::string> next_commands(Context& ctx, const Report& r, const std::string& retry_line) {
    std::vector<std::string> next;
    for (const auto& action : r.actions) {
        // Running the same command again helps only when the server was the obstacle (429, 5xx); after a
        // validation error or a conflict the input has to change first (the message says how).
        if (action == "retry") {
            if (r.exit == exit_code::rate_limited || r.exit == exit_code::server) next.push_back(retry_line);
            continue;
        }
        next.push_back(describe_action(action, ctx.subject()));
    }
    if (r.no_answer) next.push_back("agentrail doctor");
    return next;
}

void print_report(Context& ctx, Report r, const std::string& retry_line = {}) {
    try {
        ctx.flush();  // results already printed come before the error
    } catch (const Failure&) {
        // stdout is broken: the error being reported matters more.
    }
    if (r.no_answer) {
        try {
            r.extra.push_back("is the server running at " + ctx.settings().base_url.value + "?");
        } catch (const std::exception&) {
            // settings that do not resolve cannot have been used to connect
        }
    }
    const auto& operation = ctx.operation();
    auto next = next_commands(ctx, r, retry_line);
    if (ctx.error_format() == ErrorFormat::json) {
        nlohmann::json error = {{"kind", r.kind},       {"exitCode", r.exit},
                                {"code", r.code},       {"message", r.message},
                                {"details", r.details}, {"availableActions", r.actions}};
        if (!operation.empty()) error["operation"] = operation;
        if (r.status != 0) error["status"] = r.status;
        if (!r.idempotency_key.empty()) error["idempotencyKey"] = r.idempotency_key;
        if (!r.request_id.empty()) error["requestId"] = r.request_id;
        nlohmann::json commands = nlohmann::json::array();
        for (const auto& c : next)
            if (!c.empty()) commands.push_back(c);
        error["next"] = commands;
        auto text =
            nlohmann::json{{"error", error}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        std::fprintf(ctx.deps().err, "%s\n", ctx.redact(text).c_str());
        return;
    }
    // The idempotency key matters where the mutation may have been applied or collided with another (409,
    // 5xx, no or no readable answer); a request refused with 4xx was not applied, and the line stays short.
    const bool outcome_open = r.exit == exit_code::conflict || r.exit == exit_code::server ||
                              r.exit == exit_code::network || r.exit == exit_code::protocol ||
                              r.exit == exit_code::unexpected;
    ErrorText text{operation,    r.code, r.message, r.extra, outcome_open ? r.idempotency_key : std::string(),
                   r.request_id, next};
    for (const auto& line : format_error(text))
        std::fprintf(ctx.deps().err, "%s\n", sanitize(ctx.redact(line)).c_str());
}

/// The deepest command the parser reached.
CLI::App* reached(CLI::App& app) {
    CLI::App* at = &app;
    for (auto subs = at->get_subcommands(); !subs.empty(); subs = at->get_subcommands()) at = subs.front();
    return at;
}

bool has_visible_subcommands(const CLI::App* app) {
    return !app->get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); }).empty();
}

/// A command line the parser refused: an unknown command word (with suggestions), a command group without
/// its subcommand (its help, on stderr), or a bad flag or argument. Exit 2, with the `error:` prefix.
int report_parse_error(Context& ctx, CLI::App& app, const CLI::ParseError& e, int argc, char** argv) {
    CLI::App* at = reached(app);
    std::vector<std::string> left = app.remaining(true);
    // The command line as typed, with `word` replaced by `name` (a suggestion).
    auto replaced = [&](const std::string& word, const std::string& name) {
        std::vector<std::string> args(argv, argv + argc);
        if (auto it = std::find(args.begin() + 1, args.end(), word); it != args.end()) *it = name;
        std::vector<char*> pointers;
        for (auto& a : args) pointers.push_back(a.data());
        return command_line(argc, pointers.data());
    };
    if (auto flag = std::find_if(left.begin(), left.end(),
                                 [](const std::string& w) { return w.rfind("--", 0) == 0; });
        flag != left.end() && flag->size() > 2) {
        // An unknown flag: suggest the command's own flags and the global ones.
        std::vector<std::string> names;
        for (const CLI::App* a = at; a != nullptr; a = a->get_parent())
            for (const CLI::Option* opt : a->get_options())
                for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
        auto name = flag->substr(0, flag->find('='));
        auto matches = suggest(name, names);
        std::string message = "unknown flag `" + name + "` for `" + command_path(at) + "`";
        std::vector<std::string> next;
        if (!matches.empty()) message += ". Did you mean " + quote_alternatives(matches) + "?";
        for (const auto& m : matches) next.push_back(replaced(*flag, m + flag->substr(name.size())));
        if (next.empty()) next.push_back(command_path(at) + " --help");
        print_report(ctx, report_for(Failure(exit_code::usage, "unknown_flag", message, next)));
        return exit_code::usage;
    }
    if (has_visible_subcommands(at)) {
        auto word = std::find_if(left.begin(), left.end(),
                                 [](const std::string& w) { return !w.empty() && w[0] != '-'; });
        if (word != left.end()) {
            auto corrected = [&](const std::string& name) { return replaced(*word, name); };
            print_report(ctx, report_for(unknown_command(at, *word, corrected)));
            return exit_code::usage;
        }
        if (ctx.error_format() == ErrorFormat::text) {
            std::fputs(help_text(at).c_str(),
                       ctx.deps().err);  // `agentrail`, `agentrail tasks`: what can follow
            return exit_code::usage;
        }
    }
    std::string path = command_path(at);
    std::string message = e.what();
    print_report(
        ctx, report_for(Failure(exit_code::usage, "usage", message,
                                {path == "agentrail" ? std::string("agentrail --help") : path + " --help"})));
    return exit_code::usage;
}

/// Flushes what is still buffered for stdout and throws when any write to it failed (a full disk; a
/// closed pipe ends the process by SIGPIPE as usual): output that was lost must not end with exit 0.
void check_stdout(std::FILE* out) {
    errno = 0;
    std::cout.flush();
    if (std::fflush(out) != 0 || std::ferror(out) || !std::cout.good())
        throw_output_error(errno != 0 ? errno : EIO);
}

}  // namespace

int report_failure(Context& ctx, std::exception_ptr error, const std::string& retry_line) {
    try {
        std::rethrow_exception(error);
    } catch (const Failure& e) {
        print_report(ctx, report_for(e), retry_line);
        return e.exit_code();
    } catch (const agentrail::Error& e) {
        if (Context::interrupted()) {
            ctx.flush();
            return exit_code::interrupted;
        }
        print_report(ctx, report_for(e), retry_line);
        return exit_code_for(e);
    } catch (const std::exception& e) {
        print_report(ctx, report_for(Failure(exit_code::unexpected, "unexpected", e.what())));
        return exit_code::unexpected;
    }
}

int run_guarded(Context& ctx, const std::function<int()>& command, const std::string& retry_line) {
    try {
        const int code = command();
        ctx.flush();
        check_stdout(ctx.deps().out);
        return Context::interrupted() ? exit_code::interrupted : code;
    } catch (...) {
        return report_failure(ctx, std::current_exception(), retry_line);
    }
}

namespace {

/// Parses the command line and runs its command on the tree of the groups it names, or on the whole tree
/// (`whole`, or when it names none).
int parse_and_run(int argc, char** argv, Context& ctx, bool whole) {
    CLI::App app{"agentrail: the AgentRail Task Lifecycle API from the command line.", "agentrail"};
    app.fallthrough();  // global flags work after the subcommand too (inherited by every subcommand)
    app.require_subcommand(1);
    app.set_version_flag("--version", [] { return version_text(); });
    app.formatter(std::make_shared<HelpFormatter>());  // inherited by every subcommand added below
    ctx.add_global_options(app);
    bool partial = false;
    if (whole)
        register_all(app, ctx);
    else
        partial = register_named(app, ctx, argc, argv);
    const std::string retry_line = command_line(argc, argv);

    try {
        app.parse(argc, argv);
        ctx.flush();
        check_stdout(ctx.deps().out);
        return Context::interrupted() ? exit_code::interrupted : ctx.exit_code();
    } catch (const CLI::ParseError& e) {
        // A refusal (or --help) is reported from the whole tree: its suggestions and listings name every
        // command. Nothing has run yet: commands run after a successful parse and never throw ParseError.
        if (partial) return parse_and_run(argc, argv, ctx, true);
        if (e.get_exit_code() == 0) {
            // --help, --version: printed on deps()'s streams (the process's, or a test's).
            std::ostringstream printed, complaints;
            int code = app.exit(e, printed, complaints) == 0 ? exit_code::ok : exit_code::usage;
            std::fputs(printed.str().c_str(), ctx.deps().out);
            std::fputs(complaints.str().c_str(), ctx.deps().err);
            try {
                check_stdout(ctx.deps().out);  // --help, --version
            } catch (const Failure& failure) {
                print_report(ctx, report_for(failure));
                return failure.exit_code();
            }
            return code;
        }
        return report_parse_error(ctx, app, e, argc, argv);
    } catch (...) {
        return report_failure(ctx, std::current_exception(), retry_line);
    }
}

}  // namespace

int run_app(int argc, char** argv, Context& ctx) {
    return parse_and_run(argc, argv, ctx, false);
}

}  // namespace agentrail::cli
