#!/usr/bin/env python3
## \file skeleton.py
## \brief `make lab-skeleton LAB=n DEST=dir`: copies the tree to DEST with lab n's solutions cut out.
#
# Usage: labs/skeleton.py LAB DEST
#
# The student tree is every file git knows about (tracked, plus untracked files that are not
# ignored), copied to DEST. In C++ and assembly sources, each region
#
#     // LAB n BEGIN SOLUTION
#     // LAB n STUB: return Error::NoMemory;
#     ...the solution...
#     // LAB n END SOLUTION
#
# becomes "// LAB n: your code here" followed by its STUB lines as code. A STUB line outside any
# region becomes code in the skeleton too (for the rare line only the skeleton needs). Only lab
# n's regions are cut: the solutions of the other labs stay, so a student on lab 2 has a working
# lab 1. Doxygen snippet markers (`// [name]`) inside a region are kept so `make docs` still
# builds. labs/README.md documents the syntax.
import os
import re
import shutil
import stat
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Files that may hold regions. Everything else is copied byte for byte.
SOURCE_SUFFIXES = (".cpp", ".hpp", ".h", ".c", ".S")

BEGIN = re.compile(r"^(\s*)// LAB (\d+) BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*// LAB (\d+) END SOLUTION\s*$")
STUB = re.compile(r"^(\s*)// LAB (\d+) STUB:(?: (.*)|)$")
SNIPPET = re.compile(r"^\s*//\s*\[[A-Za-z0-9_.:-]+\]\s*$")
ANY_MARKER = re.compile(r"//\s*LAB\s+\d+\s+(BEGIN|END|STUB)")


class MarkerError(Exception):
    """A malformed region: unbalanced, nested, or a marker spelled wrong."""


def lab_directories():
    """{lab number: directory name} for every labs/<n>-<slug>/ directory."""
    labs = {}
    for name in os.listdir(os.path.join(ROOT, "labs")):
        m = re.fullmatch(r"(\d+)-[a-z0-9-]+", name)
        if m and os.path.isdir(os.path.join(ROOT, "labs", name)):
            labs[int(m.group(1))] = name
    return labs


def strip(text, lab, where="<text>"):
    """Returns `text` with lab `lab`'s regions replaced by their stubs, and the region count.
    Checks every region of every lab, so a typo fails here rather than leaking a solution."""
    out = []
    region = None  # (lab number, line number) of the open BEGIN
    replacement = []
    count = 0
    for number, line in enumerate(text.split("\n"), start=1):
        begin, end, stub = BEGIN.match(line), END.match(line), STUB.match(line)
        if not (begin or end or stub) and ANY_MARKER.search(line):
            raise MarkerError(f"{where}:{number}: malformed lab marker: {line.strip()!r}")
        if begin:
            if region:
                raise MarkerError(f"{where}:{number}: BEGIN inside the region opened at line {region[1]}")
            region = (int(begin.group(2)), number)
            if region[0] == lab:
                count += 1
                replacement = [f"{begin.group(1)}// LAB {lab}: your code here"]
                out.extend(replacement)
                continue
            out.append(line)
            continue
        if end:
            if not region or int(end.group(1)) != region[0]:
                raise MarkerError(f"{where}:{number}: END SOLUTION for lab {end.group(1)} "
                                  f"without a matching BEGIN")
            closing = region[0]
            region = None
            if closing != lab:
                out.append(line)
            continue
        if stub:
            stub_lab = int(stub.group(2))
            if region and stub_lab != region[0]:
                raise MarkerError(f"{where}:{number}: a lab {stub_lab} STUB inside a lab {region[0]} region")
            if stub_lab == lab:
                text = stub.group(3) or ""
                out.append(stub.group(1) + text if text else "")
            else:
                out.append(line)
            continue
        if region and region[0] == lab:
            if SNIPPET.match(line):
                out.append(line)
            continue
        out.append(line)
    if region:
        raise MarkerError(f"{where}:{region[1]}: lab {region[0]} region is never closed")
    return "\n".join(out), count


def tree_files():
    """Paths (relative to ROOT) of the files a student gets: git's tracked and unignored files."""
    try:
        listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                 cwd=ROOT, check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"skeleton: cannot list the tree with git ({e}); run this inside the Samsara repository")
    files = sorted(set(p.decode() for p in listing.split(b"\0") if p))
    # A tracked file deleted in the working tree is not part of it any more.
    return [p for p in files if os.path.lexists(os.path.join(ROOT, p))]


def usage(message):
    sys.exit(f"skeleton: {message}\nusage: make lab-skeleton LAB=n DEST=dir   (or labs/skeleton.py LAB DEST)")


def main(argv):
    if len(argv) != 3 or not argv[1] or not argv[2]:
        usage("need a lab number and a destination directory")
    labs = lab_directories()
    if not re.fullmatch(r"\d+", argv[1]) or int(argv[1]) not in labs:
        usage(f"no lab {argv[1]!r}; labs are {', '.join(str(n) for n in sorted(labs))}")
    lab = int(argv[1])
    dest = os.path.abspath(argv[2])
    if os.path.exists(dest) and (not os.path.isdir(dest) or os.listdir(dest)):
        usage(f"{dest} exists and is not an empty directory; refusing to overwrite it")
    inside = dest == ROOT or dest.startswith(ROOT + os.sep)
    if inside and not dest.startswith(os.path.join(ROOT, "build") + os.sep):
        usage(f"{dest} is inside the source tree; put it elsewhere (or under build/)")

    # Strip everything in memory first, so a marker error leaves no half-written DEST.
    files = tree_files()
    contents = {}
    regions = 0
    for rel in files:
        path = os.path.join(ROOT, rel)
        if rel.startswith("labs/") or not rel.endswith(SOURCE_SUFFIXES) or os.path.islink(path):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if "// LAB " not in text:
            continue
        try:
            stripped, count = strip(text, lab, rel)
        except MarkerError as e:
            sys.exit(f"skeleton: {e}")
        if stripped != text:
            contents[rel] = stripped
        regions += count
    if regions == 0:
        sys.exit(f"skeleton: no `// LAB {lab} BEGIN SOLUTION` regions found; nothing to give the student")

    os.makedirs(dest, exist_ok=True)
    for rel in files:
        src, dst = os.path.join(ROOT, rel), os.path.join(dest, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.islink(src):
            os.symlink(os.readlink(src), dst)
        elif rel in contents:
            with open(dst, "w", encoding="utf-8") as f:
                f.write(contents[rel])
            os.chmod(dst, stat.S_IMODE(os.stat(src).st_mode))
        else:
            shutil.copy2(src, dst)
    print(f"skeleton: lab {lab} ({labs[lab]}) written to {dest}: {len(files)} files, "
          f"{regions} regions to implement in {len(contents)} files")
    print(f"skeleton: next: cd {dest} && make && make grade LAB={lab}   (handout: labs/{labs[lab]}/README.md)")


if __name__ == "__main__":
    main(sys.argv)
