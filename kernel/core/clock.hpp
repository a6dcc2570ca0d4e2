/// \file clock.hpp
/// \brief Time since boot, from the TSC calibrated against the PIT.
#pragma once

#include <stdint.h>

namespace clock {

/// Measures the TSC frequency over a 10 ms PIT interval. Until then now_ns() returns 0.
void calibrate();
/// Nanoseconds since calibrate() ran.
uint64_t now_ns();
/// TSC ticks per millisecond (0 before calibration).
uint64_t tsc_per_ms();
/// Busy-waits about `us` microseconds using PIT channel 2 (works before interrupts are on).
void pit_wait_us(uint32_t us);

} // namespace clock
