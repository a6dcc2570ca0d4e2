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

void Process::terminate(const abi::ExitInfo& info)
{
    exit_info = info;
    exit_info.pid = pid;
    state = ProcessState::Zombie;
    bool is_current = scheduler::current()->process == this;

    // (1) Orphans: children that are already zombies are freed; live ones lose their parent and
    // will free themselves when they end.
    for (Process* child : s_table) {
        if (!child || child->parent != this) continue;
        child->parent = nullptr;
        if (child->state == ProcessState::Zombie) child->reap();
    }

    // (2) Memory: leave this address space before freeing it.
    if (is_current) cpu::write_cr3(mm::kernel_root());
    space.destroy();

    // (3) Wake a parent blocked in wait() for this process.
    if (parent) {
        Thread* waiter = parent->main_thread;
        if (waiter && waiter->state == ThreadState::Blocked && waiter->block_reason == BlockReason::WaitChild &&
            (waiter->wait_target == pid || waiter->wait_target == 0))
            scheduler::wake(waiter);
    }

    // (4) The thread dies last; with no parent to collect the status, nothing is kept.
    Thread* thread = main_thread;
    main_thread = nullptr;
    if (!parent) reap();
    if (thread) scheduler::kill(thread);  // Does not return if `thread` is the caller.
}

void Process::reap()
{
    for (Process*& slot : s_table)
        if (slot == this) slot = nullptr;
    g_process_cache.destroy(this);
}
