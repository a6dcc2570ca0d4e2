/// \file process.cpp
/// \brief Process creation, termination and reaping.
#include "core/process.hpp"
#include "arch/x86_64/cpu.hpp"
#include "core/log.hpp"
#include "core/scheduler.hpp"
#include "core/thread.hpp"
#include "lib/string.hpp"
#include "mm/memory.hpp"
#include "mm/object_cache.hpp"
#include "ipc/ipc.hpp"
#include "object/endpoint.hpp"
#include "object/io_port_range.hpp"
#include "object/memory.hpp"
#include "arch/x86_64/gdt.hpp"
#include "mm/layout.hpp"

Process* Process::s_table[Process::kMaxProcesses];

namespace {
ObjectCache<Process> g_process_cache{"process"};
uint64_t g_next_pid = 1;
} // namespace

Result<Process*> Process::create(const char* name, Process* parent)
{
    unsigned slot = 0;
    while (slot < kMaxProcesses && s_table[slot]) ++slot;
    if (slot == kMaxProcesses) return Error::NoMemory;

    auto space = AddressSpace::create();
    if (space.is_error()) return space.error();
    auto created = g_process_cache.create();
    if (created.is_error()) {
        space.value().destroy();
        return created.error();
    }
    Process* p = created.value();
    if (auto r = p->caps.init(p); r.is_error()) {
        space.value().destroy();
        g_process_cache.destroy(p);
        return r.error();
    }
    p->pid = g_next_pid++;
    p->space = space.value();
    p->parent = parent;
    size_t n = strnlen_bounded(name, sizeof(p->name) - 1);
    memcpy(p->name, name, n);
    p->name[n] = '\0';
    s_table[slot] = p;
    return p;
}

Process* Process::find(uint64_t pid)
{
    for (Process* p : s_table)
        if (p && p->pid == pid) return p;
    return nullptr;
}

namespace {
// Terminations asked for while one is already running (dismantling a process can end another:
// a queued fault message that nobody will now receive). They run one after another instead of
// nesting, so a chain of them cannot overflow the kernel stack.
Process* g_pending[Process::kMaxProcesses];
unsigned g_pending_count = 0;
bool g_terminating = false;
} // namespace

void Process::terminate(const abi::ExitInfo& info)
{
    if (state == ProcessState::Zombie || termination_pending) return;
    exit_info = info;
    exit_info.pid = pid;
    if (g_terminating) {
        termination_pending = true;
        object_retain(this);  // Kept alive until its turn comes.
        g_pending[g_pending_count++] = this;
        return;
    }
    g_terminating = true;
    Thread* own = dismantle();
    Thread* current_victim = nullptr;
    while (g_pending_count > 0) {
        Process* next = g_pending[--g_pending_count];
        Thread* thread = next->dismantle();
        if (thread == scheduler::current()) current_victim = thread;  // Killed last, below.
        else if (thread) scheduler::kill(thread);
        object_release(next);
    }
    g_terminating = false;
    if (current_victim) scheduler::kill(current_victim);  // Does not return.
    if (!own) return;
    // The thread dies last. With a fault endpoint it first delivers an exit message there
    // (which may wait for a receiver); the thread holds a reference to this process meanwhile.
    if (own->fault_endpoint && info.reason == static_cast<uint32_t>(abi::ExitReason::Exited))
        ipc::send_exit_message(own, info.code);  // Does not return if `own` is the caller.
    else
        scheduler::kill(own);  // Does not return if `own` is the caller.
}

Thread* Process::dismantle()
{
    termination_pending = false;
    if (!parent)
        klog::error("proc", "pid %lu (%s), which has no parent, ended: %s %d", pid, name,
                    exit_info.reason == static_cast<uint32_t>(abi::ExitReason::Exited) ? "exit code" : "fault vector",
                    exit_info.reason == static_cast<uint32_t>(abi::ExitReason::Exited)
                        ? exit_info.code
                        : static_cast<int>(exit_info.vector));
    state = ProcessState::Zombie;
    bool is_current = scheduler::current()->process == this;

    // (1) Orphans: children that are already zombies are freed; live ones lose their parent and
    // will free themselves when they end.
    for (Process* child : s_table) {
        if (!child || child->parent != this) continue;
        child->parent = nullptr;
        if (child->state == ProcessState::Zombie) child->reap();
    }

    // (2) Authority: every capability goes (objects only this process held are destroyed), and
    // with them the I/O ports and the mapped Memory objects.
    caps.destroy();
    for (Memory*& m : mappings) {
        if (m) object_release(m);
        m = nullptr;
    }

    // (3) Memory: leave this address space before freeing it. The thread's IPC buffer was in it.
    if (is_current) cpu::write_cr3(mm::kernel_root());
    space.destroy();
    if (main_thread) main_thread->ipc_buffer = nullptr;

    // (4) The recovery rule: callers waiting on endpoints this process served get PeerDied.
    Endpoint::server_died(this);

    // (5) Wake a parent blocked in wait() for this process.
    if (parent) {
        Thread* waiter = parent->main_thread;
        if (waiter && waiter->state == ThreadState::Blocked && waiter->block_reason == BlockReason::WaitChild &&
            (waiter->wait_target == pid || waiter->wait_target == 0))
            scheduler::wake(waiter);
    }

    // (6) Hand back the thread for the caller to end; with no parent to collect the status,
    // nothing of the process is kept.
    Thread* thread = main_thread;
    main_thread = nullptr;
    if (!parent) reap();
    return thread;
}

void Process::reap()
{
    for (Process*& slot : s_table)
        if (slot == this) slot = nullptr;
    object_release(this);  // The process table's reference.
}

void Process::destroy(Process* process)
{
    if (process->io_bitmap) {
        mm::free_page(process->io_bitmap);
        mm::free_page(process->io_bitmap + 4096);
    }
    g_process_cache.destroy(process);
}

void Process::update_io_bitmap()
{
    // Start from "every port denied", then open each range this process holds.
    bool any = false;
    caps.for_each([&](uint32_t, CapEntry& slot) { any |= slot.cap.object->type == ObjectType::IoPortRange; });
    if (!any) {
        if (io_bitmap) {
            mm::free_page(io_bitmap);
            mm::free_page(io_bitmap + 4096);
            io_bitmap = nullptr;
            // The TSS still holds a copy: take it away now if we are the one running.
            if (scheduler::current() && scheduler::current()->process == this) load_io_permissions(this);
        }
        return;
    }
    if (!io_bitmap) {
        // The bitmap covers 65536 ports, one bit each: 8 KiB, contiguous so it can be copied whole.
        auto run = mm::frames().allocate_contiguous(2, 1);
        if (run.is_error()) return;  // No bitmap means no port access: safe.
        io_bitmap = static_cast<uint8_t*>(layout::phys_to_virt(run.value()));
    }
    memset(io_bitmap, 0xff, 8192);
    caps.for_each([&](uint32_t, CapEntry& slot) {
        auto* range = object_cast<IoPortRange>(slot.cap.object);
        if (!range) return;
        // Single bits up to a byte boundary, whole bytes (8 ports) in the middle, single bits
        // at the end: RS holds all 65536 ports, and this runs with interrupts off.
        uint32_t port = range->base, end = range->base + range->count;
        auto open = [&](uint32_t p) { io_bitmap[p / 8] &= static_cast<uint8_t>(~(1u << (p % 8))); };
        for (; port < end && port % 8 != 0; ++port) open(port);
        uint32_t whole = (end - port) / 8;
        memset(io_bitmap + port / 8, 0, whole);
        for (port += whole * 8; port < end; ++port) open(port);
    });
    ++io_bitmap_version;
    if (scheduler::current() && scheduler::current()->process == this) load_io_permissions(this);
}

void capabilities_changed(Process* owner, ObjectType type)
{
    if (owner && type == ObjectType::IoPortRange) owner->update_io_bitmap();
}

void load_io_permissions(Process* process)
{
    if (!process || !process->io_bitmap) gdt::set_io_bitmap(nullptr, 0);
    else gdt::set_io_bitmap(process->io_bitmap, (process->id << 20) | (process->io_bitmap_version & 0xfffff));
}
