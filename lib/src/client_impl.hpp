#pragma once
// Client's private state, shared with EventStream (which a Client makes).

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agentrail/client.hpp"
#include "agentrail/context.hpp"
#include "client_core.hpp"

namespace agentrail {

struct Client::Impl {
    std::shared_ptr<detail::ClientCore> core;
    std::optional<CallContext> context;  // with_context()'s; unset: the client's own

    const CallContext& call_context() const { return context ? *context : core->options.context; }

    /// ClientCore::execute under this client's context.
    HttpResponse execute(Method method, std::string_view path, const std::string* body,
                         const Headers& extra_headers, const std::string& idempotency_key,
                         bool authenticated = true) const {
        return core->execute(method, path, body, extra_headers, idempotency_key, authenticated,
                             &call_context());
    }

    template <typename T>
    Response<T> get(const std::string& path, bool bare = false, bool authenticated = true);

    /// A mutation with a JSON body. The key is the caller's, or a fresh random one made here, once per
    /// call, so this call's retries resend it and no later call can be mistaken for a replay of this one.
    template <typename T>
    Response<T> mutate(Method method, const std::string& path, const std::optional<nlohmann::json>& body,
                       const MutationOptions& options);
};

}  // namespace agentrail
