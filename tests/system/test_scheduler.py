## \file test_scheduler.py
## \brief The timer preempts busy user processes, which share the CPU round-robin.
from harness import boot


def test_timer_preempts_two_busy_processes():
    b = boot("preempt_two_spinners", init_args="start=spin:A:600 start=spin:B:600 poweroff")
    b.expect_poweroff()
    counts = {}
    for name in "AB":
        m = b.expect_line_matching(rf"spin {name}: preempted (\d+) times in 600 ms \((\d+) iterations\)")
        counts[name] = (int(m.group(1)), int(m.group(2)))
    # 600 ms at 20 ms slices shared by two spinners: each should lose the CPU about 15 times.
    for name, (preempted, iterations) in counts.items():
        if preempted < 5:
            b.fail(f"spin {name} was preempted only {preempted} times")
    # Round-robin at one priority: neither starves; their progress is within a factor of 2.
    a, c = counts["A"][1], counts["B"][1]
    if min(a, c) * 2 < max(a, c):
        b.fail(f"unfair sharing: {a} vs {c} iterations")
    b.expect_line_matching(r"init: pid 2 \(spin\) exited with code 0")
    b.expect_line_matching(r"init: pid 3 \(spin\) exited with code 0")


def test_sleeping_init_lets_the_cpu_idle():
    # With no argument init idles in sleep(); the idle thread halts. The harness stops the run
    # once init says so.
    b = boot("init_idles", init_args="", stop_when=lambda out: "init: nothing more to do; idling" in out,
             timeout=60)
    b.expect_no_panic()
    b.expect_line("init: nothing more to do; idling")


def test_pit_drives_the_scheduler_without_an_apic():
    # A CPU model without the APIC feature: the kernel falls back to PIT channel 0 on IRQ 0.
    b = boot("preempt_with_pit", init_args="start=spin:A:400 start=spin:B:400 poweroff",
             extra_args=("-cpu", "max,-apic"))
    b.expect_poweroff()
    b.expect_line_matching(r"\[ *[\d.]+\] info  irq: no local APIC: PIT at 100 Hz on IRQ 0")
    for name in "AB":
        m = b.expect_line_matching(rf"spin {name}: preempted (\d+) times in 400 ms \(\d+ iterations\)")
        if int(m.group(1)) < 3:
            b.fail(f"spin {name} was preempted only {m.group(1)} times under the PIT")
