#!/usr/bin/env bash
## \file mkdisk.sh
## \brief Builds the ext2 disk image Samsara's ata driver serves: sample files staged in a folder, then `mke2fs -d`.
#
# Usage: tools/mkdisk.sh STAGING IMAGE [SIZE] [BINDIR]
# STAGING is emptied and filled with the sample files below; IMAGE (default size 16M) gets an
# ext2 file system of 1 KiB blocks holding them (and BINDIR's programs in /bin), labelled "samsara". The tests read the same
# files back through Samsara and compare with the host's copy of the image.
#   hello.txt            one line of known text
#   pattern.bin          200 KiB: byte i is (i * 7 + i / 256) mod 256, crossing the indirect-block threshold
#   docs/readme.txt      a file in a subdirectory
#   data/a.bin, b.bin    4 MiB each: byte i is ((i*31 + (i>>11)*17 + seed*101) ^ (i>>19)) mod 256,
#                        seed 1 and 2 (storetest copies and reads them while drivers fail)
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 4 ]; then
  echo "usage: $0 STAGING IMAGE [SIZE] [BINDIR]" >&2
  exit 2
fi
staging=$1 image=$2 size=${3:-16M} bindir=${4:-}
mke2fs=$(command -v mke2fs || echo /sbin/mke2fs)
[ -x "$mke2fs" ] || { echo "mkdisk: mke2fs is not installed (tools/deps.sh build)" >&2; exit 2; }

rm -rf "$staging"
mkdir -p "$staging/docs"
echo "Hello from the Samsara disk" > "$staging/hello.txt"
python3 -c '
import sys
sys.stdout.buffer.write(bytes((i * 7 + i // 256) % 256 for i in range(200 * 1024)))' > "$staging/pattern.bin"
if [ -n "$bindir" ]; then
  mkdir -p "$staging/bin"
  for f in "$bindir"/*; do [ -f "$f" ] && install -m 0755 "$f" "$staging/bin/"; done
fi
mkdir -p "$staging/data"
for seed in 1 2; do
  name=$([ "$seed" = 1 ] && echo a || echo b)
  python3 -c '
import sys
seed = int(sys.argv[1])
sys.stdout.buffer.write(bytes(((i * 31 + (i >> 11) * 17 + seed * 101) ^ (i >> 19)) & 0xff for i in range(4 << 20)))' "$seed" > "$staging/data/$name.bin"
done
printf 'Files on this disk were placed by mke2fs -d at build time (tools/mkdisk.sh).\n' > "$staging/docs/readme.txt"

rm -f "$image.tmp"
: > "$image.tmp"  # (an existing file: mke2fs says nothing about creating one)
# A fixed UUID and hash seed, and no resize inode (not needed for a fixed-size image).
"$mke2fs" -q -F -t ext2 -b 1024 -L samsara -U 5a3a5a3a-0000-4000-8000-000000000001 \
  -E hash_seed=5a3a5a3a-0000-4000-8000-000000000002 -O ^resize_inode \
  -d "$staging" "$image.tmp" "$size"
mv "$image.tmp" "$image"
echo "built $image ($size ext2 from $staging)"
