## \file grade.py
## \brief Lab 2's checks: the host unit tests of the frame allocator and page tables, then one boot.
from gradelib import booted, unit

TITLE = "Lab 2: physical memory and paging"

# One boot: badptr's system calls make the kernel translate() user pointers, and a null
# dereference must come back as a page fault on an unmapped page; exiting processes free their
# address spaces, so a wrong free() panics before the power-off.
ARGS = "run=badptr run=fault:null poweroff"


def badptr_passes(b):
    b.expect_line_matching(r"badptr: \d+ passed, 0 failed")
    b.expect_line_matching(r"init: pid 2 \(badptr\) exited with code 0")


def null_is_a_page_fault(b):
    b.expect_line_matching(r"init: pid 3 \(fault\) faulted: page fault \(vector 14\), error 0x4, "
                           r"rip 0x[0-9a-f]+, cr2 0x0")


TESTS = [
    unit("frame allocator: allocate is next-fit and reports exhaustion", 10, "[frame_allocator][allocate]"),
    unit("frame allocator: free checks its argument", 10, "[frame_allocator][free]"),
    unit("frame allocator: allocate_contiguous finds aligned runs", 10, "[frame_allocator][contiguous]"),
    unit("page table: map, translate and unmap round trip", 10, "[page_table][map]"),
    unit("page table: effective flags", 10, "[page_table][flags]"),
    unit("page table: errors", 10, "[page_table][errors]"),
    unit("page table: 2 MiB and 1 GiB pages", 5, "[page_table][huge]"),
    unit("page table: free_user_half returns every frame", 5, "[page_table][free_user_half]"),
    booted("boot: init runs in its own address space", 10,
           lambda b: b.expect_line_matching(r"init: \d+ MiB of memory found, \d+ MiB free, \d+ boot modules"),
           init_args=ARGS),
    booted("boot: system calls check user pointers (badptr)", 10, badptr_passes, init_args=ARGS),
    booted("boot: a null dereference is a user page fault", 5, null_is_a_page_fault, init_args=ARGS),
    booted("boot: processes exit and the machine powers off cleanly", 5, lambda b: b.expect_poweroff(),
           init_args=ARGS),
]
