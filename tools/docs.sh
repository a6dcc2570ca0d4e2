#!/usr/bin/env bash
## \file docs.sh
## \brief `make docs`: runs Doxygen (docs/Doxyfile) into build/docs/html and fails on any warning.
#
# Usage: tools/docs.sh            (from anywhere; it works from the repository root)
# Environment: SAMSARA_DOCS_OUT   output folder (default build/docs); the HTML is in its html/.
# Doxygen itself fails on a warning (WARN_AS_ERROR = FAIL_ON_WARNINGS); as a second guard this
# script also fails if the warnings log is not empty, and prints every warning either way.
set -euo pipefail
cd "$(dirname "$0")/.."

export SAMSARA_DOCS_OUT=${SAMSARA_DOCS_OUT:-build/docs}
log="$SAMSARA_DOCS_OUT/warnings.log"

command -v doxygen >/dev/null || { echo "docs: doxygen is not installed (tools/deps.sh docs)" >&2; exit 1; }

# A fresh tree each time, so pages for deleted files do not linger.
rm -rf "$SAMSARA_DOCS_OUT/html"
mkdir -p "$SAMSARA_DOCS_OUT"
: > "$log"

status=0
doxygen docs/Doxyfile > "$SAMSARA_DOCS_OUT/doxygen.out" 2>&1 || status=$?

# Doxygen writes warnings to the log; anything else on its output that says "warning" or
# "error" counts too (e.g. a problem reading the Doxyfile itself).
problems=$( { cat "$log"; grep -iE 'warning|error' "$SAMSARA_DOCS_OUT/doxygen.out" || true; } | sed '/^[[:space:]]*$/d')
if [ -n "$problems" ]; then
  count=$(grep -ciE '(warning|error)' <<< "$problems" || true)
  echo "docs: Doxygen reported problems (${count} lines; all warnings are errors):" >&2
  echo "$problems" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "docs: doxygen failed with status $status:" >&2
  cat "$SAMSARA_DOCS_OUT/doxygen.out" >&2
  exit 1
fi
[ -f "$SAMSARA_DOCS_OUT/html/index.html" ] || { echo "docs: no $SAMSARA_DOCS_OUT/html/index.html was written" >&2; exit 1; }
echo "docs: $SAMSARA_DOCS_OUT/html/index.html (0 warnings)"
