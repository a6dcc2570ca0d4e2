/// \file memory_allocate.cpp
/// \brief `memory_allocate(pool, size)`: zeroed, physically contiguous frames charged to a pool.
#include "core/process.hpp"
#include "object/memory.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_memory_allocate(SyscallContext& ctx)
{
    Capability* cap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::Memory,
                                                  abi::rights::kManage));
    auto* pool = static_cast<Memory*>(cap->object);
    if (pool->kind != Memory::Kind::Pool) return Error::WrongType;
    Memory* memory = TRY(Memory::allocate(pool, ctx.arg(1)));
    auto slot = ctx.process.caps.insert({memory, abi::rights::kRead | abi::rights::kWrite | abi::rights::kGrant, 0},
                                        ctx.process.caps.slot_at(static_cast<abi::CapSlot>(ctx.arg(0))));
    if (slot.is_error()) object_release(memory);
    return TRY(slot);
}

} // namespace syscalls
