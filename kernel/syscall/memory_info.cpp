/// \file memory_info.cpp
/// \brief `memory_info(mem, MemoryInfo*)`: the size and, for DMA, the physical address of a Memory object.
#include "core/process.hpp"
#include "object/memory.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_memory_info(SyscallContext& ctx)
{
    Capability* cap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::Memory, 0));
    auto* memory = static_cast<Memory*>(cap->object);
    abi::MemoryInfo info{};
    info.kind = static_cast<uint32_t>(memory->kind);
    info.size = memory->kind == Memory::Kind::Pool ? memory->budget : memory->size;
    info.phys = memory->phys;
    // Whoever learns the physical address can point a device at it (Memory::destroy).
    if (memory->kind == Memory::Kind::Frames) memory->device_visible = true;
    TRY(copy_to_user(ctx.process.space, ctx.arg(1), &info, sizeof(info)));
    return 0;
}

} // namespace syscalls
