/// \file spawn.cpp
/// \brief `spawn(SpawnRequest*)`: starts a program from a Memory capability, giving it exactly the listed capabilities.
#include "abi/system.hpp"
#include "core/exec.hpp"
#include "core/process.hpp"
#include "core/scheduler.hpp"
#include "core/thread.hpp"
#include "mm/layout.hpp"
#include "object/endpoint.hpp"
#include "object/memory.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

namespace {

/// Every check that can fail, before anything is created.
Result<Memory*> check_request(SyscallContext& ctx, const abi::SpawnRequest& req)
{
    Capability* image = TRY(ctx.process.caps.lookup(req.image, ObjectType::Memory, abi::rights::kRead));
    auto* memory = static_cast<Memory*>(image->object);
    if (memory->kind == Memory::Kind::Pool) return Error::WrongType;
    if (req.name_len == 0 || req.name_len >= 32 || req.args_len >= exec::kMaxArgs) return Error::InvalidArgument;
    if (req.priority > 31 || req.cap_count > abi::kMaxSpawnCaps) return Error::InvalidArgument;
    if (req.fault_endpoint != abi::kNullSlot)
        TRY(ctx.process.caps.lookup(req.fault_endpoint, ObjectType::Endpoint, abi::rights::kWrite));
    for (uint32_t i = 0; i < req.cap_count; ++i) {
        TRY(ctx.process.caps.lookup(req.caps[i].src, ObjectType::None, 0));
        if (req.caps[i].dst < abi::kFirstFreeSlot || req.caps[i].dst >= abi::kCapTableSlots)
            return Error::InvalidArgument;
        for (uint32_t j = 0; j < i; ++j)
            if (req.caps[j].dst == req.caps[i].dst) return Error::InvalidArgument;
    }
    return memory;
}

} // namespace

Result<uint64_t> sys_spawn(SyscallContext& ctx)
{
    abi::SpawnRequest req;
    TRY(copy_from_user(ctx.process.space, &req, ctx.arg(0), sizeof(req)));
    Memory* image = TRY(check_request(ctx, req));
    char name[32];
    char args[exec::kMaxArgs];
    TRY(copy_string_from_user(ctx.process.space, name, sizeof(name), reinterpret_cast<uint64_t>(req.name), req.name_len));
    TRY(copy_string_from_user(ctx.process.space, args, sizeof(args), reinterpret_cast<uint64_t>(req.args), req.args_len));
    // The result slots are written back at the end: check the pointer is writable now.
    TRY(check_user_range(ctx.process.space, ctx.arg(0), sizeof(req), true));

    uint8_t priority = req.priority ? static_cast<uint8_t>(req.priority) : scheduler::kDefaultPriority;
    Process* child = TRY(exec::spawn(name, static_cast<const uint8_t*>(layout::phys_to_virt(image->phys)), image->size,
                                     args, req.args_len, &ctx.process, priority));

    // The child's capabilities: copies (children of ours, so we can revoke them) in the slots asked for.
    for (uint32_t i = 0; i < req.cap_count; ++i) {
        CapEntry* src = ctx.process.caps.slot_at(req.caps[i].src);
        (void)child->caps.derive(src, req.caps[i].rights, 0, req.caps[i].dst);
    }
    if (req.fault_endpoint != abi::kNullSlot) {
        Capability* ep = ctx.process.caps.lookup(req.fault_endpoint, ObjectType::Endpoint, abi::rights::kWrite).value();
        Thread* thread = child->main_thread;
        thread->fault_endpoint = static_cast<Endpoint*>(ep->object);
        thread->fault_badge = ep->badge;
        object_retain(ep->object);
    }
    // Capabilities to the child for the caller; if our table is full the child still runs.
    object_retain(child);
    object_retain(child->main_thread);
    auto pslot = ctx.process.caps.insert({child, abi::rights::kAll, 0}, nullptr);
    if (pslot.is_error()) object_release(child);
    auto tslot = ctx.process.caps.insert({child->main_thread, abi::rights::kAll, 0}, nullptr);
    if (tslot.is_error()) object_release(child->main_thread);
    req.process_slot = pslot.is_error() ? abi::kNullSlot : pslot.value();
    req.thread_slot = tslot.is_error() ? abi::kNullSlot : tslot.value();
    (void)copy_to_user(ctx.process.space, ctx.arg(0), &req, sizeof(req));

    uint64_t pid = child->pid;
    exec::start(child);
    return pid;
}

} // namespace syscalls
