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
