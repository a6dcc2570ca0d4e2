/// \file user_fault.hpp
/// \brief What happens when a user thread takes a CPU exception: a fault message, or the process is killed.
#pragma once

#include "arch/x86_64/trap_frame.hpp"

/// If the thread has a fault endpoint, suspends it and sends the fault there as a message
/// (ipc::send_fault_message). Otherwise logs the fault (process, vector, error code, rip, cr2)
/// and terminates the process; the parent's wait() sees ExitReason::Faulted with the same details.
/// Either way the kernel carries on.
void handle_user_fault(const TrapFrame& frame);
