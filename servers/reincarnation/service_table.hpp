/// \file service_table.hpp
/// \brief The service table: a plain-text file listing every service RS runs, and its parser.
///
/// One service per line; `#` starts a comment. A line is `service <label>` followed by
/// `key=value` fields:
///
/// | field          | meaning                                                            | default  |
/// |----------------|--------------------------------------------------------------------|----------|
/// | binary=NAME    | the boot module to run                                              | required |
/// | args=A,B       | extra arguments (commas become spaces)                              | none     |
/// | irq=N          | an IRQ line (repeatable)                                            |          |
/// | ports=BASE:N   | I/O ports BASE..BASE+N-1 (repeatable)                               |          |
/// | mmio=BASE:SIZE | device memory (repeatable)                                          |          |
/// | uses=LABEL     | a capability to another service's endpoint (repeatable)             |          |
/// | memory=BYTES   | a memory pool of that budget, split from RS's (repeatable)          |          |
/// | pci=VVVV:DDDD  | the BARs, IRQ line and configuration access (8 slots, below) of the first PCI device with this vendor:device (hex) that no other service has | |
/// | pci_class=CC:SS| the same, for the first such device of class CC, subclass SS (hex) |          |
/// | heartbeat=MS   | ping period; no pong within 2 x period means hung (0: no heartbeat) | 500      |
/// | mode=M         | `restart` (state restored from the data store) or `fresh`           | restart  |
/// | budget=N       | restarts allowed before the service is left down                    | 10       |
/// | backoff=MS     | the cap of the exponential restart delay                            | 2000     |
/// | init_timeout=MS| time allowed from start to `ready`                                  | 2000     |
/// | core=yes/no    | a core service's failure is reported loudly                         | no       |
///
/// Resources are handed to the service in the order listed, from slot 8 on, one slot each except
/// `pci=` and `pci_class=` (at most one per service), which take kPciSlots slots laid out as
/// protocol::pci::kSlotBar0 .. kSlotConfig say: BAR0..BAR5, the IRQ line, the PCI driver's
/// endpoint badged for the device. RS also appends `pci=BB:DD.F`, the device's location, to the
/// service's arguments. A malformed line is
/// reported with its number and reason, and skipped; the other services still start.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace rs {

inline constexpr unsigned kMaxServices = 16;
inline constexpr unsigned kMaxResources = 8;
inline constexpr unsigned kLabelBytes = 16;
/// Capability slots a service's resources may fill (slots 8..23): enough for a disk driver's
/// irq, two port ranges, a memory pool and the eight `pci=` slots. Spawn passes up to 64
/// capabilities; every service also gets 5 (protocol::rs::kSlotEndpoint .. kSlotHeartbeat).
inline constexpr unsigned kMaxResourceSlots = 16;
/// The slots `pci=` / `pci_class=` fill (protocol::pci::kResourceSlots).
inline constexpr unsigned kPciSlots = 8;

enum class ResourceKind : uint8_t { Irq, Ports, Mmio, Uses, Memory, Pci, PciClass };

struct Resource {
    ResourceKind kind;
    uint64_t base;             ///< IRQ number, first port, or physical address; PCI vendor or class.
    uint64_t size;             ///< Port count or bytes (0 for IRQ and Uses; the budget for Memory); PCI device or subclass.
    char label[kLabelBytes];   ///< Uses: the service whose endpoint is wanted.
};

struct ServiceConfig {
    char label[kLabelBytes];
    char binary[kLabelBytes];
    char args[64];
    Resource resources[kMaxResources];
    unsigned resource_count;
    uint32_t heartbeat_ms;
    bool restart_mode;         ///< true: `restart`, false: `fresh`
    uint32_t budget;
    uint32_t backoff_ms;
    uint32_t init_timeout_ms;
    bool core;
    unsigned line;             ///< Where it was defined, for messages.
};

struct ParseError {
    unsigned line;
    char reason[72];
};

struct ServiceTable {
    ServiceConfig services[kMaxServices];
    unsigned count = 0;
    ParseError errors[kMaxServices];
    unsigned error_count = 0;
};

/// Parses `text[0..length)` into `table`. Never fails as a whole: bad lines go to table.errors.
void parse_service_table(const char* text, size_t length, ServiceTable& table);

} // namespace rs
