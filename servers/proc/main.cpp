/// \file main.cpp
/// \brief The process manager (`proc`): starts programs from the file system, and is their parent for wait, kill, getpid and ps.
///
/// Design (the protocol and its semantics are in userland/lib/protocols/proc.hpp):
/// - The MINIX server skeleton on the service framework: service::start, the program stage,
///   service::ready, then service::run, whose loop hands every message to ProcHandler below.
/// - One endpoint carries two kinds of messages, told apart by badge: requests from processes
///   (badge = pid, or a service badge for kJoin and kList), and the kernel's exit and fault
///   messages about proc's children (badge kEventBadgeBase + generation + pid).
/// - pids are proc's own numbers, not the kernel's: the child's capabilities must be badged
///   with its pid before the kernel creates it. state.hpp lists the mechanism files.
/// - Never blocks on a client: a wait for a running child is parked with sys::reply_save.
///   It does block on fs, which never waits on anyone.
/// - Restarted (mode=fresh), proc forgets every process: orphans of the old instance keep
///   running; their exits are ignored and their faults end them; pids continue from the
///   data store's "proc.next_pid", so none is handed out twice.
#include "print.hpp"
#include "protocols/ds.hpp"
#include "service.hpp"
#include "state.hpp"

namespace {

using namespace proc;

class ProcHandler final : public service::Handler {
public:
    ipc::Message handle(const ipc::Message& m) override
    {
        // The capabilities sent with the previous reply have reached their receiver by now.
        flush_pending_deletes();
        if ((m.badge & kEventBadgeMask) == kEventBadgeBase &&
            (m.label == abi::kExitLabel || m.label == abi::kFaultLabel)) {
            child_event(m);
            return ipc::make(0);  // To no one: an exit is a send, and a faulted thread is dead.
        }
        return handle_request(m);
    }
};

/// The stage: one Memory object, mapped once, that every program file is read into.
bool make_stage()
{
    int64_t memory = sys::memory_allocate(kSlotPool, kStageBytes);
    if (memory <= 0) return false;
    if (sys::memory_map(static_cast<abi::CapSlot>(memory), kStageAddress, abi::map_flags::kWritable) != 0) return false;
    g_proc.stage_memory = static_cast<abi::CapSlot>(memory);
    g_proc.stage = reinterpret_cast<uint8_t*>(kStageAddress);
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    service::Context ctx = service::start(argc, argv);
    if (!make_stage()) service::panic(ctx, "no memory for the program stage (services.conf: memory=)");
    g_proc.next_pid = 1;
    uint64_t saved = 0;
    if (protocol::ds::Client(kSlotDs).retrieve_u64("proc.next_pid", saved) == abi::Error::None && saved > 0)
        g_proc.next_pid = saved;
    g_proc.generation = (sys::clock_ns() >> 10) & 0xffff;
    print("proc: process manager ready (%u processes, %lu KiB program stage, next pid %lu)\n", kMaxProcesses,
          kStageBytes >> 10, g_proc.next_pid);
    service::ready(ctx);
    ProcHandler handler;
    service::run(ctx, handler);
}
