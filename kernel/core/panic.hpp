/// \file panic.hpp
/// \brief `panic()` for broken kernel invariants, and `KASSERT`. Never used for bad user input.
#pragma once

#include <stdint.h>

/// Prints "KERNEL PANIC: <message>", a backtrace from the caller, and halts the machine.
[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/// Prints a symbolized backtrace by following the frame-pointer chain from `rbp`.
void print_backtrace(uint64_t rip, uint64_t rbp);

#define KASSERT(cond)                                                              \
    do {                                                                           \
        if (!(cond)) panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); \
    } while (0)
