/// \file pci.cpp
/// \brief Handing PCI devices to drivers: the PCI driver's device list, and `pci=` / `pci_class=` turned into BAR, IRQ and configuration capabilities.
///
/// A PCI device reaches its driver in four steps:
///   (1) prepare() meets `pci=VVVV:DDDD` or `pci_class=CC:SS` in the service's line: the service
///       waits (pci_expect), its kPciSlots resource slots still empty;
///   (2) the `pci` service enumerates the bus and calls RS once per device (pci_report); RS keeps
///       the list;
///   (3) with the last device, RS starts every waiting service; start_instance() asks
///       pci_ready_to_start(), which chooses the first matching device no other service has;
///   (4) grant() makes the capabilities: each BAR is split from RS's own I/O-port range or
///       device-memory window, the IRQ line is a copy of RS's, and configuration access is the
///       PCI driver's endpoint minted with the device's badge (protocol::pci::device_badge);
///       `pci=BB:DD.F` goes into the service's arguments.
/// The choice is made once: a restarted driver gets the same capabilities again.
///
/// RS never calls the PCI driver. RS must not block on a service that might hang (the rule its
/// heartbeats follow too), so the driver tells RS what it found instead of RS asking.
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/pci.hpp"
#include "rs.hpp"
#include "sys.hpp"

namespace rs {

namespace {

using namespace protocol::pci;
static_assert(kPciSlots == kResourceSlots, "services.conf's slot count and the PCI protocol's layout agree");

constexpr const char* kPciService = "pci";
constexpr unsigned kMaxDevices = 32;

/// The devices the PCI driver reported, in its order.
struct DeviceList {
    Device devices[kMaxDevices];
    unsigned count = 0;
    bool complete = false;  ///< The last report came: services may be matched against it.
} g_list;

bool is_pci(const Resource& r) { return r.kind == ResourceKind::Pci || r.kind == ResourceKind::PciClass; }

/// The service's pci= or pci_class= resource.
const Resource* pci_resource(const Service& s)
{
    for (unsigned i = 0; i < s.cfg.resource_count; ++i)
        if (is_pci(s.cfg.resources[i])) return &s.cfg.resources[i];
    return nullptr;
}

bool matches(const Resource& r, const Device& d)
{
    if (r.kind == ResourceKind::Pci) return d.vendor == r.base && d.device == r.size;
    return d.class_code == r.base && d.subclass == r.size;
}

/// "PCI device 8086:100e" or "PCI device of class 0c.03", for messages.
void describe(const Resource& r, char* out, size_t size)
{
    if (r.kind == ResourceKind::Pci) format(out, size, "PCI device %04lx:%04lx", r.base, r.size);
    else format(out, size, "PCI device of class %02lx.%02lx", r.base, r.size);
}

const Service* owner_of(const Device& d)
{
    for (unsigned i = 0; i < g_rs.count; ++i)
        if (g_rs.services[i].pci_claimed && g_rs.services[i].pci_bdf == d.address.bdf()) return &g_rs.services[i];
    return nullptr;
}

/// Whether another device's memory BAR lies in [start, end): then a page-rounded grant would
/// give away some of that device's registers too.
bool shares_pages(const Device& self, uint64_t start, uint64_t end)
{
    for (unsigned i = 0; i < g_list.count; ++i) {
        const Device& d = g_list.devices[i];
        if (d.address == self.address) continue;
        for (const Bar& b : d.bars)
            if ((b.kind == BarKind::Memory32 || b.kind == BarKind::Memory64) && b.size && b.base < end &&
                start < b.base + b.size)
                return true;
    }
    return false;
}

/// A capability for one BAR: ports from RS's I/O range, whole pages from the device-memory
/// window. On failure, `why` says what went wrong.
int64_t bar_capability(const Device& d, const Bar& b, const char*& why)
{
    if (b.kind == BarKind::Io) {
        why = "not within the I/O ports";
        return sys::range_split(kSlotPorts, b.base, b.size);
    }
    uint64_t start = b.base & ~0xfffull;
    uint64_t end = (b.base + b.size + 0xfff) & ~0xfffull;
    if (end <= start || shares_pages(d, start, end)) {
        why = "shares a page with another device's registers";
        return -static_cast<int64_t>(abi::Error::Busy);
    }
    why = "outside the device-memory window";
    return sys::range_split(kSlotMmio, start, end - start);
}

/// Deletes whatever grant() made so far for `s`.
void release(Service& s)
{
    for (unsigned i = 0; i < kPciSlots; ++i) {
        abi::CapSlot& slot = s.resources[s.pci_first_slot + i];
        if (slot) (void)sys::cap_delete(slot);
        slot = 0;
    }
}

/// (4) The capabilities for device `d`, in the layout protocol::pci::kSlotBar0 .. kSlotConfig
/// describe, and its location in the arguments. Prints one line either way.
bool grant(Service& s, const Device& d)
{
    const Address& a = d.address;
    char location[16];
    format(location, sizeof(location), "%02x:%02x.%x", a.bus, a.device, a.function);
    char what[160];
    size_t n = format(what, sizeof(what), "PCI %s (%04x:%04x):", location, d.vendor, d.device);
    // [rs-pci-grant]
    for (unsigned i = 0; i < kBars; ++i) {
        const Bar& b = d.bars[i];
        if (b.kind == BarKind::None || b.size == 0) continue;
        // An implemented BAR the firmware gave no address would spell ports or memory from 0:
        // its slot stays empty.
        if (b.base == 0) continue;
        const char* why = "";
        int64_t cap = bar_capability(d, b, why);
        if (cap <= 0) {
            print("rs: %s: %s BAR%u (%s 0x%lx, size 0x%lx) cannot be granted: %s (%s); not started\n", s.cfg.label,
                  location, i, bar_kind_name(b.kind), b.base, b.size, why, abi::error_name(sys::error_of(cap)));
            release(s);
            return false;
        }
        s.resources[s.pci_first_slot + kSlotBar0 + i] = static_cast<abi::CapSlot>(cap);
        if (n < sizeof(what))
            n += format(what + n, sizeof(what) - n, " BAR%u %s 0x%lx+0x%lx", i, b.kind == BarKind::Io ? "ports" : "mmio",
                        b.base, b.size);
    }
    if (has_irq(d)) {
        int64_t cap = sys::cap_copy(kSlotIrqBase + d.irq_line, 0, abi::rights::kAll);
        if (cap <= 0) {
            print("rs: %s: %s IRQ %u cannot be granted: %s; not started\n", s.cfg.label, location, d.irq_line,
                  abi::error_name(sys::error_of(cap)));
            release(s);
            return false;
        }
        s.resources[s.pci_first_slot + kSlotIrq] = static_cast<abi::CapSlot>(cap);
        if (n < sizeof(what)) n += format(what + n, sizeof(what) - n, " IRQ %u", d.irq_line);
    }
    // Configuration space of this device only: the badge tells the PCI driver which one.
    const Service* pci = find_service(kPciService);
    int64_t config = pci ? sys::cap_mint(pci->endpoint, 0, abi::rights::kWrite, device_badge(a))
                         : -static_cast<int64_t>(abi::Error::NotFound);
    // " pci=BB:DD.F" after the table's own arguments.
    char* args = s.cfg.args;
    size_t used = strlen(args);
    size_t added = format(args + used, sizeof(s.cfg.args) - used, "%spci=%s", used ? " " : "", location);
    if (config <= 0 || used + added >= sizeof(s.cfg.args)) {
        args[used] = '\0';
        print("rs: %s: %s: no room for its configuration capability or location argument; not started\n",
              s.cfg.label, location);
        if (config > 0) (void)sys::cap_delete(static_cast<abi::CapSlot>(config));
        release(s);
        return false;
    }
    s.resources[s.pci_first_slot + kSlotConfig] = static_cast<abi::CapSlot>(config);
    // [rs-pci-grant]
    s.pci_claimed = true;
    s.pci_bdf = a.bdf();
    s.pci_waiting = false;
    print("rs: %s gets %s\n", s.cfg.label, what);
    return true;
}

/// The first device matching `r` that no other service has; nullptr if none. `taken` says
/// whether a match was there but another service's.
const Device* choose(const Service& s, const Resource& r, const Service*& taken)
{
    taken = nullptr;
    for (unsigned i = 0; i < g_list.count; ++i) {
        const Device& d = g_list.devices[i];
        if (!matches(r, d)) continue;
        const Service* owner = owner_of(d);
        if (!owner || owner == &s) return &d;
        if (!taken) taken = owner;
    }
    return nullptr;
}

} // namespace

// (1)
bool pci_expect(Service& s, const Resource& r, unsigned first_slot)
{
    bool driver = false;
    for (unsigned i = 0; i < g_rs.table.count; ++i) driver |= strcmp(g_rs.table.services[i].label, kPciService) == 0;
    if (!driver) {
        char what[48];
        describe(r, what, sizeof(what));
        print("rs: %s: a %s needs the PCI driver, but services.conf has no service '%s'\n", s.cfg.label, what,
              kPciService);
        return false;
    }
    s.pci_first_slot = first_slot;
    s.pci_waiting = true;
    return true;
}

// (3)
bool pci_ready_to_start(Service& s)
{
    if (!s.pci_waiting) return true;
    if (!g_list.complete) return false;  // pci_report starts it once the list is complete.
    const Resource* r = pci_resource(s);
    const Service* taken = nullptr;
    const Device* d = r ? choose(s, *r, taken) : nullptr;
    if (d && grant(s, *d)) return true;
    if (!d) {
        char what[48];
        describe(*r, what, sizeof(what));
        if (taken)
            print("rs: %s: no %s that another service does not have (%s has one) (services.conf line %u); not started\n",
                  s.cfg.label, what, taken->cfg.label, s.cfg.line);
        else
            print("rs: %s: no %s (services.conf line %u); not started\n", s.cfg.label, what, s.cfg.line);
    }
    s.state = State::Failed;
    format(s.last_failure, sizeof(s.last_failure), "%s", d ? "PCI device not granted" : "no PCI device");
    return false;
}

// (2)
ipc::Message pci_report(const ipc::Message& m)
{
    ReportReply reply{};
    // Only the `pci` service's own RS capability (its `ready` badge) may describe the hardware.
    bool from_pci = m.badge >= kReadyBadgeBase && m.badge < kReadyBadgeBase + g_rs.count &&
                    strcmp(g_rs.services[m.badge - kReadyBadgeBase].cfg.label, kPciService) == 0;
    Report r{};
    if (m.length == sizeof(Report) / 8) r = ipc::unpack<Report>(m);
    if (!from_pci) {
        reply.status = static_cast<uint32_t>(abi::Error::InsufficientRights);
    } else if (m.length != sizeof(Report) / 8 || r.count > kMaxDevices || (r.count && r.index >= r.count) ||
               (r.index != 0 && r.index != g_list.count)) {
        reply.status = static_cast<uint32_t>(abi::Error::InvalidArgument);
    } else {
        // A new list starts with device 0 (a restarted driver reports again; the devices that
        // services already have stay theirs, by address).
        if (r.index == 0) {
            g_list.count = 0;
            g_list.complete = false;
        }
        if (r.count) g_list.devices[g_list.count++] = r.device;
        if (g_list.count == r.count) {
            g_list.complete = true;
            for (unsigned i = 0; i < g_rs.count; ++i) {
                Service& s = g_rs.services[i];
                if (s.pci_waiting && s.state == State::Down) start_instance(s);
            }
        }
    }
    ipc::Message out;
    ipc::pack(out, kReport, reply);
    return out;
}

} // namespace rs
