## \file samsara.py
## \brief GDB helpers for Samsara: `samsara-ps`, `samsara-current` and `samsara-bootinfo`.
#
# Load with `source tools/gdb/samsara.py` (tools/gdb.sh does it for you), then:
#   samsara-ps        every process (pid, name, state, parent) and its threads
#   samsara-current   the thread this CPU is running, and where it left user mode
#   samsara-bootinfo  what GRUB handed the kernel: command line, memory map, modules
# `help samsara-ps` etc. print the text of each command's docstring.
#
# Everything here only *reads* kernel variables through their debug information, the same way
# `print` does; nothing calls kernel functions or writes memory, so the commands are safe at any
# breakpoint. They need the kernel to be stopped in long mode (e.g. at or after kernel_main):
# before that the higher-half addresses the variables live at are not mapped yet.
#
# The kernel data they read:
#   Process::s_table[64]                  the process table (kernel/core/process.hpp)
#   Process::main_thread                  each process's thread (kernel/core/thread.hpp)
#   (anonymous namespace)::g_boot_cpu     the boot CPU's PerCpu block (arch/x86_64/per_cpu.cpp);
#                                         its `current` field is the running thread
#   scheduler::(anonymous namespace)::g_idle   the idle kernel thread (core/scheduler.cpp)
#   (anonymous namespace)::g_boot_info    the parsed multiboot2 information (core/main.cpp)
import gdb


# ---- reading kernel variables -------------------------------------------------------------------

def kernel_variable(name):
    """The gdb.Value of a kernel global, e.g. "Process::s_table".

    Variables in an anonymous namespace have internal linkage, so gdb files them as *static*
    symbols: lookup_global_symbol() does not see them and lookup_static_symbol() does. (Typing
    them at the gdb prompt needs quotes: print '(anonymous namespace)::g_boot_cpu'.)"""
    symbol = gdb.lookup_global_symbol(name) or gdb.lookup_static_symbol(name)
    if symbol is None:
        raise gdb.GdbError(f"no symbol {name!r}: is the kernel's ELF loaded (`file build/iso/boot/kernel.elf`)?")
    return symbol.value()


def optional_kernel_variable(name):
    """Like kernel_variable(), but None if the kernel has no such variable."""
    try:
        return kernel_variable(name)
    except gdb.GdbError:
        return None


def c_string(value):
    """A char array or a `const char*` as a Python string, up to its NUL (or a note if unreadable)."""
    if value.type.strip_typedefs().code == gdb.TYPE_CODE_PTR and int(value) == 0:
        return "<null>"
    try:
        return value.string(errors="replace").split("\0")[0]
    except gdb.MemoryError:
        return f"<unreadable at {int(value.address if value.address is not None else value):#x}>"


def enum_name(value):
    """The enumerator's name as written in the source ("Ready", "Zombie"), or "?(n)"."""
    number = int(value)
    for field in value.type.strip_typedefs().fields():
        if field.enumval == number:
            return field.name.split("::")[-1]
    return f"?({number})"


def is_null(pointer):
    return int(pointer) == 0


# ---- samsara-ps ---------------------------------------------------------------------------------

def thread_line(thread, indent="    "):
    """One line about a Thread: tid, name, state (and why it is blocked), priority."""
    state = enum_name(thread["state"])
    reason = enum_name(thread["block_reason"])
    if state == "Blocked" and reason != "None":
        state += f" ({reason})"
    return (f"{indent}tid {int(thread['tid']):<4} {c_string(thread['name']):<16} {state:<22} "
            f"priority {int(thread['priority'])}")


class SamsaraPs(gdb.Command):
    """List processes and their threads from Process::s_table.

Usage: samsara-ps

For each process: pid, name, state (Alive or Zombie) and the parent's pid (0: none, as for init),
then its threads: tid, name, scheduling state (Ready, Running, Blocked, Dead) and priority.
Kernel threads (the idle thread) belong to no process and are listed at the end."""

    def __init__(self):
        super().__init__("samsara-ps", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        table = kernel_variable("Process::s_table")
        slots = table.type.strip_typedefs().range()[1] + 1
        processes = [table[i] for i in range(slots) if not is_null(table[i])]
        if not processes:
            print("no processes yet (init is created by start_init() in kernel/core/main.cpp)")
        else:
            print(f"{'PID':>5}  {'NAME':<16} {'STATE':<8} PARENT")
        for process in processes:
            parent = process["parent"]
            parent_pid = 0 if is_null(parent) else int(parent["pid"])
            print(f"{int(process['pid']):>5}  {c_string(process['name']):<16} "
                  f"{enum_name(process['state']):<8} {parent_pid}")
            thread = process["main_thread"]
            if is_null(thread):
                print("    (no threads)")
            else:
                print(thread_line(thread.dereference()))

        idle = optional_kernel_variable("scheduler::(anonymous namespace)::g_idle")
        if idle is not None and not is_null(idle):
            print("kernel threads:")
            print(thread_line(idle.dereference()))


# ---- samsara-current ----------------------------------------------------------------------------

# TrapFrame::vector for a SYSCALL entry: kSyscallVector in kernel/arch/x86_64/trap_frame.hpp (an
# inline constexpr, so the ELF has no symbol for gdb to read).
SYSCALL_VECTOR = 0x100

class SamsaraCurrent(gdb.Command):
    """Show the thread the CPU is running (PerCpu::current) and its saved user registers.

Usage: samsara-current

The kernel reaches its per-CPU block through the GS base register. QEMU's gdbstub shows it as
$gs_base (try `p/x $gs_base`), but not every gdbstub does, and in user mode it holds the *user*
value (SWAPGS parks the kernel's in $k_gs_base). So this command reads the block through its
symbol instead: (anonymous namespace)::g_boot_cpu in
kernel/arch/x86_64/per_cpu.cpp. For a user thread it also prints the TrapFrame at the top of its
kernel stack: the user registers saved at the thread's latest entry into the kernel."""

    def __init__(self):
        super().__init__("samsara-current", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        cpu = kernel_variable("(anonymous namespace)::g_boot_cpu")
        privilege = int(gdb.parse_and_eval("$cs")) & 3
        print(f"CPU mode: {'user' if privilege == 3 else 'kernel'} (CPL {privilege}), "
              f"rip {int(gdb.parse_and_eval('$rip')):#x}")

        current = cpu["current"]
        if is_null(current):
            print("no current thread: the scheduler has not started (scheduler::start sets it)")
            return
        thread = current.dereference()
        print("current thread:")
        print(thread_line(thread, indent="  "))
        print(f"  kernel stack {int(thread['kernel_stack']):#x}..{int(thread['kernel_stack']) + int(thread['kKernelStackSize']):#x}")

        process = thread["process"]
        if is_null(process):
            print("  kernel thread (no process)")
            return
        print(f"  process pid {int(process['pid'])} ({c_string(process['name'])}), "
              f"page tables at physical {int(process['space']['m_root']):#x}")
        if privilege == 3:
            # The TrapFrame is only written when the thread enters the kernel; right now its
            # live registers are the CPU's own.
            print("  running in user mode now: `info registers` shows its registers")
        else:
            self.print_user_frame(thread)

    @staticmethod
    def print_user_frame(thread):
        # Thread::user_frame() is inline C++ (kernel_stack + kKernelStackSize - sizeof(TrapFrame));
        # gdb cannot call it on a remote target without running code, so do the sum here.
        frame_type = gdb.lookup_type("TrapFrame")
        top = int(thread["kernel_stack"]) + int(thread["kKernelStackSize"])
        frame = gdb.Value(top - frame_type.sizeof).cast(frame_type.pointer()).dereference()
        vector = int(frame["vector"])
        entry = "system call" if vector == SYSCALL_VECTOR else f"interrupt/exception vector {vector}"
        print(f"  user registers saved at its latest kernel entry ({entry}):")
        print(f"    rip {int(frame['rip']):#018x}  rsp {int(frame['rsp']):#018x}  cs {int(frame['cs']):#x}  "
              f"rflags {int(frame['rflags']):#x}")
        print(f"    rax {int(frame['rax']):#018x}  rdi {int(frame['rdi']):#018x}  rsi {int(frame['rsi']):#018x}")


# ---- samsara-bootinfo ---------------------------------------------------------------------------

REGION_TYPES = {1: "available", 2: "reserved", 3: "ACPI reclaimable", 4: "ACPI NVS", 5: "bad RAM"}


class SamsaraBootinfo(gdb.Command):
    """Print the multiboot2 information the kernel parsed: command line, memory map, modules.

Usage: samsara-bootinfo

Reads (anonymous namespace)::g_boot_info in kernel/core/main.cpp, which parse_boot_info() fills in
early in kernel_main: stop after step (2) of kernel_main to see it populated."""

    def __init__(self):
        super().__init__("samsara-bootinfo", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        info = kernel_variable("(anonymous namespace)::g_boot_info")
        region_count = int(info["region_count"])
        if region_count == 0:
            print("the boot information is not parsed yet (parse_boot_info in kernel_main does it)")
            return
        print(f"boot loader:  {c_string(info['bootloader'])}")
        print(f"command line: \"{c_string(info['cmdline'])}\"")
        print(f"basic memory: {int(info['mem_lower_kb'])} KiB lower, {int(info['mem_upper_kb'])} KiB upper")

        print(f"memory map ({region_count} regions):")
        available = 0
        for i in range(region_count):
            region = info["regions"][i]
            base, length, kind = int(region["base"]), int(region["length"]), int(region["type"])
            if kind == 1:
                available += length
            print(f"  {base:#014x}..{base + length:#014x} {length // 1024:>10} KiB  "
                  f"{REGION_TYPES.get(kind, f'type {kind} (treated as reserved)')}")
        print(f"  available in total: {available // (1024 * 1024)} MiB")

        module_count = int(info["module_count"])
        print(f"modules ({module_count}):")
        for i in range(module_count):
            module = info["modules"][i]
            start, end = int(module["start"]), int(module["end"])
            print(f"  {i}: {start:#010x}..{end:#010x} {end - start:>8} bytes  \"{c_string(module['cmdline'])}\"")


SamsaraPs()
SamsaraCurrent()
SamsaraBootinfo()
