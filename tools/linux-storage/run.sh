#!/usr/bin/env bash
## \file run.sh
## \brief Linux storage anchor: boots Debian's Linux 6.1 in QEMU (TCG, -icount shift=0) on an ext2 IDE disk and prints its 16 MiB sequential read/write cost.
#
# Usage: tools/linux-storage/run.sh [WORKDIR]   (needs: apt-get, gcc, cpio, mke2fs, qemu-system-x86)
# The project's extension of ../shared/anchors/linux-ipc/run.sh (which it leaves alone): the
# same kernel package, fetched with `apt-get download` into WORKDIR and kept there (pass the
# IPC anchor's WORKDIR to share the download), the same QEMU and -icount shift=0, plus
#   - the disk Samsara uses: `-drive ...,if=ide,index=0,media=disk` holding an ext2 image of
#     1 KiB blocks (mkimage.sh) with /big.bin, 16 MiB;
#   - the modules Linux needs to see that disk and mount ext2, taken from the same package:
#     ata_piix, sd_mod, crc32c_generic and ext4 (which mounts ext2), plus what their
#     `depends=` names, minus what modules.builtin says is built in; storage.c inserts them in
#     dependency order.
# With insncount.c loaded as a QEMU plugin (when this QEMU can), also the instructions executed
# inside each timed region ("..._executed"): guest time minus the time Linux sat waiting.
# Prints storage.c's "BENCH linux ..." lines, or one line "linux anchor unavailable: <why>"
# (exit status 1) when the package cannot be fetched or Linux fails. Guest times are the best
# of LINUX_STORAGE_RUNS runs (default 3). The result is kept in WORKDIR/storage, keyed by the
# inputs (this script, storage.c, mkimage.sh, insncount.c, the kernel, QEMU's version), and
# printed from there next time; LINUX_STORAGE_FRESH=1 measures again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/linux-anchor}

exec 3>&1  # The real stdout, for the verdict even where stdout is redirected.
unavailable() {
  echo "linux anchor unavailable: $*" >&3
  exit 1
}

mkdir -p "$work/storage" && cd "$work" && work=$(pwd)
command -v cpio >/dev/null || apt-get install -y cpio >/dev/null 2>&1 || unavailable "cpio is not installed"
command -v qemu-system-x86_64 >/dev/null || apt-get install -y qemu-system-x86 >/dev/null 2>&1 ||
  unavailable "qemu-system-x86_64 is not installed"
command -v gcc >/dev/null || unavailable "gcc is not installed"

# The kernel package: the same one the IPC anchor uses (its .deb stays in WORKDIR).
if ! ls linux-image-*.deb >/dev/null 2>&1; then
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: \(linux-image-[0-9].*\)/\1/p' | head -1 || true)
  { apt-get download "${pkg:-linux-image-amd64}" >/dev/null 2>&1 || apt-get download linux-image-amd64 >/dev/null 2>&1; } ||
    unavailable "apt-get download ${pkg:-linux-image-amd64} failed (no network or no Debian archive)"
fi
deb=$(ls linux-image-*.deb | head -1)
if ! ls boot/vmlinuz-* >/dev/null 2>&1; then
  dpkg-deb --fsys-tarfile "$deb" | tar -x --wildcards './boot/vmlinuz-*' || unavailable "no vmlinuz in $deb"
fi
vmlinuz=$(ls boot/vmlinuz-* | head -1)
kver=${vmlinuz#boot/vmlinuz-}

key=$( (cat "$here/run.sh" "$here/storage.c" "$here/mkimage.sh" "$here/insncount.c"; echo "$kver"; qemu-system-x86_64 --version | head -1) |
  sha256sum | cut -c1-16)
result=storage/result-$key.txt
if [ -s "$result" ] && [ -z "${LINUX_STORAGE_FRESH:-}" ]; then
  cat "$result"
  exit 0
fi

# Modules, resolved once per kernel and list: <dir>/<name>.ko and <dir>/modules.order.
# ext4 asks the crypto API for "crc32c" at mount (by name, so no depends= names it).
wanted="ata_piix sd_mod crc32c_generic ext4"
mods=storage/modules-$kver-$(echo "$wanted" | sha256sum | cut -c1-8)
if [ ! -s "$mods/modules.order" ]; then
  rm -rf "$mods" && mkdir -p "$mods/tree"
  dpkg-deb -c "$deb" | awk '{print $NF}' | grep -E '\.ko(\.xz|\.zst)?$' > "$mods/list"
  dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './lib/modules/*/modules.builtin' > "$mods/builtin" 2>/dev/null || : > "$mods/builtin"
  declare -A seen=()
  order=()
  # Depth first, so a module comes after everything it depends on. Names may spell - or _.
  visit() {
    local name=${1//-/_} path file deps dep
    [ -n "${seen[$name]:-}" ] && return 0
    seen[$name]=1
    if tr - _ < "$mods/builtin" | grep -qE "/${name}\.ko$"; then return 0; fi
    path=$(grep -E "/${name//_/[-_]}\.ko(\.xz|\.zst)?$" "$mods/list" | head -1)
    [ -n "$path" ] || unavailable "module $name is neither in $deb nor built in"
    (cd "$mods/tree" && dpkg-deb --fsys-tarfile "$work/$deb" | tar -x "$path") || unavailable "cannot extract $path from $deb"
    file=$mods/$name.ko
    case $path in
      *.xz) xz -dc "$mods/tree/$path" > "$file" ;;
      *.zst) zstd -dqc "$mods/tree/$path" > "$file" ;;
      *) cp "$mods/tree/$path" "$file" ;;
    esac
    deps=$(tr '\0' '\n' < "$file" | sed -n 's/^depends=//p' | head -1 | tr , ' ')
    for dep in $deps; do visit "$dep"; done
    order+=("/modules/$name.ko")
  }
  for name in $wanted; do visit "$name"; done
  printf '%s\n' "${order[@]}" > "$mods/modules.order.tmp"
  mv "$mods/modules.order.tmp" "$mods/modules.order"
  rm -rf "$mods/tree"
fi

# The initramfs: /init (storage.c), /modules.order and /modules/*.ko.
root=storage/root
rm -rf "$root" && mkdir -p "$root/modules"
gcc -O2 -static -o "$root/init" "$here/storage.c" || unavailable "gcc -static failed (static libc missing?)"
cp "$mods"/*.ko "$root/modules/" 2>/dev/null || true
cp "$mods/modules.order" "$root/modules.order"
(cd "$root" && find . -mindepth 1 | sed 's|^\./||' | cpio -o -H newc 2>/dev/null) > storage/initrd.cpio

# A fresh copy of the disk every run (Linux writes to it).
if [ ! -s storage/disk.pristine ] || [ "$here/mkimage.sh" -nt storage/disk.pristine ]; then
  "$here/mkimage.sh" storage/disk.pristine >/dev/null || unavailable "mkimage.sh failed"
fi

# The instruction-counting plugin, when this QEMU can load one: it splits each timed region
# into instructions executed and time spent waiting (insncount.c). Without it, guest time only.
plugin=()
if gcc -O2 -shared -fPIC -o storage/insncount.so "$here/insncount.c" 2>/dev/null; then
  plugin=(-plugin storage/insncount.so -d plugin -D storage/plugin.log)
fi
run_linux() {
  rm -f storage/plugin.log
  timeout 900 qemu-system-x86_64 -accel tcg -cpu max -m 512 -icount shift=0 "$@" \
    -kernel "$vmlinuz" -initrd storage/initrd.cpio -append "console=ttyS0 quiet ${LINUX_APPEND:-}" \
    -drive file=storage/disk.img,format=raw,if=ide,index=0,media=disk \
    -display none -serial stdio -monitor none -no-reboot 2>&1 | tr -d '\r' | grep '^BENCH' || true
}
# One run: its BENCH lines, plus the executed counts when the plugin ran. storage.c marks the
# start and end of the read, then of the write.
measure() {
  cp storage/disk.pristine storage/disk.img
  local out marks
  out=$(run_linux "${plugin[@]}")
  if [ ${#plugin[@]} -gt 0 ] && ! grep -q '^BENCH done' <<<"$out"; then
    plugin=()  # This QEMU could not load it: measure without.
    cp storage/disk.pristine storage/disk.img
    out=$(run_linux)
  fi
  rm -f storage/disk.img
  if grep -q '^BENCH error' <<<"$out"; then
    unavailable "Linux: $(sed -n 's/^BENCH error //p' <<<"$out" | head -1)"
  fi
  grep -q '^BENCH done' <<<"$out" || unavailable "Linux printed no result (timed out or crashed)"
  grep '^BENCH linux' <<<"$out"
  if [ ${#plugin[@]} -gt 0 ]; then
    mapfile -t marks < <(sed -n 's/^MARK //p' storage/plugin.log)
    if [ ${#marks[@]} -eq 4 ]; then
      echo "BENCH linux storage_read_16MiB_executed $((marks[1] - marks[0]))"
      echo "BENCH linux storage_write_16MiB+fsync_executed $((marks[3] - marks[2]))"
    fi
  fi
}
# Guest time includes the time Linux waits for the emulated disk, which QEMU advances in real
# time: a busy host stretches it. The best of LINUX_STORAGE_RUNS runs (default 3) is kept, per
# figure (the least disturbed); instruction counts hardly vary.
runs=${LINUX_STORAGE_RUNS:-3}
: > storage/runs.txt
for ((i = 0; i < runs; i++)); do measure >> storage/runs.txt; done
# Fastest = fewest instructions, or most MiB per second.
awk '{ key = $3; v = $4 + 0
       best_is_max = (key ~ /per_guest_s/)
       if (!(key in best) || (best_is_max ? v > best[key] : v < best[key])) best[key] = v
       if (!(key in order)) { order[key] = ++n; keys[n] = key } }
     END { for (i = 1; i <= n; i++) print "BENCH linux " keys[i], best[keys[i]] }' storage/runs.txt > "$result.tmp"
rm -f storage/result-*.txt  # Results of older inputs.
mv "$result.tmp" "$result"
cat "$result"
