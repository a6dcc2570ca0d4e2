#!/usr/bin/env bash
## \file deps.sh
## \brief Installs the Debian packages Samsara's build, run and test targets need (idempotent).
#
# Usage: tools/deps.sh [build|run|bochs|test|docs|fuzz|all]
# Each group lists what it needs and why. A package already installed is skipped, so running this
# twice is a no-op; only missing packages are fetched, with one `apt-get update` first.
set -euo pipefail
group=${1:-all}

# name:why pairs, grouped by the make targets that need them.
build_pkgs=(
  "g++:the C++20 compiler for the kernel, servers and host tests"
  "make:the build driver"
  "binutils:ld and objcopy for the higher-half kernel"
  "grub-pc-bin:GRUB's BIOS images, used by grub-mkrescue to make the boot ISO"
  "grub-common:grub-mkrescue itself"
  "xorriso:writes the ISO 9660 image for grub-mkrescue"
  "mtools:builds the EFI/boot FAT image inside the ISO"
  "e2fsprogs:mke2fs builds the ext2 disk image; e2fsck/debugfs check it in tests"
)
run_pkgs=( "qemu-system-x86:the PC emulator that boots Samsara" )
bochs_pkgs=(
  "bochs:the second emulator; system tests boot the same ISO in it"
  "bochsbios:Bochs's PC BIOS"
  "vgabios:Bochs's VGA BIOS"
  "bochs-term:Bochs's terminal display, used headless under a pseudo-terminal"
)
test_pkgs=(
  "catch2:host unit tests of kernel logic (Catch2 v2)"
  "gdb:the GDB system test and 'make gdb'"
  "python3:the system-test harness and the grader"
  "bsdutils:'script', the pseudo-terminal Bochs runs under"
)
docs_pkgs=( "doxygen:builds the documentation" "graphviz:Doxygen's diagrams" )
fuzz_pkgs=(
  "clang:clang++, which builds the libFuzzer harness (make fuzz)"
  "libclang-rt-14-dev:libFuzzer and the sanitizer runtimes for clang 14 (-fsanitize=fuzzer)"
  "e2fsprogs:mke2fs -d and e2fsck for the seed images"
)

case "$group" in
  build) want=("${build_pkgs[@]}") ;;
  run)   want=("${build_pkgs[@]}" "${run_pkgs[@]}") ;;
  bochs) want=("${build_pkgs[@]}" "${bochs_pkgs[@]}") ;;
  docs)  want=("${docs_pkgs[@]}") ;;
  fuzz)  want=("${fuzz_pkgs[@]}") ;;
  test|all) want=("${build_pkgs[@]}" "${run_pkgs[@]}" "${bochs_pkgs[@]}" "${test_pkgs[@]}" "${docs_pkgs[@]}") ;;
  *) echo "usage: $0 [build|run|bochs|test|docs|fuzz|all]" >&2; exit 2 ;;
esac

missing=()
for entry in "${want[@]}"; do
  pkg=${entry%%:*}
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
    echo "deps: will install $pkg — ${entry#*:}"
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "deps: missing packages (${missing[*]}) and not root; install them and retry" >&2; exit 1
  fi
else SUDO=""; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: installed ${missing[*]}"
