/// \file main.cpp
/// \brief `rsctl`: talks to the reincarnation server: list, up, down, restart, refresh, fi, campaign; and hello calls.
///
/// Usage (arguments from init's `run=rsctl:...`, colons become spaces):
///   rsctl wait LABEL                   wait (up to 5 s) until LABEL is up
///   rsctl list
///   rsctl up|down|restart|refresh LABEL
///   rsctl fi LABEL FAULT [SEED]        FAULT: crash panic exit hang wildwrite bitflip badipc
///   rsctl campaign LABEL COUNT [SEED]  runs a campaign and prints the report
///   rsctl hello N                      calls the hello driver N times, retrying on PeerDied
/// init gives it a capability to RS's endpoint in slot 3.
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/hello.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"

namespace {

using namespace protocol::rs;
constexpr abi::CapSlot kRs = 3;
const Client g_rs(kRs);

uint64_t number(const char* s)
{
    uint64_t v = 0;
    for (; s && *s >= '0' && *s <= '9'; ++s) v = v * 10 + (*s - '0');
    return v;
}

int do_list()
{
    print("%-8s %5s %-10s %8s  %-28s %12s %10s\n", "label", "pid", "state", "restarts", "last failure",
          "recovery us", "uptime ms");
    ServiceStatus st{};
    for (uint64_t i = 0; g_rs.status(i, st) == abi::Error::None && st.status == 0; ++i)
        print("%-8s %5lu %-10s %8u  %-28s %12lu %10lu\n", st.label, st.pid, state_name(st.state), st.restarts,
              st.last_failure, st.recovery_us, st.uptime_ms);
    return 0;
}

int do_wait(const char* label)
{
    uint64_t deadline = sys::clock_ns() + 5000000000ull;
    ServiceStatus st{};
    while (sys::clock_ns() < deadline) {
        if (g_rs.status_of(label, st) && st.state == State::Up) {
            print("rsctl: %s is up\n", label);
            return 0;
        }
        sys::sleep_ns(10000000);
    }
    print("rsctl: %s did not come up\n", label);
    return 1;
}

int do_simple(Label op, const char* service)
{
    Reply rep{};
    abi::Error e = g_rs.control(op, service, rep);
    if (e != abi::Error::None) {
        print("rsctl: cannot reach rs: %s\n", abi::error_name(e));
        return 1;
    }
    print("rsctl: %s: %s (%s)\n", service, rep.message, abi::error_name(static_cast<abi::Error>(rep.status)));
    return rep.status == 0 ? 0 : 1;
}

int do_fi(const char* service, const char* fault_name, uint64_t seed)
{
    FaultType fault;
    if (!parse_fault(fault_name, fault)) {
        print("rsctl: unknown fault '%s'\n", fault_name);
        return 2;
    }
    Reply rep{};
    abi::Error e = g_rs.inject(service, fault, seed, rep);
    if (e == abi::Error::None && static_cast<abi::Error>(rep.status) == abi::Error::WouldBlock) {
        print("rsctl: fi %s %s: the service never took it\n", service, fault_name);
        return 1;
    }
    print("rsctl: fi %s %s: %s\n", service, fault_name, e == abi::Error::None ? rep.message : abi::error_name(e));
    return e == abi::Error::None && rep.status == 0 ? 0 : 1;
}

int do_campaign(const char* service, uint64_t count, uint64_t seed)
{
    CampaignReport rep{};
    if (g_rs.start_campaign(service, count, seed, rep) != abi::Error::None || rep.status) {
        print("rsctl: campaign: %s\n", abi::error_name(static_cast<abi::Error>(rep.status)));
        return 1;
    }
    uint64_t start = sys::clock_ns();
    g_rs.wait_campaign(rep);
    uint64_t ms = (sys::clock_ns() - start) / 1000000;
    print("rsctl: campaign %s: %lu injected; detected %lu by exception, %lu by exit, %lu by heartbeat; "
          "%lu recovered, %lu no effect, %lu left down; %lu ms\n",
          service, rep.injected, rep.detected_exception, rep.detected_exit, rep.detected_heartbeat, rep.recovered,
          rep.no_effect, rep.still_down, ms);
    return rep.still_down == 0 && rep.injected == count ? 0 : 1;
}

/// Calls hello N times. On PeerDied (the driver died under us) it retries: the endpoint stays.
int do_hello(uint64_t count)
{
    abi::CapSlot endpoint = g_rs.lookup("hello");
    if (!endpoint) {
        print("rsctl: cannot look up hello\n");
        return 1;
    }
    protocol::hello::Client hello(endpoint);
    int64_t last = 0;
    uint64_t retries = 0;
    for (uint64_t i = 0; i < count; ++i) {
        int64_t n = hello.hello();
        while (n == -static_cast<int64_t>(abi::Error::PeerDied)) {
            ++retries;
            sys::sleep_ns(5000000);
            n = hello.hello();
        }
        if (n < 0) {
            print("rsctl: hello failed: %s\n", abi::error_name(static_cast<abi::Error>(-n)));
            return 1;
        }
        last = n;
    }
    print("rsctl: hello: %lu calls, count now %ld, %lu retries after PeerDied\n", count, last, retries);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    const char* cmd = argc > 1 ? argv[1] : "";
    const char* a = argc > 2 ? argv[2] : "";
    if (strcmp(cmd, "list") == 0) return do_list();
    if (strcmp(cmd, "wait") == 0 && argc > 2) return do_wait(a);
    if (strcmp(cmd, "up") == 0 && argc > 2) return do_simple(kUp, a);
    if (strcmp(cmd, "down") == 0 && argc > 2) return do_simple(kDown, a);
    if (strcmp(cmd, "restart") == 0 && argc > 2) return do_simple(kRestart, a);
    if (strcmp(cmd, "refresh") == 0 && argc > 2) return do_simple(kRefresh, a);
    if (strcmp(cmd, "fi") == 0 && argc > 3) return do_fi(a, argv[3], argc > 4 ? number(argv[4]) : 1);
    if (strcmp(cmd, "campaign") == 0 && argc > 3) return do_campaign(a, number(argv[3]), argc > 4 ? number(argv[4]) : 1);
    if (strcmp(cmd, "hello") == 0 && argc > 2) return do_hello(number(a));
    print("usage: rsctl list | wait L | up L | down L | restart L | refresh L | fi L FAULT [SEED] | "
          "campaign L COUNT [SEED] | hello N\n");
    return 2;
}
