## \file test_ipc.py
## \brief IPC and capabilities inside the OS: every error path, the recovery rule, faults as messages, isolation, stress.
from harness import boot

# The error paths the issue lists, each with its exact error code.
ERROR_PATHS = [
    ("a saved call whose reply capability is deleted", "PeerDied"),
    ("reply_send on an endpoint capability", "WrongType"),
    ("send on an empty slot", "InvalidCapability"),
    ("send on slot 4096 (out of range)", "InvalidCapability"),
    ("send on a notification", "WrongType"),
    ("signal an endpoint", "WrongType"),
    ("send without the Write right", "InsufficientRights"),
    ("receive without the Read right", "InsufficientRights"),
    ("message of 65 words", "MessageTooLong"),
    ("message with 5 capabilities", "TooManyCapabilities"),
    ("capability sent without the Grant right", "InsufficientRights"),
    ("sending a capability from an empty slot", "InvalidCapability"),
    ("non-blocking send with no receiver", "WouldBlock"),
    ("mint from a badged capability", "InvalidArgument"),
    ("use a revoked copy", "Revoked"),
    ("use a revoked copy of a copy", "Revoked"),
    ("identify a revoked slot", "Revoked"),
    ("use a deleted slot", "InvalidCapability"),
    ("use the old slot after a move", "InvalidCapability"),
    ("copy into a full table", "TableFull"),
    ("signal without the Write right", "InsufficientRights"),
    ("call to a server that dies before replying", "PeerDied"),
    ("map a read-only capability writable", "InsufficientRights"),
    ("map over an existing mapping", "Busy"),
    ("map into kernel space", "InvalidArgument"),
    ("allocate more than the pool holds", "NoMemory"),
    ("bind IRQ 4 to a notification", "None"),
    ("bind an endpoint as if it were an IRQ", "WrongType"),
    ("acknowledge IRQ 4", "None"),
    ("bind a notification to our thread", "None"),
    ("unbind", "None"),
    ("poke an unmapped address", "BadAddress"),
    ("change the fault endpoint under a queued exit message", "Busy"),
    ("receive the queued exit message", "None"),
    ("poke through a thread capability", "WrongType"),
]

# Behaviour checks that print "<what>: ok".
BEHAVIOUR = [
    "a saved call is answered after the server took another call",
    "the deferred server and the other client exit 0",
    "mint gives badge 0xb1 and only Write",
    "a copy cannot regain rights",
    "a full table still holds every copy made",
    "signals OR their badges into the word (0x11)",
    "a 30 ms kernel timer signals the notification",
    "a 4-word call gets the transformed reply",
    "a 64-word call (IPC buffer) comes back word for word",
    "a notification passed in a message is signalled by the receiver",
    "the same endpoint works with a restarted server",
    "waiters on destroyed objects exit cleanly",
    "in/out without an IoPortRange: a #GP fault message with the badge",
    "the killed peer is reported as killed",
    "exit(42) arrives as an exit message",
    "a fault reply resumes the thread (ud2 patched out)",
    "a process cannot use slots or map memory it was never given",
    "allocated memory is contiguous with a physical address",
    "the mapping reads back what was written",
    "DMA frames just freed are not handed out again",
    "after the quarantine they are (first fit: the same frames)",
    "out to port 0x80, which we hold, works",
    "IRQ 4 arrives as a signal of the capability's badge",
    "no signal while the line waits for its acknowledgement",
    "after irq_ack the next IRQ 4 arrives",
    "a pending signal ends a receive as a notification message",
    "a timer signal wakes a blocked receive",
    "process_poke flips the bits of a byte (0x0f -> 0xf0)",
]

DEFERRED = [
    ("reply_save with no call received", "InvalidArgument"),
    ("save the first call", "ok"),
    ("save again with nothing left to save", "InvalidArgument"),
    ("save the second call", "ok"),
    ("answer the second call", "ok"),
    ("answer the first call", "ok"),
    ("answer through a used-up reply capability", "InvalidCapability"),
    ("save the third call", "ok"),
    ("delete the saved reply unanswered", "ok"),
]

# Windows (kernel/ipc/window.hpp): memory a call lends to its server.
WINDOW_ERRORS = [
    ("window_read when the call lent no window", "InsufficientRights"),
    ("window_read of a read-only window", "None"),
    ("window_write into a read-only window", "InsufficientRights"),
    ("window_write past the window's end", "InvalidArgument"),
    ("window_write at an offset that wraps", "InvalidArgument"),
    ("one copy over abi::kMaxWindowCopy", "InvalidArgument"),
    ("a window over unmapped memory", "BadAddress"),
    ("a window in the kernel half", "BadAddress"),
    ("window_read into the server's own unmapped page", "BadAddress"),
    ("window_write through a used-up reply capability", "InvalidCapability"),
    ("window_write with no call held", "PeerDied"),
    ("the next call lends nothing", "InsufficientRights"),
    ("the next call lends nothing (slow path)", "InsufficientRights"),
]
WINDOW_BEHAVIOUR = [
    "200 KiB through a window, fast path: read, inverted, written back byte for byte",
    "the same through the slow path (6 words): every byte back as it was",
    "window_write through a saved reply",
    "window_write fills the window",
    "an earlier window stays untouched",
    "the window server exits 0",
]

ISOLATION = [
    ("send on a slot never given", "InvalidCapability"),
    ("map memory through a slot never given", "InvalidCapability"),
    ("map its own process capability as memory", "WrongType"),
    ("map MMIO through a slot never given", "InvalidCapability"),
    ("map its thread capability as MMIO", "WrongType"),
    ("allocate memory without a pool", "InvalidCapability"),
]


def test_every_ipc_and_capability_path():
    b = boot("ipctest", init_args="run=ipctest poweroff")
    b.expect_poweroff()
    for what, code in ERROR_PATHS:
        b.expect_line(f"ipctest: {what}: {code} (expected {code}) ok")
    for what in BEHAVIOUR:
        b.expect_line(f"ipctest: {what}: ok")
    for what, code in WINDOW_ERRORS:
        b.expect_line(f"ipctest: {what}: {code} (expected {code}) ok")
    for what in WINDOW_BEHAVIOUR:
        b.expect_line(f"ipctest: {what}: ok")
    for what, code in ISOLATION:
        b.expect_line(f"ipcpeer: isolation: {what}: {code} (expected {code}) ok")
    # A queued caller of the dying server is woken with PeerDied too.
    b.expect_line("ipcpeer: call-once: PeerDied")
    b.expect_line("ipcpeer: resumed after the fault; registers intact")
    # Deferred replies (reply_save / reply_send), step by step from the server's side.
    for what, result in DEFERRED:
        b.expect_line(f"ipcpeer: deferred: {what}: {result}")
    b.expect_line("ipcpeer: call-once: None")
    # Threads waiting on an object whose last capability is revoked are woken, not left hanging.
    b.expect_line("ipcpeer: wait-ntfn: Revoked")
    b.expect_line("ipcpeer: recv-once: Revoked")
    # The #GP for `inb 0x60` is a fault message, not a kernel log of a killed process.
    b.expect_line_matching(r"ipctest: fault message: vector 13, error 0x0, rip 0x4[0-9a-f]{5}")
    b.expect_absent("ipcpeer: read port 0x60 without a capability")
    b.expect_absent("FAIL")
    m = b.expect_line_matching(r"ipctest: (\d+) passed, 0 failed")
    if int(m.group(1)) < len(ERROR_PATHS) + len(BEHAVIOUR) + len(WINDOW_ERRORS) + len(WINDOW_BEHAVIOUR):
        b.fail(f"only {m.group(1)} checks ran")
    b.expect_line_matching(r"init: pid 2 \(ipctest\) exited with code 0")


def test_two_clients_100000_calls_each_lose_nothing():
    b = boot("ipc_stress", init_args="run=ipctest:stress:100000 poweroff", timeout=240, idle_timeout=120)
    b.expect_poweroff()
    b.expect_line("ipcpeer: stress client 1: 100000 calls, every reply correct")
    b.expect_line("ipcpeer: stress client 2: 100000 calls, every reply correct")
    b.expect_line("ipcpeer: stress server: served 200000 calls, 100000 and 100000 per client, in order")
    b.expect_line_matching(r"ipctest: stress: 2 clients x 100000 calls in \d+ ms; exit codes 0 0 0")


test_two_clients_100000_calls_each_lose_nothing.TIMEOUT = 300
