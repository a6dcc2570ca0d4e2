/// \file spawn.cpp
/// \brief `spawn(name, name_len, args, args_len)`: starts a boot module as a child process.
///
/// Until the capability issue lands this is how init starts programs; later it becomes an
/// operation on a boot-module capability that only init holds.
#include "core/boot_modules.hpp"
#include "core/exec.hpp"
#include "core/process.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_spawn(SyscallContext& ctx)
{
    char name[32];
    char args[exec::kMaxArgs];
    TRY(copy_string_from_user(ctx.process.space, name, sizeof(name), ctx.arg(0), ctx.arg(1)));
    TRY(copy_string_from_user(ctx.process.space, args, sizeof(args), ctx.arg(2), ctx.arg(3)));
    const boot_modules::BootModule* module = boot_modules::find(name, ctx.arg(1));
    if (!module) return Error::NotFound;
    Process* child = TRY(exec::spawn(module->name, module->data, module->size, args, ctx.arg(3), &ctx.process));
    return child->pid;
}

} // namespace syscalls
