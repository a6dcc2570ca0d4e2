#!/usr/bin/env python3
## \file grade.py
## \brief `make grade LAB=n`: runs lab n's graded checks on this tree and prints points and a total.
#
# Usage: labs/grade.py LAB [-v]      (make grade LAB=n builds the ISO first)
#
# Each lab's checks live in labs/<n>-<slug>/grade.py (TITLE and TESTS, built with gradelib.py).
# Output is one line per check, `name: OK (10/10)` or `name: FAIL (0/10)` with the reason
# indented below, then `Score: got/total`. The exit status is 0 only for a full score.
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gradelib  # noqa: E402
from skeleton import lab_directories  # noqa: E402


def load_lab(directory):
    path = os.path.join(HERE, directory, "grade.py")
    spec = importlib.util.spec_from_file_location(f"lab_{directory.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv):
    args = [a for a in argv[1:] if a != "-v"]
    labs = lab_directories()
    if len(args) != 1 or not args[0].isdigit() or int(args[0]) not in labs:
        wanted = args[0] if args else ""
        sys.exit(f"grade: no lab {wanted!r}; usage: make grade LAB=n, with n one of "
                 f"{', '.join(str(n) for n in sorted(labs))}")
    lab = int(args[0])
    module = load_lab(labs[lab])
    score, total = gradelib.run_checks(f"lab{lab}", module.TITLE, module.TESTS, verbose="-v" in argv)
    sys.exit(0 if score == total else 1)


if __name__ == "__main__":
    main(sys.argv)
