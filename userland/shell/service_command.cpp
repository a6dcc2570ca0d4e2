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
using rs_client::set_label;

void usage()
{
    console::puts("usage: service list | up|down|restart|refresh LABEL | fi LABEL FAULT [--seed N] | "
                  "campaign LABEL COUNT [--seed N]\n");
}

void no_such_service(const char* label) { console::print("service: no such service '%s'\n", label); }

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
void do_list()
{
    console::print("%-8s %5s %-10s %8s  %-28s %12s %10s\n", "label", "pid", "state", "restarts", "last failure",
                   "recovery us", "uptime ms");
    for (uint64_t i = 0;; ++i) {
        ipc::Message m;
        ipc::pack(m, kList, ListRequest{i});
        ipc::Result r = ipc::call(kRsSlot, m);
        if (!r.ok()) {
            console::print("service: cannot reach RS: %s\n", abi::error_name(r.error));
            return;
        }
        ServiceStatus st = ipc::unpack<ServiceStatus>(r.message);
        if (st.status) return;
        st.label[sizeof(st.label) - 1] = '\0';
        st.last_failure[sizeof(st.last_failure) - 1] = '\0';
        console::print("%-8s %5lu %-10s %8u  %-28s %12lu %10lu\n", st.label, st.pid, state_name(st.state),
                       st.restarts, st.last_failure, st.recovery_us, st.uptime_ms);
    }
}

/// Prints RS's reply to a request about `label`. \return The reply's status as an error.
abi::Error report(const char* what, const char* label, const ipc::Result& r)
{
    if (!r.ok()) {
        console::print("service: cannot reach RS: %s\n", abi::error_name(r.error));
        return r.error;
    }
    Reply rep = ipc::unpack<Reply>(r.message);
    rep.message[sizeof(rep.message) - 1] = '\0';
    abi::Error err = static_cast<abi::Error>(rep.status);
    if (err == abi::Error::NotFound) no_such_service(label);
    else if (err == abi::Error::None) console::print("service: %s: %s\n", what, rep.message);
    else console::print("service: %s: %s (%s)\n", what, rep.message, abi::error_name(err));
    return err;
}

/// up, down, restart, refresh.
void do_control(uint32_t request, const char* label)
{
    if (!label_fits(label)) return;
    NameRequest req{};
    set_label(req, label);
    ipc::Message m;
    ipc::pack(m, request, req);
    ipc::Result r = ipc::call(kRsSlot, m);
    // A console device just stopped: stop writing to it before the report, which would wait
    // for it forever.
    if (request == kDown && r.ok() && ipc::unpack<Reply>(r.message).status == 0) sources::stopped(label);
    report(label, label, r);
}

void do_fi(const char* label, const char* fault, uint64_t seed)
{
    if (!label_fits(label)) return;
    InjectRequest req{};
    set_label(req, label);
    if (!parse_fault(fault, req.fault)) {
        console::print("service: unknown fault '%s'\n", fault);
        return;
    }
    req.seed = seed;
    char what[64];
    format(what, sizeof(what), "fi %s %s", label, fault);
    // The service may be busy (or restarting) for a moment: RS says WouldBlock; try for a second.
    uint64_t deadline = sys::clock_ns() + 1000000000ull;
    for (;;) {
        ipc::Message m;
        ipc::pack(m, kInject, req);
        ipc::Result r = ipc::call(kRsSlot, m);
        bool busy = r.ok() && static_cast<abi::Error>(ipc::unpack<Reply>(r.message).status) == abi::Error::WouldBlock;
        if (!busy) {
            report(what, label, r);
            return;
        }
        if (sys::clock_ns() >= deadline) break;
        sys::sleep_ns(10000000);
    }
    console::print("service: %s: the service never took it\n", what);
}

void do_campaign(const char* label, uint64_t count, uint64_t seed)
{
    if (!label_fits(label)) return;
    CampaignRequest req{};
    set_label(req, label);
    req.count = count;
    req.seed = seed;
    ipc::Message m;
    ipc::pack(m, kCampaign, req);
    ipc::Result r = ipc::call(kRsSlot, m);
    if (!r.ok()) {
        console::print("service: cannot reach RS: %s\n", abi::error_name(r.error));
        return;
    }
    CampaignReport rep = ipc::unpack<CampaignReport>(r.message);
    if (static_cast<abi::Error>(rep.status) == abi::Error::NotFound) return no_such_service(label);
    if (rep.status) {
        console::print("service: campaign: %s\n", abi::error_name(static_cast<abi::Error>(rep.status)));
        return;
    }
    // RS runs the campaign on its own clock; ask for the report until it is no longer Busy.
    uint64_t start = sys::clock_ns();
    do {
        sys::sleep_ns(50000000);
        r = ipc::call(kRsSlot, ipc::make(kCampaign));
        if (!r.ok()) {
            console::print("service: cannot reach RS: %s\n", abi::error_name(r.error));
            return;
        }
        rep = ipc::unpack<CampaignReport>(r.message);
    } while (static_cast<abi::Error>(rep.status) == abi::Error::Busy);
    uint64_t ms = (sys::clock_ns() - start) / 1000000;
    console::print("service: campaign %s: %lu injected; detected %lu by exception, %lu by exit, %lu by heartbeat; "
                   "%lu recovered, %lu no effect, %lu left down; %lu ms\n",
                   label, rep.injected, rep.detected_exception, rep.detected_exit, rep.detected_heartbeat,
                   rep.recovered, rep.no_effect, rep.still_down, ms);
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

void service_command(int argc, char** argv)
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
    usage();
}

} // namespace shell
