## \file test_reincarnation.py
## \brief The reincarnation server: every detection path, both restart modes, backoff, budget, PeerDied, bad tables, campaigns.
from harness import boot

DS = "service ds binary=ds heartbeat=500 mode=fresh budget=100 backoff=1000 core=yes\n"


def rs_boot(name, steps, table=None, timeout=90):
    """Boots with RS running and `rsctl` run once per step (each a list of words)."""
    args = "start=rs " + " ".join("run=rsctl:" + ":".join(step) for step in steps) + " poweroff"
    files = {"services.conf": table} if table is not None else None
    b = boot(name, init_args=args, files=files, timeout=timeout, idle_timeout=60)
    b.expect_poweroff()
    return b


def test_every_failure_kind_is_detected_and_recovered():
    steps = [["wait", "hello"]]
    for fault in ("crash", "panic", "exit", "hang"):
        steps += [["fi", "hello", fault], ["wait", "hello"]]
    b = rs_boot("rs_detection", steps + [["list"]])
    up = b.expect_line_matching(r"rs: hello is up \(pid (\d+)\)")
    b.expect_line(f"rs: hello (pid {up.group(1)}) failed: exception: page fault")
    b.expect_line("hello: panic: fault injected")
    for fault in ("crash", "panic", "exit", "hang"):
        b.expect_line(f"rsctl: fi hello {fault}: injected")
    for reason in ("exception: page fault", "panic", "exit 1", "heartbeat"):
        b.expect_line_matching(rf"rs: hello \(pid \d+\) failed: {reason}")
    backs = b.lines_matching(r"rs: hello is back \(pid \d+\) after (\d+) us")
    if len(backs) != 4:
        b.fail(f"expected 4 recoveries, saw {len(backs)}")
    b.expect_line_matching(r"hello +\d+ up +4  heartbeat +\d+ +\d+")


def test_initialisation_timeout_and_restart_budget():
    table = DS + "service lazy binary=lazy heartbeat=0 init_timeout=100 budget=1 backoff=50\n"
    b = rs_boot("rs_init_timeout", [["wait", "ds"], ["wait", "lazy"], ["list"]], table=table)
    timeouts = b.lines_matching(r"rs: lazy \(pid (\d+)\) failed: init timeout")
    if len(timeouts) != 2 or timeouts[0].group(1) == timeouts[1].group(1):
        b.fail(f"expected two init timeouts of two instances, saw {[m.group(0) for m in timeouts]}")
    b.expect_lines_in_order([
        "lazy: started, and never going to say ready",
        timeouts[0].group(0),
        "rs: restarting lazy now (restart 1)",
        "lazy: started, and never going to say ready",
        timeouts[1].group(0),
    ])
    b.expect_line("rs: lazy exceeded its restart budget (1); left down")
    b.expect_line("rsctl: lazy did not come up")
    b.expect_line_matching(r"lazy +0 failed +2  init timeout +0 +0")


def test_backoff_doubles_up_to_the_cap_then_the_budget_stops_it():
    # A flapping service: it crashes on its own 30 ms after every start. (Faults injected with
    # `fi` reset the backoff: a deliberate fault says nothing about the service.)
    table = DS + "service flaky binary=lazy args=crash-after,30 heartbeat=20 budget=4 backoff=50\n"
    b = rs_boot("rs_backoff", [["wait", "ds"], ["wait", "flaky"], ["wait", "nothing"], ["list"]], table=table)
    b.expect_lines_in_order([
        "rs: restarting flaky now (restart 1)",
        "rs: restarting flaky in 20 ms (restart 2)",
        "rs: restarting flaky in 40 ms (restart 3)",
        "rs: restarting flaky in 50 ms (restart 4)",
        "rs: flaky exceeded its restart budget (4); left down",
    ])
    if len(b.lines_matching(r"rs: flaky \(pid \d+\) failed: exception: page fault")) != 5:
        b.fail("expected five crashes of flaky")
    b.expect_line_matching(r"flaky +0 failed +5  exception: page fault .*")


def test_a_service_complaint_restarts_a_service_it_uses_and_only_that():
    # `critic` uses hello; it complains about hello (restarted), about ds (which it does not
    # use: refused) and about a service that does not exist.
    table = (DS + "service hello binary=hello heartbeat=100 mode=restart\n"
             "service critic binary=lazy uses=hello args=complain,hello,ds,nosuch heartbeat=0\n")
    b = rs_boot("rs_complaint", [["wait", "critic"], ["wait", "hello"], ["list"]], table=table)
    up = b.expect_line_matching(r"rs: hello is up \(pid (\d+)\)")
    b.expect_lines_in_order([
        f"rs: hello (pid {up.group(1)}) failed: complaint from critic",
        "critic: complaint about hello: None (restarting)",
        "critic: complaint about ds: InsufficientRights (not a service it uses)",
        "critic: complaint about nosuch: NotFound (no such service)",
    ])
    b.expect_line_matching(r"rs: hello is back \(pid \d+\) after \d+ us")
    b.expect_absent("rs: ds (pid")
    b.expect_line_matching(r"hello +\d+ up +1  complaint from critic .*")


def test_restart_mode_keeps_state_and_fresh_mode_does_not():
    steps = [["wait", "hello"], ["hello", "5"], ["fi", "hello", "crash"], ["wait", "hello"], ["hello", "5"]]
    b = rs_boot("rs_restart_mode", steps)
    b.expect_line("rsctl: hello: 5 calls, count now 5, 0 retries after PeerDied")
    b.expect_line("hello: restarted; 5 requests served so far (None)")
    b.expect_line("rsctl: hello: 5 calls, count now 10, 0 retries after PeerDied")

    fresh = DS + "service hello binary=hello heartbeat=20 mode=fresh budget=10 backoff=50\n"
    b = rs_boot("rs_fresh_mode", steps, table=fresh)
    b.expect_absent("hello: restarted")
    lines = b.lines_matching(r"rsctl: hello: 5 calls, count now (\d+), 0 retries after PeerDied")
    if [m.group(1) for m in lines] != ["5", "5"]:
        b.fail(f"fresh mode should start counting again: {[m.group(0) for m in lines]}")

    # `service refresh` restarts with fresh state even when the table says restart.
    b = rs_boot("rs_refresh", [["wait", "hello"], ["hello", "3"], ["refresh", "hello"], ["wait", "hello"],
                               ["hello", "2"]])
    b.expect_line("rsctl: hello: restarting (None)")
    b.expect_line("rsctl: hello: 2 calls, count now 2, 0 retries after PeerDied")


def test_a_client_blocked_on_a_hung_driver_gets_peer_died_and_its_retry_succeeds():
    # A slow heartbeat (300 ms: hung after 600 ms) so the call surely queues before detection.
    table = DS + "service hello binary=hello heartbeat=300 mode=restart budget=10 backoff=100\n"
    b = rs_boot("rs_peer_died", [["wait", "hello"], ["hello", "4"], ["fi", "hello", "hang"], ["hello", "3"]],
                table=table)
    b.expect_line_matching(r"rs: hello \(pid \d+\) failed: heartbeat")
    # The call queued on the hung driver's endpoint is woken with PeerDied; the retry reaches
    # the new instance, which restored the count (4) from the data store.
    b.expect_line("rsctl: hello: 3 calls, count now 7, 1 retries after PeerDied")


def test_bad_lines_in_the_service_table_are_reported_and_the_rest_start():
    table = (DS +
             "service hello binary=hello heartbeat=20 colour=blue\n"
             "servce typo binary=hello\n"
             "service nobinary heartbeat=100\n"
             "service hello2 binary=hello heartbeat=abc\n"
             "service hello3 binary=hello irq=99\n"
             "# a comment line, and an empty one next\n"
             "\n"
             "service ds binary=ds\n"
             "service ghost binary=nosuch\n"
             "service hello binary=hello heartbeat=20   # trailing comment\n")
    b = rs_boot("rs_bad_table", [["wait", "hello"], ["hello", "2"], ["list"]], table=table)
    b.expect_lines_in_order([
        "rs: services.conf line 2: unknown field 'colour'",
        "rs: services.conf line 3: expected 'service', found 'servce'",
        "rs: services.conf line 4: no binary= for service 'nobinary'",
        "rs: services.conf line 5: bad value for 'heartbeat': 'abc'",
        "rs: services.conf line 6: bad value for 'irq': '99'",
        "rs: services.conf line 9: duplicate service label",
        "rs: 3 services in the table",
        "rs: ghost: no boot module named 'nosuch' (services.conf line 10)",
        "rs: ghost is not started",
    ])
    b.expect_line("rsctl: hello: 2 calls, count now 2, 0 retries after PeerDied")


def test_service_commands_with_bad_arguments_get_usage_and_errors():
    b = rs_boot("rs_bad_commands", [["wait", "hello"], ["frobnicate"], ["fi", "hello", "meltdown"],
                                    ["restart", "nosuch"], ["up", "hello"], ["down", "hello"], ["list"],
                                    ["up", "hello"], ["wait", "hello"]])
    b.expect_line("usage: rsctl list | wait L | up L | down L | restart L | refresh L | fi L FAULT [SEED] | "
                  "campaign L COUNT [SEED] | hello N")
    b.expect_line("rsctl: unknown fault 'meltdown'")
    b.expect_line("rsctl: nosuch: no such service (NotFound)")
    b.expect_line("rsctl: hello: already running (Busy)")
    b.expect_line("rsctl: hello: stopped (None)")
    b.expect_line_matching(r"hello +0 down +0  - .*")
    b.expect_line("rsctl: hello: started (None)")


def test_a_seeded_1000_fault_campaign_against_hello_recovers_every_failure():
    b = rs_boot("rs_campaign", [["wait", "hello"], ["campaign", "hello", "1000", "42"], ["hello", "3"]],
                timeout=400)
    m = b.expect_line_matching(
        r"rsctl: campaign hello: 1000 injected; detected (\d+) by exception, (\d+) by exit, (\d+) by heartbeat; "
        r"(\d+) recovered, (\d+) no effect, 0 left down; \d+ ms")
    detected = sum(int(m.group(i)) for i in (1, 2, 3))
    recovered, no_effect = int(m.group(4)), int(m.group(5))
    if recovered + no_effect != 1000:
        b.fail(f"{recovered} recovered + {no_effect} without effect != 1000 injected")
    if detected < recovered or detected < 300:
        b.fail(f"only {detected} failures detected for {recovered} recoveries")
    b.expect_line_matching(r"rsctl: hello: 3 calls, count now \d+, \d+ retries after PeerDied")


test_a_seeded_1000_fault_campaign_against_hello_recovers_every_failure.TIMEOUT = 450


def test_a_seeded_1000_fault_campaign_against_serial_recovers_every_failure():
    # The console driver itself: the shell-facing UART, IRQ-driven, restarted in restart mode.
    b = rs_boot("rs_campaign_serial", [["wait", "serial"], ["campaign", "serial", "1000", "7"], ["list"]],
                timeout=700)
    m = b.expect_line_matching(
        r"rsctl: campaign serial: 1000 injected; detected (\d+) by exception, (\d+) by exit, (\d+) by heartbeat; "
        r"(\d+) recovered, (\d+) no effect, 0 left down; \d+ ms")
    if int(m.group(4)) + int(m.group(5)) != 1000:
        b.fail(f"{m.group(4)} recovered + {m.group(5)} without effect != 1000 injected")
    b.expect_line_matching(r"serial +\d+ up +\d+ .*")


test_a_seeded_1000_fault_campaign_against_serial_recovers_every_failure.TIMEOUT = 750


def test_a_core_service_failure_is_reported_loudly_and_recovered():
    b = rs_boot("rs_core", [["wait", "ds"], ["fi", "ds", "crash"], ["wait", "ds"], ["list"]])
    b.expect_line_matching(r"rs: ds \(pid \d+\) failed: exception: page fault")
    b.expect_line("rs: CORE SERVICE ds failed; restarting it")
    b.expect_line_matching(r"rs: ds is back \(pid \d+\) after \d+ us")
    b.expect_line_matching(r"ds +\d+ up +1  exception: page fault .*")
