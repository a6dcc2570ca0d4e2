#!/usr/bin/env python3
## \file run_all.py
## \brief `make test`: runs every suite (unit, system, Bochs, GDB, docs, labs) and prints "N passed, M failed".
#
# Suites:
#   unit    build/host/unit-tests (Catch2 under ASan/UBSan), one result per test case
#   system  every test_* function in tests/system/test_*.py (QEMU, Bochs and GDB boots)
#   docs    `make docs` (Doxygen, warnings are errors)
# Each result is printed as it finishes; failures name their log file. The last line is the
# summary CI reads, and the exit status is non-zero if anything failed.
# Options: -k SUBSTRING runs only tests whose name contains it; -j N runs N boots at once.
import argparse
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(HERE, "system"))

import runner  # noqa: E402  (tests/system/runner.py)


def unit_results():
    """Builds and runs the Catch2 binary; one result per test case."""
    build = subprocess.run(["make", "-s", "-j2", "build/host/unit-tests"], cwd=ROOT, capture_output=True, text=True)
    if build.returncode != 0:
        return [runner.Result("unit: build", False, build.stdout[-3000:] + build.stderr[-3000:], 0.0)]
    start = time.monotonic()
    proc = subprocess.run([os.path.join(ROOT, "build/host/unit-tests"), "-r", "junit"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - start
    results = []
    try:
        tree = ET.fromstring(proc.stdout)
    except ET.ParseError:
        return [runner.Result("unit: run", False, (proc.stdout + proc.stderr)[-3000:], seconds)]
    for case in tree.iter("testcase"):
        name = case.get("name")
        problems = [e for e in case if e.tag in ("failure", "error")]
        detail = "\n".join((p.get("message") or "") + "\n" + (p.text or "") for p in problems)
        results.append(runner.Result(f"unit: {name}", not problems, detail.strip(), float(case.get("time") or 0)))
    if proc.returncode != 0 and all(r.passed for r in results):
        results.append(runner.Result("unit: exit status", False, proc.stderr[-3000:], seconds))
    if not results:
        results.append(runner.Result("unit: no test cases ran", False, proc.stderr[-3000:], seconds))
    return results


def docs_results():
    start = time.monotonic()
    proc = subprocess.run(["make", "-s", "docs"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    detail = (proc.stdout + proc.stderr)[-4000:]
    return [runner.Result("docs: make docs builds with zero warnings", proc.returncode == 0, detail,
                          time.monotonic() - start)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-k", default="", help="only tests whose name contains this")
    parser.add_argument("-j", type=int, default=2, help="boots to run at once")
    args = parser.parse_args()

    results = []

    def report(batch):
        for r in batch:
            if args.k and args.k not in r.name:
                continue
            results.append(r)
            runner.print_result(r)

    if not args.k or "unit" in args.k:
        report(unit_results())
    report(runner.run_system_tests(os.path.join(HERE, "system"), args.k, args.j))
    if not args.k or "docs" in args.k:
        report(docs_results())

    passed = sum(r.passed for r in results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 and passed > 0 else 1)


if __name__ == "__main__":
    main()
