## \file test_storage.py
## \brief Storage that survives its drivers: a 4 MiB cp across `fi ata crash`, a read across `fi ata hang`, writes under a 200-fault campaign against ata, and a crash of fs itself; the host checks the image with e2fsck -fn and debugfs.
import os
import subprocess

from harness import boot, disk_copy

BIG = 4 << 20


def pattern(seed, length):
    """tools/mkdisk.sh's and storetest's sample bytes."""
    return bytes(((i * 31 + (i >> 11) * 17 + seed * 101) ^ (i >> 19)) & 0xff for i in range(length))


def e2fsck_clean(b, disk):
    r = subprocess.run(["e2fsck", "-fn", disk], capture_output=True, text=True)
    if r.returncode != 0:
        b.fail(f"e2fsck -fn found problems (exit {r.returncode}):\n{r.stdout}{r.stderr}")


def debugfs_cat(disk, path):
    return subprocess.run(["debugfs", "-R", f"cat {path}", disk], capture_output=True, check=True).stdout


def run_storetest(name, scenario, timeout=240):
    disk = disk_copy(name)
    b = boot(name, init_args=f"start=rs run=storetest:{scenario} poweroff", disk=disk, timeout=timeout,
             idle_timeout=90)
    b.expect_poweroff()
    b.expect_absent("FAIL")
    b.expect_line(f"storetest: {scenario.split(':')[0]}: 0 failed")
    return b, disk


def test_cp_of_4_mib_survives_an_ata_crash():
    b, disk = run_storetest("storage_cp_crash", "cp-crash")
    for what in ("cp is under way when ata crashes", "fi ata crash", "cp exits 0", "ata was restarted",
                 "/copy-a.bin: 4194304 bytes, every one right"):
        b.expect_line(f"storetest: {what}: ok")
    b.expect_line_matching(r"rs: ata \(pid \d+\) failed: exception: page fault")
    e2fsck_clean(b, disk)
    if debugfs_cat(disk, "/copy-a.bin") != pattern(1, BIG):
        b.fail("debugfs reads /copy-a.bin differently from the source's bytes")


test_cp_of_4_mib_survives_an_ata_crash.TIMEOUT = 300


def test_a_read_survives_an_ata_hang_detected_by_heartbeat():
    b, disk = run_storetest("storage_read_hang", "read-hang")
    for what in ("fi ata hang", "/data/b.bin read across the hang: 4194304 bytes, every one right",
                 "ata was restarted"):
        b.expect_line(f"storetest: {what}: ok")
    b.expect_line_matching(r"rs: ata \(pid \d+\) failed: (missed heartbeat|heartbeat)")
    b.expect_line_matching(r"storetest: ata's last failure: .*heartbeat")
    e2fsck_clean(b, disk)


test_a_read_survives_an_ata_hang_detected_by_heartbeat.TIMEOUT = 300


def test_writes_under_a_200_fault_campaign_against_ata_lose_nothing():
    b, disk = run_storetest("storage_campaign", "campaign:200", timeout=600)
    b.expect_line_matching(r"storetest: campaign: 200 injected, (\d+) recovered, (\d+) no effect, 0 left down")
    m = b.expect_line_matching(
        r"storetest: \d+ file writes \((\d+) files\) under the campaign: 0 write errors, 0 files wrong")
    b.expect_line("storetest: no application error and every byte right: ok")
    e2fsck_clean(b, disk)
    # Every file as the host's ext2 tools read it.
    files = int(m.group(1))
    for i in range(files):
        length = 1024 + (i * 37 % 300) * 1024
        if debugfs_cat(disk, f"/w/f{i:03d}") != pattern(10 + i, length):
            b.fail(f"debugfs reads /w/f{i:03d} differently from what storetest wrote")


test_writes_under_a_200_fault_campaign_against_ata_lose_nothing.TIMEOUT = 900


def test_a_crash_of_fs_is_restarted_fresh_and_the_image_stays_consistent():
    b, disk = run_storetest("storage_fs_crash", "fs-crash")
    for what in ("read /hello.txt before the crash", "fi fs crash", "fs was restarted",
                 "the old descriptor gives an error", "/before.txt (synced before the crash) reads back",
                 "write /after.txt after the restart", "/after.txt reads back"):
        b.expect_line(f"storetest: {what}: ok")
    b.expect_line("storetest: read on a descriptor from before the crash: Bad file descriptor")
    e2fsck_clean(b, disk)
    if debugfs_cat(disk, "/after.txt") != pattern(4, 70000):
        b.fail("debugfs reads /after.txt differently")


test_a_crash_of_fs_is_restarted_fresh_and_the_image_stays_consistent.TIMEOUT = 300
