/// \file ipc.hpp
/// \brief Synchronous IPC on endpoints (send, call, receive, reply) and notification waits: the slow path.
///
/// Every operation follows the same numbered steps, which the walkthrough ("An IPC call, step by
/// step") refers to:
///   (1) look up the capability and check its type and rights,
///   (2) check the message: at most 64 words and 4 capabilities, and Grant to send capabilities,
///   (3) find a partner waiting on the endpoint, or queue up and block,
///   (4) transfer: registers, IPC-buffer words, badge, capabilities,
///   (5) wake the partner, and for a call, leave the caller waiting for the reply.
/// fastpath.cpp does (1)-(5) for the common case of a short call with a receiver already waiting.
#pragma once

#include "arch/x86_64/trap_frame.hpp"
#include "lib/result.hpp"
#include <stdint.h>

struct Thread;
struct Reply;

namespace ipc {

enum class SendKind { Send, NonBlockingSend, Call };

/// \name System calls. `self` is the calling thread and `frame` its saved registers; see abi/ipc.hpp.
/// @{
Result<uint64_t> send(Thread& self, TrapFrame& frame, SendKind kind);
Result<uint64_t> receive(Thread& self, TrapFrame& frame);
Result<uint64_t> reply_receive(Thread& self, TrapFrame& frame);
/// Moves the call `self` has received and not answered into a new Reply capability; returns its slot.
Result<uint64_t> reply_save(Thread& self);
/// Answers the call held by the Reply capability in RDI with the message in `frame`, and deletes
/// the capability. PeerDied if the caller is gone (the capability is deleted anyway).
Result<uint64_t> reply_saved(Thread& self, TrapFrame& frame);
/// A Reply object is being destroyed: its caller, if any, gets PeerDied.
void reply_dying(Reply& reply);
/// Waits on (or with `blocking` false, polls) a notification; the word comes back in RDI.
Result<uint64_t> notification_wait(Thread& self, TrapFrame& frame, bool blocking);
/// @}

/// \name The fast paths: return false to fall back to the slow path (nothing has changed then);
/// when they apply they do not return, but leave the kernel through the partner's frame.
/// @{
bool fastpath_call(TrapFrame& frame);
bool fastpath_reply_receive(TrapFrame& frame);
/// @}

/// \name Kernel-side events.
/// @{
/// Wakes a thread blocked in IPC with `error` as its system call's result.
void abort_wait(Thread* thread, Error error);
/// Wakes a thread waiting on a notification with the word it collected.
void complete_notification_wait(Thread* waiter, uint64_t word);
/// Ends the receive `thread` is blocked in with its bound notification's word (and clears it).
void deliver_bound_notification(Thread* thread);
/// Takes a thread that is about to die out of every IPC relationship: its queue, a call it is
/// waiting on, and a reply it owes (that caller gets PeerDied).
void thread_dying(Thread* thread);
/// Suspends the current thread and sends {vector, error code, rip, cr2} to its fault endpoint as
/// a call; returns false if it has none. A reply resumes the thread.
bool send_fault_message(Thread* thread, const TrapFrame& frame, uint64_t cr2);
/// Sends {exit code} to a dying thread's fault endpoint, then lets the thread die.
void send_exit_message(Thread* thread, int code);
/// @}

} // namespace ipc
