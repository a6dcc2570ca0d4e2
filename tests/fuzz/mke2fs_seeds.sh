#!/usr/bin/env bash
## \file mke2fs_seeds.sh
## \brief Makes small images with the real mke2fs -d (fuzz seeds and unit-test fixtures), then e2fsck-checks every image in OUTDIR.
#
# Usage: tests/fuzz/mke2fs_seeds.sh OUTDIR
# The images have what ImageBuilder's do not: a resize inode, lost+found, 256-byte inodes,
# dir_index. test_ext2.cpp checks the tree below byte for byte, so keep the two in step. The
# closing e2fsck also proves that ImageBuilder's images (make_seeds) are clean ext2.
set -euo pipefail
export PATH=$PATH:/sbin:/usr/sbin
out=$1
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage/dir/sub"
printf 'Hello, Samsara!\n' > "$stage/hello.txt"
printf 'deep down\n' > "$stage/dir/sub/deep.txt"
: > "$stage/empty"
head -c 20000 /dev/zero | tr '\0' 'z' > "$stage/dir/indirect.txt"   # Past the 12 direct blocks.
ln -s hello.txt "$stage/link"
for i in $(seq 1 20); do : > "$stage/dir/entry-with-a-long-name-$i"; done

# Fixed UUID, hash seed and time, so the seeds are the same on every run.
export E2FSPROGS_FAKE_TIME=1700000000
common=(-q -F -t ext2 -U 4a9a0e5c-5a6d-4b8c-9a43-2f5c0d3b7e11 -E hash_seed=4a9a0e5c-5a6d-4b8c-9a43-2f5c0d3b7e11 -d "$stage")
rm -f "$out/mke2fs-1k.img" "$out/mke2fs-4k.img"
truncate -s 96k "$out/mke2fs-1k.img"
mke2fs "${common[@]}" -b 1024 -N 64 "$out/mke2fs-1k.img"
truncate -s 256k "$out/mke2fs-4k.img"
mke2fs "${common[@]}" -b 4096 -N 64 "$out/mke2fs-4k.img"

for image in "$out"/*.img; do
  e2fsck -fn "$image" >/dev/null 2>&1 || { echo "mke2fs_seeds: e2fsck finds $image damaged" >&2; exit 1; }
done
