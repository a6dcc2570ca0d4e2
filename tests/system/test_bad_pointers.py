## \file test_bad_pointers.py
## \brief Bad user pointers, lengths and system-call numbers get exact error codes, never a crash.
from harness import boot

EXPECTED = [
    ("debug_write(null, 10)", "BadAddress"),
    ("debug_write(kernel address, 16)", "BadAddress"),
    ("debug_write(unmapped, 8)", "BadAddress"),
    ("debug_write(end of user space, 64)", "BadAddress"),
    ("debug_write(stack, running past its top)", "BadAddress"),
    ("debug_write(stack, 2^63 bytes)", "InvalidArgument"),
    ("debug_write(stack, 0 bytes)", "None"),
    ("system_info(null)", "BadAddress"),
    ("system_info(read-only data)", "BadAddress"),
    ("system_info(kernel address)", "BadAddress"),
    ("syscall 9999", "NoSuchSyscall"),
    ("syscall -1", "NoSuchSyscall"),
    ("wait(12345)", "NoChild"),
    ("wait(any, null)", "BadAddress"),
    ("spawn(image slot never given)", "InvalidCapability"),
    ("spawn(image is a thread capability)", "WrongType"),
    ("spawn(request at a bad pointer)", "BadAddress"),
    ("spawn(malformed ELF)", "BadFormat"),
    ("spawn(name too long)", "InvalidArgument"),
    ("poweroff(without the port capability)", "InsufficientRights"),
]


def test_every_bad_argument_returns_its_error_code():
    b = boot("bad_pointers", init_args="run=badptr poweroff")
    b.expect_poweroff()
    b.expect_lines_in_order([f"badptr: {what}: {code} (expected {code}) ok" for what, code in EXPECTED])
    b.expect_line(f"badptr: {len(EXPECTED)} passed, 0 failed")
    b.expect_line_matching(r"init: pid 2 \(badptr\) exited with code 0")
    # The malformed ELF is reported with its reason, and no process was created for it.
    b.expect_line_matching(r"\[ *[\d.]+\] warn  exec: badelf: bad ELF image: not a 64-bit ELF file")
    b.expect_absent("started badelf")
