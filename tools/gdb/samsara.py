## \file samsara.py
## \brief GDB helpers for Samsara: `samsara-ps`, `samsara-current`, `samsara-bootinfo`, `samsara-caps` and `samsara-endpoints`.
#
# Load with `source tools/gdb/samsara.py` (tools/gdb.sh does it for you), then:
#   samsara-ps         every process (pid, name, state, parent) and its threads, with what each
#                      blocked thread waits for
#   samsara-current    the thread this CPU is running, and where it left user mode
#   samsara-bootinfo   what GRUB handed the kernel: command line, memory map, modules
#   samsara-caps PID   a process's capability table: type, object, rights, badge, derivation parent
#   samsara-endpoints  every IPC endpoint, its server, and the threads queued on it
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
#   Process::caps                         its CapabilityTable (kernel/object/capability_table.hpp)
#   Endpoint::s_all                       every endpoint, an IntrusiveList (kernel/object/endpoint.hpp)
#   (anonymous namespace)::g_boot_cpu     the boot CPU's PerCpu block (arch/x86_64/per_cpu.cpp);
#                                         its `current` field is the running thread
#   scheduler::(anonymous namespace)::g_idle   the idle kernel thread (core/scheduler.cpp)
#   (anonymous namespace)::g_boot_info    the parsed multiboot2 information (core/main.cpp)
import re

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


def find_process(pid):
    """The Process (a gdb.Value, not a pointer) with this pid in Process::s_table, or None."""
    table = kernel_variable("Process::s_table")
    for i in range(table.type.strip_typedefs().range()[1] + 1):
        if not is_null(table[i]) and int(table[i]["pid"]) == pid:
            return table[i].dereference()
    return None


def process_label(process):
    """"pid 3 (ipcpeer)" for a Process* or Process, "kernel" for a null pointer."""
    if process.type.strip_typedefs().code == gdb.TYPE_CODE_PTR:
        if is_null(process):
            return "kernel"
        process = process.dereference()
    return f"pid {int(process['pid'])} ({c_string(process['name'])})"


# ---- walking intrusive lists --------------------------------------------------------------------

def member_offset(struct_type, member):
    """The byte offset of `member` inside `struct_type`, searching base classes too.

    This is C's offsetof(): what IntrusiveList::owner() computes in kernel/lib/list.hpp from the
    member pointer (the address of the member in an object placed at address 0)."""
    for field in struct_type.strip_typedefs().fields():
        if field.name == member:
            return field.bitpos // 8
        if field.is_base_class:
            inner = member_offset(field.type, member)
            if inner is not None:
                return field.bitpos // 8 + inner
    return None


def intrusive_list(list_value):
    """Yields a pointer to each object on an IntrusiveList, in order (oldest first).

    An IntrusiveList<T, &T::link> (kernel/lib/list.hpp) is a ring of ListNodes: the list's own
    `m_head` node, then one node *inside* each object, at its `link` member:

        m_head -> node in object A -> node in object B -> ... -> back to m_head

    So the nodes point at each other, not at the objects. To get from a node to its object, take
    the node's address minus the offset of `link` inside T, as IntrusiveList::owner() does.

    T and `link` are template arguments, which gdb shows only as part of the type's name
    ("IntrusiveList<Thread, &Thread::ipc_link>"), so they are read from there. The walk stops
    after m_size + 1 nodes, so a corrupted ring cannot make it loop forever.

    A global list (Endpoint::s_all) is all zeros until its constructor has run, at line 2 of
    kernel_main (the init_array loop); such a list yields nothing."""
    name = list_value.type.strip_typedefs().name or ""
    parsed = re.fullmatch(r"IntrusiveList<(.+), &(.+)::(\w+)>", name)
    if parsed is None:
        raise gdb.GdbError(f"intrusive_list: {name!r} is not an IntrusiveList<T, &T::member>")
    owner_type = gdb.lookup_type(parsed.group(1))
    offset = member_offset(owner_type, parsed.group(3))
    if offset is None:
        raise gdb.GdbError(f"intrusive_list: {parsed.group(1)} has no member {parsed.group(3)!r}")
    owner_pointer = owner_type.pointer()

    head = list_value["m_head"]
    head_address = int(head.address)
    node = head["next"]
    if is_null(node) and int(list_value["m_size"]) == 0:
        return  # Not constructed yet.
    for count in range(int(list_value["m_size"]) + 1):
        if int(node) == head_address:
            return
        if is_null(node):
            print(f"  (broken list: a null link after {count} nodes)")
            return
        yield gdb.Value(int(node) - offset).cast(owner_pointer)
        node = node.dereference()["next"]
    print(f"  (broken list: longer than its m_size, {int(list_value['m_size'])}; stopped there)")


# ---- samsara-ps ---------------------------------------------------------------------------------

def object_id(pointer):
    """"#12": the KernelObject id of an object pointer (Endpoint*, Notification*...), or "#?"."""
    return "#?" if is_null(pointer) else f"#{int(pointer['id'])}"


def wait_detail(thread):
    """What a thread with a block reason waits for, from its IPC and wait fields (thread.hpp)."""
    reason = enum_name(thread["block_reason"])
    if reason == "Send":
        kind = "call" if bool(thread["ipc_is_call"]) else "send"
        return f"{kind} to endpoint {object_id(thread['ipc_endpoint'])}, badge {int(thread['ipc_badge']):#x}"
    if reason == "Receive":
        if is_null(thread["ipc_endpoint"]):
            # The IPC fast path has just taken it off the queue and is about to switch to it.
            return "message just delivered"
        detail = f"on endpoint {object_id(thread['ipc_endpoint'])}"
        bound = thread["bound_notification"]
        if not is_null(bound):
            # A signal on the thread's bound notification also ends the receive.
            detail += f" or bound notification {object_id(bound)}"
        return detail
    if reason == "Reply":
        reply = thread["ipc_reply"]
        owner = reply["owner"] if not is_null(reply) else reply
        return "for a reply" + ("" if is_null(owner) else f" from tid {int(owner['tid'])}")
    if reason == "Notification":
        return f"on notification {object_id(thread['ipc_notification'])}"
    if reason == "WaitChild":
        target = int(thread["wait_target"])
        return f"for {'any child' if target == 0 else f'pid {target}'}"
    if reason == "Sleep":
        return f"until {int(thread['wake_at_ns'])} ns"
    return ""


def thread_line(thread, indent="    "):
    """One line about a Thread: tid, name, state (and why it is blocked), priority, and what it
    waits for (an IPC wait names its endpoint)."""
    state = enum_name(thread["state"])
    reason = enum_name(thread["block_reason"])
    # A block reason is normally set only while Blocked; in the instant between an IPC fast path
    # setting it and switching away, a Running thread has one too, and that is worth seeing.
    waiting = reason != "None" and state != "Dead"
    if waiting:
        state += f" ({reason})"
    line = (f"{indent}tid {int(thread['tid']):<4} {c_string(thread['name']):<16} {state:<22} "
            f"priority {int(thread['priority'])}")
    detail = wait_detail(thread) if waiting else ""
    return line + (f"  {detail}" if detail else "")


class SamsaraPs(gdb.Command):
    """List processes and their threads from Process::s_table.

Usage: samsara-ps

For each process: pid, name, state (Alive or Zombie) and the parent's pid (0: none, as for init),
then its threads: tid, name, scheduling state (Ready, Running, Blocked, Dead) with the block
reason (Thread::block_reason) in parentheses, priority, and what the thread waits for:
  Send          "call to endpoint #ID, badge 0x..." (or "send ...")  queued on its senders
  Receive       "on endpoint #ID"                                    queued on its receivers
                (plus "or bound notification #ID" if one is bound to the thread)
  Reply         "for a reply from tid N"   its call was received by thread N, not answered yet
  Notification  "on notification #ID"
  WaitChild     "for pid N" (or "for any child")
  Sleep         "until N ns"
IDs are KernelObject ids, the same numbers samsara-caps and samsara-endpoints show.
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


# ---- samsara-caps -------------------------------------------------------------------------------

# abi::rights in kernel/abi/capability.hpp (inline constexpr: no symbols to read).
RIGHT_LETTERS = ((1 << 0, "R"), (1 << 1, "W"), (1 << 2, "G"), (1 << 3, "M"))


def rights_letters(rights):
    """"RW--" for Read|Write: one column per right (Read, Write, Grant, Manage)."""
    rights = int(rights)
    text = "".join(letter if rights & bit else "-" for bit, letter in RIGHT_LETTERS)
    unknown = rights & ~0xf
    return text + (f"+{unknown:#x}" if unknown else "")


def cap_entry_address(entry_pointer):
    """"pid:slot" for a CapEntry*: the pid of the process owning the entry's table, and the
    entry's index in that table's slot array (CapabilityTable::index_of, done by hand)."""
    entry = entry_pointer.dereference()
    table = entry["table"]
    if is_null(table):
        return f"?:{int(entry_pointer):#x}"
    table = table.dereference()
    index = (int(entry_pointer) - int(table["m_slots"])) // entry.type.strip_typedefs().sizeof
    owner = table["m_owner"]
    return f"{'?' if is_null(owner) else int(owner['pid'])}:{index}"


class SamsaraCaps(gdb.Command):
    """Print a process's capability table: every full and every revoked slot.

Usage: samsara-caps PID

Reads Process::caps (a CapabilityTable, kernel/object/capability_table.hpp) of the process with
this pid. For each slot that is not Empty:
  SLOT    the index user space passes to system calls (slot 0 is never used)
  TYPE    the object's abi::ObjectType (Endpoint, Memory, ...)
  OBJECT  the object's KernelObject id, "#12" (as cap_identify reports and samsara-endpoints shows)
  RIGHTS  R(ead) W(rite) G(rant) M(anage), "-" for a right the capability lacks
  BADGE   the badge a server receives with each message sent through this capability
  PARENT  where in the derivation tree the capability comes from: "pid:slot" of the capability it
          was copied or minted from (revoking that one deletes this one), or "root"
A Revoked slot is a tombstone left by `revoke`: its capability is gone, and using the slot
fails with Error::Revoked instead of InvalidCapability."""

    def __init__(self):
        super().__init__("samsara-caps", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        try:
            pid = int(argument.strip(), 0)
        except ValueError:
            raise gdb.GdbError("usage: samsara-caps PID (samsara-ps lists the pids)")
        process = find_process(pid)
        if process is None:
            raise gdb.GdbError(f"no process with pid {pid} (samsara-ps lists the pids)")
        table = process["caps"]
        slots = table["m_slots"]
        if is_null(slots):
            print(f"{process_label(process)} has no capability table (not set up yet, or destroyed)")
            return
        count = int(kernel_variable("CapabilityTable::kSlots"))

        print(f"capabilities of {process_label(process)}:")
        print(f"{'SLOT':>5}  {'TYPE':<13} {'OBJECT':<8} {'RIGHTS':<6} {'BADGE':<18} PARENT")
        shown = 0
        for i in range(count):
            entry = slots[i]
            state = enum_name(entry["state"])
            if state == "Empty":
                continue
            shown += 1
            if state != "Full":
                print(f"{i:>5}  ({state.lower()})")
                continue
            cap = entry["cap"]
            obj = cap["object"]
            kind = "?" if is_null(obj) else enum_name(obj["type"])
            parent = entry["parent"]
            badge = f"{int(cap['badge']):#x}"
            print(f"{i:>5}  {kind:<13} {object_id(obj):<8} {rights_letters(cap['rights']):<6} {badge:<18} "
                  f"{'root' if is_null(parent) else cap_entry_address(parent)}")
        if shown == 0:
            print("  (no capabilities)")


# ---- samsara-endpoints --------------------------------------------------------------------------

class SamsaraEndpoints(gdb.Command):
    """List every IPC endpoint with its server and the threads waiting on it.

Usage: samsara-endpoints

Walks Endpoint::s_all, the list of all endpoints (kernel/object/endpoint.hpp). For each:
  its KernelObject id (the "#12" samsara-caps shows), reference count (one per capability and
  per kernel structure holding it), and server: the process that last received on it, whose
  death wakes the waiting callers with PeerDied;
  senders:   threads blocked in send or call, oldest first: tid, process, the badge of the
             capability they used, and whether it is a call (which then waits for a reply);
  receivers: threads blocked in receive, oldest first: tid and process.
A call being served is on neither queue: its caller shows "Blocked (Reply)" in samsara-ps.
The queues are IntrusiveLists threaded through Thread::ipc_link; see intrusive_list() in
tools/gdb/samsara.py for how a list node leads back to its Thread."""

    def __init__(self):
        super().__init__("samsara-endpoints", gdb.COMMAND_USER)

    def invoke(self, argument, from_tty):
        endpoints = list(intrusive_list(kernel_variable("Endpoint::s_all")))
        if not endpoints:
            print("no endpoints (endpoint_create makes them)")
            return
        for endpoint in endpoints:
            server = endpoint["server"]
            print(f"endpoint {object_id(endpoint)}  refcount {int(endpoint['refcount'])}  "
                  f"server {'none' if is_null(server) else process_label(server)}")
            self.print_queue(endpoint["senders"], "senders", sender=True)
            self.print_queue(endpoint["receivers"], "receivers", sender=False)

    @staticmethod
    def print_queue(queue, title, sender):
        threads = list(intrusive_list(queue))
        print(f"  {title} ({len(threads)}){':' if threads else ''}")
        for thread in threads:
            line = f"    tid {int(thread['tid']):<4} {process_label(thread['process'])}"
            if sender:
                line += (f"  {'call' if bool(thread['ipc_is_call']) else 'send'}"
                         f"  badge {int(thread['ipc_badge']):#x}")
            print(line)


SamsaraPs()
SamsaraCurrent()
SamsaraBootinfo()
SamsaraCaps()
SamsaraEndpoints()
