## \file test_utils.py
## \brief The /bin utilities and libc, run by `utiltest` (a boot module that joins proc and spawns them with their output in files): outputs compared byte for byte with the host's coreutils, hexdump and sha256sum, the disk checked on the host afterwards.
#
# Each test writes a script (and any input files) into a private copy of build/disk.img with
# debugfs, boots `start=rs run=utiltest:/utiltest.txt poweroff`, and reads utiltest's report from
# the console: for every command its standard output and error, byte for byte, and how it ended.
import hashlib
import os
import random
import re
import shutil
import subprocess
import tempfile

from harness import BUILD
from utiltest_driver import check, dump, extract, host, inode, long_listing, names_in, run_script

UTILITIES = ["cat", "cp", "df", "echo", "false", "hexdump", "kill", "ls", "mkdir", "mv", "ps", "rm", "rmdir",
             "sha256sum", "sync", "true", "wc"]


# A file whose dump has runs of equal lines (hexdump's "*"), every byte value, and a short last line.
HEXDUMP_INPUT = bytes(64) + b"abc" + bytes(16) + bytes(range(256)) + bytes(45) + b"\\x\n\x7f\x80\xff"


# Names for ls to sort: strcmp order (upper case first, '.' before letters), hidden ones.
LS_NAMES = ["b", "B", "a.b", "a", "Z9", ".hidden", "..x", "z-1", "z_1"]


def test_reading_utilities_match_the_host():
    """cat, echo, wc, hexdump, sha256sum and ls give exactly what the host's tools give."""
    script = [
        "!cd /",
        "cat hello.txt",
        "cat docs/readme.txt - hello.txt < hello.txt",
        "cat nosuch hello.txt",
        "cat docs",
        'echo hello "two  spaces" x',
        "echo -n no newline",
        "echo",
        "sha256sum hello.txt pattern.bin hex.bin",
        "sha256sum < pattern.bin",
        "sha256sum nosuch",
        "wc hello.txt pattern.bin hex.bin",
        "wc -l hello.txt",
        "wc -c < pattern.bin",
        "wc -w -l docs/readme.txt nosuch",
        "hexdump -C hello.txt",
        "hexdump -C hex.bin",
        "hexdump -C < docs/readme.txt",
        "hexdump nosuch",
        "hexdump -C pattern.bin > /tmp/pattern.hex",
        "sha256sum /tmp/pattern.hex",
        "!cd /u",
        "ls",
        "ls -a",
        "!cd /",
        "ls -a docs",
        "ls /docs hello.txt /nosuch",
        "ls -l /bin",
        "ls -l hello.txt pattern.bin",
        "ls -x",
        "ls /many",
    ]
    listed = {f"/u/{name}": name.encode() for name in LS_NAMES}
    # Enough entries to fill several directory blocks and grow ls's table more than once.
    many = [f"f{random.Random(i).randrange(10 ** 6):06d}-{i}" for i in range(150)]
    listed.update({f"/many/{name}": b"" for name in many})
    b, runs, _, disk, before = run_script("utils_reading", script, {"/hex.bin": HEXDUMP_INPUT, **listed})
    work = tempfile.mkdtemp(prefix="utiltest-host-")
    try:
        extract(before, ["/hello.txt", "/pattern.bin", "/hex.bin", "/docs/readme.txt"], work)
        read = lambda p: open(os.path.join(work, p), "rb").read()  # noqa: E731
        hello, readme = read("hello.txt"), read("docs/readme.txt")
        r = iter(runs)
        cwd = next(r)
        check(b, next(r), hello)
        check(b, next(r), readme + hello + hello)
        check(b, next(r), hello, "cat: nosuch: No such file or directory\n", "exit 1")
        check(b, next(r), b"", "cat: docs: Is a directory\n", "exit 1")
        check(b, next(r), "hello two  spaces x\n")
        check(b, next(r), "no newline")
        check(b, next(r), "\n")
        check(b, next(r), host(["sha256sum", "hello.txt", "pattern.bin", "hex.bin"], work))
        check(b, next(r), host(["sha256sum"], work, read("pattern.bin")))
        check(b, next(r), b"", "sha256sum: nosuch: No such file or directory\n", "exit 1")
        check(b, next(r), host(["wc", "hello.txt", "pattern.bin", "hex.bin"], work))
        check(b, next(r), host(["wc", "-l", "hello.txt"], work))
        check(b, next(r), host(["wc", "-c"], work, read("pattern.bin")))
        check(b, next(r), host(["wc", "-w", "-l", "docs/readme.txt", "nosuch"], work),
              "wc: nosuch: No such file or directory\n", "exit 1")
        check(b, next(r), host(["hexdump", "-C", "hello.txt"], work))
        check(b, next(r), host(["hexdump", "-C", "hex.bin"], work))
        check(b, next(r), host(["hexdump", "-C"], work, readme))
        check(b, next(r), b"", "hexdump: nosuch: No such file or directory\n"
                               "hexdump: all input file arguments failed\n", "exit 1")
        check(b, next(r))  # hexdump of pattern.bin into a file: nothing on the console
        digest = hashlib.sha256(host(["hexdump", "-C", "pattern.bin"], work)).hexdigest()
        check(b, next(r), f"{digest}  /tmp/pattern.hex\n")
        next(r)
        shown = sorted(n for n in LS_NAMES if not n.startswith("."))
        check(b, next(r), "".join(n + "\n" for n in shown))
        check(b, next(r), "".join(n + "\n" for n in sorted(LS_NAMES + [".", ".."])))
        next(r)
        check(b, next(r), ".\n..\nreadme.txt\n")
        check(b, next(r), "hello.txt\n\n/docs:\nreadme.txt\n", "ls: /nosuch: No such file or directory\n", "exit 1")
        bins = names_in(before, "/bin")
        if not set(UTILITIES) <= set(bins):
            b.fail(f"/bin holds {bins}, not every utility of {UTILITIES}")
        listing = long_listing(before, "/bin", [n for n in bins if not n.startswith(".")])
        check(b, next(r), "\n".join(listing) + "\n")
        files = long_listing(before, "/", ["hello.txt", "pattern.bin"])[1:]
        check(b, next(r), "\n".join(files) + "\n")
        check(b, next(r), b"", "ls: unknown option -x\nusage: ls [-l] [-a] [PATH...]\n", "exit 1")
        check(b, next(r), "".join(n + "\n" for n in sorted(many)))
        if cwd.end is not None:
            b.fail(f"`!cd /` ran as a program: {cwd}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        os.remove(before)
    os.remove(disk)


test_reading_utilities_match_the_host.TIMEOUT = 200


def test_writing_utilities_change_the_disk_as_the_host_sees_it():
    """mkdir, cp (a 4 MiB file, byte for byte), mv, rm, rmdir and sync; their errors; then the
    host's e2fsck and debugfs on the image after power-off."""
    big = random.Random(5).randbytes(4 << 20)
    script = [
        "mkdir /t",
        "mkdir /t",
        "mkdir -p /t/a/b/c /t/a",
        "mkdir /nosuch/x",
        "mkdir -p /hello.txt/x",
        "cp /hello.txt /t/h1",
        "cp /hello.txt /t",
        "cp /hello.txt /pattern.bin /t/a/b",
        "cp /nosuch /t",
        "cp /docs /t",
        "cp /t/h1 /t/h1",
        "cp /hello.txt /pattern.bin /t/h1",
        "cp /big.bin /t/big2.bin",
        "sha256sum /t/big2.bin",
        "mv /t/h1 /t/h2",
        "mv /t/h2 /t/a",
        "mv /nosuch /t",
        "ls /t /t/a",
        "rmdir /t/a/b",
        "rm /t/a",
        "rm /t/nosuch",
        "rm -f /t/nosuch",
        "rm -r /t/a",
        "rmdir /t/a",
        "mkdir /t/empty",
        "rmdir /t/empty",
        "rm /t/hello.txt",
        "ls -a /t",
        "sync",
    ]
    b, runs, _, disk, before = run_script("utils_writing", script, {"/big.bin": big}, timeout=240)
    r = iter(runs)
    check(b, next(r))
    check(b, next(r), b"", "mkdir: /t: File exists\n", "exit 1")
    check(b, next(r))
    check(b, next(r), b"", "mkdir: /nosuch/x: No such file or directory\n", "exit 1")
    check(b, next(r), b"", "mkdir: /hello.txt/x: Not a directory\n", "exit 1")
    check(b, next(r))
    check(b, next(r))
    check(b, next(r))
    check(b, next(r), b"", "cp: /nosuch: No such file or directory\n", "exit 1")
    check(b, next(r), b"", "cp: /docs: Is a directory\n", "exit 1")
    check(b, next(r), b"", "cp: /t/h1: /t/h1 is the same file\n", "exit 1")
    check(b, next(r), b"", "cp: /t/h1: Not a directory\n", "exit 1")
    check(b, next(r))
    check(b, next(r), f"{hashlib.sha256(big).hexdigest()}  /t/big2.bin\n")
    check(b, next(r))
    check(b, next(r))
    check(b, next(r), b"", "mv: /nosuch: No such file or directory\n", "exit 1")
    check(b, next(r), "/t:\na\nbig2.bin\nhello.txt\n\n/t/a:\nb\nh2\n")
    check(b, next(r), b"", "rmdir: /t/a/b: Directory not empty\n", "exit 1")
    check(b, next(r), b"", "rm: /t/a: Is a directory\n", "exit 1")
    check(b, next(r), b"", "rm: /t/nosuch: No such file or directory\n", "exit 1")
    check(b, next(r))
    check(b, next(r))
    check(b, next(r), b"", "rmdir: /t/a: No such file or directory\n", "exit 1")
    check(b, next(r))
    check(b, next(r))
    check(b, next(r))
    check(b, next(r), ".\n..\nbig2.bin\n")
    check(b, next(r))
    # The host's view of the disk after power-off: clean, and exactly what the commands made.
    fsck = subprocess.run(["e2fsck", "-fn", disk], capture_output=True, text=True)
    if fsck.returncode != 0:
        b.fail(f"e2fsck -fn after the utilities: status {fsck.returncode}\n{fsck.stdout}{fsck.stderr}")
    if names_in(disk, "/t") != [".", "..", "big2.bin"]:
        b.fail(f"/t holds {names_in(disk, '/t')} on the disk")
    if dump(disk, "/t/big2.bin") != big:
        b.fail("/t/big2.bin on the disk differs from the 4 MiB file cp copied")
    if inode(disk, "/t/big2.bin")["mode"] != inode(before, "/big.bin")["mode"]:
        b.fail("cp did not give the copy its source's permission bits")
    os.remove(before)
    os.remove(disk)


test_writing_utilities_change_the_disk_as_the_host_sees_it.TIMEOUT = 300


def test_processes_df_and_libc_inside_the_os():
    """ps, kill, true/false, df, spawn errors, the working directory, and utiltest's own checks of
    malloc, stdio, the environment, pipes and signals."""
    script = [
        "df",
        "df -i",
        "true",
        "false",
        "ps",
        "kill 999",
        "kill -9 $$",
        "kill -STOP 2",
        "nosuchprogram",
        "/hello.txt",
        "/docs",
        "!cd /docs",
        "cat readme.txt",
        "ls",
        "!cd /nosuch",
        "!malloc",
        "!stdio",
        "!signals",
        "!files",
        '/bin/utiltest --args "with  two spaces" x=1 \\ last',
    ]
    with open(os.path.join(BUILD, "iso", "boot", "utiltest.elf"), "rb") as f:
        itself = f.read()
    b, runs, notes, disk, before = run_script("utils_processes", script, {"/bin/utiltest": itself},
                                              executable=["/bin/utiltest"])
    r = iter(runs)
    # df: the numbers dumpe2fs reads from the same superblock.
    text = subprocess.run(["dumpe2fs", "-h", before], capture_output=True, text=True, check=True).stdout
    value = lambda key: int(re.search(rf"^{key}:\s+(\d+)", text, re.M).group(1))  # noqa: E731
    kib = value("Block size") // 1024
    total, free = value("Block count") * kib, value("Free blocks") * kib
    used = total - free
    percent = -(-used * 100 // total)
    df = next(r)
    lines = df.out.decode().splitlines()
    if df.end != "exit 0" or len(lines) != 3 or lines[0] != "Filesystem     1K-blocks      Used Available Use% Mounted on":
        b.fail(f"df printed {df}")
    if lines[1] != f"{'ata0':<12} {total:>11} {used:>9} {free:>9} {percent:>3}% /":
        b.fail(f"df's numbers: {lines[1]!r}; dumpe2fs says {total} KiB, {free} free")
    if not re.fullmatch(r"block cache: \d+ blocks, \d+ dirty", lines[2]):
        b.fail(f"df's cache line: {lines[2]!r}")
    inodes, ifree = value("Inode count"), value("Free inodes")
    iused = inodes - ifree
    check(b, next(r), "Filesystem        Inodes     IUsed     IFree IUse% Mounted on\n"
                      f"{'ata0':<12} {inodes:>9} {iused:>9} {ifree:>9} {-(-iused * 100 // inodes):>4}% /\n")
    check(b, next(r))
    check(b, next(r), end="exit 1")
    # ps: itself, a child of utiltest, and utiltest.
    me = int(b.expect_line_matching(r"utiltest: joined as pid (\d+) \(parent 0\)").group(1))
    ps = next(r)
    ps_lines = ps.out.decode().splitlines()
    if ps.end != "exit 0" or ps_lines[0] != "  PID  PPID S NAME":
        b.fail(f"ps printed {ps}")
    if not any(re.fullmatch(rf"\s*{me}\s+0 R utiltest", line) for line in ps_lines):
        b.fail(f"ps does not show utiltest (pid {me}): {ps_lines}")
    if not any(re.fullmatch(rf"\s*\d+\s+{me} R ps", line) for line in ps_lines):
        b.fail(f"ps does not show itself as utiltest's child: {ps_lines}")
    check(b, next(r), b"", "kill: 999: No such process\n", "exit 1")
    check(b, next(r), b"", f"kill: {me}: Operation not permitted\n", "exit 1")
    check(b, next(r), b"", "usage: kill [-9|-KILL|-TERM|-s SIGNAL] PID...\n", "exit 1")
    check(b, next(r), end="spawn: No such file or directory")
    check(b, next(r), end="spawn: Permission denied")
    check(b, next(r), end="spawn: Permission denied")
    b.expect_line("utiltest: cwd /docs")
    next(r)
    check(b, next(r), dump(before, "/docs/readme.txt"))
    check(b, next(r), "readme.txt\n")
    b.expect_line("utiltest: cd /nosuch: No such file or directory")
    b.expect_lines_in_order([
        "utiltest: malloc: 2000 operations, 0 wrong, 0 failed",
        "utiltest: malloc: 900 KiB after freeing everything: ok",
        "utiltest: malloc: 2 MiB: NULL, ENOMEM",
        "utiltest: malloc: calloc zeroed: yes",
        "utiltest: stdio: fclose: 0",
        "utiltest: stdio: size 4000",
        "utiltest: stdio: read 200 lines, 0 wrong, eof 1",
        "utiltest: stdio: after seek 'line 100 abcdefghij', ftell 2020, ungetc X, then l",
        "utiltest: stdio: fread 30 bytes, ftell 2051",
        "utiltest: stdio: after append size 4005",
        "utiltest: stdio: fopen missing: NULL, No such file or directory",
        "utiltest: stdio: snprintf 10 '0123456'",
        "utiltest: env: red green gone",
        "utiltest: signals: cat copied 5 bytes; waitpid WNOHANG: 0",
        "utiltest: signals: kill TERM: 0",
        "utiltest: signals: waitpid: the child, signaled 1, signal 15",
        "utiltest: signals: kill it again: -1 ESRCH",
        "utiltest: signals: cat after its writer closed: exited 1, code 0, 5 bytes",
        "utiltest: signals: waitpid with no children: -1 ECHILD",
        "utiltest: signals: kill self: -1 EPERM",
    ])
    # Descriptor and path calls: results and errno values as POSIX has them.
    b.expect_lines_in_order(["utiltest: files: " + line for line in [
        "open create: 0 -", "write: 10 -", "lseek end: 10 -", "lseek set 3: 3 -", "read 4: 4 -", "read '3456'",
        "lseek bad whence: -1 EINVAL", "ftruncate 6: 0 -", "size 6, mode 640, regular 1", "dup: 1 -",
        "dup2 to 9: 9 -", "lseek through dup2: 1 -", "offset shared: 1 -", "close dup: 0 -", "close 9: 0 -",
        "close 9 again: -1 EBADF", "read closed: -1 EBADF", "isatty file: 0 ENOTTY", "isatty console: 1",
        "truncate 2: 0 -", "size after truncate 2", "read write-only: -1 EBADF", "write read-only: -1 EBADF",
        "open excl existing: -1 EEXIST", "open directory flag on a file: -1 ENOTDIR", "open missing: -1 ENOENT",
        "open through a file: -1 ENOTDIR", "open empty path: -1 ENOENT", "open long path: -1 ENAMETOOLONG",
        "access F_OK: 0 -", "access X_OK: -1 EACCES", "unlink a directory: -1 EISDIR", "rmdir a file: -1 ENOTDIR",
        "rename to a new name: 0 -", "stat old name: -1 ENOENT", "unlink: 0 -", "unlink again: -1 ENOENT",
        "chdir to a file: -1 ENOTDIR", "getcwd too small: -1 ERANGE",
    ]])
    b.expect_line("utiltest: stdio: stdout is the console")
    # The start-up code read proc's argument block: argv (NUL-separated, so spaces and
    # backslashes survive) and the environment utiltest passed (PATH and HOME).
    b.expect_lines_in_order([
        "utiltest: $ /bin/utiltest --args \"with  two spaces\" x=1 \\ last",
        "utiltest-child: argv[0] '/bin/utiltest'",
        "utiltest-child: argv[1] '--args'",
        "utiltest-child: argv[2] 'with  two spaces'",
        "utiltest-child: argv[3] 'x=1'",
        "utiltest-child: argv[4] '\\'",
        "utiltest-child: argv[5] 'last'",
        "utiltest-child: argv[6] NULL",
        "utiltest-child: environ 'PATH=/bin'",
        "utiltest-child: environ 'HOME=/'",
    ])
    b.expect_line_matching(rf"utiltest-child: HOME '/', pid \d+, parent {me}")
    if runs[-1].end != "exit 7":
        b.fail(f"utiltest --args ended with {runs[-1].end}")
    os.remove(before)
    os.remove(disk)


test_processes_df_and_libc_inside_the_os.TIMEOUT = 200
