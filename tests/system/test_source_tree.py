## \file test_source_tree.py
## \brief Checks on the source tree itself (no boot): file headers, and walkthrough snippets that still resolve.
#
# - Every source file opens with `\file` and `\brief` within its first 5 lines (STYLE.md:
#   "Every file opens with /// \file and /// \brief in one sentence").
# - Every `\snippet FILE NAME` in docs/*.md names a file that exists and holds the marker
#   `[NAME]` on exactly two lines (the start and the end of the quoted block), so the
#   walkthrough cannot silently drift from the code. `make docs` would also fail on a missing
#   snippet, but only after a full Doxygen run; this names every broken reference at once.
import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

SOURCE_DIRS = ("kernel", "userland", "servers", "drivers", "fs", "tests", "tools", "labs")
SOURCE_EXTENSIONS = (".cpp", ".hpp", ".S", ".ld", ".py", ".sh", ".mk")
SKIP_DIRS = {"__pycache__", ".git", "build"}
HEADER_LINES = 5

# \snippet, \snippet{lineno}, \snippet{doc}, \snippet{trimleft}; also the @ spelling.
SNIPPET = re.compile(r"[\\@]snippet(?:\{[^}]*\})?[ \t]+(\S+)[ \t]+(\S+)")


def source_files():
    """Every source file the header rule covers, as paths relative to the repository root."""
    files = []
    if os.path.isfile(os.path.join(ROOT, "Makefile")):
        files.append("Makefile")
    for top in SOURCE_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(ROOT, top)):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith(SOURCE_EXTENSIONS) or name == "Makefile":
                    files.append(os.path.relpath(os.path.join(dirpath, name), ROOT))
    return files


def missing_header_parts(path):
    """What is missing from the first HEADER_LINES lines of `path`: a subset of ["\\file", "\\brief"]."""
    with open(os.path.join(ROOT, path), encoding="utf-8", errors="replace") as f:
        head = "".join(line for _, line in zip(range(HEADER_LINES), f))
    return [tag for tag in ("\\file", "\\brief") if tag not in head]


def test_every_source_file_has_file_and_brief():
    files = source_files()
    if not files:
        raise AssertionError(f"no source files found under {ROOT}: is the test running from the repository?")
    offenders = []
    for path in files:
        missing = missing_header_parts(path)
        if missing:
            offenders.append(f"  {path}: no {' or '.join(missing)} in the first {HEADER_LINES} lines")
    if offenders:
        raise AssertionError(
            f"{len(offenders)} of {len(files)} source files lack a header comment "
            f"(start each file with `/// \\file name` and `/// \\brief one sentence`, or `#`/`##` "
            f"for scripts and make files):\n" + "\n".join(offenders))


def snippet_references():
    """(markdown page, line number, file, name) for every \\snippet in docs/*.md."""
    refs = []
    docs = os.path.join(ROOT, "docs")
    for name in sorted(os.listdir(docs)):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(docs, name), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                for match in SNIPPET.finditer(line):
                    refs.append((f"docs/{name}", number, match.group(1), match.group(2)))
    return refs


def test_walkthrough_snippets_resolve():
    refs = snippet_references()
    if not any(page == "docs/boot.md" for page, _, _, _ in refs):
        raise AssertionError("docs/boot.md quotes no code with \\snippet: the boot walkthrough should")
    problems = []
    texts = {}
    for page, number, path, name in refs:
        where = f"  {page}:{number}: \\snippet {path} {name}:"
        full = os.path.join(ROOT, path)
        if not os.path.isfile(full):
            problems.append(f"{where} {path} does not exist (paths are relative to the repository root)")
            continue
        if path not in texts:
            with open(full, encoding="utf-8", errors="replace") as f:
                texts[path] = f.read().split("\n")
        marker = f"[{name}]"
        lines = [i + 1 for i, text in enumerate(texts[path]) if marker in text]
        if len(lines) != 2:
            found = f"on lines {', '.join(map(str, lines))}" if lines else "nowhere"
            problems.append(f"{where} the marker {marker} must be on exactly 2 lines of {path} "
                            f"(start and end), found {found}")
        elif lines[1] == lines[0] + 1:
            problems.append(f"{where} the markers on lines {lines[0]} and {lines[1]} of {path} enclose nothing")
    if problems:
        raise AssertionError(f"{len(problems)} of {len(refs)} snippet references are broken:\n" + "\n".join(problems))
