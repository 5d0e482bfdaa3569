#pragma once
// `agentrail doctor` as a list of small checks. Each check has an id and gives one result (ok, warn, fail)
// with a detail and a fix hint; it reads what earlier checks found from a DoctorState (the settings, the
// client, whether the server answered and the key was accepted) and records what later ones need. A check
// whose prerequisite failed says "not checked: why". run_doctor() runs them in order, prints the report,
// and rethrows the error of the first failing check, so it is reported and mapped to its exit code like
// any other command's.

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agentrail/agentrail.hpp"
#include "render/render.hpp"

namespace agentrail::cli {

class Context;
struct ResolvedSettings;

struct DoctorResult {
    std::string id;
    std::string result = "ok";  // ok, warn, fail
    std::string detail;
    std::string hint;
    Json extra = Json::object();  // the item's "data" in -o json
    std::exception_ptr error;     // for a fail: what is reported and mapped to the exit code
};

/// What the checks found so far, for the checks after them.
struct DoctorState {
    explicit DoctorState(Context& context) : ctx(context) {}
    Context& ctx;
    const ResolvedSettings* settings = nullptr;  // set by `config` when the settings resolve
    std::unique_ptr<agentrail::Client> client;   // a client that does not retry (`config`, second part)
    std::optional<Response<Health>> health;      // set by `reachability` when GET /health answered
    double health_local_time = 0;                // local clock (epoch seconds) when it answered
    bool authenticated = false;                  // set by `auth`
    bool can_read_tasks = true;                  // false: the key is valid but may not list tasks
};

struct DoctorCheck {
    const char* id;
    /// A result, or nullopt when the check has nothing to report (the client check when it succeeds).
    std::function<std::optional<DoctorResult>(DoctorState&)> run;
};

// The checks, in the order doctor runs them.
std::optional<DoctorResult> doctor_check_config(DoctorState& state);        // settings, config file mode
std::optional<DoctorResult> doctor_check_client(DoctorState& state);        // a client from the settings
std::optional<DoctorResult> doctor_check_reachability(DoctorState& state);  // GET /health, latency
std::optional<DoctorResult> doctor_check_clock_skew(DoctorState& state);    // server time vs local clock
std::optional<DoctorResult> doctor_check_auth(DoctorState& state);          // GET /tasks/mine?limit=1
std::optional<DoctorResult> doctor_check_scopes(DoctorState& state);        // granted scopes, when revealed
std::optional<DoctorResult> doctor_check_tasks(DoctorState& state);         // visible tasks by status
const std::vector<DoctorCheck>& doctor_checks();

/// Every check's result, in order.
std::vector<DoctorResult> run_doctor_checks(Context& ctx);

struct DoctorOptions {};
int run_doctor(const DoctorOptions& options, Context& ctx);

}  // namespace agentrail::cli
