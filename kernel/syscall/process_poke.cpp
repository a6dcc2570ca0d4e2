/// \file process_poke.cpp
/// \brief `process_poke(process, vaddr, xor)`: XORs one byte of another process's memory, ignoring page permissions.
///
/// This is how the reincarnation server injects software faults from outside (SWIFI, as MINIX's
/// swifi does): it flips bits in a service's text pages. It needs the Manage right on the
/// Process capability, which only the process's creator holds. The new byte is returned.
#include "core/process.hpp"
#include "mm/layout.hpp"
#include "mm/page_table.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_process_poke(SyscallContext& ctx)
{
    Capability* cap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::Process,
                                                  abi::rights::kManage));
    auto* target = static_cast<Process*>(cap->object);
    if (target->state == ProcessState::Zombie) return Error::PeerDied;
    uint64_t vaddr = ctx.arg(1);
    if (!layout::is_user_range(vaddr, 1)) return Error::BadAddress;
    auto t = target->space.page_table().translate(vaddr);
    if (t.is_error() || !(t.value().flags & pte::kUser) || (t.value().flags & pte::kBorrowed))
        return Error::BadAddress;  // Unmapped, or a device/shared page that is not the process's own.
    auto* byte = static_cast<uint8_t*>(layout::phys_to_virt(t.value().phys));
    *byte ^= static_cast<uint8_t>(ctx.arg(2));
    return *byte;
}

} // namespace syscalls
