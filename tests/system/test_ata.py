## \file test_ata.py
## \brief The ATA driver and the block protocol: geometry, reads checked byte for byte against the image on the host, writes found in the image after power-off, bad requests, no disk, and reads and writes that survive `fi ata crash` and `fi ata hang`.
import os
import subprocess

from harness import boot, disk_copy

SECTOR = 512
HELLO = b"Hello from the Samsara disk"


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for byte in data:
        h = ((h ^ byte) * 0x100000001b3) & 0xffffffffffffffff
    return h


def pattern(lba, count):
    """The bytes blktest writes to sectors lba..lba+count-1 (pattern_byte in blktest/main.cpp)."""
    return bytes(((s * 131 + i * 7 + (i >> 8) * 3) ^ 0x5a) & 0xff
                 for s in range(lba, lba + count) for i in range(SECTOR))


def read_image(path):
    with open(path, "rb") as f:
        return f.read()


def test_geometry_reads_and_superblock_match_the_image():
    disk = disk_copy("ata_check")
    original = read_image(disk)
    # hello.txt's first block as the host's ext2 tools see it; blktest looks there.
    block = int(subprocess.run(["debugfs", "-R", "bmap /hello.txt 0", disk], capture_output=True, text=True,
                               check=True).stdout.strip())
    b = boot("ata_check", init_args=f"start=rs run=blktest:2048:{block} poweroff", disk=disk, timeout=150,
             idle_timeout=60)
    b.expect_poweroff()
    sectors = len(original) // SECTOR
    b.expect_line(f"ata: primary master: 'QEMU HARDDISK', {sectors} sectors ({sectors // 2} KiB), LBA28, IRQ 14")
    b.expect_line(f"blktest: geometry: {sectors} sectors of 512 bytes, LBA28, model 'QEMU HARDDISK'")
    # The same checksum over the same bytes on the host: every byte of the first MiB is right.
    first = original[:2048 * SECTOR]
    b.expect_line(f"blktest: sectors 0..2047: fnv1a64 {fnv1a64(first):016x}")
    # The superblock as the host reads it.
    sb = original[1024:2048]
    u32 = lambda off: int.from_bytes(sb[off:off + 4], "little")  # noqa: E731
    magic = int.from_bytes(sb[56:58], "little")
    volume = sb[120:136].split(b"\0")[0].decode()
    if magic != 0xEF53:
        b.fail(f"the image's superblock magic is {magic:#x}")
    b.expect_line(f"blktest: superblock: magic 0xef53, {u32(4)} blocks of {1024 << u32(24)} bytes, "
                  f"{u32(0)} inodes, volume '{volume}'")
    # hello.txt's text where ext2 (debugfs) says its first block is, on the host and in the OS.
    if original.find(HELLO) != block * 1024:
        b.fail(f"hello.txt's block is {block}, but its text is at byte {original.find(HELLO)} of the image")
    b.expect_line(f"blktest: found '{HELLO.decode()}' at byte {block * 1024}")
    # The write and its read-back in the OS ...
    last = sectors - 11
    b.expect_line(f"blktest: write sectors {last}..{sectors - 1}: None")
    b.expect_line("blktest: read back: None, 5632 of 5632 bytes match")
    b.expect_line("blktest: flush: None")
    # ... and on the host after power-off: exactly those sectors changed, to exactly the pattern.
    after = read_image(disk)
    if after[last * SECTOR:] != pattern(last, 11):
        b.fail("the image's last 11 sectors do not hold the pattern blktest wrote")
    if after[:last * SECTOR] != original[:last * SECTOR]:
        first_diff = next(i for i in range(last * SECTOR) if after[i] != original[i])
        b.fail(f"the image changed outside the written sectors (first at byte {first_diff})")
    # The sectors written are free blocks: the file system is still clean.
    fsck = subprocess.run(["e2fsck", "-fn", disk], capture_output=True, text=True)
    if fsck.returncode != 0:
        b.fail(f"e2fsck -fn after the writes: status {fsck.returncode}\n{fsck.stdout}{fsck.stderr}")
    b.expect_line("blktest: 0 retries; done")
    os.remove(disk)


test_geometry_reads_and_superblock_match_the_image.TIMEOUT = 200


def test_bad_requests_get_errors_and_the_driver_carries_on():
    disk = disk_copy("ata_bad_requests")
    b = boot("ata_bad_requests", init_args="start=rs run=blktest:64 poweroff", disk=disk, timeout=150, idle_timeout=60)
    b.expect_poweroff()
    b.expect_lines_in_order([
        "blktest: read past the end: InvalidArgument",
        "blktest: read at sector 2^40: InvalidArgument",
        "blktest: 257-sector request: InvalidArgument",
        "blktest: read lending no window: BadAddress",
        "blktest: read into a window a sector short: BadAddress",
        "blktest: write from a window the driver may only write: BadAddress",
        "blktest: short request message: InvalidArgument",
        "blktest: unknown label: InvalidArgument",
        "blktest: reads still work: yes",
    ])
    b.expect_absent("rs: ata (pid")  # No request made the driver fail.
    # The refused write reached nothing: the last sector holds what blktest wrote before.
    sectors = os.path.getsize(disk) // SECTOR
    if read_image(disk)[(sectors - 1) * SECTOR:] != pattern(sectors - 1, 1):
        b.fail("the write whose window the driver could not read changed the disk")
    os.remove(disk)


test_bad_requests_get_errors_and_the_driver_carries_on.TIMEOUT = 200


def test_without_a_disk_the_driver_says_so_and_answers_not_found():
    b = boot("ata_no_disk", init_args="start=rs run=blktest poweroff", timeout=90, idle_timeout=60)
    b.expect_line("ata: no ATA disk on the primary master (NotFound)")
    b.expect_line_matching(r"rs: ata is up \(pid \d+\)")
    b.expect_line("blktest: geometry: NotFound")
    b.expect_line_matching(r"init: pid \d+ \(blktest\) exited with code 1")


test_without_a_disk_the_driver_says_so_and_answers_not_found.TIMEOUT = 120


def recovery_boot(name, fault):
    """blktest loops over reads and writes for 12 s of guest time; after 5 s (rsctl waiting for a
    service that does not exist), `fault` hits ata twice, in the middle of the loop."""
    disk = disk_copy(name)
    original = read_image(disk)
    steps = ["start=rs", "run=rsctl:wait:ata", "start=blktest:loop:12000", "run=rsctl:wait:nothing"]
    steps += [f"run=rsctl:fi:ata:{fault}", "run=rsctl:wait:ata"] * 2
    b = boot(name, init_args=" ".join(steps + ["poweroff"]), disk=disk, timeout=200, idle_timeout=60)
    b.expect_poweroff()
    # The reference read (itself hit by the faults) is right, byte for byte.
    b.expect_line(f"blktest: loop: sectors 0..511: fnv1a64 {fnv1a64(original[:512 * SECTOR]):016x}")
    m = b.expect_line_matching(r"blktest: loop: (\d+) reads, (\d+) writes, 0 errors, 0 wrong, (\d+) retries")
    if int(m.group(1)) < 20 or int(m.group(2)) < 5:
        b.fail(f"too few requests in the loop: {m.group(0)}")
    if len(b.lines_matching(r"ata: restarted; primary master: 'QEMU HARDDISK', \d+ sectors .*")) != 2:
        b.fail("expected two restarted instances of ata")
    b.expect_line_matching(r"init: pid \d+ \(blktest\) exited with code 0")
    # What the loop wrote is in the image, after the restarts, where the pattern says.
    after = read_image(disk)
    sectors = len(after) // SECTOR
    tail = after[(sectors - 64) * SECTOR:]
    expected = pattern(sectors - 64, 64)
    written = [s for s in range(64) if tail[s * SECTOR:(s + 1) * SECTOR] == expected[s * SECTOR:(s + 1) * SECTOR]]
    untouched = [s for s in range(64) if tail[s * SECTOR:(s + 1) * SECTOR] ==
                 original[(sectors - 64 + s) * SECTOR:(sectors - 63 + s) * SECTOR]]
    if len(written) + len(untouched) != 64 or not written:
        b.fail(f"the last 64 sectors hold neither the pattern nor the original (pattern in {written})")
    if after[:(sectors - 64) * SECTOR] != original[:(sectors - 64) * SECTOR]:
        b.fail("the image changed outside the sectors the loop writes")
    os.remove(disk)
    return b, int(m.group(3))


def test_reads_and_writes_survive_ata_crashes():
    b, _ = recovery_boot("ata_crash", "crash")
    if len(b.lines_matching(r"rs: ata \(pid \d+\) failed: exception: page fault")) != 2:
        b.fail("expected two crashes of ata")


test_reads_and_writes_survive_ata_crashes.TIMEOUT = 240


def test_reads_and_writes_survive_ata_hangs():
    b, retries = recovery_boot("ata_hang", "hang")
    if len(b.lines_matching(r"rs: ata \(pid \d+\) failed: heartbeat")) != 2:
        b.fail("expected two hangs of ata, detected by heartbeat")
    # blktest was calling the hung driver: its call ended in PeerDied and was re-issued.
    if retries < 1:
        b.fail("blktest never had to re-issue a request")


test_reads_and_writes_survive_ata_hangs.TIMEOUT = 240


def test_bochs_ata_reads_and_writes_the_same_disk():
    # The same driver on Bochs's IDE controller ("Generic 1234"): the disk is ata0-master, the CD ata1-master.
    from harness import boot_bochs
    disk = disk_copy("ata_bochs")
    original = read_image(disk)
    sectors = len(original) // SECTOR
    b = boot_bochs("ata_bochs", init_args="start=rs run=blktest:256 poweroff", disk=disk, timeout=280,
                   idle_timeout=120)
    b.expect_poweroff()
    b.expect_line_matching(rf"ata: primary master: '.+', {sectors} sectors \({sectors // 2} KiB\), LBA28, IRQ 14")
    b.expect_line_matching(rf"blktest: geometry: {sectors} sectors of 512 bytes, LBA28, model '.+'")
    b.expect_line(f"blktest: sectors 0..255: fnv1a64 {fnv1a64(original[:256 * SECTOR]):016x}")
    b.expect_line_matching(r"blktest: superblock: magic 0xef53, .*, volume 'samsara'")
    b.expect_line("blktest: read back: None, 5632 of 5632 bytes match")
    b.expect_line("blktest: 0 retries; done")
    last = sectors - 11
    after = read_image(disk)
    if after[last * SECTOR:] != pattern(last, 11) or after[:last * SECTOR] != original[:last * SECTOR]:
        b.fail("after Bochs powered off, the image does not hold exactly the pattern blktest wrote")
    os.remove(disk)


test_bochs_ata_reads_and_writes_the_same_disk.TIMEOUT = 300
