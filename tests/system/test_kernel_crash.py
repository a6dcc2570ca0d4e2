## \file test_kernel_crash.py
## \brief A fault in kernel mode prints vector, error code, all registers, CR2 and a symbolized backtrace, then halts.
from harness import boot, PANIC


def test_kernel_page_fault_dump():
    b = boot("kernel_page_fault", kernel_cmdline="selftest=kernel-fault", timeout=60)
    if b.reason != PANIC:
        b.fail("expected the kernel to stop with a panic dump")
    b.expect_line("KERNEL PANIC: page fault in kernel mode")
    b.expect_line("vector 14 (page fault), error code 0x2, from kernel mode")
    for reg in ("rip", "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11", "r12",
                "r13", "r14", "r15", "cr0", "cr3", "cr4"):
        b.expect_line_matching(rf".*\b{reg} +0x[0-9a-f]{{16}}.*")
    b.expect_line_matching(r"  cr0 0x[0-9a-f]{16}  cr2 0x00000000dead0000  cr3 0x[0-9a-f]{16}  cr4 0x[0-9a-f]{16}")
    b.expect_line("backtrace:")
    b.expect_line_matching(r"  #0 0xffffffff8[0-9a-f]{7} selftest::\(anonymous namespace\)::fault_in_kernel\(\)\+0x[0-9a-f]+")
    b.expect_line_matching(r"  #\d 0xffffffff8[0-9a-f]{7} kernel_main\+0x[0-9a-f]+")
    b.expect_line("system halted")
    b.expect_absent("init (pid 1) is running")


def test_panic_prints_message_and_backtrace():
    b = boot("kernel_panic", kernel_cmdline="selftest=panic", timeout=60)
    if b.reason != PANIC:
        b.fail("expected a panic")
    b.expect_line("KERNEL PANIC: selftest: panic requested on the command line")
    b.expect_line_matching(r"  #0 0xffffffff8[0-9a-f]{7} selftest::\(anonymous namespace\)::panic_in_kernel\(\)\+0x[0-9a-f]+")
    b.expect_line_matching(r"  #\d 0xffffffff8[0-9a-f]{7} kernel_main\+0x[0-9a-f]+")
    b.expect_line("system halted")
