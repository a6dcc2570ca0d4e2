/// \file process.hpp
/// \brief Process: an address space, its threads, its parent, and how it ended.
#pragma once

#include "abi/system.hpp"
#include "arch/x86_64/gdt.hpp"
#include "lib/result.hpp"
#include "mm/address_space.hpp"
#include "object/capability_table.hpp"
#include "object/kernel_object.hpp"
#include <stdint.h>

struct Thread;
struct Memory;

enum class ProcessState : uint8_t {
    Alive,
    Zombie,  ///< Ended; kept until the parent's wait() collects the ExitInfo.
};

struct Process : KernelObject {
    static constexpr ObjectType kType = ObjectType::Process;
    static constexpr unsigned kMaxProcesses = 64;
    static constexpr unsigned kMaxMappings = 32;

    Process() : KernelObject(kType) {}

    uint64_t pid = 0;
    char name[32] = {};
    ProcessState state = ProcessState::Alive;
    AddressSpace space;
    Thread* main_thread = nullptr;
    Process* parent = nullptr;
    abi::ExitInfo exit_info = {};
    CapabilityTable caps;                 ///< Every object this process can reach.
    uint8_t* io_bitmap = nullptr;         ///< 8 KiB I/O permission bitmap (bit set = denied), or none.
    uint64_t io_bitmap_version = 0;       ///< Bumped on every change, so the TSS copy is refreshed.
    /// Memory objects mapped into the address space: each holds a reference until the process ends.
    Memory* mappings[kMaxMappings] = {};

    /// A process with an empty address space and no threads.
    static Result<Process*> create(const char* name, Process* parent);
    /// Looks up a live or zombie process by pid.
    static Process* find(uint64_t pid);
    /// Calls fn(Process*) for every process (used by the GDB helpers and the log).
    template <typename Fn>
    static void for_each(Fn fn);

    /// Ends the process: its threads die, its memory is freed, and the parent is woken.
    /// If the caller is one of its threads, this does not return. A termination asked for while
    /// another is running is queued and done right after it (never nested).
    void terminate(const abi::ExitInfo& info);
    /// Frees a zombie once its exit status has been collected.
    void reap();
    /// Frees the object when its last reference goes (object_release).
    static void destroy(Process* process);

    /// Recomputes `io_bitmap` from the IoPortRange capabilities the process holds.
    void update_io_bitmap();

    bool termination_pending = false;  ///< Queued behind a termination in progress.

private:
    /// terminate()'s steps (1)-(6): everything but ending the thread, which it returns.
    Thread* dismantle();

public:

    static Process* s_table[kMaxProcesses];
};

template <typename Fn>
void Process::for_each(Fn fn)
{
    for (Process* p : s_table)
        if (p) fn(p);
}

/// Loads `process`'s I/O permission bitmap into the TSS (all ports denied if it has none).
void load_io_permissions(Process* process);

/// The context switch's check: only a process with a bitmap, or leaving one, touches the TSS.
inline void switch_io_permissions(Process* next)
{
    if (next->io_bitmap || gdt::g_io_bitmap_loaded) load_io_permissions(next);
}
