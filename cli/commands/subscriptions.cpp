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

#include "context.hpp"
#include "exit_codes.hpp"
#include "render/render.hpp"
#include "task_ref.hpp"
#include "validate.hpp"

namespace agentrail::cli {
namespace {

std::vector<Field> subscription_fields() {
    return {{"ID", "/id"},
            {"URL", "/url"},
            {"Status", "/status", Kind::status},
            {"Events", "/eventTypes", Kind::list},
            {"Tasks", "/filters/taskIds", Kind::list},
            {"Description", "/description"},
            {"Signing", "/signingAlgorithm"},
            {"Max attempts", "/retryPolicy/maxAttempts"},
            {"Created", "/createdAt", Kind::time}};
}

std::string id_of(const Json& data) {
    const auto& id = at_pointer(data, "/id");
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

struct CreateArgs {
    std::string url, description, secret_file, secret_env, save_secret_to;
    std::vector<std::string> event_types, tasks;
};

void add_create(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("create", "Register a webhook endpoint for task events");
    auto a = std::make_shared<CreateArgs>();
    cmd->add_option("--url", a->url, "Endpoint URL (http or https)")->required();
    cmd->add_option("--event-type", a->event_types,
                    "Event type, repeatable: task.updated, task.reviewed, task.shipped, task.awaiting_user")
        ->required();
    cmd->add_option("--task", a->tasks, "Only events of this task (id tsk_... or key DEMO-1), repeatable");
    cmd->add_option("--description", a->description, "Description (up to 200 characters)");
    auto* file = cmd->add_option("--secret-file", a->secret_file, "Read the signing secret from this file");
    auto* env = cmd->add_option("--secret-env", a->secret_env, "Read the signing secret from this variable");
    file->excludes(env);
    cmd->add_option("--save-secret-to", a->save_secret_to,
                    "Write the generated secret to this file (mode 0600) instead of printing it");
    cmd->callback([&ctx, a] {
        require_http_url(a->url, "--url");
        EventSubscriptionCreateRequest request;
        request.url = a->url;
        for (const auto& t : a->event_types) {
            require_one_of(t, {"task.updated", "task.reviewed", "task.shipped", "task.awaiting_user"},
                           "--event-type");
            if (std::find(request.event_types.begin(), request.event_types.end(), t) ==
                request.event_types.end())
                request.event_types.push_back(t);
        }
        if (a->tasks.size() > 50) throw usage_error("--task: at most 50");
        if (!a->tasks.empty()) {
            SubscriptionFilters filters;
            for (auto t : a->tasks) {
                t = resolve_task(ctx, t);
                if (std::find(filters.task_ids.begin(), filters.task_ids.end(), t) == filters.task_ids.end())
                    filters.task_ids.push_back(t);
            }
            request.filters = std::move(filters);
        }
        if (!a->description.empty()) {
            require_length(a->description, 1, 200, "--description");
            request.description = a->description;
        }
        bool generated = false;
        if (!a->secret_file.empty()) {
            request.secret = trim(read_small_file(a->secret_file, "--secret-file"));
        } else if (!a->secret_env.empty()) {
            const char* value = std::getenv(a->secret_env.c_str());
            if (value == nullptr) throw usage_error("--secret-env: " + a->secret_env + " is not set");
            request.secret = trim(value);
        } else {
            request.secret = generate_secret();
            generated = true;
        }
        require_length(request.secret, 16, 128, "signing secret");
        if (!a->save_secret_to.empty() && !generated)
            throw usage_error("--save-secret-to only applies to a generated secret");

        ctx.set_operation("create event subscription for " + a->url);
        auto& out = ctx.out();
        bool saved = false;
        if (!a->save_secret_to.empty()) {
            // Written before the call: the server never gives the secret back.
            write_private_file(a->save_secret_to, request.secret + "\n", "--save-secret-to");
            saved = true;
        }
        auto r = ctx.client().create_event_subscription(request, ctx.mutation_options());
        Json data = r.raw_data();
        bool show_secret = generated && !saved;
        auto id = id_of(data);
        Json shown = data;
        // The only addition to the server's data: a secret the CLI generated must be seen once.
        if (show_secret && shown.is_object()) shown["secret"] = request.secret;
        out.result(shown, r.envelope, show_secret ? id + "\n" + request.secret : id, [&] {
            auto fields = subscription_fields();
            if (show_secret) fields.insert(fields.begin() + 1, {"Signing secret", "/secret", Kind::secret});
            out.fields(shown, fields);
            out.next_steps(actions_of(r.envelope), id);
        });
        if (saved)
            out.note("signing secret written to " + a->save_secret_to + " (mode 0600)");
        else if (show_secret && out.human())
            out.warn("store the signing secret now: it is shown only once (verify deliveries with it)");
    });
}

void add_list(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("list", "List event subscriptions");
    cmd->callback([&ctx] {
        ctx.set_operation("list event subscriptions");
        auto& out = ctx.out();
        auto r = ctx.client().list_event_subscriptions();
        out.list(r.raw_data(), r.envelope,
                 {{"ID", "/id"},
                  {"STATUS", "/status", Kind::status},
                  {"EVENTS", "/eventTypes", Kind::list},
                  {"TASKS", "/filters/taskIds", Kind::list},
                  {"CREATED", "/createdAt", Kind::time},
                  {"URL", "/url", Kind::text, true}},
                 "/id");
    });
}

void add_get(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("get", "Show one event subscription");
    auto id = std::make_shared<std::string>();
    cmd->add_option("id", *id, "Subscription id (evsub_...)")->required();
    cmd->callback([&ctx, id] {
        require_subscription_id(*id);
        ctx.set_operation("get event subscription " + *id, *id);
        auto& out = ctx.out();
        auto r = ctx.client().get_event_subscription(*id);
        out.object(r.raw_data(), r.envelope, subscription_fields(), "/id", *id);
    });
}

void add_delete(CLI::App& group, Context& ctx) {
    auto* cmd = group.add_subcommand("delete", "Deactivate an event subscription (no further deliveries)");
    cmd->alias("deactivate");
    auto id = std::make_shared<std::string>();
    cmd->add_option("id", *id, "Subscription id (evsub_...)")->required();
    cmd->callback([&ctx, id] {
        require_subscription_id(*id);
        ctx.set_operation("deactivate event subscription " + *id, *id);
        auto& out = ctx.out();
        auto r = ctx.client().deactivate_event_subscription(*id);
        out.object(r.raw_data(), r.envelope, subscription_fields(), "/id", *id);
    });
}

}  // namespace

void register_subscriptions(CLI::App& app, Context& ctx) {
    auto* group = app.add_subcommand("subscriptions", "Webhook subscriptions for task events (alias: subs)");
    group->alias("subs");
    group->require_subcommand(1);
    add_list(*group, ctx);
    add_create(*group, ctx);
    add_get(*group, ctx);
    add_delete(*group, ctx);
}

}  // namespace agentrail::cli
