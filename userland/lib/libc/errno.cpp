/// \file errno.cpp
/// \brief errno, strerror, and the mapping from IPC failures and calls to error numbers.
#include "internal.hpp"
#include <errno.h>
#include <stdio.h>
#include <string.h>

extern "C" {
int errno = 0;
}

namespace libc {

int fail(int error)
{
    errno = error;
    return -1;
}

// [libc-call]
int errno_of(abi::Error error)
{
    switch (error) {
    case abi::Error::None: return 0;
    // No capability in the slot (or not an endpoint we may call): there is no server to ask.
    case abi::Error::InvalidCapability:
    case abi::Error::WrongType:
    case abi::Error::InsufficientRights:
    case abi::Error::Revoked: return ENOSYS;
    case abi::Error::NoMemory: return ENOMEM;
    // The server died, or dropped us, in the middle: the request's outcome is unknown.
    default: return EIO;
    }
}

int call(abi::CapSlot slot, const ipc::Message& request, ipc::Message& reply)
{
    ipc::Result r = ipc::call(slot, request);
    if (!r.ok()) {
        reply = ipc::Message{};
        return errno_of(r.error);
    }
    reply = r.message;
    return static_cast<int32_t>(reply.words[0] & 0xffffffffu);
}
// [libc-call]

// [libc-fs-transfer]
int fs_transfer(uint32_t label, int fd, const void* buffer, uint32_t length, uint32_t rights, size_t& moved)
{
    ipc::Message m;
    ipc::pack(m, label, protocol::fs::FdRequest{fd, length, 0});
    ipc::lend(m, buffer, length, rights);
    ipc::Message answer;
    int status = call(protocol::proc::kSlotFs, m, answer);
    int64_t value = ipc::unpack<protocol::fs::Reply>(answer).value;
    // Never more than asked, whatever the server says.
    moved = status == 0 && value > 0 ? (static_cast<uint64_t>(value) < length ? size_t(value) : length) : 0;
    return status;
}
// [libc-fs-transfer]

int copy_path(char (&field)[protocol::fs::kPathBytes], const char* path)
{
    if (!path) return EFAULT;
    size_t n = strnlen(path, protocol::fs::kPathMax + 1);
    if (n == 0) return ENOENT;
    if (n > protocol::fs::kPathMax) return ENAMETOOLONG;
    memcpy(field, path, n);
    field[n] = '\0';
    return 0;
}

int64_t path_call(uint32_t label, const char* path, uint32_t flags, uint32_t mode, uint64_t size)
{
    protocol::fs::PathRequest request{};
    request.flags = flags;
    request.mode = mode;
    request.size = size;
    if (int e = copy_path(request.path, path)) return fail(e);
    protocol::fs::Reply reply{};
    if (int e = fs_request(label, request, reply)) return fail(e);
    return reply.value;
}

} // namespace libc

extern "C" char* strerror(int errnum)
{
    const char* text = posix::strerror(errnum);
    // Not one of ours: "Unknown error N", as glibc says.
    if (errnum != 0 && strcmp(text, "Unknown error") == 0) {
        static char unknown[32];
        snprintf(unknown, sizeof(unknown), "Unknown error %d", errnum);
        return unknown;
    }
    return const_cast<char*>(text);
}
