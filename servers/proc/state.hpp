/// \file state.hpp
/// \brief The process manager's state: the process table, its slots, and the functions each mechanism file provides.
///
/// `proc` is one thread on the service framework (main.cpp). Its files, one mechanism each:
/// - table.cpp: the process table (find by pid, allocate a pid, release);
/// - fs_client.cpp: the calls `proc` makes to the file-system server;
/// - spawn.cpp: a program from the file system into a new process (path, ELF, arguments);
/// - lifecycle.cpp: how processes end (exit and fault messages, kill), zombies, parked waits;
/// - requests.cpp: decoding each protocol request and building its reply.
#pragma once

#include "ipc.hpp"
#include "protocols/proc.hpp"
#include "protocols/rs.hpp"
#include <stdint.h>

namespace proc {

using posix::Errno;

// Slots, as RS gives them (services.conf: `uses=fs memory=...`, in that order).
inline constexpr abi::CapSlot kSlotEndpoint = protocol::rs::kSlotEndpoint;        ///< proc's endpoint (Read, Write)
inline constexpr abi::CapSlot kSlotDs = protocol::rs::kSlotDs;                    ///< the data store
inline constexpr abi::CapSlot kSlotFs = protocol::rs::kSlotFirstResource;         ///< `uses=fs`
inline constexpr abi::CapSlot kSlotPool = protocol::rs::kSlotFirstResource + 1;   ///< `memory=`: a pool

inline constexpr uint32_t kMaxProcesses = 64;
/// Where the program stage is mapped, and its size: the largest program file proc can start.
inline constexpr uint64_t kStageAddress = 0x40000000;
inline constexpr uint64_t kStageBytes = 2u << 20;
/// Arguments a child can receive: the kernel copies fewer than 1024 bytes to its stack.
inline constexpr uint32_t kMaxArgBlock = 1023;
/// argv or environment strings at most (libsys_start keeps 128 of each).
inline constexpr uint32_t kMaxStrings = 128;

/// Badges on proc's own endpoint for the kernel's exit and fault messages about a child: the
/// base, this instance's generation (bits 32..47) and the pid (bits 0..31). The generation tells
/// a message about a child of an earlier proc instance from one about a child of ours.
inline constexpr uint64_t kEventBadgeBase = 1ull << 56;
inline constexpr uint64_t kEventBadgeMask = ~((1ull << 48) - 1);

enum class Slot : uint8_t { Free = 0, Running = 1, Zombie = 2 };

/// One process proc knows: started by proc, or joined.
struct Process {
    Slot state;
    bool joined;               ///< Started by init, joined with kJoin: not proc's kernel child.
    uint64_t pid;              ///< proc's number for it (the badge of its proc and fs capabilities).
    uint64_t parent;           ///< The parent's pid, 0 for none.
    uint64_t kernel_pid;       ///< The kernel's process id (sys::wait, kJoin).
    abi::CapSlot process;      ///< Its Process capability (Manage): to kill it, or see that it ended.
    int32_t wstatus;           ///< Zombie: how it ended, encoded as POSIX does.
    abi::CapSlot wait_reply;   ///< A parked kWait: the saved reply, or 0.
    int64_t wait_pid;          ///< The parked kWait's pid (-1: any child).
    char name[32];
};

struct State {
    Process table[kMaxProcesses];
    uint64_t next_pid;
    uint64_t generation;       ///< 16 bits: see kEventBadgeBase.
    abi::CapSlot pending_delete[abi::kMaxMessageCaps];  ///< Sent with the last reply; deleted after it.
    uint8_t* stage;            ///< kStageBytes, mapped at kStageAddress.
    abi::CapSlot stage_memory; ///< The stage's Memory capability (what spawn reads the ELF from).
};

extern State g_proc;

// table.cpp
Process* find(uint64_t pid);
Process* find_kernel(uint64_t kernel_pid);
/// A free slot with a new pid, or nullptr when the table is full.
Process* allocate();
void release(Process& p);
/// The calling process, named by the badge of its proc capability; nullptr for a caller proc
/// does not know (a service that has not joined, or a process of an earlier proc instance).
Process* caller(const ipc::Message& m);
/// Copies at most 31 bytes of `text` into `p.name`.
void set_name(Process& p, const char* text, uint32_t length);

// spawn.cpp
/// Starts the program the kSpawn request `req` names, as a child of `parent`. Returns 0 and
/// the child's pid, or an Errno.
Errno spawn(Process& parent, const protocol::proc::SpawnRequest& req, uint64_t& pid);

// lifecycle.cpp
/// A kernel exit or fault message about a child (badge kEventBadgeBase + ...).
void child_event(const ipc::Message& m);
/// Kills `target` (a child of the caller, checked by the caller) with `signal`.
void kill(Process& target, int32_t signal);
/// `p` has ended with `wstatus`: tell fs, orphan its children, keep it as a zombie for its
/// parent (answering a parked wait) or forget it.
void ended(Process& p, int32_t wstatus);
/// A zombie child of `parent` matching `want` (-1: any), or nullptr; `any` says whether
/// `parent` has a child matching `want` at all.
Process* find_zombie(const Process& parent, int64_t want, bool& any);
/// Notices joined processes that have ended (proc is not told: it is not their parent).
void sweep_joined();

// requests.cpp
ipc::Message handle_request(const ipc::Message& m);
/// Capabilities sent with the reply being built, to delete once it has gone.
void delete_after_reply(abi::CapSlot slot);
void flush_pending_deletes();

} // namespace proc
