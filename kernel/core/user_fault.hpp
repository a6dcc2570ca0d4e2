/// \file user_fault.hpp
/// \brief What happens when a user thread takes a CPU exception: the process is reported and killed.
#pragma once

#include "arch/x86_64/trap_frame.hpp"

/// Logs the fault (process, vector, error code, rip, cr2) and terminates the process. The kernel
/// carries on; the parent's wait() sees ExitReason::Faulted with the same details.
void handle_user_fault(const TrapFrame& frame);
