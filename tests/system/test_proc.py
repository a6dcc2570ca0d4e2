## \file test_proc.py
## \brief The process manager: proctest joins proc, starts programs from the disk with argv and environment, and checks exit codes, wait (one, any, WNOHANG, parked), kill, faults, orphans, ps, and every error code exactly.
import os
import shutil
import subprocess

from harness import BUILD, TEST_DISKS, boot, disk_copy

EXITCODE = os.path.join(BUILD, "bin", "exitcode")


def debugfs(disk, commands):
    """Runs debugfs -w commands on `disk`, failing on any error it reports."""
    result = subprocess.run(["debugfs", "-w", "-f", "-", disk], input="\n".join(commands) + "\n",
                            capture_output=True, text=True)
    errors = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("debugfs ")]
    if result.returncode != 0 or errors:
        raise AssertionError(f"debugfs on {disk} failed: {result.stderr}")


def moved_segment(elf, offset):
    """`elf` with its last PT_LOAD segment's file bytes moved to about `offset` (same offset
    modulo the page size, as the loader requires) and the program header changed to match."""
    phoff = int.from_bytes(elf[32:40], "little")
    phnum = int.from_bytes(elf[56:58], "little")
    loads = [phoff + i * 56 for i in range(phnum) if int.from_bytes(elf[phoff + i * 56:phoff + i * 56 + 4], "little") == 1]
    ph = loads[-1]
    old = int.from_bytes(elf[ph + 8:ph + 16], "little")
    filesz = int.from_bytes(elf[ph + 32:ph + 40], "little")
    new = offset + old % 4096
    data = bytearray(elf) + bytes(max(0, new + filesz - len(elf)))
    data[new:new + filesz] = elf[old:old + filesz]
    data[ph + 8:ph + 16] = new.to_bytes(8, "little")
    return bytes(data)


def prepared_disk(name):
    """A private copy of build/disk.img with the files the error checks need, in /tests:
    noexec (a good ELF with mode 0644), garbage (3000 bytes that are not an ELF, mode 0755),
    truncated (the first 3000 bytes of exitcode, mode 0755), huge (exitcode with its data
    segment moved 2 MiB into the file: more than proc's stage), padded (exitcode followed by
    3 MiB of zeros, as debugging sections would: proc reads only what is loaded)."""
    if not os.path.exists(EXITCODE):
        raise AssertionError("build/bin/exitcode is missing: run `make` first")
    disk = disk_copy(name)
    staging = os.path.join(TEST_DISKS, name + "-files")
    os.makedirs(staging, exist_ok=True)
    with open(EXITCODE, "rb") as f:
        elf = f.read()
    files = {
        "noexec": (elf, 0o100644),
        "garbage": (bytes((i * 37 + 11) % 256 for i in range(3000)), 0o100755),
        "truncated": (elf[:3000], 0o100755),
        "huge": (moved_segment(elf, 2 << 20), 0o100755),
        "padded": (elf + bytes(3 << 20), 0o100755),
    }
    commands = ["mkdir /tests"]
    for file_name, (data, mode) in files.items():
        path = os.path.join(staging, file_name)
        with open(path, "wb") as f:
            f.write(data)
        commands += [f"write {path} /tests/{file_name}", f"set_inode_field /tests/{file_name} mode 0{mode:o}"]
    debugfs(disk, commands)
    shutil.rmtree(staging)
    return disk


def test_proctest_spawns_waits_kills_and_reports_every_error():
    disk = prepared_disk("proc_all")
    b = boot("proc_all", init_args="start=rs run=proctest poweroff", disk=disk, timeout=170, idle_timeout=60)
    b.expect_poweroff()
    b.expect_line_matching(r"init: pid \d+ \(proctest\) exited with code 0")
    me = b.expect_line_matching(r"proctest: join: OK, pid (\d+)").group(1)

    # Joining: only with one Process capability, once; the fs capability is badged with the pid.
    b.expect_lines_in_order([
        "proctest: proc is up",
        "proctest: getpid before joining: ESRCH",
        "proctest: join without a capability: EINVAL",
        "proctest: join with an endpoint: EINVAL",
        f"proctest: join: OK, pid {me}",
        "proctest: fs capability: endpoint, badge is my pid: yes",
        "proctest: join again: EEXIST",
        "proctest: getpid: OK, pid is the joined pid: yes, parent 0",
    ])

    # argv and the environment arrive exactly; the child's parent is proctest; exit codes as
    # POSIX encodes them (only the low 8 bits of 256 survive). A child's lines come before its
    # parent's wait line (the order against the spawn line depends on scheduling).
    b.expect_lines_in_order([
        "exitcode: argv (4): 'exitcode' '7' 'a b' 'c'",
        "exitcode: env (2): 'A=1' 'B=two words'",
        "proctest: wait exit 7: OK, exited 7",
        "exitcode: argv (2): 'exitcode' '0'",
        "exitcode: env (0):",
        "proctest: wait exit 0: OK, exited 0",
        "proctest: wait exit 255: OK, exited 255",
        "proctest: wait exit 256: OK, exited 0",
        "exitcode: argv (2): 'exitcode' '3'",
        "proctest: wait relative path: OK, exited 3",
        "exitcode: argv (0):",
        "proctest: wait no argv: OK, exited 0",
    ])
    b.expect_line("proctest: spawn /bin/exitcode: OK")
    b.expect_line("proctest: spawn bin/exitcode: OK")
    # Every pid is new, and the 17 programs proctest started itself report it as their parent.
    pids = [int(m.group(1)) for m in b.lines_matching(r"exitcode: pid (\d+), parent \d+")]
    if len(pids) != len(set(pids)):
        b.fail(f"a pid was handed out twice: {pids}")
    direct = b.lines_matching(rf"exitcode: pid \d+, parent {me}")
    if len(direct) != 17:
        b.fail(f"{len(direct)} children say proctest (pid {me}) is their parent, expected 17")

    # wait: any child, none left, WNOHANG, parked waits, zombies.
    b.expect_lines_in_order([
        "proctest: any: codes 11 and 12",
        "proctest: wait any with no children: ECHILD",
        "proctest: wait WNOHANG: OK, none ended",
        "proctest: wait parked: OK, exited 5",
        "proctest: wait parked any: OK, exited 6",
        "proctest: ps zombie child: exitcode, parent me, zombie",
        "proctest: wait zombie: OK, exited 9",
        "proctest: ps after wait: absent",
        "proctest: wait again: ECHILD",
        "proctest: wait a stranger: ECHILD",
        "proctest: wait with unknown options: EINVAL",
    ])
    if len(b.lines_matching(r"proctest: wait any \([12]\): OK, exited 1[12]")) != 2:
        b.fail("two waits for any child did not collect the two children")

    # kill: parents only, signals 0/9/15, statuses; a child may not kill its parent or itself.
    b.expect_lines_in_order([
        "proctest: ps running child: exitcode, parent me, running",
        "proctest: kill signal 0: OK",
        "proctest: kill signal 3: EINVAL",
        "proctest: kill 9: OK",
        "proctest: wait killed: OK, signal 9",
        "proctest: kill the reaped child: ESRCH",
        "proctest: kill 15: OK",
        "proctest: wait terminated: OK, signal 15",
        "proctest: kill myself: EPERM",
        "proctest: kill a stranger: ESRCH",
        "proctest: kill pid 0: EINVAL",
        "exitcode: kill parent: EPERM",
        "exitcode: kill self: EPERM",
        "exitcode: wait: ECHILD",
        "proctest: wait probe: OK, exited 0",
    ])

    # Orphans: a grandchild whose parent has ended has parent 0, and nobody may kill it. A
    # parent killed while its wait is parked: the wait goes, its child lives on with parent 0.
    b.expect_lines_in_order([
        "proctest: wait orphan's parent: OK, exited 0",
        "proctest: ps orphan: exitcode, parent 0, running",
        "proctest: kill the orphan: EPERM",
        "proctest: ps myself: proctest, parent 0, running",
        "proctest: ps waiting child: exitcode, parent me, running",
        "proctest: kill the waiting child: OK",
        "proctest: wait waiting child: OK, signal 9",
        "proctest: ps its child: exitcode, parent 0, running",
    ])
    if len(b.lines_matching(r"exitcode: started pid \d+: OK")) != 2:
        b.fail("the orphan and the waiter did not both start their child")
    b.expect_absent("exitcode: waited")

    # Exec failures, each with its own errno.
    b.expect_lines_in_order([
        "proctest: spawn /bin/nosuch: ENOENT",
        "proctest: spawn nosuch: ENOENT",
        "proctest: spawn : ENOENT",
        "proctest: spawn /hello.txt/x: ENOTDIR",
        "proctest: spawn /docs: EACCES",
        "proctest: spawn /hello.txt: EACCES",
        "proctest: spawn /tests/noexec: EACCES",
        "proctest: spawn /tests/garbage: ENOEXEC",
        "proctest: spawn /tests/truncated: ENOEXEC",
        "proctest: spawn /tests/huge: ENOMEM",
        "proctest: wait padded: OK, exited 21",
        "proctest: spawn a 299-byte path: ENAMETOOLONG",
        "proctest: spawn with descriptor 40, out of range: EBADF",
        "proctest: text_length past the text: E2BIG",
        "proctest: 129 arguments: E2BIG",
        "proctest: argc beyond the text: EINVAL",
        "proctest: a path without its NUL: EINVAL",
        "proctest: getpid of the wrong size: EINVAL",
        "proctest: unknown label: EINVAL",
    ])

    # Faults: the signal POSIX gives, and one line from proc each.
    b.expect_lines_in_order([
        "crash: taking a 'segv' fault",
        "proctest: wait page fault: OK, signal 11",
        "crash: taking a 'gp' fault",
        "proctest: wait general protection: OK, signal 11",
        "crash: taking a 'ud' fault",
        "proctest: wait invalid opcode: OK, signal 4",
        "crash: taking a 'de' fault",
        "proctest: wait divide error: OK, signal 8",
        "proctest: done",
    ])
    for what, vector in (("page fault", 14), ("general protection fault", 13), ("invalid opcode", 6),
                         ("divide error", 0)):
        b.expect_line_matching(rf"proc: pid \d+ \(crash\) faulted: {what} \(vector {vector}\) at rip 0x[0-9a-f]+, "
                               r"address 0x[0-9a-f]+")
    b.expect_absent("crash: survived")
    # proc itself never failed, and the orphan's end did not bother anyone.
    b.expect_absent("rs: proc (pid")
    os.remove(disk)


test_proctest_spawns_waits_kills_and_reports_every_error.TIMEOUT = 200


def test_a_restarted_proc_forgets_its_clients_never_reuses_a_pid_and_ends_stray_children():
    disk = prepared_disk("proc_restart")
    b = boot("proc_restart", init_args="start=rs run=proctest:restart poweroff", disk=disk, timeout=120,
             idle_timeout=60)
    b.expect_poweroff()
    b.expect_lines_in_order([
        "proctest: join: OK",
        "proctest: crash proc: None",
        "proctest: proc is back: yes",
        # The new instance does not know the old pid; the caller joins again, with a new pid.
        "proctest: getpid after the restart: ESRCH",
        "proctest: join again: OK",
        "proctest: new pid is above the old ones: yes",
        "proctest: wait after the restart: OK, exited 0",
        # The old instance's children end: the new proc ignores the exit and ends the faulting
        # one (the kernel reports both: they have no parent now), and lists only proctest.
        "proctest: processes proc knows: 1",
        "proctest: done",
    ])
    b.expect_line("rs: restarting proc now (restart 1)")
    b.expect_line_matching(r"\[ *[\d.]+\] error proc: pid \d+ \(exitcode\), which has no parent, ended: exit code 4")
    b.expect_line_matching(r"\[ *[\d.]+\] error proc: pid \d+ \(exitcode\), which has no parent, ended: fault vector 14")
    if len(b.lines_matching(r"rs: proc \(pid \d+\) failed: .*")) != 1:
        b.fail("proc failed more than once (only the injected crash was expected)")
    b.expect_line_matching(r"init: pid \d+ \(proctest\) exited with code 0")
    os.remove(disk)


test_a_restarted_proc_forgets_its_clients_never_reuses_a_pid_and_ends_stray_children.TIMEOUT = 150
