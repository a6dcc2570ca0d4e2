## \file grade.py
## \brief Lab 4's checks: four boots of the reincarnation server, each with its own service table: a hang, an init timeout, a crash loop, restarts.
import re

import gradelib
import harness

TITLE = "Lab 4: reliability (failure detection and the restart policy)"

# Every boot runs RS (`start=rs`) with a service table of its own, then `rsctl` once per step.
# A boot that goes quiet for IDLE seconds is stopped: in the skeleton a call to a hung driver
# never returns, because nothing detects the hang. The longest quiet stretch of a healthy boot
# is rsctl's `wait` on a service that never comes up (5 s).
BOOT_TIMEOUT = 90
IDLE = 15

DS = "service ds binary=ds heartbeat=500 mode=fresh budget=100 backoff=1000 core=yes\n"

# Boot 1: a hang. A slow heartbeat (300 ms: declared hung 600 ms after its last pong) so that the
# client's call is surely queued on the hung driver's endpoint before the hang is detected.
HANG = (DS + "service hello binary=hello heartbeat=300 mode=restart budget=10 backoff=100\n",
        [["wait", "hello"], ["hello", "4"], ["fi", "hello", "hang"], ["hello", "3"], ["list"]])

# Boot 2: `lazy` never says ready. Its init timeout is 100 ms and its budget one restart.
LAZY = (DS + "service lazy binary=lazy heartbeat=0 init_timeout=100 budget=1 backoff=50\n",
        [["wait", "ds"], ["wait", "lazy"], ["list"]])

# Boot 3: a crash loop. `crashy` runs the `fault` test program, which takes its first argument
# (here the label, "crashy") as the kind of fault to take, does not know it, and exits with code 2
# at once, every time: a driver that cannot initialise. Without a heartbeat the backoff base is
# 100 ms, capped at 500 ms; budget 5. `wait crashy` just lets it run for 5 s.
CRASH_LOOP = (DS + "service crashy binary=fault heartbeat=0 mode=fresh budget=5 backoff=500\n",
              [["wait", "ds"], ["wait", "crashy"], ["list"]])

# Boot 4: hello restarted on request (`rsctl restart` goes through failure() like any failure,
# and unlike an injected fault it does not reset the backoff). Two restarts; a pause of 5 s
# (`wait nosuch`: a service that does not exist, rsctl gives up after 5 s), longer than
# 4 x backoff, so the backoff starts over; a third restart; the fourth exceeds budget=3, which
# counts every restart in the service's life. Heartbeat 100 ms rather than the default 20 ms: a
# busy host can stall the emulator for tens of milliseconds, which a 40 ms limit would take for a
# hang.
RESTARTS = (DS + "service hello binary=hello heartbeat=100 mode=restart budget=3 backoff=500\n",
            [["wait", "hello"], ["restart", "hello"], ["wait", "hello"], ["restart", "hello"], ["wait", "hello"],
             ["wait", "nosuch"], ["restart", "hello"], ["wait", "hello"], ["restart", "hello"], ["list"]])


def boot(spec):
    """Boots once per (table, steps) per grading run, named like gradelib's boots so the log
    list and `build/test-logs/grade-lab4-N.log` work the same."""
    table, steps = spec
    args = "start=rs " + " ".join("run=rsctl:" + ":".join(step) for step in steps) + " poweroff"
    key = (args, "", table)
    if key not in gradelib._boots:
        name = f"grade-{gradelib.LAB_NAME}-{len(gradelib._boots) + 1}"
        gradelib._boots[key] = harness.boot(name, init_args=args, files={"services.conf": table},
                                            timeout=BOOT_TIMEOUT, idle_timeout=IDLE)
    return gradelib._boots[key]


def check(name, points, fn, *specs):
    """A check on one or more boots (gradelib's `booted` takes no service table)."""
    def run():
        boots = [boot(spec) for spec in specs]
        try:
            fn(*boots)
        except harness.TestFailure as e:
            return False, str(e)
        return True, ""
    return gradelib.Check(name, points, run)


def where_it_stopped(b):
    if b.reason == harness.POWEROFF:
        return ""
    last = [line for line in b.lines if line.startswith(("rs:", "rsctl:", "hello:", "lazy:"))]
    hint = f"; the last line from rs, rsctl or a service was {last[-1]!r}" if last else ""
    if b.reason == harness.SILENT:
        return (f"; the boot went quiet for {IDLE} s and was stopped (a call to a hung service that "
                f"nobody detected?){hint}")
    return hint


def missing(b, what):
    b.fail(f"{what}{where_it_stopped(b)}")


def expect(b, regex, what=None):
    m = b.lines_matching(regex)
    if not m:
        missing(b, what or f"no line matches {regex!r}")
    return m


def expect_in_order(b, regexes):
    """Lines fully matching each regex, in this order (others may come between)."""
    position = 0
    for regex in regexes:
        pattern = re.compile(regex)
        for i in range(position, len(b.lines)):
            if pattern.fullmatch(b.lines[i]):
                position = i + 1
                break
        else:
            missing(b, f"no line matching {regex!r} after line {position} of the log")


def failures(b, label):
    return [m.group(1) for m in b.lines_matching(rf"rs: {label} \(pid \d+\) failed: (.*)")]


# -- Boot 1: the heartbeat ---------------------------------------------------------------------

def hang_detected(b):
    expect(b, r"rsctl: fi hello hang: injected")
    expect(b, r"rs: hello \(pid \d+\) failed: heartbeat",
           "the hung hello was never declared failed: expected 'rs: hello (pid N) failed: heartbeat'")


def hang_recovered(b):
    hang_detected(b)
    expect_in_order(b, [r"rs: hello \(pid \d+\) failed: heartbeat",
                        r"rs: restarting hello now \(restart 1\)",
                        r"hello: restarted; 4 requests served so far \(None\)",
                        r"rs: hello is back \(pid \d+\) after \d+ us"])


def blocked_client_retries(b):
    if "rsctl: hello: 3 calls, count now 7, 1 retries after PeerDied" not in b.lines:
        got = [line for line in b.lines if line.startswith("rsctl: hello: 3 calls")]
        if got:
            b.fail(f"expected 'rsctl: hello: 3 calls, count now 7, 1 retries after PeerDied', got {got[0]!r}")
        missing(b, "rsctl's 3 calls to hello never finished: its call waits on the hung driver's endpoint "
                   "until RS kills the driver")


def healthy_not_hung(hang, restarts):
    seen = failures(hang, "hello")
    if len(seen) != 1:
        hang.fail(f"hello should fail exactly once (the injected hang), but failed {len(seen)} times: {seen} "
                  f"(a healthy service must be pinged every period, and its pong counts)")
    expect(hang, r"hello +\d+ up +1  heartbeat +\d+ +\d+",
           "rsctl list should show hello up after 1 restart, last failure heartbeat")
    for b in (hang, restarts):
        if failures(b, "ds"):
            b.fail(f"ds is healthy but failed: {failures(b, 'ds')}")
    spurious = [f for f in failures(restarts, "hello") if f == "heartbeat"]
    if spurious:
        restarts.fail(f"hello (heartbeat 100 ms) was declared hung {len(spurious)} times without a hang")


# -- Boot 2: the initialisation timeout --------------------------------------------------------

def init_timeout(b):
    if failures(b, "ds"):
        b.fail(f"ds says ready in time but failed: {failures(b, 'ds')}")
    expect_in_order(b, [r"lazy: started, and never going to say ready",
                        r"rs: lazy \(pid \d+\) failed: init timeout",
                        r"rs: restarting lazy now \(restart 1\)",
                        r"lazy: started, and never going to say ready"])


def init_timeout_then_budget(b):
    init_timeout(b)
    seen = failures(b, "lazy")
    if seen != ["init timeout", "init timeout"]:
        b.fail(f"lazy should fail twice, both by init timeout; it failed {seen}")
    expect(b, r"rs: lazy exceeded its restart budget \(1\); left down")
    expect(b, r"rsctl: lazy did not come up")
    expect(b, r"lazy +0 failed +2  init timeout +0 +0",
           "rsctl list should show 'lazy 0 failed 2 init timeout'")


# -- Boots 3 and 4: backoff and budget ---------------------------------------------------------

def restart_lines(b, label):
    """{restart number: 'now' or 'in N ms'} from RS's restart lines for `label`."""
    got = {}
    for m in b.lines_matching(rf"rs: restarting {label} (now|in \d+ ms) \(restart (\d+)\)"):
        got.setdefault(int(m.group(2)), m.group(1))
    return got


def expect_restarts(b, label, wanted):
    got = restart_lines(b, label)
    for number, when in wanted:
        if got.get(number) != when:
            shown = f"'rs: restarting {label} {got[number]} (restart {number})'" if number in got else "nothing"
            missing(b, f"expected 'rs: restarting {label} {when} (restart {number})', got {shown}")
    expect_in_order(b, [rf"rs: restarting {label} {re.escape(when)} \(restart {number}\)" for number, when in wanted])


def backoff_schedule(b):
    expect_restarts(b, "crashy", [(1, "now"), (2, "in 100 ms"), (3, "in 200 ms"), (4, "in 400 ms"),
                                  (5, "in 500 ms")])


def crash_loop_budget(b):
    expect(b, r"rs: crashy exceeded its restart budget \(5\); left down")
    if 6 in restart_lines(b, "crashy"):
        b.fail("crashy's budget is 5 restarts, but RS restarted it a sixth time")
    seen = failures(b, "crashy")
    if seen != ["exit 2"] * 6:
        b.fail(f"crashy should fail 6 times with 'exit 2' and then be left down; it failed {len(seen)} times")
    expect(b, r"crashy +0 failed +6  exit 2 .*", "rsctl list should show 'crashy 0 failed 6 exit 2'")


def backoff_starts_over(b):
    expect_restarts(b, "hello", [(1, "now"), (2, "in 100 ms")])
    expect_in_order(b, [r"rs: restarting hello in 100 ms \(restart 2\)", r"rsctl: nosuch did not come up"])
    expect_restarts(b, "hello", [(3, "now")])


def lifetime_budget(b):
    expect_in_order(b, [r"rsctl: nosuch did not come up",
                        r"rs: hello exceeded its restart budget \(3\); left down"])
    if 4 in restart_lines(b, "hello"):
        b.fail("hello's budget is 3 restarts in its life, but RS restarted it a fourth time "
               "(does the budget count only recent failures?)")
    expect(b, r"hello +0 failed +4  restart requested .*",
           "rsctl list should show 'hello 0 failed 4 restart requested'")


TESTS = [
    check("tick: a hung hello is detected by the heartbeat", 20, hang_detected, HANG),
    check("tick: the hung hello is restarted at once and restores its count", 10, hang_recovered, HANG),
    check("tick: a client blocked on the hung hello gets PeerDied, and its retry succeeds", 10,
          blocked_client_retries, HANG),
    check("tick: a service that never says ready fails its init timeout and is restarted", 15,
          init_timeout, LAZY),
    check("tick + budget: lazy times out again and is left down after budget=1", 5,
          init_timeout_then_budget, LAZY),
    check("failure: a crash loop is restarted at once, then after 100, 200, 400 ms, capped at 500 ms", 15,
          backoff_schedule, CRASH_LOOP),
    check("failure: the crash loop is left down after its budget of 5 restarts", 5, crash_loop_budget,
          CRASH_LOOP),
    check("tick: healthy services are pinged and never declared hung", 10, healthy_not_hung, HANG, RESTARTS),
    check("tick: after a healthy run the backoff starts over", 5, backoff_starts_over, RESTARTS),
    check("failure: the budget counts every restart in the service's life", 5, lifetime_budget, RESTARTS),
]
