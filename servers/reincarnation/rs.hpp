/// \file rs.hpp
/// \brief The reincarnation server's state: one struct per service, one for RS itself.
///
/// RS is the fault handler and parent of every service. For each service it creates, and
/// keeps across restarts, the endpoint the service serves (the recovery rule: clients'
/// capabilities stay valid) and the capabilities the service receives; each instance is just
/// a process spawned with them.
#pragma once

#include "protocols/rs.hpp"
#include "service_table.hpp"
#include <stdint.h>

namespace rs {

using protocol::rs::FaultType;
using protocol::rs::State;

/// Badges on RS's own endpoint tell who is calling.
inline constexpr uint64_t kReadyBadgeBase = 1;     ///< + index: a service's `ready`
inline constexpr uint64_t kFaultBadgeBase = 0x100; ///< + index: a service's fault or exit message
inline constexpr uint64_t kClientBadge = 0x1000;   ///< the `service` command and tests
inline constexpr uint64_t kGarbageBadge = 0x6a7b;  ///< RS's capability for garbage-IPC injection
inline constexpr uint64_t kRsDsBadge = 0x200;      ///< RS's own capability to the data store
inline constexpr uint64_t kTickBit = 1ull << 62;   ///< RS's periodic timer, on its notification
inline constexpr uint64_t kTickMs = 10;

/// RS's slots, as init gives them.
inline constexpr abi::CapSlot kSlotTable = 3;      ///< the service table file (Memory)
inline constexpr abi::CapSlot kSlotPorts = 4;      ///< every I/O port
inline constexpr abi::CapSlot kSlotMmio = 5;       ///< the device-memory window
inline constexpr abi::CapSlot kSlotPool = 6;       ///< memory
inline constexpr abi::CapSlot kSlotEndpoint = 7;   ///< RS's endpoint
inline constexpr abi::CapSlot kSlotLegacyVideo = 8;///< the legacy video memory 0xa0000..0xbffff
inline constexpr abi::CapSlot kSlotIrqBase = 16;   ///< IRQ n at 16 + n
inline constexpr abi::CapSlot kSlotModuleBase = 32;///< boot module i at 32 + i

struct Service {
    ServiceConfig cfg;
    unsigned index;
    // Kept across restarts.
    abi::CapSlot endpoint = 0;        ///< the service's endpoint (all rights)
    abi::CapSlot endpoint_rs = 0;     ///< the same, badged kRsBadge: fault injection
    abi::CapSlot endpoint_garbage = 0;///< the same, badged kGarbageBadge: garbage IPC
    abi::CapSlot notification = 0;    ///< the service's own notification
    abi::CapSlot ping = 0;            ///< the same, badged kPingBit
    abi::CapSlot ready = 0;           ///< RS's endpoint badged for `ready`
    abi::CapSlot fault = 0;           ///< RS's endpoint badged for faults
    abi::CapSlot data_store = 0;      ///< the data store badged with the service's id
    abi::CapSlot pong = 0;            ///< RS's notification badged 1 << index
    abi::CapSlot resources[kMaxResourceSlots] = {};  ///< By slot: resources[i] goes to kSlotFirstResource + i.
    // pci= / pci_class= (pci.cpp): the first of the device's kPciSlots slots; whether RS still
    // waits for the PCI driver's device list to choose the device; the device, once chosen.
    unsigned pci_first_slot = 0;
    bool pci_waiting = false;
    bool pci_claimed = false;
    uint16_t pci_bdf = 0;
    abi::CapSlot image = 0;           ///< the binary's boot module
    uint64_t text_start = 0, text_end = 0;  ///< for bit flips
    // The current instance.
    abi::CapSlot process = 0;
    int64_t pid = 0;
    State state = State::Down;
    uint64_t started_at = 0, up_since = 0, last_pong = 0, next_ping = 0;
    uint64_t detected_at = 0, next_restart_at = 0;
    uint32_t restarts = 0, consecutive = 0;
    char last_failure[32] = "-";
    uint64_t recovery_us = 0;
    bool fresh_next = false;          ///< the next start ignores saved state (refresh)
    bool stopped = false;             ///< `service down`: do not restart
    // Failures seen, by how they were detected (for campaigns).
    uint64_t by_exception = 0, by_exit = 0, by_heartbeat = 0, by_timeout = 0, by_complaint = 0;
};

/// A fault-injection campaign in progress against one service.
struct Campaign {
    bool running = false;
    unsigned service = 0;
    uint64_t remaining = 0;
    uint64_t seed = 0;
    uint64_t injected_at = 0;
    bool observing = false;
    uint64_t failures_before = 0;
    protocol::rs::CampaignReport report{};
};

struct Rs {
    ServiceTable table;
    Service services[kMaxServices];
    unsigned count = 0;
    unsigned boot_next = 0;           ///< The boot sequence: the next service to start for the first time.
    int boot_waiting = -1;            ///< The service the boot sequence waits for (ready or failed), or -1.
    abi::CapSlot heartbeat = 0;       ///< RS's notification: ticks and pongs
    abi::CapSlot data_store = 0;      ///< RS's capability to the data store, or 0
    char module_names[32][16] = {};
    unsigned module_count = 0;
    Campaign campaign;
    /// `drv.<label>` changes not yet accepted by the data store.
    struct Event {
        unsigned service;
        bool up;
    };
    Event events[kMaxServices];
    unsigned event_count = 0;
    uint64_t random_state = 0x2545f4914f6cdd1dull;
    abi::CapSlot pending_delete = 0;  ///< A capability sent with the last reply, deleted after it.
};

extern Rs g_rs;

// services.cpp
Service* find_service(const char* label);
void setup_services();
void boot_sequence_next();
void start_instance(Service& s);
void failure(Service& s, const char* reason, uint64_t now);
void service_ready(Service& s, uint64_t now);
void tick(uint64_t now);
void stop_service(Service& s);
/// Queues `drv.<label>` = "up"/"down" for the data store (sent without blocking, on ticks).
void publish_state(const Service& s, const char* state);

// pci.cpp: handing PCI devices to the services that name them with pci= or pci_class=.
/// prepare(): resource `r` of `s` is a PCI device, chosen once the PCI driver has reported.
bool pci_expect(Service& s, const Resource& r, unsigned first_slot);
/// start_instance(): false while `s` waits for its device, or if it has none (then `s` failed).
bool pci_ready_to_start(Service& s);
/// A protocol::pci::kReport message: one device from the `pci` service (anyone else is refused).
ipc::Message pci_report(const ipc::Message& m);

// injection.cpp
/// Injects `fault` into `s`; returns false if the service could not take it now.
bool inject(Service& s, FaultType fault, uint64_t seed);
void campaign_step(uint64_t now);
uint64_t random_next(uint64_t& state);

} // namespace rs
