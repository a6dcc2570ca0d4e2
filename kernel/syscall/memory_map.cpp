/// \file memory_map.cpp
/// \brief `memory_map(mem, vaddr, flags)`: maps a whole Memory object into the caller at `vaddr`.
///
/// Read is needed to map at all, Write to map writable; executable mappings need neither more nor
/// less. The mapping keeps the Memory object alive until the process ends.
#include "abi/system.hpp"
#include "core/process.hpp"
#include "mm/layout.hpp"
#include "mm/page_table.hpp"
#include "mm/user_mapping.hpp"
#include "object/memory.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_memory_map(SyscallContext& ctx)
{
    uint32_t flags = static_cast<uint32_t>(ctx.arg(2));
    uint32_t needed = abi::rights::kRead | ((flags & abi::map_flags::kWritable) ? abi::rights::kWrite : 0);
    Capability* cap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::Memory, needed));
    auto* memory = static_cast<Memory*>(cap->object);
    if (memory->kind == Memory::Kind::Pool) return Error::WrongType;
    uint64_t pte_flags = ((flags & abi::map_flags::kWritable) ? pte::kWritable : 0) |
                         ((flags & abi::map_flags::kExecutable) ? 0 : pte::kNoExecute);
    // The reference first: a mapping must never outlive its frames.
    TRY(remember_mapping(ctx.process, memory));
    TRY(map_physical(ctx.process, ctx.arg(1), layout::page_round_down(memory->phys), memory->page_count(), pte_flags));
    return 0;
}

} // namespace syscalls
