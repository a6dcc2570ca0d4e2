## \file grade.py
## \brief Lab 6's checks: one boot runs proctest (spawn, exit codes, wait, WNOHANG, parked waits, zombies, kill, faults, orphans) and then `ps` in the shell; a second types programs, `$?` and pipelines into the shell.
import os
import re
import shutil

import gradelib
import harness

TITLE = "Lab 6: processes (exit, wait and zombies in the process manager)"

# Both boots run RS with the real service table (hello's heartbeat relaxed, as in the shell's
# tests, so that RS's lines about a missed one never land in the shell's output) and the disk,
# which holds the programs proc starts: /bin/exitcode, /bin/crash and the utilities.
#
# Boot 1: `run=proctest run=shell`. proctest (userland/tests/proctest) joins proc and checks
# everything a parent sees, one line per step; then the shell sleeps 1.5 s (the orphans proctest
# left behind end meanwhile) and runs `ps`, which must show only the shell and ps itself.
# Boot 2: the shell alone: programs, `$?` and pipelines, then `ps`.
#
# A boot that goes quiet for IDLE seconds is stopped: a wait that is parked and never answered
# leaves its caller, and so the whole test, waiting for ever. The longest quiet stretch of a
# healthy boot is the shell's `sleep 1500`.
BOOT_TIMEOUT = 90
IDLE = 10
PROMPT = "samsara> "
FS_UP = "rs: fs is up"

AFTER_PROCTEST = ["sleep 1500", "ps", "exit"]


def hello_bytes():
    with open(os.path.join(harness.BUILD, "disk-root", "hello.txt"), "rb") as f:
        return f.read()


def shell_script():
    """(command, the lines it must print) for boot 2 (OTHERS are left out of the comparison)."""
    hello = hello_bytes()
    return [
        ("true; echo $?", ["0"]),
        ("false; echo $?", ["1"]),
        ("exitcode 3; echo $?", ["3"]),
        ("exitcode 300; echo $?", ["44"]),
        ("crash segv; echo $?", ["crash: taking a 'segv' fault", "Segmentation fault", "139"]),
        ("crash ud; echo $?", ["crash: taking a 'ud' fault", "Illegal instruction", "132"]),
        ("crash de; echo $?", ["crash: taking a 'de' fault", "Floating point exception", "136"]),
        ("exitcode 2 && echo yes || echo no", ["no"]),
        ("cat /hello.txt | cat | cat | wc -c", [str(len(hello))]),
        ("cat /hello.txt | wc -w", [str(len(hello.split()))]),
        ("true | false; echo $?", ["1"]),
        ("false | true; echo $?", ["0"]),
        ("ps", None),  # Checked by nothing_left_behind.
    ]


# Lines other programs print meanwhile, left out of the shell's transcripts: the kernel's log,
# proc's (its report of a fault, and any line you add to debug it: start them with "proc:"),
# exitcode's report of its arguments, and the services that may still be starting.
OTHERS = re.compile(r"\[ *\d+\.\d+\] |proc: |exitcode: |rs: |pci: |fs: ")


def service_table():
    with open(os.path.join(gradelib.ROOT, "servers", "reincarnation", "services.conf")) as f:
        table = f.read()
    return re.sub(r"^(service hello .*?)heartbeat=\d+", r"\1heartbeat=500", table, flags=re.M)


def disk_copy(name):
    """A private copy of this tree's build/disk.img (QEMU locks the image it runs on)."""
    image = os.path.join(harness.BUILD, "disk.img")
    if not os.path.exists(image):
        raise harness.TestFailure("build/disk.img is missing: run `make` first")
    disks = os.path.join(harness.BUILD, "test-disks")
    os.makedirs(disks, exist_ok=True)
    disk = os.path.join(disks, name + ".img")
    shutil.copyfile(image, disk)
    return disk


def boot(which):
    """Boot 1 ("proctest") or 2 ("shell"), once per grading run, named like gradelib's boots."""
    key = ("lab6-" + which, "", "")
    if key not in gradelib._boots:
        name = f"grade-{gradelib.LAB_NAME}-{len(gradelib._boots) + 1}"
        if which == "proctest":
            args = "start=rs run=proctest run=shell poweroff"
            # The shell starts only once proctest has ended, so its first prompt comes after.
            inputs = [(PROMPT, command + "\r") for command in AFTER_PROCTEST]
        else:
            args = "start=rs run=shell poweroff"
            # fs is the last service up; then an empty line gives a fresh prompt for the first command.
            commands = [command for command, _ in shell_script()] + ["exit"]
            inputs = [(FS_UP, "\r")] + [(PROMPT, command + "\r") for command in commands]
        disk = disk_copy(name)
        try:
            gradelib._boots[key] = harness.boot(name, init_args=args, kernel_cmdline="loglevel=warn",
                                                inputs=inputs, disk=disk, files={"services.conf": service_table()},
                                                timeout=BOOT_TIMEOUT, idle_timeout=IDLE)
        finally:
            os.remove(disk)
    return gradelib._boots[key]


# ---- why a line is missing -------------------------------------------------------------------

def proc_failures(b):
    return [line for line in b.lines if re.match(r"rs: proc \(pid \d+\) failed: ", line)]


def where_it_stopped(b, program):
    """Why `program`'s lines stop where they do, for a failure message."""
    failed = proc_failures(b)
    if failed:
        return (f"; proc itself crashed and RS restarted it, forgetting every process: {failed[0]!r} "
                f"(look above that line in the log for what the kernel reported)")
    if b.reason == harness.POWEROFF:
        return ""
    last = [line for line in b.lines if line.startswith(program + ":")]
    where = f"its last line was {last[-1]!r}" if last else "its last line was the command"
    if b.reason == harness.SILENT:
        who = "the shell" if program == "shell" else program
        return (f"; the boot went quiet for {IDLE} s and was stopped: {who} was waiting for an answer "
                f"that never came ({where}). A wait parked with sys::reply_save must be answered with "
                f"ipc::reply_saved when the child ends (ended, answer_parked_wait)")
    if b.reason == harness.PANIC:
        return f"; the kernel panicked ({where})"
    return f"; the boot ended: {b.reason} ({where})"


def fail(b, message, hint=""):
    """Fails a check: what went wrong, then the hint, then where the boot's log is."""
    hint = f"\nhint: {hint}" if hint else ""
    raise harness.TestFailure(f"{message}{hint}\nlog: {b.log_path} (the boot ended: {b.reason})")


def expect_lines(b, lines, hint=""):
    """Each line must appear, in this order. On failure, show what proctest printed for the same
    step instead (the line with the same `program: what:` prefix), or where it stopped."""
    position = 0
    for line in lines:
        try:
            position = b.lines.index(line, position) + 1
            continue
        except ValueError:
            pass
        if line in b.lines:
            fail(b, f"{line!r} came too early: expected it after {lines[lines.index(line) - 1]!r}", hint)
        prefix = line[:line.index(":", line.index(":") + 1) + 1]
        got = [other for other in b.lines if other.startswith(prefix)]
        if got:
            fail(b, f"expected {line!r}, got {got[0]!r}", hint)
        fail(b, f"missing line {line!r}{where_it_stopped(b, line.split(':')[0])}", hint)


# ---- boot 1: proctest -----------------------------------------------------------------------

def exit_codes(b):
    expect_lines(b, [
        "proctest: wait exit 7: OK, exited 7",
        "proctest: wait exit 0: OK, exited 0",
        "proctest: wait exit 255: OK, exited 255",
        "proctest: wait exit 256: OK, exited 0",
        "proctest: wait relative path: OK, exited 3",
        "proctest: wait no argv: OK, exited 0",
    ], "wait_status() makes an exit's wait status: the code's low 8 bits, shifted left by 8. do_wait "
       "answers with the zombie's wstatus and pid, or parks the call until the child ends")


def wait_any(b):
    for m in b.lines_matching(r"proctest: wait any \(([12])\): (.*)"):
        if not re.fullmatch(r"OK, exited 1[12]", m.group(2)):
            fail(b, f"expected 'proctest: wait any ({m.group(1)}): OK, exited 11' (or 12), got {m.group(0)!r}",
                 "pid -1 means any child of the caller: the first zombie among them, or, if none has ended "
                 "yet, whichever ends first")
    expect_lines(b, ["proctest: any: codes 11 and 12", "proctest: wait any with no children: ECHILD"],
                 "two children, two waits for any child: each wait collects a different child. With no "
                 "child left at all, the answer is ECHILD")


def wnohang(b):
    expect_lines(b, ["proctest: wait WNOHANG: OK, none ended"],
                 "WNOHANG with a child that is still running: status 0 (kOk) and pid 0, at once")


def parked(b):
    expect_lines(b, ["proctest: wait parked: OK, exited 5", "proctest: wait parked any: OK, exited 6"],
                 "the child is still running when the wait comes: do_wait parks the call with "
                 "sys::reply_save (and returns a message that goes nowhere), and ended() answers it with "
                 "ipc::reply_saved when the child exits (answer_parked_wait)")


def zombies(b):
    expect_lines(b, [
        "proctest: ps zombie child: exitcode, parent me, zombie",
        "proctest: wait zombie: OK, exited 9",
        "proctest: ps after wait: absent",
        "proctest: wait again: ECHILD",
    ], "a child that ends before its parent waits stays in the table as a zombie (Slot::Zombie, with "
       "its wstatus); the wait that collects it frees its slot (release)")


def wait_errors(b):
    expect_lines(b, [
        "proctest: wait a stranger: ECHILD",
        "proctest: wait with unknown options: EINVAL",
        "exitcode: wait: ECHILD",
    ], "ECHILD when no child of the caller matches the pid (a stranger's pid, or no children at all); "
       "EINVAL for option bits other than WNOHANG")


def kills(b):
    expect_lines(b, [
        "proctest: wait killed: OK, signal 9",
        "proctest: kill the reaped child: ESRCH",
        "proctest: wait terminated: OK, signal 15",
        "proctest: wait probe: OK, exited 0",
    ], "kill() (given) ends the child with ended(target, signal): the wait status of a kill is the "
       "signal number itself. A reaped child is gone from the table: killing it again is ESRCH")


def faults(b):
    expect_lines(b, [
        "proctest: wait page fault: OK, signal 11",
        "proctest: wait general protection: OK, signal 11",
        "proctest: wait invalid opcode: OK, signal 4",
        "proctest: wait divide error: OK, signal 8",
    ], "wait_status(): a fault message (abi::kFaultLabel) has the exception vector in word 0, and "
       "signal_for() gives its signal")


def orphans(b):
    expect_lines(b, [
        "proctest: ps orphan: exitcode, parent 0, running",
        "proctest: kill the orphan: EPERM",
        "proctest: wait waiting child: OK, signal 9",
        "proctest: ps its child: exitcode, parent 0, running",
    ], "when a process ends, its children get parent 0 (nobody may wait for them or kill them), and "
       "a wait it had parked is dropped")
    if "exitcode: waited" in b.output:
        fail(b, "a parent killed while its wait was parked printed 'exitcode: waited'",
             "its parked wait was answered although it had been killed: ended() must drop the parked "
             "wait of the process that ends (delete its saved reply)")


def ps_rows(b):
    """The lines `ps` printed in the shell after its header."""
    out = transcript(b, "ps")
    if not out or out[0] != "  PID  PPID S NAME":
        fail(b, f"`ps` printed {out!r}, expected its header '  PID  PPID S NAME' first")
    return out[1:]


def only_shell_and_ps(b, when):
    rows = ps_rows(b)
    parsed = [re.fullmatch(r" *(\d+) +(\d+) ([RZ]) (.*)", row) for row in rows]
    if any(m is None for m in parsed):
        fail(b, f"`ps` printed {rows!r}")
    shell = [m for m in parsed if m.group(4) == "shell"]
    ps = [m for m in parsed if m.group(4) == "ps"]
    if len(rows) != 2 or len(shell) != 1 or len(ps) != 1 or shell[0].group(2) != "0" or \
            ps[0].group(2) != shell[0].group(1):
        shown = "\n".join("    " + row for row in rows)
        fail(b, f"{when}, `ps` should list only the shell (parent 0) and ps (its child); it listed:\n{shown}",
             "a zombie that was waited for must be freed, and so must one that nobody can wait for any "
             "more: its parent has ended, or it has none (parent 0)")


def nothing_left_behind(first, second):
    for b in (first, second):
        failed = proc_failures(b)
        if failed:
            fail(b, f"proc crashed: {failed[0]!r}", "look above that line in the log for what the kernel reported")
    # Only meaningful once waits work: the skeleton frees every process as soon as it ends.
    expect_lines(first, ["proctest: wait exit 7: OK, exited 7", "proctest: done"],
                 "this check needs proctest to run to its end first")
    only_shell_and_ps(first, "After proctest (its orphans and then proctest itself have ended)")
    expect_transcript(second, shell_script()[:2])
    only_shell_and_ps(second, "After the shell's commands")


# ---- boot 2: the shell ----------------------------------------------------------------------

def transcript(b, command):
    """The lines the shell printed after `samsara> command`, up to the next prompt, without other
    programs' lines (OTHERS)."""
    try:
        start = b.lines.index(PROMPT + command) + 1
    except ValueError:
        if not any(line.startswith(PROMPT) for line in b.lines):
            before = "proctest" if "proctest:" in b.output else "shell"
            fail(b, f"`{command}` was never typed: the shell never printed a prompt{where_it_stopped(b, before)}")
        if b.reason == harness.POWEROFF:
            fail(b, f"`{command}` is not on a line of its own after a prompt",
                 "the output of the programs an earlier command started is mixed with it: the shell "
                 "printed its next prompt before they had ended, because its wait for them failed")
        fail(b, f"`{command}` was never typed{where_it_stopped(b, 'shell')}")
    out = []
    for line in b.lines[start:]:
        if line.startswith(PROMPT):
            return out
        if not OTHERS.match(line):
            out.append(line)
    if b.reason != harness.POWEROFF:
        fail(b, f"`{command}` never finished{where_it_stopped(b, 'shell')}")
    return out


def expect_transcript(b, script):
    for command, expected in script:
        got = transcript(b, command)
        if got != expected:
            shown = "\n".join("    " + line for line in got) or "    (nothing)"
            fail(b, f"`{command}` should print {expected!r}; it printed:\n{shown}",
                 "the shell waits for every program it starts (waitpid() is a kWait to proc); `$?` is "
                 "the exit code, or 128 + the signal")


def shell_statuses(b):
    expect_transcript(b, shell_script()[:8])


def shell_pipelines(b):
    expect_transcript(b, shell_script()[:1])  # The waits work at all.
    expect_transcript(b, shell_script()[8:12])


def check(name, points, fn, *boots):
    """A check on one or both boots."""
    def run():
        got = [boot(which) for which in boots]
        try:
            fn(*got)
        except harness.TestFailure as e:
            return False, str(e)
        return True, ""
    return gradelib.Check(name, points, run)


TESTS = [
    check("exit: wait reports each child's exit code (7, 0, 255; 256 is 0)", 10, exit_codes, "proctest"),
    check("wait for any child (-1): two children, two waits, then ECHILD", 10, wait_any, "proctest"),
    check("wait WNOHANG: a running child is not waited for", 5, wnohang, "proctest"),
    check("a wait for a running child is parked and answered when the child ends", 15, parked, "proctest"),
    check("zombies: a child that ended first waits for its parent; the wait frees it", 10, zombies, "proctest"),
    check("wait errors: ECHILD for a stranger or with no children, EINVAL for unknown options", 5,
          wait_errors, "proctest"),
    check("kill: a killed child's wait status is the signal (9, 15)", 5, kills, "proctest"),
    check("faults: a faulting child's wait status is its signal (11, 11, 4, 8)", 10, faults, "proctest"),
    check("orphans: children of a process that ends get parent 0; its parked wait is dropped", 10, orphans,
          "proctest"),
    check("shell: `$?` is the exit code, or 128 + the signal; && and || follow it", 10, shell_statuses, "shell"),
    check("shell: a pipeline waits for every command; `$?` is the last one's", 5, shell_pipelines, "shell"),
    check("nothing left behind: ps after proctest and after the shell's commands, proc never crashed", 5,
          nothing_left_behind, "proctest", "shell"),
]
