/// \file lifecycle.cpp
/// \brief How processes end: the kernel's exit and fault messages, kill, zombies and parked waits, orphans, and joined processes that end unseen.
///
/// proc is the kernel parent and the fault handler of every process it starts, so the kernel
/// tells it of each end as a message on its own endpoint, badged for the child:
///   - an exit: kExitLabel, word 0 the code; the process is already a zombie in the kernel;
///   - a fault: kFaultLabel, words vector, error code, rip, cr2; the thread waits for our reply
///     (which would retry the instruction), so proc kills the process instead.
/// A kill is proc's own doing and needs no message. In every case proc reaps the kernel's
/// zombie with sys::wait and then keeps its own, POSIX zombie (the wait status) until the
/// parent waits for it.
#include "fs_client.hpp"
#include "print.hpp"
#include "state.hpp"

namespace proc {

namespace {

/// The signal POSIX systems deliver for a CPU exception (Linux's choices).
// LAB 6 STUB: [[maybe_unused]]
int32_t signal_for(uint64_t vector)
{
    switch (vector) {
    case 0: return 8;    // #DE divide error: SIGFPE
    case 1:
    case 3: return 5;    // #DB, #BP: SIGTRAP
    case 6: return 4;    // #UD invalid opcode: SIGILL
    case 16:
    case 19: return 8;   // x87 and SIMD floating point: SIGFPE
    case 11:
    case 12:
    case 17: return 7;   // #NP, #SS, #AC: SIGBUS
    default: return 11;  // #GP, #PF and the rest: SIGSEGV
    }
}

const char* exception_name(uint64_t vector)
{
    switch (vector) {
    case 0: return "divide error";
    case 3: return "breakpoint";
    case 6: return "invalid opcode";
    case 13: return "general protection fault";
    case 14: return "page fault";
    default: return "exception";
    }
}

/// The POSIX wait status for the kernel's exit or fault message `m` about a child: an exit
/// code in bits 8..15 (WIFEXITED, WEXITSTATUS), or the number of the signal that ended it in
/// bits 0..6 (WIFSIGNALED, WTERMSIG).
int32_t wait_status(const ipc::Message& m)
{
    // LAB 6 BEGIN SOLUTION
    // LAB 6 STUB: (void)m;
    // LAB 6 STUB: return 0;
    if (m.label == abi::kExitLabel) return (static_cast<int32_t>(m.words[0]) & 0xff) << 8;
    return signal_for(m.words[0]);  // A fault: word 0 is the vector.
    // LAB 6 END SOLUTION
}

/// Collects the kernel's zombie and drops proc's Process capability.
void reap_kernel(Process& p)
{
    abi::ExitInfo info{};
    if (p.kernel_pid && !p.joined) sys::wait(static_cast<int64_t>(p.kernel_pid), &info);
    if (p.process) sys::cap_delete(p.process);
    p.process = 0;
}

// [proc-answer-wait]
/// Answers `parent`'s parked wait with zombie `child`, if it waits for it; true if answered.
// LAB 6 STUB: [[maybe_unused]]
bool answer_parked_wait(Process& parent, Process& child)
{
    // LAB 6 BEGIN SOLUTION
    // LAB 6 STUB: (void)parent;
    // LAB 6 STUB: (void)child;
    // LAB 6 STUB: return false;
    if (!parent.wait_reply || (parent.wait_pid != -1 && parent.wait_pid != static_cast<int64_t>(child.pid)))
        return false;
    protocol::proc::WaitReply reply{0, child.wstatus, static_cast<int64_t>(child.pid), {}};
    ipc::Message m;
    ipc::pack(m, protocol::proc::kWait, reply);
    abi::Error e = ipc::reply_saved(parent.wait_reply, m);
    parent.wait_reply = 0;  // Used up either way.
    return e == abi::Error::None;
    // LAB 6 END SOLUTION
}
// [proc-answer-wait]

} // namespace

// [proc-child-event]
void child_event(const ipc::Message& m)
{
    uint64_t generation = (m.badge >> 32) & 0xffff;
    Process* p = generation == g_proc.generation ? find(m.badge & 0xffffffffu) : nullptr;
    if (!p || p->state != Slot::Running || p->joined) {
        // A child of an earlier proc instance (an orphan now). Its exit needs nothing; a fault
        // would retry forever if answered, so dropping the saved reply ends the process.
        if (m.label == abi::kFaultLabel) {
            int64_t reply = sys::reply_save();
            if (reply > 0) sys::cap_delete(static_cast<abi::CapSlot>(reply));
        }
        return;
    }
    if (m.label == abi::kFaultLabel) {
        // A fault: one line, then the process goes (the reply we owe the thread goes with it).
        print("proc: pid %lu (%s) faulted: %s (vector %lu) at rip 0x%lx, address 0x%lx\n", p->pid, p->name,
              exception_name(m.words[0]), m.words[0], m.words[2], m.words[3]);
        sys::process_kill(p->process);
    }
    reap_kernel(*p);
    ended(*p, wait_status(m));
}
// [proc-child-event]

void kill(Process& target, int32_t signal)
{
    // A process that has just exited has its exit message on the way: it ends through that.
    if (sys::process_kill(target.process) != 0) return;
    reap_kernel(target);
    ended(target, signal);
}

// [proc-ended]
void ended(Process& p, int32_t wstatus)
{
    fs::client_exit(p.pid);
    // LAB 6 BEGIN SOLUTION
    // LAB 6 STUB: // For now the dead are forgotten at once: nobody can ever wait for them.
    // LAB 6 STUB: (void)wstatus;
    // LAB 6 STUB: release(p);
    // Its children lose their parent: zombies are dropped, the living end unwaited-for.
    for (Process& c : g_proc.table) {
        if (c.state == Slot::Free || c.parent != p.pid || &c == &p) continue;
        c.parent = 0;
        if (c.state == Slot::Zombie) release(c);
    }
    // A wait it had parked can never be answered now.
    if (p.wait_reply) sys::cap_delete(p.wait_reply);
    p.wait_reply = 0;
    if (p.process) sys::cap_delete(p.process);
    p.process = 0;

    p.state = Slot::Zombie;
    p.wstatus = wstatus;
    Process* parent = p.parent ? find(p.parent) : nullptr;
    if (!parent || parent->state != Slot::Running) {
        release(p);  // Nobody will ever wait for it.
        return;
    }
    if (answer_parked_wait(*parent, p)) release(p);
    // LAB 6 END SOLUTION
}
// [proc-ended]

Process* find_zombie(const Process& parent, int64_t want, bool& any)
{
    // LAB 6 BEGIN SOLUTION
    // LAB 6 STUB: (void)parent;
    // LAB 6 STUB: (void)want;
    // LAB 6 STUB: any = false;
    // LAB 6 STUB: return nullptr;
    any = false;
    for (Process& c : g_proc.table) {
        if (c.state == Slot::Free || c.parent != parent.pid) continue;
        if (want != -1 && static_cast<int64_t>(c.pid) != want) continue;
        any = true;
        if (c.state == Slot::Zombie) return &c;
    }
    return nullptr;
    // LAB 6 END SOLUTION
}

void sweep_joined()
{
    for (Process& p : g_proc.table) {
        if (p.state != Slot::Running || !p.joined) continue;
        // A probe that changes nothing: the kernel answers PeerDied for a process that has
        // ended before it looks at the address (0, which is never mapped: BadAddress).
        if (sys::error_of(sys::process_poke(p.process, 0, 0)) == abi::Error::PeerDied) ended(p, 0);
    }
}

} // namespace proc
