#!/usr/bin/env bash
## \file mkimage.sh
## \brief Builds the storage benchmark's disk: a 64 MiB ext2 image (1 KiB blocks, like tools/mkdisk.sh) holding /big.bin, 16 MiB of a known pattern.
#
# Usage: tools/linux-storage/mkimage.sh IMAGE
# Both sides of the storage benchmark boot with a copy of this image as the IDE master: Linux
# 6.1 (tools/linux-storage/run.sh) and Samsara (tools/bench.py, userland/tests/fsbench). They
# read /big.bin and write a new 16 MiB file next to it (room for both, plus their block maps).
# Byte i of /big.bin is (i*7 + i/256 + (i/65536)*13) mod 256: a 64 KiB pattern shifted by 13
# for every 64 KiB, so a block read from the wrong place shows.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 IMAGE" >&2
  exit 2
fi
image=$1
mke2fs=$(command -v mke2fs || echo /sbin/mke2fs)
[ -x "$mke2fs" ] || { echo "mkimage: mke2fs is not installed (tools/deps.sh build)" >&2; exit 2; }
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
python3 - "$staging/big.bin" <<'PY'
import sys
base = bytes((k * 7 + (k >> 8)) % 256 for k in range(65536))
with open(sys.argv[1], "wb") as f:
    for chunk in range(256):  # 256 x 64 KiB = 16 MiB; chunk c is the base shifted by 13 c
        shift = chunk * 13 % 256
        f.write(base.translate(bytes((b + shift) % 256 for b in range(256))))
PY
rm -f "$image.tmp"
: > "$image.tmp"
"$mke2fs" -q -F -t ext2 -b 1024 -L bench -U 5a3a5a3a-0000-4000-8000-000000000005 \
  -E hash_seed=5a3a5a3a-0000-4000-8000-000000000006 -O ^resize_inode \
  -d "$staging" "$image.tmp" 64M
mv "$image.tmp" "$image"
