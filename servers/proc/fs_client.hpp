/// \file fs_client.hpp
/// \brief The requests proc makes to the file-system server: reading program files, and creating and ending clients.
///
/// proc calls `fs` with its own service badge (`uses=fs`): its working directory is "/", and
/// only it may send the control requests. Every function returns 0 or a posix::Errno; a
/// transport failure (fs died during the call) is EIO.
#pragma once

#include "protocols/fs.hpp"
#include "state.hpp"

namespace proc::fs {

/// kStat on `path` (absolute).
Errno stat(const char* path, protocol::fs::StatReply& out);
/// kOpen read-only; `fd` gets proc's descriptor.
Errno open(const char* path, int32_t& fd);
/// kRead of at most `length` (<= kMaxTransfer) bytes into `out`; `got` is 0 at the end of the file.
Errno read(int32_t fd, void* out, uint32_t length, uint32_t& got);
void close(int32_t fd);
/// kNewClient: `fs_cap` receives fs's endpoint badged `pid`.
Errno new_client(uint64_t pid, uint64_t parent, const int32_t (&fds)[protocol::fs::kInheritFds], bool console,
                 abi::CapSlot& fs_cap);
/// kClientExit: fs closes every descriptor of `pid` and forgets it.
void client_exit(uint64_t pid);
/// The working directory of client `pid` (kClients, searched), NUL-terminated in `out`.
Errno cwd_of(uint64_t pid, char (&out)[protocol::fs::kPathBytes]);

} // namespace proc::fs
