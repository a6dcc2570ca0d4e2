## \file test_labs.py
## \brief The labs: each lab's skeleton builds and fails its grade; the full tree gets full marks.
#
# For each lab: `make lab-skeleton` writes a student tree to a temporary directory, the tree
# builds there with its own Makefile and build/, `make grade` in it reports a score below full
# (the solutions are gone), and `make grade` on this tree reports a full score. The skeleton's
# boots log to the skeleton's own build/, never to this tree's.
import os
import re
import shutil
import subprocess
import tempfile
import threading

from harness import TestFailure

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Two labs may be checked at once; `make` on the real tree runs one at a time.
_real_tree = threading.Lock()


def _run(cmd, cwd, timeout):
    try:
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise TestFailure(f"`{' '.join(cmd)}` in {cwd} did not finish within {timeout} s") from e


def _output(proc):
    return (proc.stdout + proc.stderr).strip()


def _score(proc, where):
    m = re.search(r"^Score: (\d+)/(\d+)$", proc.stdout, re.MULTILINE)
    if not m:
        raise TestFailure(f"no 'Score: x/y' line from make grade in {where}:\n{_output(proc)[-3000:]}")
    return int(m.group(1)), int(m.group(2))


def _seed_catch2_main(dest):
    """Copies this tree's compiled Catch2 main (minutes under the sanitizers, and the same in every
    tree) into the skeleton's build/, so its grade does not rebuild it. Only reads from ROOT."""
    for name in ("main.o", "main.d"):
        src = os.path.join(ROOT, "build", "host", "tests", "unit", name)
        if not os.path.exists(src):
            return
    target = os.path.join(dest, "build", "host", "tests", "unit")
    os.makedirs(target, exist_ok=True)
    for name in ("main.o", "main.d"):
        shutil.copy2(os.path.join(ROOT, "build", "host", "tests", "unit", name), os.path.join(target, name))


def _seed_objects(dest):
    """Copies this tree's object files (kernel, user programs, host unit tests) into the
    skeleton's build/, keeping their times. Only reads from ROOT."""
    os.makedirs(os.path.join(dest, "build"), exist_ok=True)
    for part in ("kernel", "user", "host"):
        src = os.path.join(ROOT, "build", part)
        if os.path.isdir(src):
            subprocess.run(["cp", "-a", src, os.path.join(dest, "build", part)], check=False)


def check_lab(lab, build_timeout, grade_timeout):
    dest = tempfile.mkdtemp(prefix=f"samsara-lab{lab}-")
    keep = False
    try:
        # (1) The skeleton: written by the make target, with this lab's regions cut out.
        made = _run(["make", "-s", "lab-skeleton", f"LAB={lab}", f"DEST={dest}"], ROOT, 120)
        if made.returncode != 0:
            raise TestFailure(f"make lab-skeleton LAB={lab} failed:\n{_output(made)}")
        leftovers = _run(["grep", "-rl", f"LAB {lab} BEGIN SOLUTION", "kernel", "userland", "servers", "drivers",
                          "fs"], dest, 60)
        if leftovers.stdout.strip():
            raise TestFailure(f"the lab {lab} skeleton still holds solutions in: {leftovers.stdout.split()}")

        # (2) It builds, in its own build/. This tree's object files go there first, with their
        # times: lab-skeleton copies the sources with their times and writes the cut files anew,
        # so make rebuilds just what the cut touched (minutes of sanitizer builds saved).
        _seed_objects(dest)
        built = _run(["make", "-s", "-j2"], dest, build_timeout)
        if built.returncode != 0:
            keep = True
            raise TestFailure(f"the lab {lab} skeleton does not build (kept in {dest}):\n{_output(built)[-3000:]}")

        # (3) Its grade fails, with a score below full, and leaves this tree's logs alone.
        _seed_catch2_main(dest)
        graded = _run(["make", "-s", "grade", f"LAB={lab}"], dest, grade_timeout)
        score, total = _score(graded, dest)
        if graded.returncode == 0 or score >= total:
            keep = True
            raise TestFailure(f"the lab {lab} skeleton scored {score}/{total} (exit {graded.returncode}); "
                              f"expected a failing grade (kept in {dest}):\n{graded.stdout[-3000:]}")
        # Every boot log it names is its own (the failure details give absolute paths).
        for path in re.findall(r"log: (/\S+?\.log)", graded.stdout):
            if not path.startswith(dest + os.sep):
                raise TestFailure(f"grading the skeleton wrote {path}, outside the skeleton")
        if not os.path.exists(os.path.join(dest, "build", "test-logs", f"grade-lab{lab}-1.log")):
            raise TestFailure("grading the skeleton left no boot log in the skeleton's own build/")
    finally:
        if not keep:
            shutil.rmtree(dest, ignore_errors=True)

    # (4) The full tree passes with full marks.
    with _real_tree:
        graded = _run(["make", "-s", "grade", f"LAB={lab}"], ROOT, grade_timeout)
    score, total = _score(graded, ROOT)
    if graded.returncode != 0 or score != total:
        raise TestFailure(f"the full tree scored {score}/{total} on lab {lab} (exit {graded.returncode}):\n"
                          f"{graded.stdout[-3000:]}")


def test_lab1_skeleton_fails_and_solution_passes():
    check_lab(1, build_timeout=300, grade_timeout=300)


test_lab1_skeleton_fails_and_solution_passes.TIMEOUT = 600


def test_lab2_skeleton_fails_and_solution_passes():
    check_lab(2, build_timeout=300, grade_timeout=900)


test_lab2_skeleton_fails_and_solution_passes.TIMEOUT = 900


def test_lab3_skeleton_fails_and_solution_passes():
    check_lab(3, build_timeout=300, grade_timeout=300)


test_lab3_skeleton_fails_and_solution_passes.TIMEOUT = 600


def test_lab4_skeleton_fails_and_solution_passes():
    check_lab(4, build_timeout=300, grade_timeout=300)


test_lab4_skeleton_fails_and_solution_passes.TIMEOUT = 600


def test_lab5_skeleton_fails_and_solution_passes():
    check_lab(5, build_timeout=300, grade_timeout=900)


test_lab5_skeleton_fails_and_solution_passes.TIMEOUT = 1200


def test_lab6_skeleton_fails_and_solution_passes():
    check_lab(6, build_timeout=300, grade_timeout=300)


test_lab6_skeleton_fails_and_solution_passes.TIMEOUT = 600
