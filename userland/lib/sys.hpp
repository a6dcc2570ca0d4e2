/// \file sys.hpp
/// \brief libsys: typed wrappers for every system call, returning the kernel's Result-style values.
///
/// Each wrapper returns the raw value: >= 0 success, < 0 a negated abi::Error. `sys::error_of`
/// turns a return value into an abi::Error (None for success).
#pragma once

#include "abi/boot.hpp"
#include "abi/capability.hpp"
#include "abi/errors.hpp"
#include "abi/ipc.hpp"
#include "abi/syscalls.hpp"
#include "abi/system.hpp"
#include "syscall.hpp"
#include <stddef.h>
#include <stdint.h>

namespace sys {

inline abi::Error error_of(int64_t ret) { return ret < 0 ? static_cast<abi::Error>(-ret) : abi::Error::None; }

inline uint64_t number(abi::Syscall s) { return static_cast<uint64_t>(s); }

inline int64_t debug_write(const void* buf, size_t len)
{
    return raw::syscall(number(abi::Syscall::debug_write), reinterpret_cast<uint64_t>(buf), len);
}
[[noreturn]] inline void exit(int code)
{
    raw::syscall(number(abi::Syscall::exit), static_cast<uint64_t>(code));
    __builtin_unreachable();
}
inline int64_t yield() { return raw::syscall(number(abi::Syscall::yield)); }
inline int64_t system_info(abi::SystemInfo* info)
{
    return raw::syscall(number(abi::Syscall::system_info), reinterpret_cast<uint64_t>(info));
}
/// Starts a program; fills `request.process_slot` and `thread_slot`. Returns the pid.
inline int64_t spawn(abi::SpawnRequest& request)
{
    return raw::syscall(number(abi::Syscall::spawn), reinterpret_cast<uint64_t>(&request));
}
inline int64_t wait(int64_t pid, abi::ExitInfo* info)
{
    return raw::syscall(number(abi::Syscall::wait), static_cast<uint64_t>(pid), reinterpret_cast<uint64_t>(info));
}
inline uint64_t clock_ns() { return static_cast<uint64_t>(raw::syscall(number(abi::Syscall::clock))); }
inline int64_t sleep_ns(uint64_t ns) { return raw::syscall(number(abi::Syscall::sleep), ns); }
[[noreturn]] inline void poweroff(uint8_t code)
{
    raw::syscall(number(abi::Syscall::poweroff), code);
    __builtin_unreachable();
}

// Capabilities.
inline int64_t cap_copy(abi::CapSlot src, abi::CapSlot dst, uint32_t rights)
{
    return raw::syscall(number(abi::Syscall::cap_copy), src, dst, rights);
}
inline int64_t cap_mint(abi::CapSlot src, abi::CapSlot dst, uint32_t rights, uint64_t badge)
{
    return raw::syscall(number(abi::Syscall::cap_mint), src, dst, rights, badge);
}
inline int64_t cap_move(abi::CapSlot src, abi::CapSlot dst) { return raw::syscall(number(abi::Syscall::cap_move), src, dst); }
inline int64_t cap_delete(abi::CapSlot slot) { return raw::syscall(number(abi::Syscall::cap_delete), slot); }
inline int64_t cap_revoke(abi::CapSlot slot) { return raw::syscall(number(abi::Syscall::cap_revoke), slot); }
inline int64_t cap_identify(abi::CapSlot slot, abi::CapInfo* info)
{
    return raw::syscall(number(abi::Syscall::cap_identify), slot, reinterpret_cast<uint64_t>(info));
}

// Objects.
inline int64_t endpoint_create() { return raw::syscall(number(abi::Syscall::endpoint_create)); }
inline int64_t notification_create() { return raw::syscall(number(abi::Syscall::notification_create)); }
inline int64_t memory_allocate(abi::CapSlot pool, uint64_t size)
{
    return raw::syscall(number(abi::Syscall::memory_allocate), pool, size);
}
inline int64_t memory_map(abi::CapSlot memory, uint64_t vaddr, uint32_t flags)
{
    return raw::syscall(number(abi::Syscall::memory_map), memory, vaddr, flags);
}
inline int64_t memory_info(abi::CapSlot memory, abi::MemoryInfo* info)
{
    return raw::syscall(number(abi::Syscall::memory_info), memory, reinterpret_cast<uint64_t>(info));
}
inline int64_t mmio_map(abi::CapSlot mmio, uint64_t vaddr) { return raw::syscall(number(abi::Syscall::mmio_map), mmio, vaddr); }
inline int64_t range_split(abi::CapSlot slot, uint64_t offset, uint64_t length)
{
    return raw::syscall(number(abi::Syscall::range_split), slot, offset, length);
}
inline int64_t irq_bind(abi::CapSlot irq, abi::CapSlot notification)
{
    return raw::syscall(number(abi::Syscall::irq_bind), irq, notification);
}
inline int64_t irq_ack(abi::CapSlot irq) { return raw::syscall(number(abi::Syscall::irq_ack), irq); }
inline int64_t timer_arm(abi::CapSlot notification, uint64_t ns, uint64_t period_ns)
{
    return raw::syscall(number(abi::Syscall::timer_arm), notification, ns, period_ns);
}
inline int64_t thread_set_fault_endpoint(abi::CapSlot thread, abi::CapSlot endpoint)
{
    return raw::syscall(number(abi::Syscall::thread_set_fault_endpoint), thread, endpoint);
}
inline int64_t process_kill(abi::CapSlot process) { return raw::syscall(number(abi::Syscall::process_kill), process); }
inline int64_t notification_bind(abi::CapSlot thread, abi::CapSlot notification)
{
    return raw::syscall(number(abi::Syscall::notification_bind), thread, notification);
}
/// XORs the byte at `vaddr` in `process` with `mask`; returns the new byte.
inline int64_t process_poke(abi::CapSlot process, uint64_t vaddr, uint8_t mask)
{
    return raw::syscall(number(abi::Syscall::process_poke), process, vaddr, mask);
}

// Notifications: the word comes back in the badge register.
inline int64_t notify_signal(abi::CapSlot n) { return raw::syscall(number(abi::Syscall::notify_signal), n); }
inline raw::IpcRegisters notify_wait(abi::CapSlot n) { return raw::ipc(number(abi::Syscall::notify_wait), n, 0, 0, 0, 0, 0); }
inline raw::IpcRegisters notify_poll(abi::CapSlot n) { return raw::ipc(number(abi::Syscall::notify_poll), n, 0, 0, 0, 0, 0); }
/// Keeps the call just received (and not yet answered) in a new Reply capability; returns its
/// slot. The server can then take other calls and answer this one later with ipc::reply_saved.
inline int64_t reply_save() { return raw::syscall(number(abi::Syscall::reply_save)); }

/// \name Windows (kernel/ipc/window.hpp): a server copies from or into the memory a call lent,
/// while it holds the call. `reply` is abi::kNullSlot for the call being answered now, or a
/// Reply capability from reply_save. 0, or a negated abi::Error.
/// @{
inline int64_t window_read(abi::CapSlot reply, uint64_t offset, void* dst, uint64_t length)
{
    return raw::syscall(number(abi::Syscall::window_read), reply, offset, reinterpret_cast<uint64_t>(dst), length);
}
inline int64_t window_write(abi::CapSlot reply, uint64_t offset, const void* src, uint64_t length)
{
    return raw::syscall(number(abi::Syscall::window_write), reply, offset, reinterpret_cast<uint64_t>(src), length);
}
/// @}

/// The boot-information page (init only; elsewhere it is not mapped).
inline const abi::BootInfoPage& boot_info() { return *reinterpret_cast<const abi::BootInfoPage*>(abi::kBootInfoAddress); }
/// This thread's IPC buffer.
inline abi::IpcBuffer& ipc_buffer() { return *reinterpret_cast<abi::IpcBuffer*>(abi::kIpcBufferAddress); }

} // namespace sys
