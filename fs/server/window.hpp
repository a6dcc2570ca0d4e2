/// \file window.hpp
/// \brief Moving file data through the window a kRead or kWrite call lends (kernel/ipc/window.hpp), as POSIX errors.
///
/// `reply` names the call: abi::kNullSlot for the request being handled now, or the saved reply
/// capability of a parked call (a pipe reader served when data arrives). A call that lent no
/// window, or too small a one, or over unmapped memory, is the client's bad buffer: EFAULT.
#pragma once

#include "protocols/errno.hpp"
#include "sys.hpp"
#include <stdint.h>

namespace fs::window {

/// Bytes the server moves through its own staging buffer per step (file reads and writes, the
/// console); a call of up to kMaxTransfer takes several steps.
inline constexpr uint32_t kStagingBytes = 64 * 1024;

/// Copies `length` bytes into the caller's window at `offset`. \return kOk or EFAULT.
inline posix::Errno put(abi::CapSlot reply, uint64_t offset, const void* bytes, uint64_t length)
{
    if (length == 0) return posix::kOk;
    return sys::window_write(reply, offset, bytes, length) == 0 ? posix::kOk : posix::EFAULT;
}

/// Copies `length` bytes from the caller's window at `offset`. \return kOk or EFAULT.
inline posix::Errno get(abi::CapSlot reply, uint64_t offset, void* bytes, uint64_t length)
{
    if (length == 0) return posix::kOk;
    return sys::window_read(reply, offset, bytes, length) == 0 ? posix::kOk : posix::EFAULT;
}

} // namespace fs::window
