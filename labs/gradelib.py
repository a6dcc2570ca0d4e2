## \file gradelib.py
## \brief The grader's building blocks (after xv6's gradelib): unit-test and boot checks worth points.
#
# A lab's labs/<n>-<slug>/grade.py defines TITLE and TESTS, a list made with the helpers here:
#
#     unit("frame allocator: allocate", 10, "[frame_allocator][allocate]")
#         passes when build/host/unit-tests runs at least one test case matching that Catch2 test
#         spec (tags are ANDed: "[a][b]" is "tagged a and b") and every one of them passes;
#     booted("init runs", 10, lambda b: b.expect_line("..."), init_args="poweroff")
#         boots the OS through tests/system/harness.py and passes when the check does not raise.
#         Checks with the same init_args and kernel_cmdline share one boot.
#
# Everything runs against the tree this file sits in (ROOT), so a skeleton tree grades itself.
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))

import harness  # noqa: E402  (tests/system/harness.py)

UNIT_BINARY = os.path.join(ROOT, "build", "host", "unit-tests")

# How long one lab boot may take. A healthy boot to power-off takes a few seconds under TCG; a
# broken kernel either crashes at once or hangs, and a hang should not cost the student minutes.
BOOT_TIMEOUT = 60
BOOT_IDLE_TIMEOUT = 10


class Check:
    """One graded item: a name, its points, and how to run it."""

    def __init__(self, name, points, run):
        self.name = name
        self.points = points
        self.run = run  # () -> (passed, detail)


def unit(name, points, spec):
    def run():
        problem = build_unit_tests()
        if problem:
            return False, problem
        cmd = [UNIT_BINARY, spec, "--warn", "NoTests", "--reporter", "compact"]
        try:
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            return False, f"unit-tests {spec!r} did not finish within 120 s"
        output = (proc.stdout + proc.stderr).strip()
        if proc.returncode == 0:
            return True, ""
        if "No test cases matched" in output or "No tests ran" in output:
            return False, f"no unit test case matches {spec}"
        # Keep the failed assertions and the sanitizer's first lines; drop the summary noise.
        lines = [line for line in output.split("\n") if line.strip()]
        return False, f"build/host/unit-tests \"{spec}\" failed:\n" + "\n".join(lines[:30])
    return Check(name, points, run)


def booted(name, points, check, init_args="", kernel_cmdline=""):
    def run():
        b = boot_once(init_args, kernel_cmdline)
        try:
            check(b)
        except harness.TestFailure as e:
            return False, str(e)
        return True, ""
    return Check(name, points, run)


_unit_build = {}


def build_unit_tests():
    """Builds the unit-test binary once per grading run. Returns None, or why it failed."""
    if "result" not in _unit_build:
        cmd = ["make", "-s", f"-j{os.cpu_count() or 1}", "build/host/unit-tests"]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900)
        _unit_build["result"] = None if proc.returncode == 0 else \
            "the unit tests do not build:\n" + (proc.stdout + proc.stderr)[-3000:]
    return _unit_build["result"]


_boots = {}


def boot_once(init_args, kernel_cmdline):
    key = (init_args, kernel_cmdline)
    if key not in _boots:
        name = f"grade-{LAB_NAME}-{len(_boots) + 1}"
        _boots[key] = harness.boot(name, init_args=init_args, kernel_cmdline=kernel_cmdline,
                                   timeout=BOOT_TIMEOUT, idle_timeout=BOOT_IDLE_TIMEOUT)
    return _boots[key]


LAB_NAME = "lab"


def run_checks(lab_name, title, checks, verbose=False):
    """Runs every check, printing `name: OK (p/p)` or `name: FAIL (0/p)` and then the score.
    Returns (score, total)."""
    global LAB_NAME
    LAB_NAME = lab_name
    print(f"== {title} ==", flush=True)
    score = total = 0
    for check in checks:
        start = time.monotonic()
        try:
            passed, detail = check.run()
        except Exception as e:  # noqa: BLE001 - a crashing check is a failed check, not a crashed grader
            passed, detail = False, f"{type(e).__name__}: {e}"
        seconds = time.monotonic() - start
        total += check.points
        if passed:
            score += check.points
        verdict = "OK" if passed else "FAIL"
        timing = f" [{seconds:.1f}s]" if verbose else ""
        print(f"{check.name}: {verdict} ({check.points if passed else 0}/{check.points}){timing}", flush=True)
        if not passed and detail:
            for line in detail.rstrip().split("\n"):
                print(f"    {line}", flush=True)
    for b in _boots.values():
        print(f"(boot log: {os.path.relpath(b.log_path, ROOT)}, ended: {b.reason})")
    print(f"Score: {score}/{total}", flush=True)
    return score, total
