// `agentrail subscriptions`: webhook (event) subscriptions. `create` generates a strong signing secret
// when none is given and shows it once (or writes it to --save-secret-to FILE, mode 0600).

#include <sys/random.h>
#include <unistd.h>
#include <cerrno>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands/run.hpp"
#include "commands/subscriptions.hpp"
#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "task_ref.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

using Subscription = EventSubscription;

std::vector<Field> subscription_fields() {
    using S = Subscription;
    return {{"ID", json_path<&S::id>()},
            {"URL", json_path<&S::url>()},
            {"Status", json_path<&S::status>(), Kind::status},
            {"Events", json_path<&S::event_types>(), Kind::list},
            {"Tasks", json_path<&S::filters, &SubscriptionFilters::task_ids>(), Kind::list},
            {"Description", json_path<&S::description>()},
            {"Signing", json_path<&S::signing_algorithm>()},
            {"Max attempts", json_path<&S::retry_policy, &SubscriptionRetryPolicy::max_attempts>()},
            {"Created", json_path<&S::created_at>(), Kind::time}};
}

std::string id_of(const Json& data) {
    const auto& id = at_pointer(data, json_path<&Subscription::id>());
    return id.is_string() ? id.get<std::string>() : std::string{};
}

/// "whsec_" + 32 random bytes as hex, from the kernel CSPRNG.
std::string generate_secret() {
    unsigned char bytes[32];
    std::size_t filled = 0;
    while (filled < sizeof bytes) {
        auto n = ::getrandom(bytes + filled, sizeof bytes - filled, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Failure(exit_code::unexpected, "random", "cannot read random bytes for the secret");
        filled += static_cast<std::size_t>(n);
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string secret = "whsec_";
    for (auto b : bytes) {
        secret += hex[b >> 4];
        secret += hex[b & 0xF];
    }
    return secret;
}

}  // namespace

int run_subscription_create(const SubscriptionCreateOptions& o, Context& ctx) {
    require_http_url(o.url, "--url");
    EventSubscriptionCreateRequest request;
    request.url = o.url;
    for (const auto& t : o.event_types) {
        require_one_of(t, {"task.updated", "task.reviewed", "task.shipped", "task.awaiting_user"},
                       "--event-type");
        if (std::find(request.event_types.begin(), request.event_types.end(), t) == request.event_types.end())
            request.event_types.push_back(t);
    }
    if (o.tasks.size() > 50) throw usage_error("--task: at most 50");
    if (!o.tasks.empty()) {
        SubscriptionFilters filters;
        for (auto t : o.tasks) {
            t = resolve_task(ctx, t);
            if (std::find(filters.task_ids.begin(), filters.task_ids.end(), t) == filters.task_ids.end())
                filters.task_ids.push_back(t);
        }
        request.filters = std::move(filters);
    }
    if (!o.description.empty()) {
        require_length(o.description, 1, 200, "--description");
        request.description = o.description;
    }
    bool generated = false;
    if (!o.secret_file.empty()) {
        request.secret = trim(read_small_file(o.secret_file, "--secret-file"));
    } else if (!o.secret_env.empty()) {
        const char* value = ctx.deps().lookup(o.secret_env.c_str());
        if (value == nullptr) throw usage_error("--secret-env: " + o.secret_env + " is not set");
        request.secret = trim(value);
    } else {
        request.secret = generate_secret();
        generated = true;
    }
    require_length(request.secret, 16, 128, "signing secret");
    if (!o.save_secret_to.empty() && !generated)
        throw usage_error("--save-secret-to only applies to a generated secret");

    ctx.set_operation("create event subscription for " + o.url);
    auto& out = ctx.out();
    bool saved = false;
    if (!o.save_secret_to.empty()) {
        // Written before the call: the server never gives the secret back.
        write_private_file(o.save_secret_to, request.secret + "\n", "--save-secret-to");
        saved = true;
    }
    auto r = ctx.client().create_event_subscription(request, ctx.mutation_options());
    Json data = r.raw_data();
    bool show_secret = generated && !saved;
    auto id = id_of(data);
    Json shown = data;
    // The only addition to the server's data: a secret the CLI generated must be seen once.
    // It goes where the request had it (the server never echoes it back).
    if (show_secret && shown.is_object())
        shown[json_name<&EventSubscriptionCreateRequest::secret>()] = request.secret;
    out.result(
        shown, r.envelope,
        show_secret ? std::vector<std::string>{id, request.secret} : std::vector<std::string>{id}, [&] {
            auto fields = subscription_fields();
            if (show_secret)
                fields.insert(
                    fields.begin() + 1,
                    {"Signing secret", json_path<&EventSubscriptionCreateRequest::secret>(), Kind::secret});
            out.fields(shown, fields);
            out.next_steps(actions_of(r.envelope), id);
        });
    if (saved)
        out.note("signing secret written to " + o.save_secret_to + " (mode 0600)");
    else if (show_secret && out.human())
        out.warn("store the signing secret now: it is shown only once (verify deliveries with it)");
    return exit_code::ok;
}

int run_subscription_list(const SubscriptionListOptions&, Context& ctx) {
    ctx.set_operation("list event subscriptions");
    auto& out = ctx.out();
    auto r = ctx.client().list_event_subscriptions();
    using S = Subscription;
    out.list(r.raw_data(), r.envelope,
             {{"ID", json_path<&S::id>()},
              {"STATUS", json_path<&S::status>(), Kind::status},
              {"EVENTS", json_path<&S::event_types>(), Kind::list},
              {"TASKS", json_path<&S::filters, &SubscriptionFilters::task_ids>(), Kind::list},
              {"CREATED", json_path<&S::created_at>(), Kind::time},
              {"URL", json_path<&S::url>(), Kind::text, true}},
             json_path<&S::id>());
    return exit_code::ok;
}

int run_subscription_get(const SubscriptionRefOptions& o, Context& ctx) {
    require_subscription_id(o.id);
    ctx.set_operation("get event subscription " + o.id, o.id);
    auto& out = ctx.out();
    auto r = ctx.client().get_event_subscription(o.id);
    out.object(r.raw_data(), r.envelope, subscription_fields(), json_path<&Subscription::id>(), o.id);
    return exit_code::ok;
}

int run_subscription_delete(const SubscriptionRefOptions& o, Context& ctx) {
    require_subscription_id(o.id);
    ctx.set_operation("deactivate event subscription " + o.id, o.id);
    auto& out = ctx.out();
    auto r = ctx.client().deactivate_event_subscription(o.id);
    out.object(r.raw_data(), r.envelope, subscription_fields(), json_path<&Subscription::id>(), o.id);
    return exit_code::ok;
}

// ---- wiring: flags bound to the options, the callback calls run ---------------------------------------

namespace {

void add_subscription_create(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("create", "Register a webhook endpoint for task events");
    auto o = std::make_shared<SubscriptionCreateOptions>();
    cmd->add_option("--url", o->url, "Endpoint URL (http or https)")->required();
    cmd->add_option("--event-type", o->event_types,
                    "Event type, repeatable: task.updated, task.reviewed, task.shipped, task.awaiting_user")
        ->required();
    cmd->add_option("--task", o->tasks, "Only events of this task (id tsk_... or key DEMO-1), repeatable");
    cmd->add_option("--description", o->description, "Description (up to 200 characters)");
    auto* file = cmd->add_option("--secret-file", o->secret_file, "Read the signing secret from this file");
    auto* env = cmd->add_option("--secret-env", o->secret_env, "Read the signing secret from this variable");
    file->excludes(env);
    cmd->add_option("--save-secret-to", o->save_secret_to,
                    "Write the generated secret to this file (mode 0600) instead of printing it");
    cmd->footer(
        "Without --secret-file/--secret-env a strong secret is generated and shown once; with -q the output\n"
        "is two lines, the subscription id then the secret (the id alone with --save-secret-to).");
    bind_run(cmd, ctx, o, run_subscription_create);
}

void add_subscription_list(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("list", "List event subscriptions");
    bind_run(cmd, ctx, std::make_shared<SubscriptionListOptions>(), run_subscription_list);
}

void add_subscription_get(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("get", "Show one event subscription");
    auto o = std::make_shared<SubscriptionRefOptions>();
    cmd->add_option("id", o->id, "Subscription id (evsub_...)")->required();
    bind_run(cmd, ctx, o, run_subscription_get);
}

void add_subscription_delete(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("delete", "Deactivate an event subscription (no further deliveries)");
    cmd->alias("deactivate");
    auto o = std::make_shared<SubscriptionRefOptions>();
    cmd->add_option("id", o->id, "Subscription id (evsub_...)")->required();
    bind_run(cmd, ctx, o, run_subscription_delete);
}

}  // namespace

void register_subscriptions(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("subscriptions", "Webhook subscriptions for task events (alias: subs)");
    group->alias("subs");
    group->require_subcommand(1);
    add_subscription_list(*group, ctx);
    add_subscription_create(*group, ctx);
    add_subscription_get(*group, ctx);
    add_subscription_delete(*group, ctx);
}

}  // namespace agentrail::cli
