## \file test_gdb.py
## \brief Debugging with GDB works: QEMU's gdbstub stops at kernel_main in long mode, and the Python helpers read kernel state.
#
# Each test starts QEMU paused (-S) with a gdbstub on a free TCP port, then runs
# `gdb -batch -nx -x COMMANDS` against it, the way tools/gdb.sh does interactively. The command
# file prints a marker line (`@@ name`) before each step, so the assertions can look at exactly
# the output of that step. gdb's whole output is kept in build/test-logs/<name>.log and the
# guest's serial console in build/test-logs/<name>-serial.log.
#
# In batch mode gdb stops reading the command file at the first failing command, so a missing
# step in the output usually means the command before it failed: read the log.
import os
import re
import shutil
import socket
import subprocess

from harness import LOGS, ROOT, TestFailure, build_iso, qemu_accel

KERNEL_ELF = os.path.join(ROOT, "build", "iso", "boot", "kernel.elf")
INIT_ELF = os.path.join(ROOT, "build", "iso", "boot", "init.elf")
HELPERS = os.path.join(ROOT, "tools", "gdb", "samsara.py")

MULTIBOOT2_MAGIC = 0x36d76289
GDB_SECONDS = 60  # one gdb session, from connecting to `kill` (a good one takes a few seconds)

# Set once the kernel runs, so that a panic stops gdb at once (a hardware breakpoint: the
# kernel's addresses are not mapped before that) instead of leaving `continue` waiting for a
# breakpoint that never comes until the timeout.
BREAK_ON_PANIC = "hbreak panic"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gdb_session(name, init_args, steps):
    """Boots an ISO with these init arguments under gdb and runs `steps`, a list of
    (marker, [gdb commands]). Returns {marker: the output of its commands}."""
    if shutil.which("gdb") is None:
        raise TestFailure("gdb is not installed (tools/deps.sh test installs it)")
    iso = build_iso(init_args=init_args)
    os.makedirs(LOGS, exist_ok=True)
    port = free_port()
    serial_log = os.path.join(LOGS, name + "-serial.log")
    qemu = subprocess.Popen(
        ["qemu-system-x86_64", *qemu_accel(), "-m", "256M", "-no-reboot", "-display", "none",
         "-serial", f"file:{serial_log}", "-monitor", "none",
         "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-cdrom", iso,
         "-S", "-gdb", f"tcp:127.0.0.1:{port}"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # A QEMU that cannot start (bad -accel, port taken) exits at once; say so rather than
        # let gdb retry the connection for 15 s.
        qemu.wait(timeout=0.5)
        raise TestFailure(f"QEMU exited at start: {qemu.stderr.read().decode('utf-8', 'replace').strip()}")
    except subprocess.TimeoutExpired:
        pass  # Still running: waiting for gdb.

    lines = [
        "set pagination off",
        "set confirm off",
        "set width 0",
        # boot.S has no CFI marking long_mode_high as the outermost frame, so gdb would unwind
        # past it into whatever lies above the boot stack; keep such backtraces short.
        "set backtrace limit 8",
        f"file {KERNEL_ELF}",
        # QEMU's x86_64 gdbstub always sends the 64-bit register set, even while the CPU is still
        # in real or protected mode. If gdb expected the i386 set it would fail with "Remote 'g'
        # packet reply is too long"; the ELF64 already selects x86-64, and naming it here keeps
        # it so whatever else gets loaded first.
        "set architecture i386:x86-64",
        f"source {HELPERS}",
        f"target remote 127.0.0.1:{port}",  # gdb retries while QEMU is still opening the port
    ]
    for marker, commands in steps:
        lines.append(f"echo @@ {marker}\\n")
        lines.extend(commands)
    lines += ["echo @@ end\\n", "kill"]
    command_file = os.path.join(LOGS, name + ".gdb")
    with open(command_file, "w") as f:
        f.write("\n".join(lines) + "\n")

    try:
        try:
            gdb = subprocess.run(["gdb", "-batch", "-nx", "-x", command_file], capture_output=True,
                                 text=True, timeout=GDB_SECONDS, stdin=subprocess.DEVNULL)
            output = gdb.stdout + gdb.stderr
        except subprocess.TimeoutExpired as e:
            output = _text(e.stdout) + _text(e.stderr) + f"\n# gdb did not finish within {GDB_SECONDS} s\n"
    finally:
        if qemu.poll() is None:
            qemu.kill()
        try:
            qemu_errors = qemu.communicate(timeout=10)[1].decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            qemu_errors = "(QEMU did not exit after SIGKILL)"
    log_path = os.path.join(LOGS, name + ".log")
    with open(log_path, "w") as f:
        f.write(f"# gdb -batch -nx -x {command_file}\n{output}")
        f.write(f"# QEMU's stderr:\n{qemu_errors}")

    sections, current = {}, None
    for line in output.split("\n"):
        if line.startswith("@@ "):
            current = line[3:].strip()
            sections[current] = ""
        elif current is not None:
            sections[current] += line + "\n"
    return Session(sections, log_path, serial_log)


def _text(data):
    if data is None:
        return ""
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else data


class Session:
    def __init__(self, sections, log_path, serial_log):
        self.sections = sections
        self.log_path = log_path
        self.serial_log = serial_log

    def fail(self, message):
        # The usual reason for a missing breakpoint: the kernel panicked on the way (gdb then
        # stops at BREAK_ON_PANIC, before the console shows anything).
        stopped = re.search(r'Breakpoint \d+, panic \(fmt=.*?(".*")\)', "".join(self.sections.values()))
        if stopped:
            message += f"; the kernel called panic({stopped.group(1)})"
        raise TestFailure(f"{message} (gdb log: {self.log_path}, serial: {self.serial_log})")

    def output(self, marker):
        if marker not in self.sections:
            self.fail(f"gdb never reached step '{marker}' (a command before it failed, or gdb hung)")
        return self.sections[marker]

    def expect(self, marker, regex):
        """Some line of the step's output must fully match `regex`; returns the match."""
        for line in self.output(marker).split("\n"):
            m = re.fullmatch(regex, line.rstrip())
            if m:
                return m
        self.fail(f"step '{marker}': no line matches {regex!r}")


def test_gdb_breaks_at_kernel_main_in_long_mode():
    s = gdb_session("gdb", "poweroff", [
        ("hbreak", ["hbreak kernel_main"]),
        ("continue", ["continue"]),
        ("bt", ["bt", BREAK_ON_PANIC]),
        ("registers", ["info registers rip cs efer cr0"]),
        # `magic` is kernel_main's first argument. At -O2 GCC keeps it in a register only until
        # parse_boot_info() has used it (later gdb says <optimized out>), but at the breakpoint
        # its DWARF location is still valid. $rdi is the same value by the calling convention.
        ("magic", ["print/x magic", "print/x $rdi"]),
        ("next", ["next", "next", "next"]),
        ("bootinfo", ["samsara-bootinfo"]),
        ("start", ["hbreak scheduler::start", "continue"]),
        ("ps", ["samsara-ps"]),
        ("current", ["samsara-current"]),
    ])
    # Breakpoint 1 is the hardware breakpoint at kernel_main, in main.cpp.
    m = s.expect("hbreak", r"Hardware assisted breakpoint 1 at (0xffffffff8[0-9a-f]{7}): "
                           r"file kernel/core/main\.cpp, line \d+\.")
    kernel_main_address = int(m.group(1), 16)
    s.expect("continue", rf"Breakpoint 1, kernel_main \(magic={MULTIBOOT2_MAGIC}, info_phys=\d+\) "
                         r"at kernel/core/main\.cpp:\d+")
    s.expect("bt", r"#0  kernel_main \(magic=\d+, info_phys=\d+\) at kernel/core/main\.cpp:\d+")
    s.expect("bt", r"#1  0xffffffff8[0-9a-f]{7} in long_mode_high \(\) at kernel/arch/x86_64/boot\.S:\d+")

    # 64-bit mode: rip is the higher-half address of kernel_main, CS is boot.S's 64-bit code
    # selector 0x08, EFER.LMA (long mode active) is set and paging is on.
    s.expect("registers", rf"rip +{kernel_main_address:#x} +{kernel_main_address:#x} <kernel_main.*>")
    s.expect("registers", r"cs +0x8 +8")
    s.expect("registers", r"efer +0x[0-9a-f]+ +\[.*\bLMA\b.*\]")
    s.expect("registers", r"cr0 +0x[0-9a-f]+ +\[.*\bPG\b.*\bPE\b.*\]")

    s.expect("magic", rf"\$\d+ = {MULTIBOOT2_MAGIC:#x}")
    if len(re.findall(rf"= {MULTIBOOT2_MAGIC:#x}\b", s.output("magic"))) != 2:
        s.fail("`print/x magic` and `print/x $rdi` should both show the multiboot2 magic")

    # Three `next`s step over source lines of kernel_main without leaving main.cpp's lines.
    steps = [line for line in s.output("next").split("\n") if re.match(r"\d+\t", line)]
    if len(steps) != 3:
        s.fail(f"expected three source lines from `next`, got {steps}")

    # Not parsed yet this early (parse_boot_info runs a few lines later).
    s.expect("bootinfo", r"the boot information is not parsed yet.*")

    s.expect("start", r"Breakpoint \d+, scheduler::start \(\) at kernel/core/scheduler\.cpp:\d+")
    s.expect("ps", r" +PID +NAME +STATE +PARENT")
    s.expect("ps", r" +1  init +Alive +0")
    s.expect("ps", r" +tid \d+ +init +Ready +priority \d+")
    s.expect("ps", r" +tid \d+ +idle +\w+ +priority 0")
    s.expect("current", r"no current thread: the scheduler has not started.*")


test_gdb_breaks_at_kernel_main_in_long_mode.TIMEOUT = 150


def test_gdb_catches_user_process_state():
    s = gdb_session("gdb_user", "start=spin:A:50 poweroff", [
        # init's symbols too: its `main` is at a user address (0x400240), valid only while init's
        # page tables are loaded. A hardware breakpoint there fires in whichever process runs
        # that address first: spin is linked at the same addresses, but init runs first.
        ("symbols", [f"add-symbol-file {INIT_ELF}"]),
        ("user", ["hbreak main", BREAK_ON_PANIC, "continue", "info registers cs"]),
        ("user-current", ["samsara-current"]),
        ("bootinfo", ["samsara-bootinfo"]),
        ("wait", ["delete", BREAK_ON_PANIC, "hbreak syscalls::sys_wait", "continue"]),
        ("wait-current", ["samsara-current"]),
        ("wait-ps", ["samsara-ps"]),
    ])
    s.expect("user", r"Breakpoint 1, main \(.*\) at userland/init/main\.cpp:\d+")
    s.expect("user", r"cs +0x2b +43")  # the user code selector, RPL 3
    s.expect("user-current", r"CPU mode: user \(CPL 3\), rip 0x0*40[0-9a-f]{4}")
    s.expect("user-current", r"  tid \d+ +init +Running +priority \d+")
    s.expect("user-current", r"  process pid 1 \(init\), page tables at physical 0x[0-9a-f]+")
    s.expect("user-current", r"  running in user mode now: `info registers` shows its registers")

    s.expect("bootinfo", r"command line: \"\"")
    s.expect("bootinfo", r"  0: 0x[0-9a-f]{8}\.\.0x[0-9a-f]{8} +\d+ bytes  \"init start=spin:A:50 poweroff\"")
    s.expect("bootinfo", r"  available in total: 25\d MiB")

    # init asked to wait for its child: the CPU is in the kernel on init's behalf, and init's user
    # registers sit in the TrapFrame that syscall_entry saved.
    s.expect("wait", r"Breakpoint \d+, syscalls::sys_wait \(.*")
    s.expect("wait-current", r"CPU mode: kernel \(CPL 0\), rip 0xffffffff8[0-9a-f]{7}")
    s.expect("wait-current", r"  tid \d+ +init +Running +priority \d+")
    s.expect("wait-current", r"  user registers saved at its latest kernel entry \(system call\):")
    s.expect("wait-current", r"    rip 0x00000000004[0-9a-f]{5}  rsp 0x[0-9a-f]{16}  cs 0x2b  rflags 0x[0-9a-f]+")
    s.expect("wait-ps", r" +1  init +Alive +0")
    s.expect("wait-ps", r" +2  spin +(Alive|Zombie) +1")


test_gdb_catches_user_process_state.TIMEOUT = 150


# ---- the IPC fast path under the debugger -------------------------------------------------------

FASTPATH_SOURCE = os.path.join(ROOT, "kernel", "ipc", "fastpath.cpp")
# bench's call(ep, 4): label 1, 4 words (abi::MessageInfo::make(1, 4) = 1 << 32 | 4), words 1..4.
CALL_INFO = (1 << 32) | 4
# fastpath_call's numbered checks, marked in its source by `// [fastpath-call-check-NAME]` pairs.
FASTPATH_CHECKS = ("message", "capability", "receiver", "priority")
COMMIT_LINE = "scheduler::switch_directly(server);"


def fastpath_call_source():
    """fastpath.cpp as {line number: text}, the line range of each check (1)-(4) of fastpath_call,
    and the number of its line that switches to the server. Read from the source rather than
    written down here, so that edits to fastpath.cpp do not break the test."""
    with open(FASTPATH_SOURCE) as f:
        lines = dict(enumerate(f.read().split("\n"), 1))

    def marked(tag):
        found = [n for n, text in lines.items() if text.strip() == f"// [{tag}]"]
        if len(found) != 2:
            raise TestFailure(f"{FASTPATH_SOURCE}: expected a pair of `// [{tag}]` markers, found {len(found)}")
        return range(found[0] + 1, found[1])

    function = marked("fastpath-call")
    checks = {name: marked(f"fastpath-call-check-{name}") for name in FASTPATH_CHECKS}
    commit = [n for n in function if lines[n].strip() == COMMIT_LINE]
    if len(commit) != 1:
        raise TestFailure(f"{FASTPATH_SOURCE}: no single line `{COMMIT_LINE}` in fastpath_call")
    return lines, checks, commit[0]


def step_to_line(line, steps=60):
    """gdb commands: `next` until the current line is fastpath.cpp:`line`, at most `steps` times.

    A Python loop, because -O2 interleaves the instructions of neighbouring lines and inlines
    helpers (scheduler::current, IntrusiveList::front...), so how many `next`s it takes depends
    on the compiler. Each `next` prints its line as usual. If a check sends the call to the slow
    path, fastpath_call returns false and the loop notices that it left the function."""
    return [f"""python
def in_fastpath_call():
    frame = gdb.selected_frame()
    while frame is not None and frame.type() == gdb.INLINE_FRAME:
        frame = frame.older()  # Inlined helpers: the real function is an outer frame.
    return frame is not None and frame.name() == "ipc::fastpath_call"
for _ in range({steps}):
    sal = gdb.selected_frame().find_sal()
    if sal.symtab is not None and sal.symtab.filename.endswith("ipc/fastpath.cpp") and sal.line == {line}:
        break
    if not in_fastpath_call():
        print("STEP FAILED: left ipc::fastpath_call before line {line}: a check sent the call to the slow path")
        raise gdb.GdbError("left ipc::fastpath_call")
    gdb.execute("next")
else:
    print("STEP FAILED: line {line} not reached after {steps} steps")
    raise gdb.GdbError("line not reached")
end"""]


def endpoint_block(text, endpoint_id):
    """The lines samsara-endpoints printed for endpoint #id (its header line and its queues)."""
    block, inside = [], False
    for line in text.split("\n"):
        if line.startswith("endpoint #"):
            inside = line.startswith(f"endpoint #{endpoint_id} ")
        if inside:
            block.append(line)
    return block


def test_gdb_fastpath_registers_hold_the_message():
    lines, checks, commit_line = fastpath_call_source()
    # The server's user registers, computed the way Thread::user_frame() does: gdb cannot call
    # that inline function (no out-of-line copy exists), so the sum is spelled out.
    server_frame = "((TrapFrame*)(server->kernel_stack + Thread::kKernelStackSize) - 1)"
    s = gdb_session("gdb_fastpath", "run=bench poweroff", [
        # kernel_main first, as in the other tests: from there on the kernel's higher-half
        # addresses are mapped, so BREAK_ON_PANIC can be set. (x86 has 4 hardware breakpoints:
        # `delete` frees this one.)
        ("kernel_main", ["hbreak kernel_main", "continue"]),
        # bench first measures null system calls, clock and yield; then it creates an endpoint,
        # starts `ipcpeer pong` with it in slot 3, yields so that pong reaches its receive, and
        # calls. Nothing else runs ipc_call before that (init only spawns and waits), so the
        # first stop is bench's first call(ep, 4), with pong already waiting: the fast path.
        ("fastpath_call", ["delete", "hbreak ipc::fastpath_call", BREAK_ON_PANIC, "continue"]),
        # `frame` (the TrapFrame syscall_entry saved) lives in RDI at the breakpoint and in RBX
        # afterwards; its DWARF location list covers both, so gdb can print it all along.
        ("message", ['printf "frame: rdi=%lu rsi=%#lx rdx=%lu r10=%lu r8=%lu r9=%lu\\n", '
                     "frame.rdi, frame.rsi, frame.rdx, frame.r10, frame.r8, frame.r9"]),
        ("bt", ["bt"]),
        ("ps", ["samsara-ps"]),
        ("endpoints", ["samsara-endpoints"]),
        ("caps", ["samsara-caps 2"]),
        ("server-caps", ["samsara-caps 3"]),
        ("next", step_to_line(commit_line)),
        # At the switch: `to` is still in its DWARF range here (-O2 drops it a few instructions
        # later, and `cap` is already <optimized out>, so the badge is checked through `to.rdi`
        # and samsara-caps). `server` stays in a register up to the call.
        ("server", ['printf "server: tid %lu, pid %lu (%s)\\n", server->tid, server->process->pid, '
                    "server->process->name",
                    'printf "to: at %#lx, the server\'s user frame at %#lx\\n", &to, ' + server_frame,
                    'printf "to: rdi=%lu rsi=%#lx rdx=%lu r10=%lu r8=%lu r9=%lu\\n", '
                    "to.rdi, to.rsi, to.rdx, to.r10, to.r8, to.r9"]),
        ("committed-endpoints", ["samsara-endpoints"]),
        ("committed-ps", ["samsara-ps"]),
        ("help", ["help samsara-caps", "help samsara-endpoints", "help samsara-ps"]),
    ])
    if "STEP FAILED" in s.output("next"):
        s.fail(re.search(r"STEP FAILED: (.*)", s.output("next")).group(1))

    s.expect("fastpath_call", r"Breakpoint \d+, ipc::fastpath_call \(frame=\.\.\.\) at kernel/.*")
    m = s.expect("message", rf"frame: rdi=(\d+) rsi={CALL_INFO:#x} rdx=1 r10=2 r8=3 r9=4")
    slot = int(m.group(1))
    if not 1 <= slot < 256:  # abi::kCapTableSlots; slot 0 is never valid
        s.fail(f"frame.rdi = {slot} is not a capability slot")

    # fastpath_call is called by syscall_dispatch, which syscall_entry.S called.
    s.expect("bt", r"#0  ipc::fastpath_call \(frame=\.\.\.\) at kernel/.*")
    s.expect("bt", r"#1  0x[0-9a-f]{16} in syscall_dispatch \(frame=0x[0-9a-f]+\) at kernel/syscall/dispatch\.cpp:\d+")

    # bench's slot frame.rdi holds the endpoint: unbadged, with Write (call) among its rights, a
    # root of the derivation tree (endpoint_create made it); pong's slot 3 was derived from it.
    m = s.expect("caps", rf" +{slot}  Endpoint +#(\d+) +.W.. +0x0 +root")
    endpoint = int(m.group(1))
    s.expect("caps", r"capabilities of pid 2 \(bench\):")
    s.expect("server-caps", rf" +3  Endpoint +#{endpoint} +RW.. +0x0 +2:{slot}")

    # Before the commit: pong waits on that endpoint as a receiver, and it is the endpoint's server.
    block = endpoint_block(s.output("endpoints"), endpoint)
    if not block or not re.fullmatch(rf"endpoint #{endpoint}  refcount \d+  server pid 3 \(ipcpeer\)", block[0]):
        s.fail(f"samsara-endpoints does not show endpoint #{endpoint} served by pid 3: {block}")
    if "  senders (0)" not in block or "  receivers (1):" not in block:
        s.fail(f"endpoint #{endpoint} should have no senders and one receiver: {block}")
    receivers = [m for m in (re.fullmatch(r"    tid (\d+) +pid 3 \(ipcpeer\)", line) for line in block) if m]
    if not receivers:
        s.fail(f"pong (pid 3) is not a waiting receiver of endpoint #{endpoint}: {block}")
    server_tid = int(receivers[0].group(1))
    s.expect("ps", rf" +tid {server_tid} +ipcpeer +Blocked \(Receive\) +priority \d+  on endpoint #{endpoint}")
    s.expect("ps", r" +tid \d+ +bench +Running +priority \d+")

    # `next` went through every numbered check, in order, and stopped at the switch. (Lines of
    # inlined helpers from other files are printed too; they are told apart by their text.)
    stepped = [int(m.group(1)) for m in re.finditer(r"^(\d+)\t(.*)$", s.output("next"), re.M)
               if lines.get(int(m.group(1)), "").strip() == m.group(2).strip()]
    position = -1
    for name in FASTPATH_CHECKS:
        hits = [i for i, n in enumerate(stepped) if n in checks[name]]
        if not hits:
            s.fail(f"`next` never stopped in check '{name}' (lines {checks[name].start}-{checks[name].stop - 1}): "
                   f"stepped through {stepped}")
        if hits[0] < position:
            s.fail(f"check '{name}' came out of order: stepped through {stepped}")
        position = hits[0]
    if not stepped or stepped[-1] != commit_line:
        s.fail(f"`next` should end at line {commit_line} (`{COMMIT_LINE}`), stepped through {stepped}")

    # The message went register to register: the server's saved RSI, RDX, R10, R8, R9 are the
    # caller's, and its RDI is the badge of the capability the caller used (0: unbadged).
    s.expect("server", rf"server: tid {server_tid}, pid 3 \(ipcpeer\)")
    m = s.expect("server", r"to: at (0x[0-9a-f]+), the server's user frame at (0x[0-9a-f]+)")
    if m.group(1) != m.group(2):
        s.fail(f"`to` ({m.group(1)}) is not the TrapFrame at the top of the server's kernel stack ({m.group(2)})")
    s.expect("server", rf"to: rdi=0 rsi={CALL_INFO:#x} rdx=1 r10=2 r8=3 r9=4")

    # After the commit: pong has left the receive queue; bench is about to wait for its reply.
    block = endpoint_block(s.output("committed-endpoints"), endpoint)
    if "  senders (0)" not in block or "  receivers (0)" not in block:
        s.fail(f"endpoint #{endpoint} should have empty queues once the call is taken: {block}")
    s.expect("committed-ps", rf" +tid \d+ +bench +Running \(Reply\) +priority \d+  for a reply from tid {server_tid}")
    s.expect("committed-ps", rf" +tid {server_tid} +ipcpeer +Blocked \(Receive\) +priority \d+  message just delivered")

    # The new commands document themselves.
    s.expect("help", r"Print a process's capability table: every full and every revoked slot\.")
    s.expect("help", r"List every IPC endpoint with its server and the threads waiting on it\.")
    s.expect("help", r"List processes and their threads from Process::s_table\.")


test_gdb_fastpath_registers_hold_the_message.TIMEOUT = 150
