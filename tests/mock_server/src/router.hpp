#pragma once

#include <httplib.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "json.hpp"

namespace mock {

struct App;
struct ApiKey;

enum class AuthMode {
    none,      // public route
    required,  // bearer key required; 401 otherwise
    optional,  // bootstrap create-key: a key is resolved when present
};

struct Ctx {
    App& app;
    const httplib::Request& req;
    httplib::Response& res;
    std::vector<std::string> ids;  // ids captured from the path, in order
    ApiKey* key = nullptr;         // authenticated key, if any (valid while the store mutex is held)
    std::string operation;

    // Counts a denial (403) against the key's usage.
    void deny();
};

using Handler = std::function<void(Ctx&)>;

struct Route {
    std::string method;
    std::vector<std::string> segments;  // literal or {task} {key} {sub} {agent} {decision} {run}
    std::string operation;              // snake_case, for usage attribution
    std::string scope;                  // required scope, empty: none or checked by the handler
    AuthMode auth = AuthMode::required;
    Handler handler;
    bool streams = false;  // answers with an event stream; the store mutex is released before streaming
};

class Router {
public:
    explicit Router(App& app);

    void add(Route route);
    void add_control(std::string method, std::string pattern, Handler handler);

    // Entry point for every request httplib receives.
    void dispatch(const httplib::Request& req, httplib::Response& res);

private:
    const Route* match(const std::vector<Route>& routes, const std::string& method,
                       const std::vector<std::string>& parts, std::vector<std::string>& ids) const;
    void handle_api(const httplib::Request& req, httplib::Response& res, const std::string& path);
    bool authenticate(Ctx& ctx, const Route& route);

    App& m_app;
    std::vector<Route> m_routes;
    std::vector<Route> m_control;
};

// Registration of each route group.
void register_key_routes(Router& router);
void register_task_routes(Router& router);
void register_subscription_routes(Router& router);
void register_stream_routes(Router& router);
void register_provider_routes(Router& router);
void register_operator_routes(Router& router);
void register_control_routes(Router& router);

}  // namespace mock
