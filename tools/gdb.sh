#!/usr/bin/env bash
## \file gdb.sh
## \brief `make gdb`: boots Samsara in QEMU paused with a gdbstub and attaches gdb with the kernel's symbols.
#
# Usage: tools/gdb.sh ISO KERNEL_ELF [DISK]   (DISK: a raw image attached as the IDE master, as in make run)
#   ACCEL=kvm       use KVM (-accel kvm -cpu host) instead of TCG (-accel tcg -cpu max)
#   GDB_PORT=n      the gdbstub's TCP port (default 1234)
#   MEMORY=size     guest RAM (default 256M)
#
# QEMU starts with the CPU stopped at the reset vector (-S). gdb connects, loads
# tools/gdb/samsara.py (samsara-ps, samsara-current, samsara-bootinfo, samsara-caps,
# samsara-endpoints; `help samsara-caps` etc. explain each) and sets a *hardware* breakpoint at
# kernel_main; type `continue` to boot up to it. The serial console goes to a file
# next to the ISO (build/gdb-serial.log): watch it from another terminal with
#   tail -f build/gdb-serial.log
# Quitting gdb stops QEMU.
#
# Why `hbreak` and not `break`: a software breakpoint is an int3 written into the code at the
# breakpoint's address. kernel_main lives at 0xffffffff80xxxxxx, which means nothing until boot.S
# has turned paging on, so with KVM (and on real hardware) that write fails ("Cannot insert
# breakpoint"). A hardware breakpoint compares the address being executed and needs no memory,
# so it can be set while the CPU is still in real mode. (Under TCG, QEMU happens to implement
# `break` the same way, without writing memory, so both work there; `hbreak` works everywhere.)
# Once the kernel runs in long mode, plain `break` is fine. x86 has only 4 hardware breakpoints.
#
# Other things worth knowing:
#   - gdb treats the whole session as 64-bit code (the ELF is ELF64, and QEMU's x86_64 stub always
#     sends 64-bit registers). The 16-bit BIOS and the 32-bit part of boot.S therefore
#     disassemble wrongly; read boot.S alongside instead.
#   - `monitor info registers`, `monitor info mem` and `monitor info tlb` ask QEMU itself: CR3,
#     the GS base, segment caches and the page tables, which gdb does not show.
#   - `bt` from kernel_main goes past long_mode_high (boot.S) into garbage: boot.S has no CFI
#     saying "outermost frame", so gdb guesses; `set backtrace limit 32` below keeps it short.
#   - To watch IPC: `hbreak ipc::fastpath_call` (after kernel_main), then `print/x frame` shows
#     the caller's message registers (RDI slot, RSI info, RDX R10 R8 R9 words), and
#     samsara-endpoints / samsara-caps PID show who waits where and which slot names what.
#     At -O2 some locals are <optimized out> on some lines; `info scope ipc::fastpath_call`
#     lists where each one lives.
#   - -no-shutdown with -no-reboot: a triple fault stops the VM instead of ending QEMU; gdb
#     reports "Program received signal SIGQUIT" with the registers as they were at the fault.
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 ISO KERNEL_ELF" >&2
  exit 2
fi
iso=$1
kernel_elf=$2
here=$(cd "$(dirname "$0")" && pwd)
port=${GDB_PORT:-1234}
serial_log=$(dirname "$iso")/gdb-serial.log
qemu_log=$(dirname "$iso")/gdb-qemu.log

if [ "${ACCEL:-tcg}" = kvm ]; then accel=(-accel kvm -cpu host); else accel=(-accel tcg -cpu max); fi

# Connecting succeeds only if something already listens on the port (another QEMU?).
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "gdb.sh: port $port is already in use; choose another with GDB_PORT=..." >&2
  exit 1
fi

: > "$serial_log"
# setsid: QEMU gets its own session, so the Ctrl-C you type to interrupt the guest in gdb reaches
# only gdb (which stops the CPU) and does not also terminate QEMU.
drive=()
[ -n "${3:-}" ] && drive=(-drive "file=$3,format=raw,if=ide,index=0,media=disk")
setsid qemu-system-x86_64 "${accel[@]}" -m "${MEMORY:-256M}" -no-reboot -no-shutdown -display none \
  -serial "file:$serial_log" -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  "${drive[@]}" -cdrom "$iso" -S -gdb "tcp:127.0.0.1:$port" 2> "$qemu_log" &
qemu_pid=$!
# However gdb ends (quit, Ctrl-D, an error), stop QEMU with it. (After gdb's `kill` QEMU has
# already exited, hence the `|| true`.)
trap 'kill "$qemu_pid" 2>/dev/null || true; wait "$qemu_pid" 2>/dev/null || true' EXIT

sleep 0.5
if ! kill -0 "$qemu_pid" 2>/dev/null; then
  echo "gdb.sh: QEMU did not start:" >&2
  cat "$qemu_log" >&2
  exit 1
fi

echo "QEMU is paused at the reset vector, gdbstub on port $port; serial console: tail -f $serial_log"
# `set architecture` before `target remote`: gdb must expect x86-64 registers from QEMU from the
# first packet on, or it fails with "Remote 'g' packet reply is too long". The ELF already says
# x86-64; naming it explicitly keeps that true if someone changes the order of these commands.
gdb -q \
  -ex "file $kernel_elf" \
  -ex "set architecture i386:x86-64" \
  -ex "source $here/gdb/samsara.py" \
  -ex "target remote 127.0.0.1:$port" \
  -ex "set backtrace limit 32" \
  -ex "hbreak kernel_main" \
  -ex "echo \\nReady. 'continue' (c) boots to kernel_main. Then: next, step, bt, samsara-ps, samsara-current, samsara-bootinfo, samsara-caps PID, samsara-endpoints.\\n" \
  || true

# If QEMU ended before gdb did (a crash, a failed start, or gdb's `kill`), show why.
if ! kill -0 "$qemu_pid" 2>/dev/null && [ -s "$qemu_log" ]; then
  echo "QEMU's messages ($qemu_log):"
  cat "$qemu_log"
fi
