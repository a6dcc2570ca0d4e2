/// \file main.cpp
/// \brief `init`, the first user process: prints the banner, then starts the programs it is asked to.
///
/// Arguments (from the GRUB module line `module2 /boot/init.elf init ...`):
///   run=PROG[:ARG...]    start PROG (a boot module) with ARGs and wait for it to end
///   start=PROG[:ARG...]  start PROG and carry on; init waits for all of them at the end
///   poweroff             power the machine off when everything has ended
/// For each child that ends, init prints how it ended. This is how the system tests drive the OS.
#include "lib/string.hpp"
#include "print.hpp"
#include "sys.hpp"

namespace {

bool g_failed = false;

/// Prints one child's end: "init: pid 3 (fault) exited with code 0" or "... faulted: ...".
void report(const char* name, const abi::ExitInfo& info)
{
    if (info.reason == static_cast<uint32_t>(abi::ExitReason::Exited)) {
        print("init: pid %lu (%s) exited with code %d\n", info.pid, name, info.code);
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

struct Child {
    int64_t pid;
    char name[32];
};
Child g_children[16];
int g_child_count = 0;

/// Starts "PROG:ARG:ARG" as PROG with arguments "PROG ARG ARG". Returns the pid or -1.
int64_t start_program(const char* spec)
{
    char name[32];
    char args[128];
    size_t n = 0;
    while (spec[n] && spec[n] != ':' && n < sizeof(name) - 1) name[n] = spec[n], ++n;
    name[n] = '\0';
    size_t a = 0;
    for (size_t i = 0; spec[i] && a < sizeof(args) - 1; ++i) args[a++] = spec[i] == ':' ? ' ' : spec[i];
    args[a] = '\0';
    int64_t pid = sys::spawn(name, args);
    if (pid < 0) {
        print("init: cannot start %s: %s\n", name, abi::error_name(sys::error_of(pid)));
        g_failed = true;
        return -1;
    }
    if (g_child_count < 16) {
        g_children[g_child_count].pid = pid;
        memcpy(g_children[g_child_count].name, name, n + 1);
        ++g_child_count;
    }
    return pid;
}

const char* child_name(int64_t pid)
{
    for (int i = 0; i < g_child_count; ++i)
        if (g_children[i].pid == pid) return g_children[i].name;
    return "?";
}

/// Waits for `pid` (0: any child) and reports it. Returns false when there is nothing to wait for.
bool wait_and_report(int64_t pid)
{
    abi::ExitInfo info{};
    int64_t r = sys::wait(pid, &info);
    if (r < 0) return false;
    report(child_name(r), info);
    return true;
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
    while (wait_and_report(0)) {
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
