/// \file sys.hpp
/// \brief libsys: typed wrappers for every system call, returning the kernel's Result-style values.
///
/// Each wrapper returns the raw value: >= 0 success, < 0 a negated abi::Error. `sys::error_of`
/// turns a return value into an abi::Error (None for success).
#pragma once

#include "abi/errors.hpp"
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
int64_t spawn(const char* name, const char* args);
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

} // namespace sys
