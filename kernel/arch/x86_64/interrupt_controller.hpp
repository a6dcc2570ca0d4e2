/// \file interrupt_controller.hpp
/// \brief The timer and interrupt controllers: the local APIC timer, or the PIT through the 8259 PIC.
#pragma once

#include <stdint.h>

namespace interrupt_controller {

/// Remaps the 8259 PICs to vectors 32..47 and masks them. Then starts a periodic timer at
/// `hz` on vector 32: the local APIC timer (calibrated against the PIT) if the CPU has an APIC,
/// otherwise PIT channel 0 on IRQ 0.
void init(uint32_t hz);

/// Acknowledges the interrupt on `vector` at whichever controller raised it.
void end_of_interrupt(uint64_t vector);
/// True for the PIC's spurious IRQ 7 and 15 (which must not be acknowledged).
bool is_spurious(uint64_t vector);
/// Masks the PIC line behind `vector`.
void mask(uint64_t vector);
/// Unmasks the PIC line behind `vector` (IRQ 0 and the cascade, IRQ 2, stay the kernel's).
void unmask(uint64_t vector);
/// Which timer drives the scheduler: "lapic" or "pit".
const char* timer_name();

} // namespace interrupt_controller
