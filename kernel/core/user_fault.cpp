/// \file user_fault.cpp
/// \brief Turns a user-mode exception into a logged, killed process.
#include "core/user_fault.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/idt.hpp"
#include "core/log.hpp"
#include "core/process.hpp"
#include "core/scheduler.hpp"
#include "core/thread.hpp"
#include "ipc/ipc.hpp"

void handle_user_fault(const TrapFrame& frame)
{
    Thread* thread = scheduler::current();
    Process* process = thread->process;
    uint64_t cr2 = frame.vector == 14 ? cpu::read_cr2() : 0;
    // With a fault endpoint the fault becomes a message, and the handler decides (see ipc.hpp).
    if (ipc::send_fault_message(thread, frame, cr2)) return;

    abi::ExitInfo info{};
    info.reason = static_cast<uint32_t>(abi::ExitReason::Faulted);
    info.vector = frame.vector;
    info.error_code = frame.error_code;
    info.rip = frame.rip;
    info.cr2 = cr2;
    klog::warn("fault", "pid %lu (%s) killed: %s (vector %lu) at rip 0x%lx, error 0x%lx, cr2 0x%lx",
               process->pid, process->name, idt::exception_name(frame.vector), frame.vector, frame.rip,
               frame.error_code, info.cr2);
    process->terminate(info);
}
