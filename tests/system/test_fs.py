## \file test_fs.py
## \brief The `fs` server (VFS, ext2 and the block cache) end to end: fstest checks every request of protocols/fs.hpp with exact results and error codes, then the host checks the image (e2fsck -fn, debugfs) byte for byte; files the host placed are read back; damaged disks give EIO and no crash; writes survive `ata` crashes and hangs; a crash of `fs` itself loses only unsynced data.
import os
import random
import re
import shutil
import subprocess

from harness import BUILD, TEST_DISKS, boot, disk_copy

BLOCK = 1024  # tools/mkdisk.sh makes 1 KiB blocks


def pattern(start, length, seed):
    """fstest's pattern bytes (pattern() in userland/tests/fstest/check.hpp)."""
    return bytes((i * 131 + seed * 17 + (i >> 9) * 7 + (i >> 17) * 3) & 0xff for i in range(start, start + length))


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001b3) & 0xffffffffffffffff
    return h


def debugfs(image, command, write=False):
    args = ["debugfs"] + (["-w"] if write else []) + ["-R", command, image]
    return subprocess.run(args, capture_output=True, check=True).stdout


def debugfs_script(image, commands):
    """Runs debugfs -w with a command file; returns its output."""
    script = image + ".commands"
    with open(script, "w") as f:
        f.write("\n".join(commands) + "\n")
    out = subprocess.run(["debugfs", "-w", "-f", script, image], capture_output=True, text=True, check=True)
    os.remove(script)
    return out.stdout + out.stderr


def cat(image, path):
    """The file's bytes as the host's ext2 code (debugfs) reads them."""
    return debugfs(image, f"cat {path}")


def expect_clean(b, image):
    fsck = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True)
    if fsck.returncode != 0:
        b.fail(f"e2fsck -fn found the image unclean (status {fsck.returncode}):\n{fsck.stdout}{fsck.stderr}")


def expect_file(b, image, path, data):
    got = cat(image, path)
    if got != data:
        first = next((i for i in range(min(len(got), len(data))) if got[i] != data[i]), min(len(got), len(data)))
        b.fail(f"{path} on the image: {len(got)} bytes, expected {len(data)}; first difference at byte {first}")


def listing(image, path):
    """(name, mode) of each used entry of directory `path` on the image (entries with inode 0,
    which ext2 leaves at the start of a block when its first name is removed, are not names)."""
    entries = []
    for line in debugfs(image, f"ls -p {path}").decode().splitlines():
        fields = line.strip().split("/")
        if len(fields) < 7 or not fields[1].isdigit() or fields[1] == "0":
            continue
        entries.append((fields[5], fields[2]))
    return entries


def root_listing(image):
    """'name(type)' of every entry of /, from the image, as fstest prints them."""
    return [f"{name}({2 if mode.startswith('04') else 1})" for name, mode in listing(image, "/")]


def superblock_counts(image):
    out = subprocess.run(["dumpe2fs", "-h", image], capture_output=True, text=True, check=True).stdout
    get = lambda key: int(re.search(rf"^{key}:\s+(\d+)$", out, re.M).group(1))  # noqa: E731
    return get("Block count"), get("Block size"), get("Free blocks"), get("Inode count"), get("Free inodes")


# The suite's lines, in order (userland/tests/fstest/suite_*.cpp); {root} is filled from the image.
SUITE = """
new client 7001 with the console: 7001
mkdir /t: OK
mkdir /t again: EEXIST
open empty path: ENOENT
open /t/nope: ENOENT
open /t/nope/x: ENOENT
mkdir /nope/x: ENOENT
stat of a 240-byte path: ENAMETOOLONG
open of a 240-byte path: ENAMETOOLONG
stat of a 239-byte path: ENOENT
open /hello.txt/x: ENOTDIR
stat /hello.txt/: ENOTDIR
mkdir /hello.txt/x: ENOTDIR
chdir /hello.txt: ENOTDIR
chdir /nope: ENOENT
stat /..: OK
inode of /..: 2
stat /../../hello.txt: OK
size of /../../hello.txt: 28
chdir /t: OK
getcwd length: 2
getcwd is '/t'
mkdir sub (relative): OK
chdir sub/../sub/.: OK
getcwd is '/t/sub'
stat ../../hello.txt (relative): OK
size: 28
chdir ../../../../..: OK
getcwd is '/'
stat /t/sub: OK
mode of /t/sub: 40700, links 2
stat /t: OK
links of /t: 3
rmdir /: EBUSY
rmdir /t (not empty): ENOTEMPTY
rmdir /t/sub/.: EINVAL
rmdir /t/sub/..: ENOTEMPTY
rmdir /hello.txt: ENOTDIR
unlink /t: EISDIR
unlink /: EISDIR
unlink /nope: ENOENT
rmdir /nope: ENOENT
rmdir /t/sub: OK
stat /t/sub: ENOENT
mkdir /t/gone: OK
chdir /t/gone: OK
rmdir /t/gone (the working directory): OK
getcwd in a removed directory: ENOENT
open x O_CREAT in a removed directory: ENOENT
chdir /: OK
getcwd is '/'
open /t/f O_CREAT|O_EXCL|O_RDWR (0, 1, 2 are the console): 3
open /t/f O_CREAT|O_EXCL again: EEXIST
write 'hello, world': 12
read at the end: 0
seek to 0: 0
read 12 bytes: 'hello, world'
fstat: mode 100640, size 12, links 1
seek to 100: 100
write 'X' at 100: 1
seek to end - 1: 100
seek 5 back from the current: 95
seek before the start: EINVAL
seek with whence 7: EINVAL
seek to 12: 12
read 89 bytes from 12: 88 zeros, then 'X'
read 10000 bytes at 0: 101
ftruncate to 5: OK
size: 5
read 5 bytes: 'hello'
truncate /t/f to 3000: OK
size: 3000
truncate /t: EISDIR
truncate /t/nope: ENOENT
truncate /dev/null: EINVAL
close: OK
close again: EBADF
read a closed descriptor: EBADF
write descriptor 99: EBADF
write descriptor -1: EBADF
fstat descriptor 32: EBADF
open /t/f O_TRUNC: OK
size after O_TRUNC: 0
read from O_WRONLY: EBADF
write to O_RDONLY: EBADF
ftruncate O_RDONLY: EINVAL
open with access mode 3: EINVAL
open /t O_RDWR: EISDIR
open /t O_RDONLY|O_TRUNC: EISDIR
open /t O_RDONLY|O_CREAT: EISDIR
open /t/f O_DIRECTORY: ENOTDIR
open /t/ O_DIRECTORY: 3
read a directory: EISDIR
write a directory: EBADF
open /t/new/ O_CREAT: EISDIR
open /dev/nope O_CREAT: EROFS
append after a seek to 0: 6
/t/log holds 'first second'
open /t/dup: 3
dup: 4
offset through the dup (shared): 5
dup2 to 20: 20
dup2 to itself: 3
dup2 to 32: EBADF
dup2 to -1: EBADF
dup2 from 30 (closed): EBADF
dup of -1: EBADF
dup2 onto an open descriptor: 5
write through it goes to /t/dup: 2
size of /t/dup: 7
close 20: OK
close the dup: OK
offset still shared by the last: 7
opened 29 more, then EMFILE
dup with no descriptor free: EMFILE
pipe with no descriptor free: EMFILE
rename /t/r1 /t/r2: OK
stat /t/r1: ENOENT
/t/r2 holds 'one'
rename /t/r2 /t/r3 (replaces a file): OK
stat /t/r2: ENOENT
/t/r3 holds 'one'
rename /t/r3 /t/r3: OK
/t/r3 holds 'one'
mkdir /t/da: OK
mkdir /t/da/sub: OK
rename /t/da /t/db: OK
/t/db/sub/f holds 'in sub'
stat /t/db/sub/..: OK
/t/db/sub/.. is /t/db: yes
rename /t/db /t/db/sub/x (into itself): EINVAL
rename /t/db /t/db/x (into itself): EINVAL
rename /t/db /t/r3 (directory onto a file): ENOTDIR
rename /t/r3 /t/db (file onto a directory): EISDIR
mkdir /t/dc: OK
mkdir /t/dc/x: OK
rename /t/db /t/dc (onto a directory that is not empty): ENOTEMPTY
rmdir /t/dc/x: OK
rename /t/db /t/dc (onto an empty directory): OK
/t/dc/sub/f holds 'in sub'
stat /t/db: ENOENT
rename /t/nope /t/x: ENOENT
rename /t/r3 /nope/x: ENOENT
rename /t/r3 /t/r3/x: ENOTDIR
rename /t/r3 /t/newname/ (a file to a directory name): ENOTDIR
rename / /x: EBUSY
rename /t/. /t/y: EINVAL
rename /t/r3 /dev/r3: EXDEV
rename /dev/null /t/null: EXDEV
chdir /t/dc/sub: OK
rename /t/dc /t/dd: OK
getcwd is '/t/dd/sub'
f holds 'in sub'
chdir /: OK
write 20000 bytes to /t/u: 20000
unlink /t/u while open: OK
stat /t/u: ENOENT
fstat the open descriptor: OK
links 0, size 20000
read back 20000 bytes, 0 wrong
write more to it: 5000
open /t/u by name: ENOENT
close: OK
mkdir /t/rd: OK
rmdir /t/rd while open: OK
readdir of the removed directory: 0
fstat of the removed directory: OK
links 0
mkdir /t/rd again: OK
rmdir /t/rd: OK
close the removed directory: OK
free blocks and inodes back to what they were: yes
mkdir /t/many: OK
create 300 files in /t/many: OK
readdir /t/many: 302 entries, 300 files, 0 repeated
readdir /t/many: 152 entries, 150 files, 0 repeated
readdir /: {root_count} entries, 0 files, 0 repeated
/ holds {root}
readdir /t: 8 entries, 0 files, 0 repeated
/t holds .(2) ..(2) dd(2) dup(1) f(1) log(1) many(2) r3(1)
readdir of a file: ENOTDIR
readdir of descriptor 31: EBADF
readdir at cookie 2^40: 0
readdir at cookie 1: 1, '..' (the entry after '.')
write /t/big.bin: 1048699
read back 1048699 bytes, 0 wrong
size 1048699, 2060 sectors
write /t/huge.bin: 5242880
cached blocks fewer than the file's: yes
read back 5242880 bytes, 0 wrong
write 1000 bytes at 0: 1000
seek to 70 MiB: 73400320
write 3000 bytes at 70 MiB: 3000
size 73403320, 14 sectors
read 496 bytes at 40 MiB: 0 not zero
read back 3000 bytes at 70 MiB, 0 wrong
ftruncate /t/hole.bin to 64 MiB: OK
size 67108864, 0 sectors
write 3000 bytes at 70 MiB: 3000
blocks taken: 6
truncate /t/hole.bin to 10: OK
blocks freed: 6
size 10, 0 sectors
write at 4 TiB: EFBIG
ftruncate to 4 TiB: EFBIG
pipe: OK
pipe descriptors 3 and 4
write 'ping': 4
read 4 bytes: 'ping'
fstat of the read end: mode 10600, size 3
seek on a pipe: ESPIPE
write to the read end: EBADF
read from the write end: EBADF
read 2 of 3: 2
close the write end: OK
read the last byte: 1
read with no writer left (end of file): 0
pipe: OK
close the read end: OK
write with no reader left: EPIPE
8 writes of 496 bytes: 3968
a write of the 128 bytes left: 128
bytes in the pipe: 4096
parked read got 14 bytes: 'from the child'; it waited: yes
read after the child closed its end: 0
the child's exit code: 0
client exit of the child: OK
client exit of the child again: ESRCH
a descriptor of the forgotten child: EBADF
a path request of the forgotten child (it starts over): OK
client exit of it again: OK
parked write wrote 496 bytes; it waited: yes
parked write when the reader closed: EPIPE; it waited: yes
the child's exit code: 0
client exit of the child: OK
parked read when the writer closed: 0 bytes; it waited: yes
the child's exit code: 0
client exit of the child: OK
the child's exit code: 0
client exit of the child: OK
offset after the child wrote through the shared description: 5
/t/shared holds 'child+parent'
open /dev/null: 3
write 10 bytes to /dev/null: 10
read /dev/null: 0
fstat /dev/null: mode 20666
open /dev/null O_CREAT|O_EXCL: EEXIST
open /dev/nope: ENOENT
mkdir /dev/x: EROFS
unlink /dev/null: EROFS
rmdir /dev: EBUSY
stat /dev/console/x: ENOTDIR
stat /dev: mode 40755
stat /dev/console: mode 20620
this line went through descriptor 1
write to descriptor 1: {console1}
and this one through /dev/console
write to /dev/console: {console2}
fstat of descriptor 1: mode 20620
seek on the console: ESPIPE
chdir /dev: OK
getcwd is '/dev'
stat null (relative, in /dev): OK
stat ../hello.txt (from /dev): OK
/dev holds . .. console null
new client from a process: EPERM
client exit from a process: EPERM
clients from a process: EPERM
new client pid 0: EINVAL
new client with a service badge: EINVAL
new client with an unknown parent: 7100
new client inheriting descriptor 40: EBADF
new client inheriting a closed descriptor: 7100
the new client's descriptor 0: EBADF
client exit 7100: OK
client exit 7100 again: ESRCH
client 7001: 3 descriptors, working directory '/'
clients past the last: ESRCH
clients listed after making 70 more: 64
a descriptor of the first of them (forgotten): EBADF
a descriptor of the last of them: OK
a descriptor of 7001: OK
of the 70, 7 had been forgotten
open with a 3-word message: EINVAL
label 99: ENOSYS
write that lends no window: EFAULT
write of 400 bytes from a 16-byte window: EFAULT
write from a window fs may only write: EFAULT
write from a 16-byte window: 16
read that lends no window: EFAULT
read into an unmapped window: EFAULT
the file after them: 16
statfs: OK
statfs before sync: dirty blocks: some
sync: OK
statfs: {statfs}
cached blocks: some
done, 0 failures
"""


def test_every_request_with_exact_results_then_the_image_on_the_host():
    disk = disk_copy("fs_suite")
    b = boot("fs_suite", init_args="start=rs run=fstest poweroff", disk=disk, timeout=150, idle_timeout=60)
    b.expect_poweroff()
    b.expect_line_matching(r"fs: mounted ext2 'samsara': 65536 blocks of 1024 bytes, \d+ inodes, \d+ free blocks; "
                           r"cache 4096 KiB")
    # The host's view of the final image fills in what depends on it: the root's entries (as
    # mkdisk.sh made them, plus "t" and the server's own "dev") and the superblock's counts.
    root = sorted(root_listing(disk) + ["dev(2)"])
    blocks, block_size, free_blocks, inodes, free_inodes = superblock_counts(disk)
    console1 = "fstest: this line went through descriptor 1\n"
    console2 = "fstest: and this one through /dev/console\n"
    lines = SUITE.strip().format(
        root=" ".join(root), root_count=len(root), console1=len(console1), console2=len(console2),
        statfs=f"{blocks} blocks of {block_size} bytes, {free_blocks} free; {inodes} inodes, {free_inodes} free; 0 dirty")
    b.expect_lines_in_order(["fstest: " + line for line in lines.split("\n")])
    b.expect_line_matching(r"init: pid \d+ \(fstest\) exited with code 0")
    b.expect_absent("rs: fs (pid")  # fs never failed.
    # The full client table forgot 8000..8006, then 8007 when 8000 came back.
    forgotten = b.lines_matching(r"fs: client table full: forgetting client 0x([0-9a-f]+) \((\d) descriptors\)")
    if [(int(m.group(1), 16), int(m.group(2))) for m in forgotten] != [(8000 + i, 1) for i in range(8)]:
        b.fail(f"fs forgot other clients than 8000..8007: {[m.group(0) for m in forgotten]}")
    if "t(2)" not in root:
        b.fail(f"the image's root has no directory t: {root}")

    # After the sync and power-off: a clean file system holding exactly what fstest wrote.
    expect_clean(b, disk)
    expect_file(b, disk, "/t/f", b"")
    expect_file(b, disk, "/t/log", b"first second")
    expect_file(b, disk, "/t/dup", b"1234567")
    expect_file(b, disk, "/t/r3", b"one")
    expect_file(b, disk, "/t/dd/sub/f", b"in sub")
    expect_file(b, disk, "/t/shared", b"child+parent")
    expect_file(b, disk, "/t/last", b"the last file\n")
    expect_file(b, disk, "/t/hole.bin", bytes(10))
    expect_file(b, disk, "/t/big.bin", pattern(0, (1 << 20) + 123, 1))
    expect_file(b, disk, "/t/huge.bin", pattern(0, 5 << 20, 4))
    far = 70 << 20
    expect_file(b, disk, "/t/sparse.bin", pattern(0, 1000, 2) + bytes(far - 1000) + pattern(far, 3000, 2))
    # The unlinked file is gone, and /t/many holds exactly the odd-numbered files.
    names = sorted(name for name, _ in listing(disk, "/t"))
    if names != [".", "..", "big.bin", "dd", "dup", "f", "hole.bin", "huge.bin", "last", "log", "many", "r3", "shared",
                 "sparse.bin"]:
        b.fail(f"/t on the image holds {names}")
    many = sorted(name for name, _ in listing(disk, "/t/many") if name.startswith("file-"))
    if many != [f"file-{i:03d}" for i in range(1, 300, 2)]:
        b.fail(f"/t/many on the image holds {len(many)} files, not the 150 odd-numbered ones")
    os.remove(disk)


test_every_request_with_exact_results_then_the_image_on_the_host.TIMEOUT = 200


def test_files_placed_by_the_host_read_back_exactly():
    disk = disk_copy("fs_host_files")
    work = disk + ".d"
    os.makedirs(work, exist_ok=True)
    rng = random.Random(5)
    files = {
        "/host/a.txt": b"written by debugfs on the host\n" * 40,
        "/host/deep/er/b.bin": bytes(rng.getrandbits(8) for _ in range(300 * 1024)),  # double indirect
        "/host/empty": b"",
    }
    commands = ["mkdir /host", "mkdir /host/deep", "mkdir /host/deep/er"]
    for i, (path, data) in enumerate(files.items()):
        local = os.path.join(work, f"f{i}")
        with open(local, "wb") as f:
            f.write(data)
        commands.append(f"write {local} {path}")
    debugfs_script(disk, commands)
    shutil.rmtree(work)
    for path, data in files.items():
        if cat(disk, path) != data:
            raise AssertionError(f"debugfs did not place {path} as intended")
    # The files mkdisk.sh placed, as the host reads them.
    for path in ["/hello.txt", "/pattern.bin", "/docs/readme.txt"]:
        files[path] = cat(disk, path)
    paths = list(files) + ["/nope", "/host"]
    b = boot("fs_host_files", init_args="start=rs run=fstest:verify:" + ":".join(paths) + " poweroff", disk=disk,
             timeout=120, idle_timeout=60)
    b.expect_poweroff()
    for path, data in files.items():
        b.expect_line(f"fstest: verify {path}: {len(data)} bytes, fnv1a64 {fnv1a64(data):016x}")
    b.expect_line("fstest: verify /nope: ENOENT")
    b.expect_line("fstest: verify /host: EISDIR")
    b.expect_line("fstest: done, 0 failures")
    os.remove(disk)


test_files_placed_by_the_host_read_back_exactly.TIMEOUT = 180


def test_a_file_system_of_4_kib_blocks_reads_and_writes():
    # The same files as build/disk.img, in 4 KiB blocks: cache lines of 4 KiB, and a superblock
    # that is a quarter of one.
    os.makedirs(TEST_DISKS, exist_ok=True)
    disk = os.path.join(TEST_DISKS, "fs_4k.img")
    if os.path.exists(disk):
        os.remove(disk)
    mke2fs = shutil.which("mke2fs") or "/sbin/mke2fs"
    subprocess.run([mke2fs, "-q", "-F", "-t", "ext2", "-b", "4096", "-L", "samsara", "-d",
                    os.path.join(BUILD, "disk-root"), disk, "64M"], check=True, capture_output=True)
    files = {path: cat(disk, path) for path in ["/hello.txt", "/pattern.bin", "/docs/readme.txt"]}
    b = boot("fs_4k", init_args="start=rs run=fstest:verify:" + ":".join(files) + " run=fstest:damaged:/docs poweroff",
             disk=disk, timeout=120, idle_timeout=60)
    b.expect_poweroff()
    b.expect_line_matching(r"fs: mounted ext2 'samsara': 16384 blocks of 4096 bytes, .*")
    for path, data in files.items():
        b.expect_line(f"fstest: verify {path}: {len(data)} bytes, fnv1a64 {fnv1a64(data):016x}")
    b.expect_lines_in_order(["fstest: /docs: OK", "fstest: list /docs: 3 entries", "fstest: create /new.txt: OK",
                             "fstest: write /new.txt: 12", "fstest: sync: OK", "fstest: statfs: OK"])
    expect_clean(b, disk)
    expect_file(b, disk, "/new.txt", b"still works\n")
    os.remove(disk)


def damaged_boot(name, disk, paths):
    b = boot(name, init_args="start=rs run=fstest:damaged:" + ":".join(paths) + " poweroff", disk=disk,
             timeout=120, idle_timeout=60)
    b.expect_poweroff()  # No kernel panic, and a normal power-off.
    b.expect_absent("rs: fs (pid")  # fs did not crash on the damage.
    b.expect_line("fstest: done, 0 failures")
    return b


def test_garbage_superblock_refuses_the_mount_and_every_request_gets_eio():
    disk = disk_copy("fs_bad_superblock")
    with open(disk, "r+b") as f:
        f.seek(1024)
        f.write(bytes(random.Random(7).getrandbits(8) for _ in range(1024)))
    b = damaged_boot("fs_bad_superblock", disk, ["/hello.txt", "/docs"])
    b.expect_line("fs: cannot mount the disk: bad magic number (BadFormat); every request will fail with EIO")
    b.expect_lines_in_order(["fstest: /hello.txt: EIO", "fstest: /docs: EIO", "fstest: create /new.txt: EIO",
                             "fstest: sync: EIO", "fstest: statfs: EIO"])
    os.remove(disk)


def test_damaged_inode_gives_eio_for_that_file_only():
    disk = disk_copy("fs_bad_inode")
    debugfs(disk, "sif /docs/readme.txt mode 0170644", write=True)  # A file type that does not exist.
    b = damaged_boot("fs_bad_inode", disk, ["/docs/readme.txt", "/hello.txt", "/docs"])
    b.expect_lines_in_order(["fstest: /docs/readme.txt: EIO", "fstest: /hello.txt: OK",
                             "fstest: read /hello.txt: 28 bytes", "fstest: /docs: OK", "fstest: list /docs: 3 entries",
                             "fstest: create /new.txt: OK", "fstest: write /new.txt: 12", "fstest: sync: OK",
                             "fstest: statfs: OK"])
    if cat(disk, "/new.txt") != b"still works\n":
        b.fail("/new.txt is not on the image")
    os.remove(disk)


def test_damaged_directory_block_gives_eio_for_that_directory_only():
    disk = disk_copy("fs_bad_directory")
    block = int(debugfs(disk, "bmap /docs 0").decode().strip())
    with open(disk, "r+b") as f:
        f.seek(block * BLOCK + 4)
        f.write((3).to_bytes(2, "little"))  # The first entry's rec_len: not a multiple of 4.
    b = damaged_boot("fs_bad_directory", disk, ["/docs/readme.txt", "/docs", "/hello.txt"])
    b.expect_lines_in_order(["fstest: /docs/readme.txt: EIO", "fstest: /docs: OK",
                             "fstest: list /docs: EIO after 0 entries", "fstest: /hello.txt: OK",
                             "fstest: read /hello.txt: 28 bytes", "fstest: create /new.txt: OK", "fstest: sync: OK"])
    os.remove(disk)


def test_indirect_pointer_out_of_range_gives_eio_for_that_file_only():
    disk = disk_copy("fs_bad_indirect")
    debugfs(disk, "sif /pattern.bin block[IND] 4000000000", write=True)
    b = damaged_boot("fs_bad_indirect", disk, ["/pattern.bin", "/hello.txt"])
    # The 12 direct blocks read; the block behind the bad pointer is EIO.
    b.expect_lines_in_order(["fstest: /pattern.bin: OK", f"fstest: read /pattern.bin: EIO after {12 * BLOCK} bytes",
                             "fstest: /hello.txt: OK", "fstest: read /hello.txt: 28 bytes",
                             "fstest: create /new.txt: OK", "fstest: sync: OK"])
    os.remove(disk)


def test_without_a_disk_fs_says_so_and_answers_eio():
    b = boot("fs_no_disk", init_args="start=rs run=fstest:damaged:/hello.txt poweroff", timeout=90, idle_timeout=60)
    b.expect_poweroff()
    b.expect_line("fs: cannot mount the disk: no disk (the block driver says NotFound); every request will fail "
                  "with EIO")
    b.expect_lines_in_order(["fstest: /hello.txt: EIO", "fstest: create /new.txt: EIO", "fstest: sync: EIO",
                             "fstest: done, 0 failures"])
    b.expect_line_matching(r"rs: fs is up \(pid \d+\)")


def test_console_read_waits_for_a_typed_line():
    disk = disk_copy("fs_console")
    b = boot("fs_console", init_args="start=rs run=fstest:console poweroff", disk=disk, timeout=120, idle_timeout=60,
             inputs=[("fstest: console: type a line", "typed into fs\n")])
    b.expect_poweroff()
    b.expect_lines_in_order(["fstest: open /dev/console: 0", "fstest: console: type a line",
                             "fstest: console read 'typed into fs'", "fstest: done, 0 failures"])
    os.remove(disk)


def recovery_boot(name, fault):
    """fstest writes and syncs /rec.bin for 12 s of guest time; after 5 s `fault` hits ata twice."""
    disk = disk_copy(name)
    steps = ["start=rs", "run=rsctl:wait:fs", "start=fstest:recovery:12000", "run=rsctl:wait:nothing"]
    steps += [f"run=rsctl:fi:ata:{fault}", "run=rsctl:wait:ata"] * 2
    b = boot(name, init_args=" ".join(steps + ["poweroff"]), disk=disk, timeout=200, idle_timeout=60)
    b.expect_poweroff()
    m = b.expect_line_matching(r"fstest: recovery: (\d+) chunks of 16 KiB, 0 errors; read back (\d+) bytes, 0 wrong")
    chunks = int(m.group(1))
    if chunks < 40:
        b.fail(f"only {chunks} chunks written: the faults may have missed the writes")
    if len(b.lines_matching(r"ata: restarted; primary master: .*")) != 2:
        b.fail("expected two restarted instances of ata")
    b.expect_absent("rs: fs (pid")
    b.expect_line_matching(r"init: pid \d+ \(fstest\) exited with code 0")
    # Chunk i went to slot i % 64 with pattern seed i // 64: the last pass over each slot wins.
    slots = min(chunks, 64)
    expected = b"".join(pattern(s * 16384, 16384, max(i for i in range(chunks) if i % 64 == s) // 64)
                        for s in range(slots))
    if int(m.group(2)) != len(expected):
        b.fail(f"fstest read back {m.group(2)} bytes, expected {len(expected)}")
    expect_clean(b, disk)
    expect_file(b, disk, "/rec.bin", expected)
    os.remove(disk)


def test_writes_and_syncs_survive_ata_crashes():
    recovery_boot("fs_ata_crash", "crash")


test_writes_and_syncs_survive_ata_crashes.TIMEOUT = 240


def test_writes_and_syncs_survive_ata_hangs():
    recovery_boot("fs_ata_hang", "hang")


test_writes_and_syncs_survive_ata_hangs.TIMEOUT = 240


def test_fs_crash_forgets_descriptors_and_keeps_synced_data():
    disk = disk_copy("fs_restart")
    b = boot("fs_restart", init_args="start=rs run=fstest:restart poweroff", disk=disk, timeout=120, idle_timeout=60)
    b.expect_poweroff()
    b.expect_lines_in_order([
        "fstest: new client: 7001",
        "fstest: open /restart.txt: 0",
        "fstest: write: 24",
        "fstest: sync: OK",
        "fstest: write after the sync: 10",
        "fstest: inject crash into fs: None, None",
        "fstest: fs restarted: yes",
        "fstest: write to the old descriptor: EBADF",
        "fstest: read the old descriptor: EBADF",
        "fstest: fstat of the old descriptor: EBADF",
        "fstest: stat /restart.txt as the forgotten process (it starts over): OK",
        "fstest: stat /restart.txt as the service: OK",
    ])
    # What was synced survives; the write after it may or may not have been written back.
    m = b.expect_line_matching(r"fstest: /restart.txt holds '(written before the crash(?: and after)?)'")
    b.expect_lines_in_order(["fstest: new client 7001 again: 7001", "fstest: sync: OK", "fstest: done, 0 failures"])
    b.expect_line_matching(r"rs: fs \(pid \d+\) failed: .*")
    b.expect_line_matching(r"fs: mounted ext2 'samsara'.*")
    expect_clean(b, disk)
    expect_file(b, disk, "/restart.txt", m.group(1).encode())
    os.remove(disk)


test_fs_crash_forgets_descriptors_and_keeps_synced_data.TIMEOUT = 180


def test_garbage_requests_are_answered_and_fs_carries_on():
    # RS's garbage IPC: random labels and words from a badge fs has never seen, 16 at a time.
    disk = disk_copy("fs_garbage")
    steps = ["start=rs", "run=rsctl:wait:fs"] + ["run=rsctl:fi:fs:badipc"] * 4 + ["run=fstest:verify:/hello.txt"]
    b = boot("fs_garbage", init_args=" ".join(steps + ["poweroff"]), disk=disk, timeout=120, idle_timeout=60)
    b.expect_poweroff()
    if len(b.lines_matching(r"rs: injected badipc into fs \(seed \d+\)")) != 4:
        b.fail("expected four garbage injections")
    b.expect_absent("rs: fs (pid")
    b.expect_line(f"fstest: verify /hello.txt: 28 bytes, fnv1a64 {fnv1a64(b'Hello from the Samsara disk' + bytes([10])):016x}")
    expect_clean(b, disk)
    os.remove(disk)
