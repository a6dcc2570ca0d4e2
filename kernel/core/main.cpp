/// \file main.cpp
/// \brief `kernel_main`: the C++ entry point. Brings up each subsystem in order, then starts `init`.
///
/// boot.S calls this in long mode on the boot stack, with interrupts off and the first 4 GiB of
/// physical memory mapped. The steps are numbered as in the boot walkthrough (docs/boot.md).
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/gdt.hpp"
#include "arch/x86_64/idt.hpp"
#include "arch/x86_64/interrupt_controller.hpp"
#include "arch/x86_64/per_cpu.hpp"
#include "arch/x86_64/serial.hpp"
#include "core/boot_caps.hpp"
#include "core/boot_modules.hpp"
#include "core/clock.hpp"
#include "core/exec.hpp"
#include "core/log.hpp"
#include "core/panic.hpp"
#include "core/process.hpp"
#include "core/scheduler.hpp"
#include "core/selftest.hpp"
#include "core/version.hpp"
#include "lib/multiboot2.hpp"
#include "lib/string.hpp"
#include "mm/layout.hpp"
#include "mm/memory.hpp"
#include "mm/object_cache.hpp"
#include "syscall/syscall.hpp"

extern "C" void (*init_array_start[])();
extern "C" void (*init_array_end[])();

namespace {

/// The parsed boot information; a global so GDB can print it (`print g_boot_info`).
mb2::BootInfo g_boot_info;

/// The largest information block we accept; GRUB's is a few KiB.
constexpr uint32_t kMaxBootInfoSize = 1u << 20;

/// Applies `loglevel=debug|info|warn|error` from the kernel command line.
void apply_command_line(const char* cmdline)
{
    const char* p = cmdline;
    while (*p) {
        if (strncmp(p, "loglevel=", 9) == 0) {
            const char* v = p + 9;
            if (strncmp(v, "debug", 5) == 0) klog::set_level(klog::Level::Debug);
            else if (strncmp(v, "warn", 4) == 0) klog::set_level(klog::Level::Warn);
            else if (strncmp(v, "error", 5) == 0) klog::set_level(klog::Level::Error);
        }
        while (*p && *p != ' ') ++p;
        while (*p == ' ') ++p;
    }
}

/// (2) Checks GRUB's hand-off and parses the boot information, or stops with the reason.
void parse_boot_info(uint32_t magic, uint64_t info_phys, uint32_t& info_size)
{
    if (magic != mb2::kBootloaderMagic)
        panic("not booted by a multiboot2 loader (magic 0x%x, expected 0x%x)", magic, mb2::kBootloaderMagic);
    if (info_phys == 0 || info_phys % 8 != 0 || info_phys + 8 > layout::kPhysmapSize)
        panic("multiboot2 information at bad address 0x%lx", info_phys);
    const void* info = layout::phys_to_virt(info_phys);
    info_size = *static_cast<const uint32_t*>(info);
    uint32_t limit = info_size < kMaxBootInfoSize ? info_size : kMaxBootInfoSize;
    const char* why = "";
    if (mb2::parse(info, limit, g_boot_info, why).is_error())
        panic("malformed multiboot2 information: %s", why);
}

// [boot-start-init]
/// (7) Starts the first user process from the boot module named "init".
void start_init()
{
    const boot_modules::BootModule* init = boot_modules::find("init", 4);
    if (!init) panic("no boot module named \"init\": check grub.cfg");
    auto process = exec::spawn("init", init->data, init->size, init->args, strlen(init->args), nullptr,
                               scheduler::kDefaultPriority);
    if (process.is_error()) panic("cannot start init: %s", abi::error_name(process.error()));
    if (auto r = boot_caps::grant_to_init(*process.value(), g_boot_info); r.is_error())
        panic("cannot create init's boot capabilities: %s", abi::error_name(r.error()));
    exec::start(process.value());
}
// [boot-start-init]

} // namespace

extern "C" [[noreturn]] void kernel_main(uint32_t magic, uint64_t info_phys)
{
    // [boot-step-console]
    // (1) A console first, so every later step can report problems.
    serial::init();
    for (auto* ctor = init_array_start; ctor != init_array_end; ++ctor) (*ctor)();
    klog::rawf("\n%s booting\n", kKernelVersion);
    // [boot-step-console]

    // [boot-step-bootinfo]
    // (2) What GRUB gave us.
    uint32_t info_size = 0;
    parse_boot_info(magic, info_phys, info_size);
    apply_command_line(g_boot_info.cmdline);
    klog::info("boot", "loaded by %s, command line \"%s\"", g_boot_info.bootloader, g_boot_info.cmdline);
    // [boot-step-bootinfo]

    // [boot-step-cpu-tables]
    // (3) The CPU's tables: segments and the TSS, interrupt vectors, per-CPU data, time.
    gdt::init();
    idt::init();
    per_cpu_init();
    clock::calibrate();
    klog::info("boot", "TSC runs at %lu kHz", clock::tsc_per_ms());
    // [boot-step-cpu-tables]

    // [boot-step-memory]
    // (4) Physical memory, paging, and per-type object allocation.
    mm::init(g_boot_info, info_phys, info_size);
    set_object_page_source(mm::allocate_page);
    boot_modules::init(g_boot_info);
    // [boot-step-memory]

    // [boot-step-timer-syscalls]
    // (5) The timer and the system-call entry.
    interrupt_controller::init(scheduler::kTickHz);
    syscalls::init();
    // [boot-step-timer-syscalls]

    // [boot-step-scheduler]
    // (6) The scheduler's idle thread.
    scheduler::init();
    // [boot-step-scheduler]

    // [boot-step-init]
    // (7) init, then run. (A crash self-test, if the command line asks for one, goes first.)
    selftest::run_from_command_line(g_boot_info.cmdline);
    start_init();
    scheduler::start();
    // [boot-step-init]
}
