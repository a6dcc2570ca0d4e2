/// \file range_split.cpp
/// \brief `range_split(slot, start, length)`: a capability to part of an I/O-port range, an MMIO range or a memory pool.
///
/// The part is a new object whose capability is derived from the original, so revoking the
/// original also takes the part away. `start` is the first port or physical address of the part
/// (ignored for a pool, where `length` bytes of budget move to the new pool).
#include "core/process.hpp"
#include "object/io_port_range.hpp"
#include "object/memory.hpp"
#include "object/mmio_range.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

namespace {
Result<KernelObject*> make_part(KernelObject* whole, uint64_t start, uint64_t length)
{
    if (length == 0) return Error::InvalidArgument;
    // For ports and device memory `start` is absolute (a port number, a physical address): what
    // a driver reads in a PCI BAR or a data sheet. It must lie inside the whole range.
    if (auto* ports = object_cast<IoPortRange>(whole)) {
        if (start < ports->base || start - ports->base >= ports->count || length > ports->count - (start - ports->base))
            return Error::InvalidArgument;
        return TRY(IoPortRange::create(static_cast<uint16_t>(start), static_cast<uint32_t>(length)));
    }
    if (auto* mmio = object_cast<MmioRange>(whole)) {
        if (start % 4096 || length % 4096 || start < mmio->phys || start - mmio->phys >= mmio->size ||
            length > mmio->size - (start - mmio->phys))
            return Error::InvalidArgument;
        return TRY(MmioRange::create(start, length));
    }
    if (auto* pool = object_cast<Memory>(whole)) {
        if (pool->kind != Memory::Kind::Pool) return Error::WrongType;
        if (length > pool->budget) return Error::NoMemory;
        Memory* part = TRY(Memory::create_pool(length));
        pool->budget -= length;
        return part;
    }
    return Error::WrongType;
}
} // namespace

Result<uint64_t> sys_range_split(SyscallContext& ctx)
{
    auto slot = static_cast<abi::CapSlot>(ctx.arg(0));
    Capability* cap = TRY(ctx.process.caps.lookup(slot, ObjectType::None, abi::rights::kManage));
    KernelObject* part = TRY(make_part(cap->object, ctx.arg(1), ctx.arg(2)));
    auto inserted = ctx.process.caps.insert({part, cap->rights, 0}, ctx.process.caps.slot_at(slot));
    if (inserted.is_error()) object_release(part);
    return TRY(inserted);
}

} // namespace syscalls
