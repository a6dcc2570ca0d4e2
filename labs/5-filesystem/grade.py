## \file grade.py
## \brief Lab 5's checks: the host unit tests of block_path and map_block (every level, holes, damage, mke2fs, the writer), then one boot that reads files from the disk through the fs server.
import hashlib
import os
import re
import shutil
import subprocess

import gradelib
import harness
from gradelib import unit

TITLE = "Lab 5: the file system (ext2 block mapping)"

# ---- the boot: files for this lab on a copy of the disk, read through the shell ----------------
#
# The disk has 1 KiB blocks (tools/mkdisk.sh), so p = 256: file blocks 0-11 are direct, 12-267
# single indirect, 268-65803 double indirect. dense.bin crosses both boundaries; sparse.bin has
# data in one block of each level and holes (never written) everywhere else, inside indirect
# blocks and whole missing subtrees. debugfs's `write` keeps the holes.
BLOCK = 1024
DENSE_SIZE = 300 * BLOCK + 123
SPARSE_SIZE = 400 * BLOCK
SPARSE_BLOCKS = (3, 20, 300)
PROMPT = "samsara> "
FS_UP = "rs: fs is up"
COMMANDS = ["ls /lab5", "sha256sum /lab5/dense.bin /lab5/sparse.bin", "wc -c /lab5/sparse.bin", "exit"]
BOOT_TIMEOUT = 120
IDLE = 30


def dense_bytes():
    return bytes((i * 7 + i // 1021 + 1) % 256 for i in range(DENSE_SIZE))


def sparse_bytes():
    data = bytearray(SPARSE_SIZE)
    for b in SPARSE_BLOCKS:
        data[b * BLOCK:(b + 1) * BLOCK] = bytes((b + i) % 255 + 1 for i in range(BLOCK))
    return bytes(data)


FILES = {"dense.bin": dense_bytes, "sparse.bin": sparse_bytes}


def lab_disk(name):
    """A private copy of build/disk.img with /lab5/dense.bin and /lab5/sparse.bin written into it
    by debugfs (this tree's build/, so a skeleton grades on its own disk)."""
    image = os.path.join(harness.BUILD, "disk.img")
    if not os.path.exists(image):
        raise harness.TestFailure("build/disk.img is missing: run `make` first")
    disks = os.path.join(harness.BUILD, "test-disks")
    staging = os.path.join(disks, name + "-files")
    os.makedirs(staging, exist_ok=True)
    disk = os.path.join(disks, name + ".img")
    shutil.copyfile(image, disk)
    commands = ["mkdir /lab5"]
    for file_name, make in FILES.items():
        path = os.path.join(staging, file_name)
        with open(path, "wb") as f:
            data = make()
            # Write only the non-zero blocks, so the file's zero blocks stay holes on the disk.
            f.truncate(len(data))
            for at in range(0, len(data), BLOCK):
                if any(data[at:at + BLOCK]):
                    f.seek(at)
                    f.write(data[at:at + BLOCK])
        commands.append(f"write {path} /lab5/{file_name}")
    env = dict(os.environ, PATH=os.environ.get("PATH", "") + ":/sbin:/usr/sbin")
    result = subprocess.run(["debugfs", "-w", "-f", "-", disk], input="\n".join(commands) + "\n",
                            capture_output=True, text=True, env=env)
    problems = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("debugfs ")]
    if result.returncode != 0 or problems:
        raise harness.TestFailure(f"debugfs could not add the lab files to {disk}: {result.stderr.strip()}")
    shutil.rmtree(staging)
    return disk


def service_table():
    """The real services.conf with a relaxed heartbeat for hello, as tests/system/test_shell.py
    does: under TCG its 20 ms heartbeat is sometimes missed, and RS's lines about it would land
    in the middle of the shell's output."""
    with open(os.path.join(gradelib.ROOT, "servers", "reincarnation", "services.conf")) as f:
        table = f.read()
    return re.sub(r"^(service hello .*?)heartbeat=\d+", r"\1heartbeat=500", table, flags=re.M)


def boot():
    key = ("lab5-shell", "", "lab5-disk")
    if key not in gradelib._boots:
        name = f"grade-{gradelib.LAB_NAME}-{len(gradelib._boots) + 1}"
        # The fs server is the last service up (it mounts the disk first). Once it is, an empty
        # line makes the shell print a fresh prompt, and each command is typed at a prompt.
        inputs = [(FS_UP, "\r")] + [(PROMPT, command + "\r") for command in COMMANDS]
        gradelib._boots[key] = harness.boot(name, init_args="start=rs run=shell poweroff", inputs=inputs,
                                            disk=lab_disk(name), files={"services.conf": service_table()},
                                            timeout=BOOT_TIMEOUT, idle_timeout=IDLE)
    return gradelib._boots[key]


def fs_lines(b):
    return [line for line in b.lines if line.startswith(("fs:", "rs: fs ", "rs: restarting fs"))]


def output_of(b, command):
    """The lines the shell printed after `samsara> command`, up to the next prompt."""
    try:
        start = b.lines.index(PROMPT + command) + 1
    except ValueError:
        if not any(FS_UP in line for line in b.lines):
            shown = "\n".join("    " + line for line in fs_lines(b)[-6:]) or "    (none)"
            b.fail(f"`{command}` was never typed: the fs server never came up (no {FS_UP!r}); "
                   f"its last lines:\n{shown}")
        prompted = any(line.startswith(PROMPT) for line in b.lines)
        where = "the shell did not get that far" if prompted else "the shell never printed a prompt"
        b.fail(f"`{command}` was never typed: {where}")
    out = []
    for line in b.lines[start:]:
        if line.startswith(PROMPT):
            break
        out.append(line)
    return out


def expect_output(b, command, wanted):
    got = output_of(b, command)
    for line in wanted:
        if line not in got:
            shown = "\n".join("    " + g for g in got[:8]) or "    (nothing)"
            b.fail(f"`{command}` should print {line!r}; it printed:\n{shown}\n"
                   f"(the fs server maps every block it reads with your map_block, those of /bin/{command.split()[0]} "
                   f"and of the directories on the way included; an error there is EIO, 'Input/output error')")


def sha256_line(file_name):
    return f"{hashlib.sha256(FILES[file_name]()).hexdigest()}  /lab5/{file_name}"


def boot_check(name, points, check):
    def run():
        b = boot()
        try:
            check(b)
        except harness.TestFailure as e:
            return False, str(e)
        return True, ""
    return gradelib.Check(name, points, run)


def reads_the_lab_files(b):
    # ls reads the root directory and /lab5 (directory blocks, through map_block); sha256sum
    # reads every byte of both files; wc -c reads the sparse one to its end.
    expect_output(b, "ls /lab5", ["dense.bin", "sparse.bin"])
    expect_output(b, "sha256sum /lab5/dense.bin /lab5/sparse.bin",
                  [sha256_line("dense.bin"), sha256_line("sparse.bin")])
    expect_output(b, "wc -c /lab5/sparse.bin", [f"{SPARSE_SIZE} /lab5/sparse.bin"])
    b.expect_no_panic()


TESTS = [
    unit("block_path: file blocks 0-11 are the direct pointers", 5, "[lab5][block_path][direct]"),
    unit("block_path: the single-indirect range, through i_block[12]", 5, "[lab5][block_path][single]"),
    unit("block_path: the double-indirect range, through i_block[13]", 5, "[lab5][block_path][double]"),
    unit("block_path: the triple-indirect range, through i_block[14]", 5, "[lab5][block_path][triple]"),
    unit("block_path: past the triple range is InvalidArgument, even for huge numbers", 5,
         "[lab5][block_path][range]"),
    unit("block_path: every block of a toy tree (2, 4, 8 pointers per block), in order", 5,
         "[lab5][block_path][toy]"),
    unit("map_block: direct blocks", 5, "[lab5][map_block][direct]"),
    unit("map_block: single-indirect blocks", 5, "[lab5][map_block][single]"),
    unit("map_block: double-indirect blocks", 5, "[lab5][map_block][double]"),
    unit("map_block: triple-indirect blocks, to the last one a file can have", 5, "[lab5][map_block][triple]"),
    unit("map_block: one disk read per indirect level, none for a direct block", 5, "[lab5][map_block][reads]"),
    unit("map_block: a zero pointer at any level is a hole, and the walk stops there", 10,
         "[lab5][map_block][holes]"),
    unit("map_block: a pointer outside the file system is BadFormat at every level, never a crash", 10,
         "[lab5][map_block][corrupt]"),
    unit("map_block: past the triple-indirect range is InvalidArgument", 5, "[lab5][map_block][range]"),
    unit("read: a dense file across three levels reads back byte for byte", 5, "[lab5][read][dense]"),
    unit("mke2fs: a real sparse file down to the triple level agrees with debugfs", 5,
         "[lab5][mke2fs][debugfs]"),
    unit("write: the writer's files at every level are e2fsck-clean", 5, "[lab5][write][fsck]"),
    boot_check("boot: Samsara lists and reads files from its disk through map_block", 5, reads_the_lab_files),
]
