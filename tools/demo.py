#!/usr/bin/env python3
## \file demo.py
## \brief `make demo`: boots Samsara, injects every fault type into every running driver through the shell, and tabulates what happened.
#
# No interaction: the script types on the serial console as a student would
# (`service fi serial crash --seed 3`, `sleep 400`, `echo alive-7`, `hello`) and reads the log. For
# each injection the table shows how RS detected the failure, how long recovery took (RS's
# "is back after N us", from detection to the new instance's ready), whether the driver's state
# survived, and whether the shell still answered afterwards.
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
import harness  # noqa: E402

DRIVERS = ("hello", "serial", "ps2kbd", "vga")
FAULTS = ("crash", "panic", "exit", "hang", "wildwrite", "bitflip", "badipc")
PROMPT = "samsara> "


def script():
    keys = [(PROMPT, "hello\r")]
    step = 0
    for driver in DRIVERS:
        for fault in FAULTS:
            step += 1
            keys += [(PROMPT, f"service fi {driver} {fault} --seed {step}\r"),
                     (PROMPT, "sleep 400\r"),
                     (PROMPT, f"echo alive-{step}\r")]
            if driver == "hello":
                keys += [(PROMPT, "hello\r")]
    keys += [(PROMPT, "service list\r"), (PROMPT, "exit\r")]
    return keys


def analyse(lines):
    rows = []
    step = 0
    index = 0
    hello_count = None
    for line in lines:  # The count before the first injection.
        if line.startswith("samsara> service fi"):
            break
        m = re.search(r"count now (\d+)", line)
        if m:
            hello_count = int(m.group(1))
    for driver in DRIVERS:
        for fault in FAULTS:
            step += 1
            start = next((i for i in range(index, len(lines))
                          if lines[i].startswith(f"samsara> service fi {driver} {fault}")), None)
            if start is None:
                rows.append((driver, fault, "not run", "-", "-", "no"))
                continue
            end = next((i for i in range(start, len(lines)) if lines[i] == f"alive-{step}"), None)
            window = lines[start:end if end is not None else len(lines)]
            index = end if end is not None else start + 1
            # RS's lines may share a line with the shell's echo of typed keys: search, don't match.
            failed = next((m.group(1) for m in (re.search(rf"rs: {driver} \(pid \d+\) failed: (.*)", l)
                                                  for l in window) if m), None)
            back = next((m.group(1) for m in (re.search(rf"rs: {driver} is back \(pid \d+\) after (\d+) us", l)
                                               for l in window) if m), None)
            detection = "no visible effect" if not failed else (
                "exception" if failed.startswith("exception") else
                "heartbeat" if failed == "heartbeat" else "panic" if failed == "panic" else
                "exit" if failed.startswith("exit") else failed)
            recovery = f"{int(back) / 1000:.2f} ms" if back else "-"
            state = "-"
            if driver == "hello" and end is not None:
                after = next((re.search(r"count now (\d+)", l) for l in lines[end:end + 6]
                              if re.search(r"count now (\d+)", l)), None)
                if after and hello_count is not None:
                    state = "yes" if int(after.group(1)) == hello_count + 1 else "no"
                    hello_count = int(after.group(1))
            elif driver == "serial" and failed:
                restored = next((l for l in window if l.startswith("serial: restarted;")), None)
                state = "yes" if restored else "no"
            elif driver == "vga" and failed:
                state = "yes (cursor)" if any(l.startswith("vga: restarted") for l in window) else "-"
            elif driver == "ps2kbd":
                state = "n/a (fresh)"
            alive = "yes" if end is not None else "NO"
            rows.append((driver, fault, detection, recovery, state, alive))
    return rows


def main():
    b = harness.boot("demo", init_args="start=rs run=shell poweroff", inputs=script(), timeout=900,
                     idle_timeout=120)
    rows = analyse(b.lines)
    print(f"{'driver':8} {'fault':10} {'detected by':18} {'recovery':>10}  {'state kept':12} {'shell alive'}")
    for row in rows:
        print(f"{row[0]:8} {row[1]:10} {row[2]:18} {row[3]:>10}  {row[4]:12} {row[5]}")
    panics = "KERNEL PANIC" in b.output
    print(f"\n{len(rows)} injections; kernel panics: {1 if panics else 0}; boot ended: {b.reason}; "
          f"full log: {b.log_path}")
    sys.exit(0 if not panics and all(r[5] == "yes" for r in rows) else 1)


if __name__ == "__main__":
    main()
