## \file grade.py
## \brief Lab 3's checks: two boots run ipctest (the IPC tests) and its 2 x 20,000-call stress test.
import harness
from gradelib import booted

TITLE = "Lab 3: IPC"

# One boot runs every IPC and capability test in ipctest (it prints one line per check); a second
# runs the stress test, shortened from the system tests' 100,000 calls per client to stay quick.
# In the skeleton the fast paths return false, so every message below goes through your
# check_message() and transfer().
TESTS_ARGS = "run=ipctest poweroff"
STRESS_ARGS = "run=ipctest:stress:20000 poweroff"


def where_it_stopped(b):
    """For a boot that did not power off: the last line ipctest or ipcpeer printed."""
    if b.reason == harness.POWEROFF:
        return ""
    last = [line for line in b.lines if line.startswith(("ipctest:", "ipcpeer:"))]
    if not last:
        return "; ipctest printed nothing"
    return (f"; ipctest never finished, probably waiting for a message that did not come; "
            f"its last line was {last[-1]!r}")


def expect_lines(b, lines):
    """Every line must appear exactly. On failure, show the line ipctest printed for the same check
    instead (`ipctest: <what>: ...`), or, if there is none, where ipctest stopped."""
    for line in lines:
        if line in b.lines:
            continue
        prefix = line[:line.index(":", line.index(":") + 1) + 1]
        got = [other for other in b.lines if other.startswith(prefix)]
        if got:
            b.fail(f"expected {line!r}, got {got[0]!r}")
        b.fail(f"missing line: {line!r}{where_it_stopped(b)}")


def expect_matching(b, regex):
    if not b.lines_matching(regex):
        b.fail(f"no line matches {regex!r}{where_it_stopped(b)}")


def error_code(what, code):
    return f"ipctest: {what}: {code} (expected {code}) ok"


def too_long_or_too_many(b):
    expect_lines(b, [error_code("message of 65 words", "MessageTooLong"),
                     error_code("message with 5 capabilities", "TooManyCapabilities")])


def capabilities_checked(b):
    expect_lines(b, [error_code("capability sent without the Grant right", "InsufficientRights"),
                     error_code("sending a capability from an empty slot", "InvalidCapability")])


def short_call(b):
    expect_lines(b, ["ipctest: a 4-word call gets the transformed reply: ok"])


def long_call(b):
    expect_lines(b, ["ipctest: a 64-word call (IPC buffer) comes back word for word: ok"])


def capability_transfer(b):
    expect_matching(b, r"ipcpeer: use-cap: received a notification capability in slot \d+")
    expect_lines(b, ["ipctest: a notification passed in a message is signalled by the receiver: ok",
                     "ipctest: the use-cap peer exits 0: ok"])


def fault_message(b):
    expect_lines(b, ["ipctest: in/out without an IoPortRange: a #GP fault message with the badge: ok"])
    expect_matching(b, r"ipctest: fault message: vector 13, error 0x0, rip 0x4[0-9a-f]{5}")


def exit_message(b):
    expect_lines(b, ["ipctest: exit(42) arrives as an exit message: ok"])


def calls_after_a_server_restart(b):
    expect_lines(b, [error_code("call to a server that dies before replying", "PeerDied"),
                     "ipcpeer: call-once: PeerDied",
                     "ipctest: the same endpoint works with a restarted server: ok"])


def no_hang_no_panic(b):
    b.expect_no_panic()
    if b.reason != harness.POWEROFF:
        b.fail(f"the machine did not power off{where_it_stopped(b)}")


def stress(b):
    # The peers say what went wrong first: a lost, duplicated or wrong message, or an error.
    for line in b.lines:
        if line.startswith("ipcpeer: stress") and not line.endswith(("every reply correct", "in order")):
            b.fail(f"the stress test failed: {line!r}")
    expect_lines(b, ["ipcpeer: stress client 1: 20000 calls, every reply correct",
                     "ipcpeer: stress client 2: 20000 calls, every reply correct",
                     "ipcpeer: stress server: served 40000 calls, 20000 and 20000 per client, in order"])
    expect_matching(b, r"ipctest: stress: 2 clients x 20000 calls in \d+ ms; exit codes 0 0 0")
    no_hang_no_panic(b)


TESTS = [
    booted("check_message: more than 64 words or 4 capabilities", 10, too_long_or_too_many,
           init_args=TESTS_ARGS),
    booted("check_message: capabilities need Grant and valid slots", 10, capabilities_checked,
           init_args=TESTS_ARGS),
    booted("transfer: a 4-word call gets the transformed reply (registers)", 10, short_call,
           init_args=TESTS_ARGS),
    booted("transfer: a 64-word call comes back word for word (IPC buffer)", 15, long_call,
           init_args=TESTS_ARGS),
    booted("transfer: a capability passed in a message is signalled by the receiver", 15,
           capability_transfer, init_args=TESTS_ARGS),
    booted("transfer: a #GP arrives as a fault message with the badge", 10, fault_message,
           init_args=TESTS_ARGS),
    booted("transfer: exit(42) arrives as an exit message", 5, exit_message, init_args=TESTS_ARGS),
    booted("recovery: PeerDied, then the same endpoint serves a restarted server", 5,
           calls_after_a_server_restart, init_args=TESTS_ARGS),
    booted("ipctest runs to the end: no hang, no panic", 5, no_hang_no_panic, init_args=TESTS_ARGS),
    booted("stress: 2 clients x 20000 calls with badges, none lost, in order", 15, stress,
           init_args=STRESS_ARGS),
]
