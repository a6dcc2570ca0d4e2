/// \file idt.hpp
/// \brief The interrupt descriptor table and the C++ side of every interrupt: `trap_dispatch`.
#pragma once

#include "arch/x86_64/trap_frame.hpp"
#include <stdint.h>

namespace idt {

/// First vector used for hardware interrupts (IRQ 0 of the remapped PIC, or the LAPIC timer).
inline constexpr uint8_t kIrqBase = 32;
inline constexpr uint8_t kTimerVector = 32;
inline constexpr uint8_t kSpuriousVector = 0xff;

/// Fills the IDT with the stubs from isr.S and loads it.
void init();

/// The name of a CPU exception vector ("page fault"), or "interrupt".
const char* exception_name(uint64_t vector);

/// Prints vector, error code, every register, CR2 and a backtrace.
void dump_frame(const TrapFrame& frame);

} // namespace idt

/// Called by isr.S for every interrupt and exception with the saved registers.
extern "C" void trap_dispatch(TrapFrame* frame);
