## \file utiltest_driver.py
## \brief Drives `utiltest` from the host: puts a script and files on a private copy of the disk (debugfs), boots, and parses the report of every command (its output byte for byte, how it ended); plus debugfs helpers to read the image back.
#
# Used by test_utils.py. A script line is a command for utiltest (see userland/tests/utiltest):
# "PROG ARGS [< IN] [> OUT] [2> ERR] [2>&1]", a built-in ("!cd DIR", "!malloc", ...) or a comment.
import os
import re
import shutil
import subprocess
import tempfile
import time

from harness import boot, disk_copy

SCRIPT = "/utiltest.txt"


class Run:
    """One script line's outcome: stdout and stderr (bytes), and 'exit N' / 'signal N' / 'spawn: ...'."""

    def __init__(self, command):
        self.command = command
        self.out = b""
        self.err = b""
        self.end = None

    def __repr__(self):
        return f"Run({self.command!r}, out={self.out!r}, err={self.err!r}, end={self.end!r})"


def unescape(text):
    """utiltest's escaping undone: \\xNN is a byte, \\\\ a backslash."""
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == "\\" and text[i + 1:i + 2] == "\\":
            out += b"\\"
            i += 2
        elif text[i] == "\\" and text[i + 1:i + 2] == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            out += text[i].encode()
            i += 1
    return bytes(out)


def parse_report(lines):
    """The commands utiltest ran, in order, and its other lines ('utiltest: malloc: ...')."""
    runs, notes = [], []
    current = None
    for line in lines:
        if not line.startswith("utiltest: "):
            continue
        body = line[len("utiltest: "):]
        if body.startswith("$ "):
            current = Run(body[2:])
            runs.append(current)
        elif current is not None and body[:3] in ("1| ", "1% ", "2| ", "2% "):
            data = unescape(body[3:]) + (b"\n" if body[1] == "|" else b"")
            if body[0] == "1":
                current.out += data
            else:
                current.err += data
        elif current is not None and current.end is None and re.fullmatch(r"(exit|signal) \d+|spawn: .*", body):
            current.end = body
        else:
            notes.append(body)
    return runs, notes


def debugfs(image, commands):
    """Runs debugfs -w with these commands; returns its output."""
    with tempfile.NamedTemporaryFile("w", suffix=".cmds", delete=False) as f:
        f.write("\n".join(commands) + "\n")
        name = f.name
    try:
        r = subprocess.run(["debugfs", "-w", "-f", name, image], capture_output=True, text=True, check=True)
    finally:
        os.remove(name)
    return r.stdout + r.stderr


def inode(image, path):
    """What debugfs says of `path`: type, mode, links, uid, gid, size, mtime, sectors."""
    text = subprocess.run(["debugfs", "-R", f"stat {path}", image], capture_output=True, text=True, check=True).stdout
    fields = {
        "type": re.search(r"Type: (\w+)", text).group(1),
        "mode": int(re.search(r"Mode:\s+(\d+)", text).group(1), 8),
        "links": int(re.search(r"Links: (\d+)", text).group(1)),
        "uid": int(re.search(r"User:\s+(\d+)", text).group(1)),
        "gid": int(re.search(r"Group:\s+(\d+)", text).group(1)),
        "size": int(re.search(r"Size: (\d+)", text).group(1)),
        "mtime": int(re.search(r"mtime: (0x[0-9a-f]+)", text).group(1), 16),
        "sectors": int(re.search(r"Blockcount: (\d+)", text).group(1)),
    }
    return fields


def dump(image, path):
    """The bytes of file `path` in the image (debugfs cat)."""
    return subprocess.run(["debugfs", "-R", f"cat {path}", image], capture_output=True, check=True).stdout


def names_in(image, path):
    text = subprocess.run(["debugfs", "-R", f"ls -p {path}", image], capture_output=True, text=True, check=True).stdout
    return sorted(line.split("/")[5] for line in text.splitlines() if line.count("/") >= 6 and line.split("/")[5])


def prepare_disk(name, script, files=None, executable=()):
    """A private copy of the disk with the script, /tmp (and utiltest's capture files, so that
    running a command allocates nothing before it starts) and `files` ({path: bytes}) on it."""
    disk = disk_copy(name)
    workdir = tempfile.mkdtemp(prefix="utiltest-")
    try:
        staged = dict(files or {})
        staged[SCRIPT] = ("\n".join(script) + "\n").encode()
        staged["/tmp/utiltest.out"] = b""
        staged["/tmp/utiltest.err"] = b""
        # Every folder the files need, parents first (debugfs only complains about existing ones).
        folders = {os.path.dirname(p) for p in staged}
        for folder in list(folders):
            while folder not in ("/", ""):
                folders.add(folder)
                folder = os.path.dirname(folder)
        commands = [f"mkdir {f}" for f in sorted(folders - {"/"}, key=lambda f: (f.count("/"), f))]
        for i, (path, data) in enumerate(sorted(staged.items())):
            host = os.path.join(workdir, str(i))
            with open(host, "wb") as f:
                f.write(data)
            commands.append(f"write {host} {path}")
        commands += [f"sif {path} mode 0100755" for path in executable]
        debugfs(disk, commands)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return disk


def run_script(name, script, files=None, timeout=150, executable=()):
    disk = prepare_disk(name, script, files, executable)
    before = disk + ".before"
    shutil.copyfile(disk, before)
    b = boot(name, init_args=f"start=rs run=utiltest:{SCRIPT} poweroff", disk=disk, timeout=timeout, idle_timeout=60)
    b.expect_poweroff()
    b.expect_line_matching(r"utiltest: joined as pid \d+ \(parent 0\)")
    b.expect_line(f"utiltest: done, {len([s for s in script if s and not s.startswith('#')])} commands")
    b.expect_line_matching(r"init: pid \d+ \(utiltest\) exited with code 0")
    runs, notes = parse_report(b.lines)
    return b, runs, notes, disk, before


def check(b, run, out=b"", err=b"", end="exit 0"):
    """The command's output and end must be exactly these."""
    if isinstance(out, str):
        out = out.encode()
    if isinstance(err, str):
        err = err.encode()
    if run.out != out or run.err != err or run.end != end:
        b.fail(f"`{run.command}`:\n  expected out={out!r}\n           err={err!r} end={end!r}\n"
               f"  got      out={run.out!r}\n           err={run.err!r} end={run.end!r}")


def host(args, cwd, stdin=None):
    """A host command's standard output in the C locale."""
    env = dict(os.environ, LC_ALL="C", TZ="UTC")
    return subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, env=env, check=False).stdout


def extract(image, paths, into):
    """Copies files out of the image into the folder `into`, at the same relative paths."""
    for path in paths:
        target = os.path.join(into, path.lstrip("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as f:
            f.write(dump(image, path))


def long_line(image, path, name, widths):
    """The line `ls -l` should print for `path`, from what debugfs says."""
    i = inode(image, path)
    kind = {"regular": "-", "directory": "d", "character": "c", "FIFO": "p", "symlink": "l"}.get(i["type"], "?")
    perms = "".join(c if i["mode"] & (0o400 >> k) else "-" for k, c in enumerate("rwxrwxrwx"))
    stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime(i["mtime"]))
    return (f"{kind}{perms} {i['links']:>{widths[0]}} {i['uid']:>{widths[1]}} {i['gid']:>{widths[2]}} "
            f"{i['size']:>{widths[3]}} {stamp} {name}")


def long_listing(image, directory, names):
    """`ls -l DIR`'s expected lines: total, then one line per name, columns as wide as needed."""
    infos = [inode(image, f"{directory.rstrip('/')}/{n}") for n in names]
    widths = [max(len(str(i[k])) for i in infos) for k in ("links", "uid", "gid", "size")]
    total = (sum(i["sectors"] for i in infos) + 1) // 2
    return [f"total {total}"] + [long_line(image, f"{directory.rstrip('/')}/{n}", n, widths) for n in names]
