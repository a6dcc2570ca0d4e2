#!/usr/bin/env python3
## \file bench.py
## \brief `make bench`: boot time, kernel-entry costs, driver recovery and storage throughput, in guest instructions next to Linux 6.1 in the same QEMU.
#
# Reported, not gated: this machine is shared and noisy, so instruction counts (QEMU
# `-icount shift=0`: one TSC tick per guest instruction) are the primary figures, and wall-clock
# boot time is the median of several runs.
#
# Usage: tools/bench.py [SECTION...]   (sections: boot micro recovery campaign storage; default all)
import os
import statistics
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import harness  # noqa: E402

ANCHOR = os.path.join(ROOT, "..", "shared", "anchors", "linux-ipc", "run.sh")
# The project's storage anchor (an extension of the IPC anchor, sharing its kernel download).
STORAGE_ANCHOR = os.path.join(ROOT, "tools", "linux-storage", "run.sh")
STORAGE_IMAGE = os.path.join(ROOT, "tools", "linux-storage", "mkimage.sh")
ANCHOR_WORK = os.path.join(harness.BUILD, "linux-anchor")


def boot_to_init_seconds(runs=5):
    """Wall time from starting QEMU (TCG) to init's banner on the serial console."""
    times = []
    for i in range(runs):
        b = harness.boot(f"bench_boot_{i}", init_args="",
                         stop_when=lambda out: "is running in user space" in out, timeout=60)
        if "is running in user space" not in b.output:
            raise SystemExit(f"boot {i} did not reach init; see {b.log_path}")
        times.append(b.seconds)
    return statistics.median(times), min(times), max(times)


def samsara_micro():
    b = harness.boot("bench_micro", init_args="run=bench poweroff", extra_args=("-icount", "shift=0"),
                     timeout=300)
    b.expect_poweroff()
    return {m.group(1): float(m.group(2)) for m in b.lines_matching(r"BENCH samsara (.+) ([\d.]+)")}


FAULTS = ("crash", "panic", "exit", "hang", "wildwrite", "bitflip", "badipc")


def recovery_latency():
    """Per fault type, each in a fresh boot: inject into hello, call hello once (which waits for
    the recovery), and read RS's "is back after N us": guest time from detection to the new
    instance's ready. For a hang, detection itself takes up to two heartbeat periods (20 ms)."""
    result = {}
    for fault in FAULTS:
        args = f"start=rs run=rsctl:wait:hello run=rsctl:fi:hello:{fault}:7 run=rsctl:hello:1 poweroff"
        b = harness.boot(f"bench_recovery_{fault}", init_args=args, extra_args=("-icount", "shift=0"),
                         timeout=600, idle_timeout=300)
        b.expect_poweroff()
        backs = b.lines_matching(r"rs: hello is back \(pid \d+\) after (\d+) us")
        result[fault] = int(backs[0].group(1)) if backs else None
    return result


def campaign(count):
    b = harness.boot("bench_campaign", init_args=f"start=rs run=rsctl:wait:hello run=rsctl:campaign:hello:{count}:7 poweroff",
                     extra_args=("-icount", "shift=0"), timeout=3600, idle_timeout=1800)
    b.expect_poweroff()
    return b.expect_line_matching(r"rsctl: campaign hello: .*; (\d+) ms").group(0)


def linux_anchor():
    if not os.path.exists(ANCHOR):
        return {}
    try:
        out = subprocess.run(["bash", ANCHOR, os.path.join(harness.BUILD, "linux-anchor")], capture_output=True,
                             text=True, timeout=900).stdout
    except subprocess.TimeoutExpired:
        return {}
    result = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0] == "BENCH" and parts[1] == "linux":
            result[" ".join(parts[2:-1])] = float(parts[-1])
    return result


MIB = 1 << 20
FILE_MIB = 16


def linux_storage():
    """Linux 6.1's figures from tools/linux-storage/run.sh: ({what: instructions}, None), or
    ({}, why) when the anchor cannot run (no package, no network, Linux failed)."""
    try:
        run = subprocess.run(["bash", STORAGE_ANCHOR, ANCHOR_WORK], capture_output=True, text=True, timeout=1800)
    except subprocess.TimeoutExpired:
        return {}, "tools/linux-storage/run.sh took longer than 30 minutes"
    result = {}
    for line in run.stdout.splitlines():
        if line.startswith("linux anchor unavailable: "):
            return {}, line.split(": ", 1)[1]
        parts = line.split()
        if len(parts) == 4 and parts[:2] == ["BENCH", "linux"]:
            result[parts[2]] = float(parts[3])
    if "storage_read_16MiB" not in result or "storage_write_16MiB+fsync" not in result:
        why = (run.stderr.strip().splitlines() or ["no BENCH lines"])[-1]
        return {}, f"tools/linux-storage/run.sh: {why}"
    return result, None


def bench_disk(name):
    """A fresh copy of the storage benchmark's image (the one Linux reads and writes too)."""
    pristine = os.path.join(harness.BUILD, "bench-storage.img")
    if not os.path.exists(pristine) or os.path.getmtime(pristine) < os.path.getmtime(STORAGE_IMAGE):
        subprocess.run([STORAGE_IMAGE, pristine], check=True)
    return harness.disk_copy(name, pristine)


def expected_new_bin():
    """/new.bin as fsbench and storage.c write it: every 512-byte sector starts with its file
    offset (8 bytes, little endian), then byte j is (j * 5 + 1) mod 256."""
    tail = bytes((j * 5 + 1) % 256 for j in range(8, 512))
    return b"".join(struct.pack("<Q", offset) + tail for offset in range(0, FILE_MIB * MIB, 512))


def check_new_bin(image):
    """After Samsara powered off: the host's e2fsck -fn and debugfs agree that /new.bin holds
    exactly the bytes fsbench wrote. Returns None, or what is wrong."""
    fsck = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True)
    if fsck.returncode != 0:
        return "e2fsck -fn finds errors: " + " / ".join(fsck.stdout.strip().splitlines()[-3:])
    dump = image + ".new.bin"
    subprocess.run(["debugfs", "-R", f"dump /new.bin {dump}", image], capture_output=True, check=True)
    try:
        with open(dump, "rb") as f:
            data = f.read()
    except OSError:
        return "debugfs finds no /new.bin"
    finally:
        if os.path.exists(dump):
            os.remove(dump)
    if data != expected_new_bin():
        return f"/new.bin on the disk differs from what fsbench wrote ({len(data)} bytes)"
    return None


def insncount_plugin():
    """QEMU arguments loading tools/linux-storage/insncount.c (built into build/), which counts
    the instructions executed between fsbench's markers; () when it cannot be built."""
    so = os.path.join(harness.BUILD, "insncount.so")
    source = os.path.join(ROOT, "tools", "linux-storage", "insncount.c")
    if not os.path.exists(so) or os.path.getmtime(so) < os.path.getmtime(source):
        if subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-o", so, source], capture_output=True).returncode:
            return ()
    return ("-plugin", so, "-d", "plugin")


def samsara_storage(fault):
    """Boots with the benchmark disk and runs fsbench (with `fault`: the read across `fi ata
    crash`). Returns the FSBENCH figures: read, slices, write, the crash's recovery, and (with
    the plugin) the instructions executed in each timed region."""
    name = "bench_storage_fault" if fault else "bench_storage"
    plugin_log = os.path.join(harness.LOGS, name + ".plugin.log")

    def run(plugin):
        if os.path.exists(plugin_log):
            os.remove(plugin_log)
        extra = ("-icount", "shift=0") + (plugin + ("-D", plugin_log) if plugin else ())
        disk = bench_disk(name)
        return harness.boot(name, init_args=f"start=rs run=fsbench{':fault' if fault else ''} poweroff",
                            extra_args=extra, disk=disk, timeout=1800, idle_timeout=600), disk

    plugin = insncount_plugin()
    b, disk = run(plugin)
    if plugin and b.reason == harness.EXITED and "plugin" in b.output:
        plugin = ()  # This QEMU could not load the plugin: measure without it.
        b, disk = run(plugin)
    errors = b.lines_matching(r"FSBENCH error (.*)")
    if errors:
        b.fail("fsbench: " + errors[0].group(1))
    b.expect_poweroff()
    b.expect_line("FSBENCH verify big.bin ok")
    mode = b.lines_matching(r"ata: transfers of up to (\d+) sectors by (bus-master DMA|PIO).*")
    result = {"read": int(b.expect_line_matching(r"FSBENCH read_16MiB (\d+)").group(1)),
              "ata_mode": f"{mode[0].group(2)}, {mode[0].group(1)} sectors a request" if mode else "an unknown mode",
              "slices": [int(v) for v in b.expect_line_matching(r"FSBENCH read_slices ([\d,]+)").group(1).split(",")]}
    # fsbench marks the start and end of the read, then of the write.
    marks = []
    if plugin and os.path.exists(plugin_log):
        with open(plugin_log) as f:
            marks = [int(line.split()[1]) for line in f if line.startswith("MARK ")]
    if len(marks) >= 2:
        result["read_executed"] = marks[1] - marks[0]
    if len(marks) >= 4:
        result["write_executed"] = marks[3] - marks[2]
    if fault:
        m = b.expect_line_matching(r"FSBENCH ata_crash at_mib (\d+) recovery_us (\d+) restarts (\d+) failure (.*)")
        result.update(at_mib=int(m.group(1)), recovery_us=int(m.group(2)), restarts=int(m.group(3)),
                      failure=m.group(4))
    else:
        result["write"] = int(b.expect_line_matching(r"FSBENCH write_16MiB\+sync (\d+)").group(1))
        problem = check_new_bin(disk)
        if problem:
            b.fail(problem)
    os.remove(disk)
    return result


def mib_per_s(instructions, mib=FILE_MIB):
    """-icount shift=0: one instruction is one nanosecond of guest time."""
    return mib / (instructions / 1e9)


def storage_section():
    print(f"\nstorage: sequential {FILE_MIB} MiB file through the file system (QEMU -icount shift=0; ext2 with 1 KiB")
    print("  blocks on the IDE master, 64 KiB read()/write() calls, open to close; 1 instruction = 1 ns)")
    linux, why = linux_storage()
    if why:
        print(f"  linux anchor unavailable: {why}")
    try:
        normal = samsara_storage(fault=False)
    except harness.TestFailure as e:
        normal = None
        print(f"  samsara: FAILED: {e}")
    print(f"  {'':31} {'samsara':>28}   {'linux 6.1 (same QEMU)':>28}   ratio (target >= 0.5)")
    rows = (("read (cold)", "read", "storage_read_16MiB"),
            ("write + sync/fsync", "write", "storage_write_16MiB+fsync"))
    for what, ours_key, key in rows:
        for kind, suffix in (("guest time", ""), ("executed", "_executed")):
            ours = normal.get(ours_key + suffix) if normal else None
            theirs = linux.get(key + suffix)
            if kind != "guest time" and not ours and not theirs:
                continue
            line = f"  {what if kind == 'guest time' else '':20} {kind[:10]:10} "
            line += f"{ours:>13,} = {mib_per_s(ours):7.1f} MiB/s" if ours else f"{'-':>28}"
            line += f"   {theirs:>13,.0f} = {mib_per_s(theirs):7.1f} MiB/s" if theirs else f"   {'-':>28}"
            if ours and theirs:
                ratio = theirs / ours  # (Samsara MiB/s) / (Linux MiB/s)
                line += f"   {ratio:.2f}"
                if kind == "guest time":
                    line += "  " + ("meets the target" if ratio >= 0.5 else "BELOW the 0.5 target")
            print(line)
    print("  guest time is what rdtsc measures: the instructions executed plus the time spent waiting for")
    print("  the emulated disk, which QEMU advances in real time (a busy host stretches it; Linux: best of")
    print("  3 runs); 'executed' counts only instructions (QEMU plugin tools/linux-storage/insncount.c)")
    if not normal:
        return
    if linux:
        print("  Linux's ata_piix drives the disk by bus-master DMA; Samsara's ata driver ran by "
              f"{normal['ata_mode']},")
        print("  into the window fs's call lends; fs copies file data straight into its clients' windows")
    print("  /new.bin as Samsara left it: e2fsck -fn clean, all 16 MiB checked byte for byte on the host")

    try:
        crashed = samsara_storage(fault=True)
    except harness.TestFailure as e:
        print(f"\nata driver crash under load: FAILED: {e}")
        return
    at = crashed["at_mib"]
    hit = crashed["slices"][at]
    # The other MiB of the same run are the baseline: the host's load drifts between runs.
    median = statistics.median(crashed["slices"][:at] + crashed["slices"][at + 1:])
    print(f"\nata driver crash under load (fi ata crash between two reads, {at} MiB into the cold read)")
    print(f"  recovery time measured by RS (detection to the new instance ready): {crashed['recovery_us']} us"
          f" (failure: {crashed['failure']}; restarts: {crashed['restarts']})")
    print(f"  MiB {at}, where the crash hit: {hit:,} ns = {mib_per_s(hit, 1):.1f} MiB/s; the other MiB of that read:"
          f" median {median:,.0f} ns = {mib_per_s(median, 1):.1f} MiB/s (dip {100 * (1 - median / hit):.0f}%,"
          f" {hit - median:+,.0f} ns)")
    print(f"  whole read across the crash: {crashed['read']:,} ns = {mib_per_s(crashed['read']):.1f} MiB/s"
          f" (the read without a crash above: {mib_per_s(normal['read']):.1f} MiB/s)")
    if "read_executed" in crashed and "read_executed" in normal:
        print(f"  instructions executed: {crashed['read_executed']:,} (without a crash: {normal['read_executed']:,})")
    print("  /big.bin read again after the crash: every byte right")


SECTIONS = ("boot", "micro", "recovery", "campaign", "storage")


def main():
    sections = sys.argv[1:] or SECTIONS
    unknown = [name for name in sections if name not in SECTIONS]
    if unknown:
        raise SystemExit(f"bench.py: unknown section {unknown[0]!r} (sections: {' '.join(SECTIONS)})")
    subprocess.run(["make", "-s"], cwd=ROOT, check=True)
    if "boot" in sections:
        boot_section()
    if "micro" in sections:
        micro_section()
    if "recovery" in sections:
        recovery_section()
    if "campaign" in sections:
        campaign_section()
    if "storage" in sections:
        storage_section()


def boot_section():
    median, low, high = boot_to_init_seconds()
    print(f"boot to init (QEMU TCG, wall clock): median {median:.2f} s (min {low:.2f}, max {high:.2f}; target < 2 s)")


def micro_section():
    micro = samsara_micro()
    linux = linux_anchor()
    print("\nguest instructions per operation (QEMU -icount shift=0)")
    print(f"  {'samsara':45} {'instructions':>12}")
    for what, value in micro.items():
        print(f"  {what:45} {value:12.1f}")
    if linux:
        print(f"  {'linux 6.1 (same QEMU)':45}")
        for what, value in linux.items():
            print(f"  {what:45} {value:12.1f}")
    else:
        print("  linux anchor: not available (needs apt-get download of linux-image-amd64)")
    comparisons(micro, linux)


def recovery_section():
    print("\nrecovery of the hello driver, fault to serving again (guest time, -icount shift=0)")
    for fault, us in recovery_latency().items():
        print(f"  {fault:10} " + (f"{us:8} us" if us is not None else "  no visible effect (nothing to recover)")
              + ("" if us is None or us <= 5000 else "   (target <= 5 ms)"))


def campaign_section():
    count = int(os.environ.get("BENCH_CAMPAIGN", "10000"))
    line = campaign(count)
    ms = int(line.rsplit("; ", 1)[1].split(" ms")[0])
    print(f"\ncampaign of {count} faults against hello: {line.split(': ', 1)[1]}")
    print(f"  rate: {count * 60000 / max(ms, 1):.0f} faults per minute (guest time)")


def comparisons(micro, linux):
    # The comparisons the IPC issue asks for, as ratios (reported, not gated).
    print("\ncomparisons")
    rt = micro.get("ipc_round_trip(call+reply_recv, 4 words, fast path)")
    if rt:
        print(f"  IPC round trip: {rt:.0f} instructions (target <= 400)")
        pipe = linux.get("pipe_round_trip(2 processes, 1 byte)")
        if pipe:
            print(f"  Linux pipe round trip / Samsara IPC round trip: {pipe / rt:.1f}x")
        getppid = linux.get("null_syscall(getppid)")
        if getppid:
            print(f"  Samsara IPC round trip / Linux getppid: {rt / getppid:.2f}x")
    null = micro.get("null_syscall(unknown number)")
    if null and linux.get("null_syscall(getppid)"):
        print(f"  null system call: Samsara {null:.0f} vs Linux {linux['null_syscall(getppid)']:.0f} instructions")


if __name__ == "__main__":
    main()
