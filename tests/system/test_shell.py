## \file test_shell.py
## \brief The console shell: commands, line editing, the `service` command, and surviving a restart of its own serial driver.
#
# The shell is driven by typing on QEMU's serial console (harness `inputs`). Everything typed is
# echoed, so a command shows up as "samsara> COMMAND" and its output on the lines after it.
import os
import re

from harness import ROOT, boot

PROMPT = "samsara> "

HELP = [
    ("help", "list the commands"),
    ("echo ARGS...", "print the arguments"),
    ("uptime", "time since boot"),
    ("hello [N]", "call the hello driver N times (default 1)"),
    ("service list", "every service: pid, state, restarts, last failure"),
    ("service up|down|restart|refresh LABEL", "start, stop, restart, restart with fresh state"),
    ("service fi LABEL FAULT [--seed N]", "inject a fault: crash panic exit hang wildwrite bitflip badipc"),
    ("service campaign LABEL COUNT [--seed N]", "inject COUNT random faults and report"),
    ("exit", "leave the shell"),
]

USAGE = ("usage: service list | up|down|restart|refresh LABEL | fi LABEL FAULT [--seed N] | "
         "campaign LABEL COUNT [--seed N]")

LIST_HEADER = (f"{'label':<8} {'pid':>5} {'state':<10} {'restarts':>8}  {'last failure':<28} "
               f"{'recovery us':>12} {'uptime ms':>10}")

LONG_LINE = "x" * 210


def service_table():
    """The real services.conf with a relaxed heartbeat for hello: under TCG its 20 ms heartbeat
    is sometimes missed while the console is busy, and RS's log lines would then land in the
    middle of the shell's output lines."""
    with open(os.path.join(ROOT, "servers", "reincarnation", "services.conf")) as f:
        table = f.read()
    return re.sub(r"^(service hello .*?)heartbeat=\d+", r"\1heartbeat=500", table, flags=re.M)


def shell_boot(name, commands):
    """Boots RS and the shell, and types each of `commands` (with Enter) at a prompt. A command
    given as (trigger, keys) is typed once `trigger` appears instead."""
    inputs = [c if isinstance(c, tuple) else (PROMPT, c + "\r") for c in commands]
    b = boot(name, init_args="start=rs run=shell poweroff", inputs=inputs, timeout=150, idle_timeout=40,
             files={"services.conf": service_table()})
    b.expect_poweroff()
    return b


def test_commands_editing_and_recovery_from_a_serial_driver_crash():
    b = shell_boot("shell", [
        "help",
        "echo hi there",
        "uptime",
        "service list",
        "service",
        "service up",
        "service fi hello",
        "service fi hello x",
        "service campaign hello many",
        "service restart nosuch",
        "frobnicate now",
        "ecgo\x7f\x7fho ok",          # Backspace (DEL) twice: "ec" + "ho ok".
        "echo bad\x15echo good",      # Ctrl-U throws "echo bad" away.
        "echo a\x1b[Db\x1b[1;5C",     # Escape sequences (arrows) are ignored.
        "echo   spaced    out  ",
        LONG_LINE,
        "hello 3",
        "hello x",
        "service fi serial crash",
        # Typed once the new serial driver is up: it must reach the shell, which subscribes again.
        ("rs: serial is back", "echo still here\r"),
        ("\nstill here", "exit\r"),
    ])

    # help
    b.expect_lines_in_order([PROMPT + "help", "commands:"] +
                            [f"  {usage:<40} {text}" for usage, text in HELP])
    # echo, uptime
    b.expect_lines_in_order([PROMPT + "echo hi there", "hi there"])
    b.expect_line_matching(r"up \d+\.\d{3} s")
    # service list: the console drivers, the data store and hello are all up.
    b.expect_lines_in_order([PROMPT + "service list", LIST_HEADER])
    for label in ("ds", "hello", "serial", "ps2kbd", "vga"):
        b.expect_line_matching(rf"{label} +\d+ up +\d+  .*")
    # Bad arguments, and a program started with no disk attached (fs answers every request with EIO).
    b.expect_lines_in_order([PROMPT + "service", USAGE, PROMPT + "service up", USAGE,
                             PROMPT + "service fi hello", USAGE,
                             PROMPT + "service fi hello x", "service: unknown fault 'x'",
                             PROMPT + "service campaign hello many", USAGE,
                             PROMPT + "service restart nosuch", "service: no such service 'nosuch'",
                             PROMPT + "frobnicate now", "shell: frobnicate: Input/output error"])
    # Line editing: what the screen shows after the prompt, then the command's output.
    b.expect_lines_in_order([PROMPT + "ecgo\b \b\b \bho ok", "ok"])
    b.expect_lines_in_order([PROMPT + "echo bad" + "\b \b" * 8 + "echo good", "good"])
    b.expect_lines_in_order([PROMPT + "echo ab", "ab"])
    b.expect_lines_in_order([PROMPT + "echo   spaced    out  ", "spaced out"])
    b.expect_lines_in_order([PROMPT + "x" * 200, "line too long (limit 200 characters); ignored"])
    b.expect_absent("x" * 201)
    # hello
    b.expect_lines_in_order([PROMPT + "hello 3"])
    b.expect_line_matching(r"hello: 3 calls, count now 3, \d+ retries after PeerDied")
    b.expect_lines_in_order([PROMPT + "hello x", "usage: hello [N]"])

    # Recovery: the serial driver dies under the shell; the reply still arrives (the chardev
    # client retries on PeerDied), and input typed after the new driver is up reaches the shell
    # (it subscribed again on drv.serial = "up"). Kernel log lines may share a line with the
    # shell's output, so this part searches the text rather than matching whole lines.
    out = b.output
    crash = out.find(PROMPT + "service fi serial crash")
    if crash < 0:
        b.fail("the fi command was not echoed")
    after = out[crash:]
    for pattern in (r"rs: injected crash into serial \(seed 1\)",
                    r"rs: serial \(pid \d+\) failed: exception: page fault",
                    r"service: fi serial crash: injected",
                    r"rs: serial is back \(pid \d+\) after \d+ us",
                    r"echo still here\r\nstill here\r\n"):
        if not re.search(pattern, after):
            b.fail(f"after the serial crash, missing {pattern!r}")
    b.expect_line_matching(r"init: pid \d+ \(shell\) exited with code 0")


def test_stopped_devices_and_services_do_not_hang_the_shell():
    # A call to an endpoint nobody serves waits forever, so the shell stops using what it stops.
    b = shell_boot("shell_down", [
        "service down vga",
        "echo without vga",
        "service up vga",
        ("rs: vga is up", "echo with vga\r"),
        ("\nwith vga", "service down hello\r"),
        "hello",
        "service up hello",
        ("rs: hello is up", "hello 2\r"),
        ("calls, count now", "exit\r"),
    ])
    b.expect_lines_in_order([PROMPT + "service down vga", "rs: vga stopped by request", "service: vga: stopped",
                             PROMPT + "echo without vga", "without vga",
                             PROMPT + "service up vga", "service: vga: started"])
    b.expect_line("with vga")
    b.expect_lines_in_order([PROMPT + "service down hello", "rs: hello stopped by request",
                             "service: hello: stopped", PROMPT + "hello", "hello: the hello service is down"])
    b.expect_line_matching(r"hello: 2 calls, count now \d+, \d+ retries after PeerDied")
    b.expect_line_matching(r"init: pid \d+ \(shell\) exited with code 0")


def test_the_fi_shorthand_injects_faults_and_runs_campaigns():
    b = shell_boot("shell_fi", ["fi hello crash --seed 5", "hello", "fi", "fi hello meltdown",
                                "fi campaign hello 20 --seed 3", "exit"])
    b.expect_line("service: fi hello crash: injected")
    b.expect_line_matching(r"rs: hello \(pid \d+\) failed: exception: page fault")
    b.expect_line("usage: fi LABEL FAULT [--seed N] | fi campaign LABEL COUNT [--seed N]")
    b.expect_line("service: unknown fault 'meltdown'")
    b.expect_line_matching(r"service: campaign hello: 20 injected; detected \d+ by exception, \d+ by exit, "
                           r"\d+ by heartbeat; \d+ recovered, \d+ no effect, 0 left down; \d+ ms")
