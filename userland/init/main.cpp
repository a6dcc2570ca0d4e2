/// \file main.cpp
/// \brief `init`, the first user process: holds every boot capability and gives each program only what it needs.
///
/// Arguments (from the GRUB module line `module2 /boot/init.elf init ...`):
///   run=PROG[:ARG...]    start PROG (a boot module) with ARGs and wait for it to end
///   start=PROG[:ARG...]  start PROG and carry on; init waits for all of them at the end
///   poweroff             power the machine off when everything has ended
/// For each child that ends, init prints how it ended. This is how the system tests drive the
/// OS. What each program receives is decided in grant_capabilities() below: the capability
/// discipline in one place.
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"

namespace {

bool g_failed = false;
abi::CapSlot g_rs_endpoint = abi::kNullSlot;   ///< The reincarnation server's endpoint, once it runs.

/// Prints one child's end: "init: pid 3 (fault) exited with code 0" or "... faulted: ...".
void report(const char* name, const abi::ExitInfo& info)
{
    if (info.reason == static_cast<uint32_t>(abi::ExitReason::Exited)) {
        print("init: pid %lu (%s) exited with code %d\n", info.pid, name, info.code);
        return;
    }
    if (info.reason == static_cast<uint32_t>(abi::ExitReason::Killed)) {
        print("init: pid %lu (%s) was killed\n", info.pid, name);
        return;
    }
    static const char* const kNames[] = {"divide error", "debug", "NMI", "breakpoint", "overflow",
                                         "bound range", "invalid opcode", "device not available",
                                         "double fault", "coprocessor overrun", "invalid TSS",
                                         "segment not present", "stack-segment fault",
                                         "general protection fault", "page fault"};
    const char* what = info.vector < 15 ? kNames[info.vector] : "exception";
    print("init: pid %lu (%s) faulted: %s (vector %lu), error 0x%lx, rip 0x%lx, cr2 0x%lx\n", info.pid, name,
          what, info.vector, info.error_code, info.rip, info.cr2);
}

/// The boot module called `name`, or kNullSlot.
abi::CapSlot module_slot(const char* name)
{
    const abi::BootInfoPage& boot = sys::boot_info();
    for (uint32_t i = 0; i < boot.module_count; ++i)
        if (strcmp(boot.modules[i].name, name) == 0) return boot.modules[i].slot;
    return abi::kNullSlot;
}

void grant(abi::SpawnRequest& req, int64_t src, abi::CapSlot dst, uint32_t rights = abi::rights::kAll)
{
    if (src <= 0) return;
    if (req.cap_count >= abi::kMaxSpawnCaps) {
        print("init: too many capabilities for one program (at most %u); slot %u not given\n", abi::kMaxSpawnCaps, dst);
        g_failed = true;
        return;
    }
    req.caps[req.cap_count++] = abi::CapTransfer{static_cast<abi::CapSlot>(src), dst, rights};
}

/// A capability to the PCI driver's endpoint, from RS's lookup; 0 if RS is not running.
int64_t pci_endpoint()
{
    if (g_rs_endpoint == abi::kNullSlot) return 0;
    int64_t rs = sys::cap_mint(g_rs_endpoint, 0, abi::rights::kWrite, 0x1000);
    if (rs <= 0) return 0;
    abi::CapSlot pci = protocol::rs::Client(static_cast<abi::CapSlot>(rs)).lookup("pci");
    (void)sys::cap_delete(static_cast<abi::CapSlot>(rs));
    return pci;
}

/// What each program gets. Anything not listed here gets nothing but itself.
bool grant_capabilities(const char* name, abi::SpawnRequest& req)
{
    const abi::BootInfoPage& boot = sys::boot_info();
    if (strcmp(name, "rs") == 0) {
        // The reincarnation server gets what it hands out to the services in its table: the
        // table, the hardware (ports, device memory, IRQ lines), memory, and every program.
        grant(req, module_slot("services"), 3, abi::rights::kRead);
        grant(req, boot.io_ports, 4);
        if (boot.mmio) grant(req, boot.mmio, 5);
        grant(req, boot.legacy_video, 8);
        grant(req, sys::range_split(boot.memory_pool, 0, 32u << 20), 6);
        g_rs_endpoint = static_cast<abi::CapSlot>(sys::endpoint_create());
        grant(req, g_rs_endpoint, 7);
        for (uint32_t irq = 0; irq < boot.irq_count; ++irq)
            if (irq != 0 && irq != 2) grant(req, boot.irq_base + irq, 16 + irq);  // 0 and 2 are the kernel's.
        for (uint32_t i = 0; i < boot.module_count; ++i) grant(req, boot.modules[i].slot, 32 + i, abi::rights::kRead);
        // Above the services it watches: a service spinning in a loop cannot starve RS.
        req.priority = 24;
        return true;
    }
    if (strcmp(name, "rsctl") == 0 || strcmp(name, "shell") == 0 || strcmp(name, "dstest") == 0 ||
        strcmp(name, "blktest") == 0 || strcmp(name, "proctest") == 0 || strcmp(name, "storetest") == 0 ||
        strcmp(name, "fsbench") == 0 || strcmp(name, "utiltest") == 0 || strcmp(name, "fstest") == 0) {
        // A client of RS: badge 0x1000 marks requests from the `service` command.
        grant(req, sys::cap_mint(g_rs_endpoint, 0, abi::rights::kWrite, 0x1000), 3);
        // fstest starts copies of itself, to test pipes between two processes.
        if (strcmp(name, "fstest") == 0) grant(req, module_slot("fstest"), 4, abi::rights::kRead);
    } else if (strcmp(name, "bench") == 0) {
        // The benchmarks: the peer program that plays the server.
        grant(req, module_slot("ipcpeer"), 3, abi::rights::kRead);
    } else if (strcmp(name, "badptr") == 0) {
        // The bad-argument tests: a malformed ELF image to fail to spawn.
        grant(req, module_slot("badelf"), 3, abi::rights::kRead);
    } else if (strcmp(name, "pcitest") == 0) {
        // A client: it may call the PCI driver, and nothing else. The driver is a service under
        // RS, whose lookup gives a capability to its endpoint; without RS there is none to give.
        grant(req, pci_endpoint(), 3, abi::rights::kWrite);
    } else if (strcmp(name, "ipctest") == 0) {
        // The IPC and capability tests: some memory, the peer program, one MMIO page, one port.
        grant(req, sys::range_split(boot.memory_pool, 0, 8u << 20), 3);
        grant(req, module_slot("ipcpeer"), 4, abi::rights::kRead);
        if (boot.mmio) grant(req, sys::range_split(boot.mmio, boot.mmio_base, 4096), 5);
        grant(req, sys::range_split(boot.io_ports, 0x80, 1), 6);
        // COM1's interrupt line and registers, to test IRQ delivery and acknowledgement.
        grant(req, boot.irq_base + 4, 7);
        grant(req, sys::range_split(boot.io_ports, 0x3f8, 8), 8);
    }
    return false;
}

struct Child {
    int64_t pid;
    abi::CapSlot process;
    bool service;
    char name[32];
};
Child g_children[16];
int g_child_count = 0;

/// Starts "PROG:ARG:ARG" as PROG with arguments "PROG ARG ARG". Returns the pid or -1.
int64_t start_program(const char* spec)
{
    char name[32];
    char args[1000];
    size_t n = 0;
    while (spec[n] && spec[n] != ':' && n < sizeof(name) - 1) name[n] = spec[n], ++n;
    name[n] = '\0';
    size_t a = 0;
    for (size_t i = 0; spec[i] && a < sizeof(args) - 1; ++i) args[a++] = spec[i] == ':' ? ' ' : spec[i];
    args[a] = '\0';
    if (strcmp(name, "rs") == 0) {
        // RS learns which program is in which of the slots it gets: "modules=init,fault,...".
        const abi::BootInfoPage& boot = sys::boot_info();
        a += format(args + a, sizeof(args) - a, " modules=");
        for (uint32_t i = 0; i < boot.module_count && a < sizeof(args) - 1; ++i)
            a += format(args + a, sizeof(args) - a, "%s%s", i ? "," : "", boot.modules[i].name);
        if (a >= sizeof(args)) a = sizeof(args) - 1;
    }

    abi::SpawnRequest req{};
    req.image = module_slot(name);
    if (req.image == abi::kNullSlot) {
        print("init: cannot start %s: no such boot module\n", name);
        g_failed = true;
        return -1;
    }
    req.name = name;
    req.name_len = n;
    req.args = args;
    req.args_len = a;
    bool service = grant_capabilities(name, req);
    int64_t pid = sys::spawn(req);
    if (pid < 0) {
        print("init: cannot start %s: %s\n", name, abi::error_name(sys::error_of(pid)));
        g_failed = true;
        return -1;
    }
    if (g_child_count < 16) {
        Child& c = g_children[g_child_count++];
        c.pid = pid;
        c.process = req.process_slot;
        c.service = service;
        memcpy(c.name, name, n + 1);
    }
    return pid;
}

Child* find_child(int64_t pid)
{
    for (int i = 0; i < g_child_count; ++i)
        if (g_children[i].pid == pid) return &g_children[i];
    return nullptr;
}

/// Waits for `pid` (0: any child) and reports it. Returns false when there is nothing to wait for.
bool wait_and_report(int64_t pid)
{
    abi::ExitInfo info{};
    int64_t r = sys::wait(pid, &info);
    if (r < 0) return false;
    Child* c = find_child(r);
    report(c ? c->name : "?", info);
    if (c) c->pid = 0;
    return true;
}

/// True while a child that is not a service is still running.
bool programs_running()
{
    for (int i = 0; i < g_child_count; ++i)
        if (g_children[i].pid > 0 && !g_children[i].service) return true;
    return false;
}

} // namespace

int main(int argc, char** argv)
{
    abi::SystemInfo info{};
    if (sys::system_info(&info) < 0) {
        print("init: system_info failed\n");
        return 1;
    }
    print("\n%s -- init (pid %lu) is running in user space\n", info.kernel_version, info.pid);
    print("init: %lu MiB of memory found, %lu MiB free, %lu boot modules\n", info.usable_memory >> 20,
          info.free_memory >> 20, info.boot_modules);

    bool poweroff = false;
    for (int i = 1; i < argc; ++i) {
        if (strncmp(argv[i], "run=", 4) == 0) {
            int64_t pid = start_program(argv[i] + 4);
            if (pid > 0) wait_and_report(pid);
        } else if (strncmp(argv[i], "start=", 6) == 0) {
            start_program(argv[i] + 6);
        } else if (strcmp(argv[i], "poweroff") == 0) {
            poweroff = true;
        } else {
            print("init: unknown argument '%s'\n", argv[i]);
            g_failed = true;
        }
    }
    while (programs_running() && wait_and_report(0)) {
    }
    // Services run until the programs that use them are done; then init stops them.
    for (int i = 0; i < g_child_count; ++i) {
        Child& c = g_children[i];
        if (c.pid > 0 && c.service && sys::process_kill(c.process) == 0) wait_and_report(c.pid);
    }

    // After a fault in a child, one more system call shows the kernel is still serving.
    abi::SystemInfo after{};
    if (sys::system_info(&after) == 0)
        print("init: all children done; kernel alive, uptime %lu ms\n", after.uptime_ns / 1000000);
    if (poweroff) {
        print("init: powering off\n");
        sys::poweroff(g_failed ? 1 : 0);
    }
    print("init: nothing more to do; idling\n");
    for (;;) sys::sleep_ns(1000000000ull);
}
