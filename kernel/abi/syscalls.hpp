/// \file syscalls.hpp
/// \brief The system-call table: one X-macro list that the kernel's dispatcher and libsys's stubs both expand.
///
/// Calling convention (SYSCALL): number in RAX; arguments in RDI, RSI, RDX, R10, R8, R9; result
/// in RAX (>= 0 success, < 0 a negated abi::Error). RCX and R11 are clobbered.
/// Adding a system call means one line here and one file in kernel/syscall/.
#pragma once

#include <stdint.h>

/// X(number, name, description)
#define SAMSARA_SYSCALLS(X)                                                                          \
    X(0, debug_write, "write(buf, len): write bytes to the kernel console; returns len")           \
    X(1, exit, "exit(code): end the calling process")                                               \
    X(2, yield, "yield(): give up the rest of the time slice")                                       \
    X(3, system_info, "system_info(SystemInfo*): kernel version, memory, uptime, pid")               \
    X(4, spawn, "spawn(SpawnRequest*): start a program from a Memory capability; returns pid")       \
    X(5, wait, "wait(pid, ExitInfo*): wait for a child (pid 0: any) to end")                         \
    X(6, clock, "clock(): nanoseconds since boot")                                                   \
    X(7, sleep, "sleep(ns): block for at least ns nanoseconds")                                      \
    X(8, poweroff, "poweroff(code): stop the machine; needs an IoPortRange covering port 0xf4")      \
    X(9, ipc_send, "send(ep, info, w0..w3): send, waiting for a receiver")                           \
    X(10, ipc_nb_send, "nb_send(ep, info, w0..w3): send only if a receiver waits, else WouldBlock")  \
    X(11, ipc_call, "call(ep, info, w0..w3): send and wait for the reply")                          \
    X(12, ipc_recv, "recv(ep): wait for a message; badge in RDI")                                    \
    X(13, ipc_reply_recv, "reply_recv(ep, info, w0..w3): reply to the last caller, then recv")      \
    X(14, notify_signal, "signal(ntfn): OR the capability's badge into the word")                   \
    X(15, notify_wait, "wait(ntfn): block until the word is non-zero; word in RDI")                  \
    X(16, notify_poll, "poll(ntfn): the word (maybe 0) in RDI, without blocking")                    \
    X(17, cap_copy, "cap_copy(src, dst, rights): copy with rights masked; returns the new slot")     \
    X(18, cap_mint, "cap_mint(src, dst, rights, badge): copy with a badge; returns the new slot")    \
    X(19, cap_move, "cap_move(src, dst): move; returns the new slot")                               \
    X(20, cap_delete, "cap_delete(slot): delete one capability")                                     \
    X(21, cap_revoke, "cap_revoke(slot): delete every capability derived from this one")             \
    X(22, cap_identify, "cap_identify(slot, CapInfo*): type, rights, badge, object id")              \
    X(23, endpoint_create, "endpoint_create(): a new endpoint; returns its slot")                    \
    X(24, notification_create, "notification_create(): a new notification; returns its slot")        \
    X(25, memory_allocate, "memory_allocate(pool, size): contiguous zeroed frames; returns a slot")  \
    X(26, memory_map, "memory_map(mem, vaddr, flags): map a Memory object")                         \
    X(27, memory_info, "memory_info(mem, MemoryInfo*): size and physical address")                  \
    X(28, mmio_map, "mmio_map(mmio, vaddr): map device memory uncached")                            \
    X(29, range_split, "range_split(slot, start, length): a capability to part of a range")        \
    X(30, irq_bind, "irq_bind(irq, ntfn): deliver the IRQ as a signal of the ntfn's badge")         \
    X(31, irq_ack, "irq_ack(irq): re-arm the line after handling it")                               \
    X(32, timer_arm, "timer_arm(ntfn, ns, period_ns): signal the notification after ns")             \
    X(33, thread_set_fault_endpoint, "set_fault_endpoint(thread, ep): where faults and exit go")    \
    X(34, process_kill, "process_kill(process): end a process")                                     \
    X(35, notification_bind, "notification_bind(thread, ntfn): receives also return its signals")    \
    X(36, process_poke, "process_poke(process, vaddr, xor): flip bits in another process's memory") \
    X(37, reply_save, "reply_save(): move the unanswered call into a Reply capability; returns its slot") \
    X(38, reply_send, "reply_send(reply, info, w0..w3): answer a saved call; deletes the capability") \
    X(39, window_read, "window_read(reply, offset, dst, len): copy from the window the call lent")  \
    X(40, window_write, "window_write(reply, offset, src, len): copy into the window the call lent")

namespace abi {

enum class Syscall : uint64_t {
#define SAMSARA_SYSCALL_ENUM(number, name, description) name = number,
    SAMSARA_SYSCALLS(SAMSARA_SYSCALL_ENUM)
#undef SAMSARA_SYSCALL_ENUM
};

/// One more than the highest system-call number.
inline constexpr uint64_t kSyscallCount = 41;

} // namespace abi
