## \file grade.py
## \brief Lab 1's checks: one boot to power-off shows serial output, long mode, and user space.
from gradelib import booted

TITLE = "Lab 1: boot, serial output and long mode"

# One boot serves every check: init prints its banner and powers the machine off.
ARGS = "poweroff"

TESTS = [
    booted("serial: the kernel banner reaches the console", 20,
           lambda b: b.expect_line_matching(r"Samsara [0-9.]+ booting"), init_args=ARGS),
    booted("long mode: kernel_main reads GRUB's boot information through the physmap", 10,
           lambda b: b.expect_line_matching(r"\[ +\d+\.\d{6}\] info  boot: loaded by GRUB .*"),
           init_args=ARGS),
    booted("long mode: EFER.NXE is on", 10,
           lambda b: b.expect_line_matching(r"\[ +\d+\.\d{6}\] info  mm: \d+ KiB usable RAM, \d+ frames free, NX on"),
           init_args=ARGS),
    booted("user space: init runs (system calls and SSE work)", 10,
           lambda b: b.expect_line_matching(r"Samsara [0-9.]+ -- init \(pid 1\) is running in user space"),
           init_args=ARGS),
    booted("power-off: a clean exit with no panic", 10, lambda b: b.expect_poweroff(), init_args=ARGS),
]
