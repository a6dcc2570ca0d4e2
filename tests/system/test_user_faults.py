## \file test_user_faults.py
## \brief A user process that faults is killed and reported; the kernel keeps running.
from harness import boot

# (fault kind, exception name, vector, error code or None, cr2 or None)
KINDS = [
    ("null", "page fault", 14, 0x4, 0x0),               # user read of a not-present page
    ("kernel-write", "page fault", 14, 0x7, 0xffffffff80100000),  # user write, protection violation
    ("ud2", "invalid opcode", 6, 0x0, 0x0),
    ("div0", "divide error", 0, 0x0, 0x0),
    ("gp", "general protection fault", 13, 0x0, 0x0),  # `cli` in ring 3
    ("stack", "page fault", 14, 0x6, None),             # user write below the stack
]


def test_each_fault_kind_kills_only_the_faulting_process():
    args = " ".join(f"run=fault:{kind}" for kind, *_ in KINDS) + " poweroff"
    b = boot("user_faults", init_args=args)
    b.expect_poweroff()
    for pid, (kind, name, vector, error, cr2) in enumerate(KINDS, start=2):
        b.expect_line(f"fault: about to take a '{kind}' fault")
        kernel = b.expect_line_matching(
            rf"\[ *[\d.]+\] warn  fault: pid {pid} \(fault\) killed: {name} \(vector {vector}\) "
            rf"at rip (0x[0-9a-f]+), error (0x[0-9a-f]+), cr2 (0x[0-9a-f]+)")
        user = b.expect_line_matching(
            rf"init: pid {pid} \(fault\) faulted: {name} \(vector {vector}\), error (0x[0-9a-f]+), "
            rf"rip (0x[0-9a-f]+), cr2 (0x[0-9a-f]+)")
        if int(kernel.group(2), 16) != error or int(user.group(1), 16) != error:
            b.fail(f"{kind}: error code {kernel.group(2)}, expected {error:#x}")
        if kernel.group(1) != user.group(2):
            b.fail(f"{kind}: the kernel log and init disagree on rip")
        if not 0x400000 <= int(kernel.group(1), 16) < 0x500000:
            b.fail(f"{kind}: rip {kernel.group(1)} is not in the program's text")
        if cr2 is not None and int(user.group(3), 16) != cr2:
            b.fail(f"{kind}: cr2 {user.group(3)}, expected {cr2:#x}")
        b.expect_absent(f"survived a '{kind}' fault")
    b.expect_line_matching(r"init: all children done; kernel alive, uptime \d+ ms")
