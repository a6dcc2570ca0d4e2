/// \file service_command.cpp
/// \brief The `service` command: list, up, down, restart, refresh, fault injection and campaigns, through RS.
#include "commands.hpp"
#include "console.hpp"
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "rs_client.hpp"
#include "sources.hpp"
#include "sys.hpp"

namespace shell {

namespace {

using namespace protocol::rs;
using rs_client::kRsSlot;

/// Exit statuses: 0 done, 1 refused or failed, 2 bad usage (as the POSIX utilities use them).
int usage()
{
    console::puts("usage: service list | up|down|restart|refresh LABEL | fi LABEL FAULT [--seed N] | "
                  "campaign LABEL COUNT [--seed N]\n");
    return 2;
}

int no_such_service(const char* label)
{
    console::print("service: no such service '%s'\n", label);
    return 1;
}

/// A label RS could hold (it keeps 15 characters; a longer one would be cut to someone else's).
bool label_fits(const char* label)
{
    if (strlen(label) < sizeof(NameRequest::label)) return true;
    no_such_service(label);
    return false;
}

/// Parses an optional "--seed N" at argv[at..]. \return false if something else is there.
bool optional_seed(int argc, char** argv, int at, uint64_t& seed)
{
    seed = 1;
    if (argc == at) return true;
    return argc == at + 2 && strcmp(argv[at], "--seed") == 0 && parse_number(argv[at + 1], seed);
}

/// The same table as `rsctl list`.
int do_list()
{
    console::print("%-8s %5s %-10s %8s  %-28s %12s %10s\n", "label", "pid", "state", "restarts", "last failure",
                   "recovery us", "uptime ms");
    ServiceStatus st{};
    for (uint64_t i = 0;; ++i) {
        abi::Error e = Client(kRsSlot).status(i, st);
        if (e != abi::Error::None) {
            console::print("service: cannot reach RS: %s\n", abi::error_name(e));
            return 1;
        }
        if (st.status) return 0;
        console::print("%-8s %5lu %-10s %8u  %-28s %12lu %10lu\n", st.label, st.pid, state_name(st.state),
                       st.restarts, st.last_failure, st.recovery_us, st.uptime_ms);
    }
}

/// Prints RS's reply to a request about `label`. \return The reply's status as an error.
abi::Error report(const char* what, const char* label, abi::Error transport, const Reply& rep)
{
    if (transport != abi::Error::None) {
        console::print("service: cannot reach RS: %s\n", abi::error_name(transport));
        return transport;
    }
    abi::Error err = static_cast<abi::Error>(rep.status);
    if (err == abi::Error::NotFound) no_such_service(label);
    else if (err == abi::Error::None) console::print("service: %s: %s\n", what, rep.message);
    else console::print("service: %s: %s (%s)\n", what, rep.message, abi::error_name(err));
    return err;
}

/// up, down, restart, refresh.
int do_control(uint32_t request, const char* label)
{
    if (!label_fits(label)) return 1;
    Reply rep{};
    abi::Error e = Client(kRsSlot).control(static_cast<Label>(request), label, rep);
    // A console device just stopped: stop writing to it before the report, which would wait
    // for it forever.
    if (request == kDown && e == abi::Error::None && rep.status == 0) sources::stopped(label);
    return report(label, label, e, rep) == abi::Error::None ? 0 : 1;
}

int do_fi(const char* label, const char* fault_name, uint64_t seed)
{
    if (!label_fits(label)) return 1;
    FaultType fault;
    if (!parse_fault(fault_name, fault)) {
        console::print("service: unknown fault '%s'\n", fault_name);
        return 2;
    }
    char what[64];
    format(what, sizeof(what), "fi %s %s", label, fault_name);
    Reply rep{};
    abi::Error e = Client(kRsSlot).inject(label, fault, seed, rep);
    if (e == abi::Error::None && static_cast<abi::Error>(rep.status) == abi::Error::WouldBlock) {
        console::print("service: %s: the service never took it\n", what);
        return 1;
    }
    return report(what, label, e, rep) == abi::Error::None ? 0 : 1;
}

int do_campaign(const char* label, uint64_t count, uint64_t seed)
{
    if (!label_fits(label)) return 1;
    CampaignReport rep{};
    abi::Error e = Client(kRsSlot).start_campaign(label, count, seed, rep);
    if (e != abi::Error::None) {
        console::print("service: cannot reach RS: %s\n", abi::error_name(e));
        return 1;
    }
    if (static_cast<abi::Error>(rep.status) == abi::Error::NotFound) return no_such_service(label);
    if (rep.status) {
        console::print("service: campaign: %s\n", abi::error_name(static_cast<abi::Error>(rep.status)));
        return 1;
    }
    // RS runs the campaign on its own clock; wait for the report.
    uint64_t start = sys::clock_ns();
    e = Client(kRsSlot).wait_campaign(rep);
    if (e != abi::Error::None) {
        console::print("service: cannot reach RS: %s\n", abi::error_name(e));
        return 1;
    }
    uint64_t ms = (sys::clock_ns() - start) / 1000000;
    console::print("service: campaign %s: %lu injected; detected %lu by exception, %lu by exit, %lu by heartbeat; "
                   "%lu recovered, %lu no effect, %lu left down; %lu ms\n",
                   label, rep.injected, rep.detected_exception, rep.detected_exit, rep.detected_heartbeat,
                   rep.recovered, rep.no_effect, rep.still_down, ms);
    return 0;
}

/// The request label of up/down/restart/refresh, or 0.
uint32_t control_request(const char* word)
{
    if (strcmp(word, "up") == 0) return kUp;
    if (strcmp(word, "down") == 0) return kDown;
    if (strcmp(word, "restart") == 0) return kRestart;
    if (strcmp(word, "refresh") == 0) return kRefresh;
    return 0;
}

} // namespace

int service_command(int argc, char** argv)
{
    const char* sub = argc > 1 ? argv[1] : "";
    uint64_t seed = 1;
    uint64_t count = 0;
    if (strcmp(sub, "list") == 0 && argc == 2) return do_list();
    if (uint32_t request = control_request(sub); request && argc == 3) return do_control(request, argv[2]);
    if (strcmp(sub, "fi") == 0 && argc >= 4 && optional_seed(argc, argv, 4, seed))
        return do_fi(argv[2], argv[3], seed);
    if (strcmp(sub, "campaign") == 0 && argc >= 4 && parse_number(argv[3], count) && count > 0 &&
        optional_seed(argc, argv, 4, seed))
        return do_campaign(argv[2], count, seed);
    return usage();
}

int fi_command(int argc, char** argv)
{
    // `fi LABEL FAULT [--seed N]` and `fi campaign LABEL COUNT [--seed N]`: shorthands for the
    // service command's fi and campaign.
    uint64_t seed = 1;
    uint64_t count = 0;
    if (argc >= 4 && strcmp(argv[1], "campaign") == 0) {
        if (parse_number(argv[3], count) && count > 0 && optional_seed(argc, argv, 4, seed))
            return do_campaign(argv[2], count, seed);
    } else if (argc >= 3 && optional_seed(argc, argv, 3, seed)) {
        return do_fi(argv[1], argv[2], seed);
    }
    console::puts("usage: fi LABEL FAULT [--seed N] | fi campaign LABEL COUNT [--seed N]\n");
    return 2;
}

} // namespace shell
