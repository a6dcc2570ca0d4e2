/// \file mmio_map.cpp
/// \brief `mmio_map(mmio, vaddr)`: maps device registers uncached (and never executable) into the caller.
#include "core/process.hpp"
#include "mm/page_table.hpp"
#include "mm/user_mapping.hpp"
#include "object/mmio_range.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_mmio_map(SyscallContext& ctx)
{
    Capability* cap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::MmioRange,
                                                  abi::rights::kRead | abi::rights::kWrite));
    auto* range = static_cast<MmioRange*>(cap->object);
    uint64_t flags = pte::kWritable | pte::kCacheDisable | pte::kWriteThrough | pte::kNoExecute;
    TRY(map_physical(ctx.process, ctx.arg(1), range->phys, range->size / 4096, flags));
    return 0;
}

} // namespace syscalls
