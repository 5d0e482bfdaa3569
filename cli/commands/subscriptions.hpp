#pragma once
// `agentrail subscriptions` (alias `subs`): options and run functions; the wiring is in subscriptions.cpp.

#include <string>
#include <vector>

namespace agentrail::cli {

class Context;

/// `subscriptions create`
struct SubscriptionCreateOptions {
    std::string url, description;
    std::string secret_file;     // read the signing secret from this file
    std::string secret_env;      // ... or from this environment variable
    std::string save_secret_to;  // write a generated secret here (mode 0600) instead of printing it
    std::vector<std::string> event_types;
    std::vector<std::string> tasks;  // ids or keys
};
int run_subscription_create(const SubscriptionCreateOptions& options, Context& ctx);

struct SubscriptionListOptions {};
int run_subscription_list(const SubscriptionListOptions& options, Context& ctx);

/// `subscriptions get|delete ID`
struct SubscriptionRefOptions {
    std::string id;  // evsub_...
};
int run_subscription_get(const SubscriptionRefOptions& options, Context& ctx);
int run_subscription_delete(const SubscriptionRefOptions& options, Context& ctx);

}  // namespace agentrail::cli
