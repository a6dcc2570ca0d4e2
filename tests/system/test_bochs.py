## \file test_bochs.py
## \brief The same ISO boots in Bochs (headless, via tools/run-bochs.sh) to init and powers off cleanly.
import os
import subprocess
import threading

from harness import POWEROFF, boot_bochs, module_count

# The banner boot is shared: the second test reuses it to decide whether Bochs is fast enough here.
_banner = {}
_banner_lock = threading.Lock()


def banner_boot():
    with _banner_lock:
        if "boot" not in _banner:
            _banner["boot"] = boot_bochs("bochs_boot_to_init_banner", init_args="poweroff",
                                         timeout=120, idle_timeout=30)
        return _banner["boot"]


def test_bochs_boots_to_init_banner():
    b = banner_boot()
    # expect_poweroff: Bochs ended through the 0x8900 "Shutdown" port (not a timeout,
    # a Bochs panic or a triple fault), init's code was 0, and no "KERNEL PANIC".
    b.expect_poweroff()
    b.expect_line("Samsara 0.1.0 booting")
    b.expect_line("Samsara 0.1.0 -- init (pid 1) is running in user space")
    m = b.expect_line_matching(r"init: (\d+) MiB of memory found, (\d+) MiB free, (\d+) boot modules")
    # megs: 256 in the generated bochsrc; Bochs's BIOS reports 255 MiB available.
    if not 250 <= int(m.group(1)) <= 256:
        b.fail(f"init reports {m.group(1)} MiB, expected about 255")
    if not 0 < int(m.group(2)) <= int(m.group(1)):
        b.fail(f"init reports {m.group(2)} MiB free of {m.group(1)} MiB")
    if int(m.group(3)) != module_count():
        b.fail(f"init reports {m.group(3)} boot modules, grub.cfg loads {module_count()}")
    b.expect_line("init: powering off")
    b.expect_absent("KERNEL PANIC")


test_bochs_boots_to_init_banner.TIMEOUT = 150


def test_bochs_bad_pointers():
    from test_bad_pointers import EXPECTED
    b = boot_bochs("bochs_bad_pointers", init_args="run=badptr poweroff", timeout=120, idle_timeout=30)
    b.expect_poweroff()
    b.expect_lines_in_order([f"badptr: {what}: {code} (expected {code}) ok" for what, code in EXPECTED])
    b.expect_line(f"badptr: {len(EXPECTED)} passed, 0 failed")


test_bochs_bad_pointers.TIMEOUT = 300


def test_bochs_ipc_and_capabilities():
    # The same in-OS IPC tests, on Bochs's CPU, PIC and UART.
    from test_ipc import BEHAVIOUR, ERROR_PATHS
    b = boot_bochs("bochs_ipctest", init_args="run=ipctest poweroff", timeout=180, idle_timeout=60)
    b.expect_poweroff()
    for what, code in ERROR_PATHS:
        b.expect_line(f"ipctest: {what}: {code} (expected {code}) ok")
    for what in BEHAVIOUR:
        b.expect_line(f"ipctest: {what}: ok")
    b.expect_line_matching(r"ipctest: (\d+) passed, 0 failed")


test_bochs_ipc_and_capabilities.TIMEOUT = 240


def test_bochs_runs_the_drivers_under_rs():
    # The console drivers on Bochs's UART, keyboard controller and VGA, under the reincarnation
    # server, including one crash and recovery of the serial driver.
    args = ("start=rs run=rsctl:wait:serial run=rsctl:wait:ps2kbd run=rsctl:wait:vga "
            "run=rsctl:fi:serial:crash run=rsctl:wait:serial run=rsctl:list poweroff")
    b = boot_bochs("bochs_drivers", init_args=args, timeout=180, idle_timeout=60)
    b.expect_poweroff()
    for label in ("serial", "ps2kbd", "vga"):
        b.expect_line(f"rsctl: {label} is up")
    b.expect_line("serial: COM1 ready (IRQ 4)")
    b.expect_line_matching(r"rs: serial \(pid \d+\) failed: exception: page fault")
    b.expect_line_matching(r"rs: serial is back \(pid \d+\) after \d+ us")
    b.expect_line_matching(r"serial +\d+ up +1  exception: page fault .*")


test_bochs_runs_the_drivers_under_rs.TIMEOUT = 240


def test_bochs_shell_over_the_serial_console_survives_a_serial_crash():
    # COM1 on a pseudo-terminal (Bochs's `term` mode), so the test can type as a user would.
    import os
    import select
    import subprocess
    import time
    import tty

    from harness import BUILD, LOGS, build_iso

    iso = build_iso("start=rs run=shell poweroff")
    master, slave = os.openpty()
    tty.setraw(slave)
    env = dict(os.environ, BOCHS_COM1=f"mode=term, dev={os.ttyname(slave)}")
    proc = subprocess.Popen(["tools/run-bochs.sh", iso, os.path.join(BUILD, "bochs", "shell-unused.txt")],
                            cwd=os.path.dirname(BUILD), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = bytearray()

    def until(marker, seconds):
        start = len(out)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                out.extend(os.read(master, 65536))
                if marker.encode() in out[start:]:
                    return True
        return False

    def type_line(text):
        for ch in (text + "\r").encode():
            os.write(master, bytes([ch]))
            time.sleep(0.01)

    try:
        assert until("samsara> ", 120), "no shell prompt under Bochs"
        type_line("echo typed in bochs")
        assert until("\ntyped in bochs", 30), "typed input did not reach the shell"
        type_line("service fi serial crash")
        assert until("serial is back", 30), "the serial driver did not come back"
        until("samsara> ", 10)
        type_line("echo still here")
        assert until("\nstill here", 30), "the shell did not answer after the serial driver's restart"
        type_line("exit")
        assert until("power-off, code 0", 60), "no power-off"
        assert proc.wait(timeout=60) == 0, "Bochs did not end through its power-off port"
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
        os.close(slave)
        with open(os.path.join(LOGS, "bochs_shell.log"), "wb") as f:
            f.write(out)


test_bochs_shell_over_the_serial_console_survives_a_serial_crash.TIMEOUT = 300


def test_bochs_runs_programs_from_the_disk():
    # The storage stack on Bochs's own IDE controller: ata, fs (mounting the ext2 disk) and proc,
    # with proctest spawning /bin programs, waiting for them, killing them and checking exec errors.
    from test_proc import prepared_disk
    disk = prepared_disk("bochs_proc")
    b = boot_bochs("bochs_proc", init_args="start=rs run=proctest poweroff", disk=disk, timeout=400,
                   idle_timeout=120)
    b.expect_poweroff()
    b.expect_line_matching(r"fs: mounted ext2 'samsara'.*")
    b.expect_line_matching(r"proctest: join: OK, pid \d+")
    b.expect_line_matching(r"init: pid \d+ \(proctest\) exited with code 0")


test_bochs_runs_programs_from_the_disk.TIMEOUT = 480
