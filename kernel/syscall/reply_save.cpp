/// \file reply_save.cpp
/// \brief `reply_save()`: keeps the unanswered call in a Reply capability, so the server can take other calls and answer it later.
#include "ipc/ipc.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_reply_save(SyscallContext& ctx) { return ipc::reply_save(ctx.thread); }

} // namespace syscalls
