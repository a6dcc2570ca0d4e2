#!/usr/bin/env python3
## \file bench.py
## \brief `make bench`: boot time and kernel-entry costs, in guest instructions next to Linux 6.1 in the same QEMU.
#
# Reported, not gated: this machine is shared and noisy, so instruction counts (QEMU
# `-icount shift=0`: one TSC tick per guest instruction) are the primary figures, and wall-clock
# boot time is the median of several runs.
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import harness  # noqa: E402

ANCHOR = os.path.join(ROOT, "..", "shared", "anchors", "linux-ipc", "run.sh")


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


def main():
    subprocess.run(["make", "-s"], cwd=ROOT, check=True)
    median, low, high = boot_to_init_seconds()
    print(f"boot to init (QEMU TCG, wall clock): median {median:.2f} s (min {low:.2f}, max {high:.2f}; target < 2 s)")
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

    print("\nrecovery of the hello driver, fault to serving again (guest time, -icount shift=0)")
    for fault, us in recovery_latency().items():
        print(f"  {fault:10} " + (f"{us:8} us" if us is not None else "  no visible effect (nothing to recover)")
              + ("" if us is None or us <= 5000 else "   (target <= 5 ms)"))
    count = int(os.environ.get("BENCH_CAMPAIGN", "10000"))
    line = campaign(count)
    ms = int(line.rsplit("; ", 1)[1].split(" ms")[0])
    print(f"\ncampaign of {count} faults against hello: {line.split(': ', 1)[1]}")
    print(f"  rate: {count * 60000 / max(ms, 1):.0f} faults per minute (guest time)")

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
