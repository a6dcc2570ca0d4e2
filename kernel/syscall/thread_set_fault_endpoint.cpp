/// \file thread_set_fault_endpoint.cpp
/// \brief `set_fault_endpoint(thread, ep)`: where the thread's faults and its process's exit are reported (ep 0: nowhere).
#include "core/process.hpp"
#include "core/thread.hpp"
#include "object/endpoint.hpp"
#include "syscall/syscall.hpp"

namespace syscalls {

Result<uint64_t> sys_thread_set_fault_endpoint(SyscallContext& ctx)
{
    Capability* tcap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(0)), ObjectType::Thread,
                                                   abi::rights::kManage));
    auto* thread = static_cast<Thread*>(tcap->object);
    if (thread->state == ThreadState::Dead) return Error::PeerDied;
    // A fault or exit message on its way uses the current fault endpoint: not while it waits.
    if (thread->kernel_message.pending) return Error::Busy;
    Endpoint* endpoint = nullptr;
    uint64_t badge = 0;
    if (ctx.arg(1) != abi::kNullSlot) {
        Capability* ecap = TRY(ctx.process.caps.lookup(static_cast<abi::CapSlot>(ctx.arg(1)), ObjectType::Endpoint,
                                                       abi::rights::kWrite));
        endpoint = static_cast<Endpoint*>(ecap->object);
        badge = ecap->badge;
        object_retain(endpoint);
    }
    // The new one is installed before the old one is released: releasing can end lives.
    Endpoint* old = thread->fault_endpoint;
    thread->fault_endpoint = endpoint;
    thread->fault_badge = badge;
    if (old) object_release(old);
    return 0;
}

} // namespace syscalls
