## \file runner.py
## \brief Finds and runs the system tests: every `test_*` function in tests/system/test_*.py.
#
# A test is a plain function that raises on failure (TestFailure from harness.py, or any
# exception). Tests run `jobs` at a time in threads; each boot has its own time limits, and the
# runner adds an overall limit per test (`TIMEOUT` attribute on the function, default 180 s).
import concurrent.futures
import importlib.util
import os
import sys
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)


class Result:
    def __init__(self, name, passed, detail, seconds):
        self.name = name
        self.passed = passed
        self.detail = detail
        self.seconds = seconds


def print_result(r):
    status = "PASS" if r.passed else "FAIL"
    print(f"{status} {r.name} ({r.seconds:.1f}s)", flush=True)
    if not r.passed and r.detail:
        for line in r.detail.rstrip().split("\n")[-25:]:
            print(f"    {line}", flush=True)


def discover(directory):
    tests = []
    for filename in sorted(os.listdir(directory)):
        if not (filename.startswith("test_") and filename.endswith(".py")):
            continue
        path = os.path.join(directory, filename)
        spec = importlib.util.spec_from_file_location(filename[:-3], path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name in sorted(dir(module)):
            fn = getattr(module, name)
            if name.startswith("test_") and callable(fn):
                tests.append((f"{filename[5:-3]}: {name[5:]}", fn))
    return tests


def run_one(name, fn):
    start = time.monotonic()
    outcome = {}

    def target():
        try:
            fn()
            outcome["passed"] = True
        except Exception as e:  # noqa: BLE001 - every failure is reported, not raised
            outcome["passed"] = False
            outcome["detail"] = f"{type(e).__name__}: {e}" if e.__class__.__name__ == "TestFailure" \
                else traceback.format_exc()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(getattr(fn, "TIMEOUT", 180))
    if thread.is_alive():
        return Result(name, False, "the test did not finish within its time limit", time.monotonic() - start)
    return Result(name, outcome["passed"], outcome.get("detail", ""), time.monotonic() - start)


def run_system_tests(directory, only="", jobs=2):
    tests = [(n, f) for n, f in discover(directory) if only in n]
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(run_one, n, f) for n, f in tests]
        for future in futures:
            results.append(future.result())
    return results
