/// \file internal.hpp
/// \brief libc's private helpers: requests to `fs` and `proc`, error mapping, path copying, stdio's exit hook.
#pragma once

#include "ipc.hpp"
#include "protocols/fs.hpp"
#include "protocols/proc.hpp"
#include <stddef.h>
#include <stdint.h>

namespace libc {

/// Sets errno to `error` and returns -1: `return fail(ENOENT);`.
int fail(int error);

/// The errno for an IPC that failed before the server answered: no capability (ENOSYS: this
/// program has no fs or proc), the server died (EIO), no memory (ENOMEM).
int errno_of(abi::Error error);

/// Calls `slot` with `request`; `reply` gets the answer. Returns the reply's status (0 or a
/// posix::Errno from its first 32 bits), or errno_of() the transport error.
int call(abi::CapSlot slot, const ipc::Message& request, ipc::Message& reply);

/// Sends the protocol struct `body` with `label` to the server at `slot` and unpacks the reply
/// as `Reply`. Returns the status as call() does; `out` is filled whenever the server answered.
template <typename Reply, typename Request>
int request(abi::CapSlot slot, uint32_t label, const Request& body, Reply& out)
{
    ipc::Message m;
    ipc::pack(m, label, body);
    ipc::Message reply;
    int status = call(slot, m, reply);
    out = ipc::unpack<Reply>(reply);
    return status;
}

/// request() to fs.
template <typename Reply, typename Request>
int fs_request(uint32_t label, const Request& body, Reply& out)
{
    return request(protocol::proc::kSlotFs, label, body, out);
}

/// The same for requests with no body (kSync, kGetcwd, kPipe, kStatfs).
template <typename Reply>
int fs_request_empty(uint32_t label, Reply& out)
{
    ipc::Message reply;
    int status = call(protocol::proc::kSlotFs, ipc::make(label), reply);
    out = ipc::unpack<Reply>(reply);
    return status;
}

/// kRead or kWrite of `length` (<= kMaxTransfer) bytes on `fd`, lending `buffer` as the call's
/// window with `rights` (abi::window_rights). Returns the status as call() does; `moved` gets
/// the bytes the server reports.
int fs_transfer(uint32_t label, int fd, const void* buffer, uint32_t length, uint32_t rights, size_t& moved);

/// request() to proc.
template <typename Reply, typename Request>
int proc_request(uint32_t label, const Request& body, Reply& out)
{
    return request(protocol::proc::kSlotProc, label, body, out);
}

/// Copies `path` into a protocol path field. Returns 0, EFAULT (NULL), ENOENT (empty: POSIX
/// says so) or ENAMETOOLONG (more than kPathMax bytes: it cannot travel).
int copy_path(char (&field)[protocol::fs::kPathBytes], const char* path);

/// A path request {flags, mode, size, path} to fs answered by a plain Reply. Returns the
/// Reply's value, or -1 with errno.
int64_t path_call(uint32_t label, const char* path, uint32_t flags = 0, uint32_t mode = 0, uint64_t size = 0);

} // namespace libc

/// Flushes every stdio stream. Defined in stdio.cpp; a weak reference here (and in libsys's
/// start-up code), so exit() and a return from main flush streams in programs that use stdio
/// without dragging stdio into programs that do not.
extern "C" void libc_flush_at_exit() __attribute__((weak));

/// argv[0] (set by libsys's start-up code).
extern "C" const char* libsys_program_name;
