/// \file rs.hpp
/// \brief The reincarnation server's protocols: what services tell RS, what RS tells services, and the `service` command's requests.
///
/// Every service RS starts finds the same capabilities in the same slots (see service.hpp), and
/// talks to RS in three ways: a `ready` call once initialised, a pong (a signal of RS's heartbeat
/// notification) for every ping (a signal of its own notification), and, when it dies, the
/// kernel's fault or exit message to RS's endpoint. Fault injection arrives as a message with
/// kFaultInjectLabel from RS's own capability to the service's endpoint.
#pragma once

#include "ipc.hpp"
#include "lib/string.hpp"
#include <stdint.h>

namespace protocol::rs {

/// Slots every service starts with.
inline constexpr abi::CapSlot kSlotEndpoint = 3;      ///< The endpoint it serves (owned by RS).
inline constexpr abi::CapSlot kSlotRs = 4;            ///< RS's endpoint, badged with the service's id.
inline constexpr abi::CapSlot kSlotDs = 5;            ///< The data store, badged with the service's id (0 for ds).
inline constexpr abi::CapSlot kSlotNotification = 6;  ///< Its own notification (Read and Write), bound to its
                                                      ///< thread; mint badged copies for IRQs and timers.
inline constexpr abi::CapSlot kSlotHeartbeat = 7;     ///< RS's heartbeat notification, badged 1 << id.
inline constexpr abi::CapSlot kSlotFirstResource = 8; ///< IRQs, ports, MMIO, endpoints from the table, in order.

/// Bits RS signals on a service's notification.
inline constexpr uint64_t kPingBit = 1ull << 63;

/// The badge of RS's own capability to each service endpoint (fault injection, garbage IPC).
inline constexpr uint64_t kRsBadge = 0xfffffffffffffffeull;
/// Badges RS puts on the capabilities it hands out to other services' endpoints (`uses=`:
/// + the user's index; `lookup`: + 0x10000 + a counter) are at or above this, so a server whose
/// own clients are numbered by process id (fs, proc) can tell services from processes.
inline constexpr uint64_t kServiceBadgeBase = 1ull << 32;

enum Label : uint32_t {
    kReady = 1,               ///< service -> RS: initialisation done (call; RS replies)
    kFaultInjectLabel = 0xf1, ///< RS -> service: words: FaultType, seed
    // The `service` command -> RS (call):
    kList = 10,       ///< ListRequest -> ServiceStatus (status NotFound past the last)
    kUp = 11,         ///< NameRequest -> Reply: start a service that is down
    kDown = 12,       ///< NameRequest -> Reply: stop a service and keep it down
    kRestart = 13,    ///< NameRequest -> Reply: kill and restart (state restored if mode restart)
    kRefresh = 14,    ///< NameRequest -> Reply: restart with fresh state
    kInject = 15,     ///< InjectRequest -> Reply: inject one fault
    kCampaign = 16,   ///< CampaignRequest -> CampaignReport: start; no words -> the report so far
    kLookup = 17,     ///< NameRequest -> Reply + a capability to the service's endpoint (Write, Grant)
    /// A service -> RS, on its own RS capability (kSlotRs): NameRequest -> Reply. A service it
    /// `uses=` misbehaves in a way RS cannot see (it fails requests but answers its pings); RS
    /// restarts it (MINIX 3's complaints). Only a user of the service may complain about it.
    kComplain = 18,
};

enum class FaultType : uint32_t {
    Crash = 1,      ///< null dereference
    Panic = 2,      ///< the service calls panic(): a message, then exit code 255
    Exit = 3,       ///< exit(1) out of the blue
    Hang = 4,       ///< an endless loop: only the heartbeat can tell
    WildWrite = 5,  ///< a random store into its own data
    BitFlip = 6,    ///< RS flips random bits in its text pages, from outside (SWIFI)
    BadIpc = 7,     ///< RS sends it garbage messages
};

inline const char* fault_name(FaultType f)
{
    switch (f) {
    case FaultType::Crash: return "crash";
    case FaultType::Panic: return "panic";
    case FaultType::Exit: return "exit";
    case FaultType::Hang: return "hang";
    case FaultType::WildWrite: return "wildwrite";
    case FaultType::BitFlip: return "bitflip";
    case FaultType::BadIpc: return "badipc";
    }
    return "?";
}

/// Parses a fault name; returns false if unknown.
inline bool parse_fault(const char* name, FaultType& out)
{
    for (uint32_t f = 1; f <= 7; ++f) {
        if (strcmp(name, fault_name(static_cast<FaultType>(f))) == 0) {
            out = static_cast<FaultType>(f);
            return true;
        }
    }
    return false;
}

struct NameRequest {
    char label[16];
};
static_assert(sizeof(NameRequest) == 16);

struct ListRequest {
    uint64_t index;
};
static_assert(sizeof(ListRequest) == 8);

struct InjectRequest {
    char label[16];
    FaultType fault;
    uint32_t reserved;
    uint64_t seed;
};
static_assert(sizeof(InjectRequest) == 32);

struct CampaignRequest {
    char label[16];
    uint64_t count;
    uint64_t seed;
};
static_assert(sizeof(CampaignRequest) == 32);

struct Reply {
    uint32_t status;  ///< 0 or an abi::Error number
    uint32_t reserved;
    char message[56];
};
static_assert(sizeof(Reply) == 64);

/// Queued: not started yet, waiting for its turn in the boot sequence (services start one by one).
enum class State : uint32_t { Down = 0, Starting = 1, Up = 2, Restarting = 3, Failed = 4, Queued = 5 };

inline const char* state_name(State s)
{
    switch (s) {
    case State::Down: return "down";
    case State::Starting: return "starting";
    case State::Up: return "up";
    case State::Restarting: return "restarting";
    case State::Failed: return "failed";
    case State::Queued: return "queued";
    }
    return "?";
}

struct ServiceStatus {
    char label[16];
    uint64_t pid;
    State state;
    uint32_t restarts;
    char last_failure[32];   ///< "exception: page fault", "exit 1", "heartbeat", "init timeout", ...
    uint64_t recovery_us;    ///< Detection to the new instance's ready, last time.
    uint64_t uptime_ms;
    uint32_t status;         ///< NotFound past the last service.
    uint32_t reserved;
};
static_assert(sizeof(ServiceStatus) == 88);

struct CampaignReport {
    uint64_t injected;
    uint64_t detected_exception;
    uint64_t detected_exit;
    uint64_t detected_heartbeat;
    uint64_t recovered;
    uint64_t no_effect;
    uint64_t still_down;
    uint32_t status;
    uint32_t reserved;
};
static_assert(sizeof(CampaignReport) == 64);

/// A typed client for RS's `service` requests. Every method returns the transport error
/// (None when RS answered); RS's own verdict is in the reply's `status`.
class Client {
public:
    explicit Client(abi::CapSlot rs) : m_rs(rs) {}

    /// A capability (Write, Grant) to service `label`'s endpoint, or kNullSlot.
    abi::CapSlot lookup(const char* label) const
    {
        ipc::Message m;
        ipc::pack(m, kLookup, name(label));
        ipc::Result r = ipc::call(m_rs, m);
        if (!r.ok() || r.message.cap_count != 1 || ipc::unpack<Reply>(r.message).status != 0) return abi::kNullSlot;
        return r.message.send_caps[0];
    }

    /// The index-th service; `out.status` is NotFound past the last one.
    abi::Error status(uint64_t index, ServiceStatus& out) const
    {
        ipc::Message m;
        ipc::pack(m, kList, ListRequest{index});
        ipc::Result r = ipc::call(m_rs, m);
        if (!r.ok()) return r.error;
        out = ipc::unpack<ServiceStatus>(r.message);
        out.label[sizeof(out.label) - 1] = '\0';
        out.last_failure[sizeof(out.last_failure) - 1] = '\0';
        return abi::Error::None;
    }

    /// The status of service `label`; false if RS does not know it or cannot be reached.
    bool status_of(const char* label, ServiceStatus& out) const
    {
        for (uint64_t i = 0;; ++i) {
            if (status(i, out) != abi::Error::None || out.status) return false;
            if (strcmp(out.label, label) == 0) return true;
        }
    }

    /// kUp, kDown, kRestart or kRefresh for `label`.
    abi::Error control(Label op, const char* label, Reply& out) const
    {
        ipc::Message m;
        ipc::pack(m, op, name(label));
        return reply_of(ipc::call(m_rs, m), out);
    }

    /// kComplain about `label` (from a service, through its kSlotRs capability).
    abi::Error complain(const char* label, Reply& out) const
    {
        ipc::Message m;
        ipc::pack(m, kComplain, name(label));
        return reply_of(ipc::call(m_rs, m), out);
    }

    /// Injects `fault`. A busy service cannot take it at once (RS says WouldBlock): this tries
    /// again for up to a second.
    abi::Error inject(const char* label, FaultType fault, uint64_t seed, Reply& out) const
    {
        InjectRequest req{};
        copy_label(req.label, label);
        req.fault = fault;
        req.seed = seed;
        uint64_t deadline = sys::clock_ns() + 1000000000ull;
        for (;;) {
            ipc::Message m;
            ipc::pack(m, kInject, req);
            abi::Error e = reply_of(ipc::call(m_rs, m), out);
            if (e != abi::Error::None || static_cast<abi::Error>(out.status) != abi::Error::WouldBlock ||
                sys::clock_ns() >= deadline)
                return e;
            sys::sleep_ns(10000000);
        }
    }

    /// Starts a campaign; `out.status` is NotFound or Busy if it cannot start.
    abi::Error start_campaign(const char* label, uint64_t count, uint64_t seed, CampaignReport& out) const
    {
        CampaignRequest req{};
        copy_label(req.label, label);
        req.count = count;
        req.seed = seed;
        ipc::Message m;
        ipc::pack(m, kCampaign, req);
        return report_of(ipc::call(m_rs, m), out);
    }

    /// The campaign's report so far, without waiting: `out.status` is Busy while it runs.
    abi::Error campaign_report(CampaignReport& out) const { return report_of(ipc::call(m_rs, ipc::make(kCampaign)), out); }

    /// Waits (polling every 50 ms) until the campaign is over, and returns its report.
    abi::Error wait_campaign(CampaignReport& out) const
    {
        for (;;) {
            sys::sleep_ns(50000000);
            abi::Error e = report_of(ipc::call(m_rs, ipc::make(kCampaign)), out);
            if (e != abi::Error::None || static_cast<abi::Error>(out.status) != abi::Error::Busy) return e;
        }
    }

private:
    static void copy_label(char (&field)[16], const char* label)
    {
        memcpy(field, label, strnlen_bounded(label, sizeof(field) - 1));
    }
    static NameRequest name(const char* label)
    {
        NameRequest req{};
        copy_label(req.label, label);
        return req;
    }
    static abi::Error reply_of(const ipc::Result& r, Reply& out)
    {
        if (!r.ok()) return r.error;
        out = ipc::unpack<Reply>(r.message);
        out.message[sizeof(out.message) - 1] = '\0';
        return abi::Error::None;
    }
    static abi::Error report_of(const ipc::Result& r, CampaignReport& out)
    {
        if (!r.ok()) return r.error;
        out = ipc::unpack<CampaignReport>(r.message);
        return abi::Error::None;
    }

    abi::CapSlot m_rs;
};

} // namespace protocol::rs
