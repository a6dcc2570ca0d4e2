## \file harness.py
## \brief Boots Samsara in QEMU (or Bochs) with chosen init arguments and captures the serial log.
#
# A system test calls `boot(...)` and gets a `Boot` back: the whole serial output, how the run
# ended, and helpers to assert on exact lines. The harness
#   - builds one ISO per distinct (kernel command line, init arguments), cached by content,
#   - enforces a total timeout and a no-output timeout,
#   - recognises a clean power-off (isa-debug-exit), a kernel panic and a triple fault (QEMU
#     exits by itself with -no-reboot), and
#   - leaves the full log of every boot in build/test-logs/ so a failure can be read in full.
import hashlib
import os
import select
import shutil
import subprocess
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, "build")
LOGS = os.path.join(BUILD, "test-logs")
ISO_CACHE = os.path.join(BUILD, "test-isos")
DISK_IMAGE = os.path.join(BUILD, "disk.img")  # tools/mkdisk.sh's ext2 image, made by `make`
TEST_DISKS = os.path.join(BUILD, "test-disks")


def disk_copy(name, image=DISK_IMAGE):
    """A private copy of `image` (build/disk.img unless given) for one boot, as
    build/test-disks/NAME.img: QEMU locks its image, and a boot's writes must not leak into the next."""
    if not os.path.exists(image):
        raise AssertionError(f"{os.path.relpath(image, ROOT)} is missing: run `make` first")
    os.makedirs(TEST_DISKS, exist_ok=True)
    path = os.path.join(TEST_DISKS, name + ".img")
    shutil.copyfile(image, path)
    return path

# How a boot ended.
POWEROFF = "poweroff"        # init asked for power-off; QEMU exited through isa-debug-exit
PANIC = "panic"              # "KERNEL PANIC" on the console
TRIPLE_FAULT = "triple-fault"  # QEMU reset the CPU and, with -no-reboot, exited
TIMEOUT = "timeout"          # the total time limit passed
SILENT = "silent"            # nothing printed for idle_timeout seconds
EXITED = "exited"            # the emulator exited some other way

PANIC_MARKERS = ("KERNEL PANIC",)


class TestFailure(Exception):
    """An assertion about a boot did not hold."""


def qemu_accel():
    if os.environ.get("ACCEL") == "kvm":
        return ["-accel", "kvm", "-cpu", "host"]
    # Guest time follows guest instructions (-icount): 2^shift ns per instruction. Heartbeats
    # and timeouts inside the guest then do not fire early when the host is busy.
    # The default, 32 ns per instruction, is faster than real time on this machine's TCG, and
    # makes the tests immune to a busy host; SAMSARA_ICOUNT= (empty) turns it off.
    shift = os.environ.get("SAMSARA_ICOUNT", "5")
    icount = ["-icount", f"shift={shift},sleep=on"] if shift else []
    return ["-accel", "tcg", "-cpu", "max", *icount]


def module_count():
    """How many modules GRUB loads: the module2 lines of the generated grub.cfg."""
    cfg = subprocess.run([os.path.join(ROOT, "tools", "mkgrubcfg.sh"), "", ""],
                         check=True, capture_output=True, text=True).stdout
    return sum(1 for line in cfg.splitlines() if line.strip().startswith("module2 "))


_iso_lock = threading.Lock()


def build_iso(init_args="", kernel_cmdline="", files=None):
    """An ISO whose grub.cfg passes these arguments, with `files` ({path under boot/: text})
    replacing staged files (e.g. a test's own services.conf); built once per distinct input."""
    with _iso_lock:
        return _build_iso(init_args, kernel_cmdline, files or {})


def _build_iso(init_args, kernel_cmdline, overrides):
    staging = os.path.join(BUILD, "iso")
    if not os.path.exists(os.path.join(staging, "boot", "kernel.elf")):
        raise TestFailure("build/iso is missing: run `make` first")
    cfg = subprocess.run([os.path.join(ROOT, "tools", "mkgrubcfg.sh"), kernel_cmdline, init_args],
                         check=True, capture_output=True, text=True).stdout
    digest = hashlib.sha256(cfg.encode())
    for path in sorted(overrides):
        digest.update(path.encode() + b"\0" + overrides[path].encode() + b"\0")
    # Every staged file (programs, services.conf, ...), except the grub.cfg written per boot.
    for dirpath, dirs, files in os.walk(os.path.join(staging, "boot")):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            if os.path.relpath(path, staging) == os.path.join("boot", "grub", "grub.cfg"):
                continue
            digest.update(os.path.relpath(path, staging).encode() + b"\0")
            with open(path, "rb") as f:
                digest.update(f.read())
    iso = os.path.join(ISO_CACHE, digest.hexdigest()[:16] + ".iso")
    if os.path.exists(iso):
        return iso
    os.makedirs(ISO_CACHE, exist_ok=True)
    # Private names, so boots started by other processes (parallel test runs) never collide.
    tree = f"{iso}.{os.getpid()}.{threading.get_ident()}.tree"
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(staging, tree)
    with open(os.path.join(tree, "boot", "grub", "grub.cfg"), "w") as f:
        f.write(cfg)
    for path, text in overrides.items():
        with open(os.path.join(tree, "boot", path), "w") as f:
            f.write(text)
    subprocess.run(["grub-mkrescue", "-o", tree + ".iso", tree], check=True, capture_output=True)
    os.replace(tree + ".iso", iso)
    shutil.rmtree(tree, ignore_errors=True)
    return iso


class Boot:
    """The result of one boot: `output` (str), `reason` (one of the constants), `status`."""

    def __init__(self, name, output, reason, status, seconds):
        self.name = name
        self.output = output
        self.reason = reason
        self.status = status
        self.seconds = seconds
        self.lines = [line.rstrip("\r") for line in output.split("\n")]

    def fail(self, message):
        raise TestFailure(f"{message} (boot ended: {self.reason}; log: {self.log_path})")

    @property
    def log_path(self):
        return os.path.join(LOGS, self.name + ".log")

    def expect_poweroff(self):
        """The run must end in a clean power-off with code 0, with no panic on the way."""
        if self.reason != POWEROFF:
            self.fail("expected a clean power-off")
        if self.status != 1:
            self.fail(f"init powered off with failure code {(self.status - 1) // 2}")
        self.expect_no_panic()

    def expect_no_panic(self):
        for marker in PANIC_MARKERS:
            if marker in self.output:
                self.fail(f"the kernel printed '{marker}'")

    def expect_line(self, line):
        """Some console line must equal `line` exactly."""
        if line not in self.lines:
            self.fail(f"missing line: {line!r}")

    def expect_lines_in_order(self, lines):
        """These exact lines must appear, in this order (other lines may come between)."""
        position = 0
        for wanted in lines:
            try:
                position = self.lines.index(wanted, position) + 1
            except ValueError:
                self.fail(f"missing line (in order): {wanted!r}")

    def expect_line_matching(self, regex):
        """Some line must fully match the regular expression; returns the match."""
        import re
        pattern = re.compile(regex)
        for line in self.lines:
            m = pattern.fullmatch(line)
            if m:
                return m
        self.fail(f"no line matches {regex!r}")

    def lines_matching(self, regex):
        import re
        pattern = re.compile(regex)
        return [m for m in (pattern.fullmatch(line) for line in self.lines) if m]

    def expect_absent(self, text):
        if text in self.output:
            self.fail(f"unexpected text: {text!r}")


def boot(name, init_args="", kernel_cmdline="", timeout=60, idle_timeout=20, memory="256M",
         stop_when=None, extra_args=(), files=None, inputs=None, disk=None):
    """Boots the OS in QEMU and returns a Boot. `stop_when(output)` may end the run early
    (reason EXITED) once it returns True, for tests that never power off. `files` replaces
    files on the boot image (see build_iso). `disk` is a raw image attached as the primary IDE
    master (QEMU locks it: give each boot its own copy)."""
    iso = build_iso(init_args, kernel_cmdline, files)
    drive = ["-drive", f"file={disk},format=raw,if=ide,index=0,media=disk"] if disk else []
    cmd = ["qemu-system-x86_64", *qemu_accel(), "-m", memory, "-no-reboot", "-display", "none",
           "-serial", "stdio", "-monitor", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-cdrom", iso, *drive, *extra_args]
    return run_emulator(name, cmd, timeout, idle_timeout, stop_when, inputs=inputs)


def type_keys(proc, keys):
    """Types `keys` into the emulator's serial port, slowly enough for a 16-byte UART FIFO."""
    for ch in keys.encode():
        try:
            proc.stdin.write(bytes([ch]))
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return
        time.sleep(0.004)


def run_emulator(name, cmd, timeout, idle_timeout, stop_when=None, output_file=None, inputs=None):
    """Runs `cmd`, collecting its stdout (or, for Bochs, `output_file`) until it ends.
    `inputs` is a list of (text to wait for, text to type): each is typed on the serial console
    (QEMU's stdin) once the output contains its trigger after the previous one was typed."""
    os.makedirs(LOGS, exist_ok=True)
    start = time.monotonic()
    pending = list(inputs or [])
    typed_at = 0  # Output offset when the last input was typed: triggers must come after it.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.PIPE if pending else subprocess.DEVNULL)
    chunks = []
    last_output = start
    reason = None
    file_offset = 0
    while True:
        now = time.monotonic()
        if now - start > timeout:
            reason = TIMEOUT
            break
        if now - last_output > idle_timeout:
            reason = SILENT
            break
        ready, _, _ = select.select([proc.stdout], [], [], 0.2)
        data = b""
        if ready:
            data = os.read(proc.stdout.fileno(), 65536)
            if output_file is None and not data:
                break  # The emulator closed its output: it has exited.
            if output_file is not None:
                data = b""  # Bochs's own terminal output is not the serial console.
        if output_file is not None and os.path.exists(output_file):
            with open(output_file, "rb") as f:
                f.seek(file_offset)
                data = f.read()
                file_offset += len(data)
        if data:
            chunks.append(data)
            last_output = time.monotonic()
            text = b"".join(chunks).decode("utf-8", "replace")
            if any(marker in text for marker in PANIC_MARKERS):
                time.sleep(0.5)  # Let the register dump and backtrace arrive.
                reason = PANIC
                break
            if stop_when and stop_when(text):
                reason = EXITED
                break
            while pending and pending[0][0] in text[typed_at:]:
                trigger, keys = pending.pop(0)
                typed_at = text.index(trigger, typed_at) + len(trigger)
                type_keys(proc, keys)
        if proc.poll() is not None and output_file is not None and not data:
            break
    if proc.poll() is None:
        proc.kill()
    try:
        rest = proc.communicate(timeout=5)[0] or b""
    except subprocess.TimeoutExpired:
        rest = b""
    if output_file is None:
        chunks.append(rest)
    elif os.path.exists(output_file):
        with open(output_file, "rb") as f:
            f.seek(file_offset)
            chunks.append(f.read())
    output = b"".join(chunks).decode("utf-8", "replace")
    status = proc.returncode
    if reason is None:
        if any(marker in output for marker in PANIC_MARKERS):
            reason = PANIC
        elif "power-off, code" in output and status is not None and status % 2 == 1:
            reason = POWEROFF
        elif status == 0 and output_file is None:
            reason = TRIPLE_FAULT  # -no-reboot: a reset makes QEMU exit with status 0
        else:
            reason = EXITED
    seconds = time.monotonic() - start
    with open(os.path.join(LOGS, name + ".log"), "w") as f:
        f.write(f"# command: {' '.join(cmd)}\n# ended: {reason}, status {status}, {seconds:.1f}s\n")
        f.write(output)
    return Boot(name, output, reason, status, seconds)


def boot_bochs(name, init_args="", kernel_cmdline="", timeout=120, idle_timeout=30, stop_when=None, disk=None,
               files=None):
    """Boots the OS in Bochs through tools/run-bochs.sh and returns a Boot, like `boot` does for QEMU.

    The console is Bochs's COM1 file (build/bochs/NAME.txt); Bochs's own log is build/bochs/NAME.log.
    run-bochs.sh exits 0 when the guest powered off through port 0x8900 and 3 after a triple
    fault. `disk` is a raw image for ata0-master (the CD is ata1-master). `files` replaces files on the
    boot image, as for `boot`. A power-off gets `status` in QEMU's isa-debug-exit form, (code << 1) | 1, taken from
    the kernel's "power-off, code N" line, so `expect_poweroff` and status checks work unchanged."""
    import re
    import signal
    iso = build_iso(init_args, kernel_cmdline, files)
    bochs_dir = os.path.join(BUILD, "bochs")
    os.makedirs(bochs_dir, exist_ok=True)
    serial = os.path.join(bochs_dir, name + ".txt")
    pidfile = os.path.join(bochs_dir, name + ".pid")
    for path in (serial, pidfile):
        if os.path.exists(path):
            os.remove(path)  # A stale console would be read as this run's output.
    cmd = [os.path.join(ROOT, "tools", "run-bochs.sh"), iso, serial, *([disk] if disk else [])]
    b = run_emulator(name, cmd, timeout, idle_timeout, stop_when, output_file=serial)
    # run_emulator kills only run-bochs.sh on a timeout or panic; Bochs itself must go too.
    try:
        with open(pidfile) as f:
            pid = int(f.read().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if b"bochs" in f.read():
                os.kill(pid, signal.SIGKILL)
    except (OSError, ValueError):
        pass  # No pid file (run-bochs.sh cleaned up) or Bochs already gone.
    reason, status = b.reason, b.status
    if reason == EXITED and status == 0:
        m = re.search(r"power-off, code (\d+)", b.output)
        reason = POWEROFF
        status = (int(m.group(1)) << 1) | 1 if m else 1
    elif reason == EXITED and status == 3:
        reason = TRIPLE_FAULT
    with open(b.log_path, "w") as f:
        f.write(f"# command: {' '.join(cmd)}\n# ended: {reason}, status {status}, {b.seconds:.1f}s"
                f" (run-bochs.sh status {b.status}; Bochs's log: {os.path.join(bochs_dir, name + '.log')})\n")
        f.write(b.output)
    return Boot(name, b.output, reason, status, b.seconds)
