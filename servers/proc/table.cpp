/// \file table.cpp
/// \brief The process table: finding a process by pid or kernel pid, handing out pids, freeing slots.
///
/// pids are proc's own numbers, never reused: the next one is kept in the data store, so a
/// restarted proc does not hand out a pid an orphan of its predecessor still carries on its
/// capabilities.
#include "lib/string.hpp"
#include "protocols/ds.hpp"
#include "state.hpp"

namespace proc {

State g_proc;

Process* find(uint64_t pid)
{
    if (pid == 0) return nullptr;
    for (Process& p : g_proc.table)
        if (p.state != Slot::Free && p.pid == pid) return &p;
    return nullptr;
}

Process* find_kernel(uint64_t kernel_pid)
{
    for (Process& p : g_proc.table)
        if (p.state != Slot::Free && p.kernel_pid == kernel_pid) return &p;
    return nullptr;
}

Process* allocate()
{
    for (Process& p : g_proc.table) {
        if (p.state != Slot::Free) continue;
        p = Process{};
        p.state = Slot::Running;
        p.pid = g_proc.next_pid++;
        // Best effort: a data store that is down costs only pid uniqueness across proc restarts.
        (void)protocol::ds::Client(kSlotDs).publish_u64("proc.next_pid", g_proc.next_pid);
        return &p;
    }
    return nullptr;
}

void release(Process& p)
{
    if (p.process) sys::cap_delete(p.process);
    if (p.wait_reply) sys::cap_delete(p.wait_reply);  // Wakes the waiter with PeerDied, if it is there.
    p = Process{};
}

Process* caller(const ipc::Message& m)
{
    if (m.badge >= protocol::rs::kServiceBadgeBase) return nullptr;
    Process* p = find(m.badge);
    return p && p->state == Slot::Running ? p : nullptr;
}

void set_name(Process& p, const char* text, uint32_t length)
{
    uint32_t n = 0;
    while (n < length && n < sizeof(p.name) - 1 && text[n]) {
        p.name[n] = text[n];
        ++n;
    }
    p.name[n] = '\0';
}

} // namespace proc
