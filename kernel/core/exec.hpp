/// \file exec.hpp
/// \brief Starts a user program from an ELF image: a new process, its segments and stack, its first thread.
#pragma once

#include "lib/result.hpp"
#include <stddef.h>
#include <stdint.h>

struct Process;

namespace exec {

inline constexpr uint64_t kUserStackTop = 0x00007ffffffff000;
inline constexpr uint64_t kUserStackSize = 64 * 1024;
inline constexpr size_t kMaxArgs = 1024;  ///< Bytes of argument string a program can receive.

/// Loads `image` into a new process named `name`, child of `parent` (nullptr for init), with a
/// stack, an IPC buffer at abi::kIpcBufferAddress, and its own Process and Thread capabilities in
/// slots 1 and 2. The thread is not started yet: the caller may add capabilities, then start().
/// The program will begin at its entry point with RDI = a pointer to a copy of `args` on its
/// stack and RSI = its length.
/// Errors: BadFormat (the ELF is malformed; the reason is logged), InvalidArgument (args too
/// long), NoMemory.
Result<Process*> spawn(const char* name, const uint8_t* image, size_t size, const char* args, size_t args_len,
                       Process* parent, uint8_t priority);

/// Makes the new process's thread ready to run.
void start(Process* process);

} // namespace exec
