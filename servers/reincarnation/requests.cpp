/// \file requests.cpp
/// \brief The `service` command's requests (list, up, down, restart, refresh, fault injection, campaigns, lookup), and services' complaints about the services they use.
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "rs.hpp"
#include "service.hpp"
#include "sys.hpp"

namespace rs {

namespace {

using namespace protocol::rs;

ipc::Message reply(uint32_t label, abi::Error status, const char* message)
{
    Reply r{};
    r.status = static_cast<uint32_t>(status);
    size_t n = strnlen_bounded(message, sizeof(r.message) - 1);
    memcpy(r.message, message, n);
    ipc::Message m;
    ipc::pack(m, label, r);
    return m;
}

/// The service named in a request, or nullptr.
template <typename T>
Service* named(const T& request)
{
    char label[kLabelBytes];
    memcpy(label, request.label, sizeof(label));
    label[sizeof(label) - 1] = '\0';
    return find_service(label);
}

ipc::Message do_list(const ipc::Message& m)
{
    ListRequest req = ipc::unpack<ListRequest>(m);
    ServiceStatus st{};
    if (req.index >= g_rs.count) {
        st.status = static_cast<uint32_t>(abi::Error::NotFound);
    } else {
        const Service& s = g_rs.services[req.index];
        memcpy(st.label, s.cfg.label, sizeof(st.label));
        st.pid = s.pid;
        st.state = s.state;
        st.restarts = s.restarts;
        memcpy(st.last_failure, s.last_failure, sizeof(st.last_failure));
        st.recovery_us = s.recovery_us;
        st.uptime_ms = s.state == State::Up ? (sys::clock_ns() - s.up_since) / 1000000 : 0;
    }
    ipc::Message out;
    ipc::pack(out, kList, st);
    return out;
}

ipc::Message do_control(const ipc::Message& m)
{
    Service* s = named(ipc::unpack<NameRequest>(m));
    if (!s) return reply(m.label, abi::Error::NotFound, "no such service");
    uint64_t now = sys::clock_ns();
    switch (m.label) {
    case kUp:
        if (s->state == State::Up || s->state == State::Starting) return reply(m.label, abi::Error::Busy, "already running");
        if (s->state == State::Queued) return reply(m.label, abi::Error::Busy, "queued to start at boot");
        s->restarts = 0;
        s->consecutive = 0;
        start_instance(*s);
        return reply(m.label, abi::Error::None, "started");
    case kDown:
        stop_service(*s);
        s->state = State::Down;
        publish_state(*s, "down");
        print("rs: %s stopped by request\n", s->cfg.label);
        return reply(m.label, abi::Error::None, "stopped");
    case kRefresh: s->fresh_next = true; [[fallthrough]];
    case kRestart:
        if (s->state != State::Up && s->state != State::Starting) return reply(m.label, abi::Error::Busy, "not running");
        failure(*s, m.label == kRefresh ? "refresh requested" : "restart requested", now);
        return reply(m.label, abi::Error::None, "restarting");
    default: return reply(m.label, abi::Error::InvalidArgument, "bad request");
    }
}

ipc::Message do_inject(const ipc::Message& m)
{
    InjectRequest req = ipc::unpack<InjectRequest>(m);
    Service* s = named(req);
    if (!s) return reply(m.label, abi::Error::NotFound, "no such service");
    if (static_cast<uint32_t>(req.fault) < 1 || static_cast<uint32_t>(req.fault) > 7)
        return reply(m.label, abi::Error::InvalidArgument, "unknown fault");
    // A fault injected on purpose says nothing about a flapping service: no backoff for it.
    s->consecutive = 0;
    if (!inject(*s, req.fault, req.seed)) return reply(m.label, abi::Error::WouldBlock, "service busy or down");
    print("rs: injected %s into %s (seed %lu)\n", fault_name(req.fault), s->cfg.label, req.seed);
    return reply(m.label, abi::Error::None, "injected");
}

ipc::Message do_campaign(const ipc::Message& m)
{
    CampaignReport report{};
    Campaign& c = g_rs.campaign;
    if (m.length == 0) {
        // A status request: the report so far, with status Busy while it runs.
        report = c.report;
        report.status = static_cast<uint32_t>(c.running ? abi::Error::Busy : abi::Error::None);
    } else {
        CampaignRequest req = ipc::unpack<CampaignRequest>(m);
        Service* s = named(req);
        if (!s) report.status = static_cast<uint32_t>(abi::Error::NotFound);
        else if (c.running) report.status = static_cast<uint32_t>(abi::Error::Busy);
        else {
            c = Campaign{};
            c.running = true;
            c.service = s->index;
            c.remaining = req.count;
            c.seed = req.seed ? req.seed : 1;
            s->by_exception = s->by_exit = s->by_heartbeat = s->by_timeout = s->by_complaint = 0;
            print("rs: campaign of %lu faults against %s (seed %lu)\n", req.count, s->cfg.label, req.seed);
        }
    }
    ipc::Message out;
    ipc::pack(out, kCampaign, report);
    return out;
}

ipc::Message do_lookup(const ipc::Message& m)
{
    // A capability to a service's endpoint (send only), the way clients find servers.
    Service* s = named(ipc::unpack<NameRequest>(m));
    if (!s) return reply(m.label, abi::Error::NotFound, "no such service");
    ipc::Message out = reply(m.label, abi::Error::None, s->cfg.label);
    // Send and Grant: clients pass notification capabilities when they subscribe. Each lookup
    // gets its own badge, so a server (the data store, say) can tell its clients apart.
    static uint64_t s_next_client = protocol::rs::kServiceBadgeBase + 0x10000;
    int64_t copy = sys::cap_mint(s->endpoint, 0, abi::rights::kWrite | abi::rights::kGrant, s_next_client++);
    if (copy > 0) {
        // Sent with the reply; RS's copy goes once the kernel has made the client's.
        out.cap_count = 1;
        out.send_caps[0] = static_cast<abi::CapSlot>(copy);
        g_rs.pending_delete = static_cast<abi::CapSlot>(copy);
    }
    return out;
}

/// Whether `user`'s table line says `uses=` `label`.
bool uses(const ServiceConfig& user, const char* label)
{
    for (unsigned i = 0; i < user.resource_count; ++i) {
        const Resource& r = user.resources[i];
        if (r.kind == ResourceKind::Uses && strcmp(r.label, label) == 0) return true;
    }
    return false;
}

} // namespace

// [rs-complaint]
ipc::Message complaint(Service& from, const ipc::Message& m, uint64_t now)
{
    // (1) A well-formed request naming a service (2) that the complainer uses: its word counts
    // only against a service it depends on. (3) A running one: one restart per episode.
    if (m.length != sizeof(NameRequest) / 8) return reply(m.label, abi::Error::InvalidArgument, "malformed request");
    Service* s = named(ipc::unpack<NameRequest>(m));
    if (!s) return reply(m.label, abi::Error::NotFound, "no such service");
    if (!uses(from.cfg, s->cfg.label)) return reply(m.label, abi::Error::InsufficientRights, "not a service it uses");
    if (s->state != State::Up) return reply(m.label, abi::Error::Busy, "not running");
    // (4) Detected, like a missed heartbeat: the usual restart, backoff and budget follow.
    char reason[48];
    format(reason, sizeof(reason), "complaint from %s", from.cfg.label);
    ++s->by_complaint;
    failure(*s, reason, now);
    return reply(m.label, abi::Error::None, "restarting");
}
// [rs-complaint]

ipc::Message handle_request(const ipc::Message& m)
{
    // Every request is checked for its exact size before it is read.
    switch (m.label) {
    case kList:
        if (m.length == sizeof(ListRequest) / 8) return do_list(m);
        break;
    case kUp:
    case kDown:
    case kRestart:
    case kRefresh:
        if (m.length == sizeof(NameRequest) / 8) return do_control(m);
        break;
    case kInject:
        if (m.length == sizeof(InjectRequest) / 8) return do_inject(m);
        break;
    case kCampaign:
        if (m.length == 0 || m.length == sizeof(CampaignRequest) / 8) return do_campaign(m);
        break;
    case kLookup:
        if (m.length == sizeof(NameRequest) / 8) return do_lookup(m);
        break;
    default: break;
    }
    return reply(m.label, abi::Error::InvalidArgument, "malformed request");
}

} // namespace rs
