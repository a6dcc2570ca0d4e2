/// \file user_mapping.hpp
/// \brief Mapping frames a process does not own (Memory objects, device registers) into its address space.
#pragma once

#include "lib/result.hpp"
#include <stdint.h>

struct Process;
struct Memory;

/// Maps `pages` pages of physical memory starting at `phys` at user address `vaddr` with
/// `flags` (pte::k*; User and Borrowed are added). Nothing is mapped unless every page can be:
/// InvalidArgument for an unaligned or non-user range, Busy if a page is already mapped.
Result<void> map_physical(Process& process, uint64_t vaddr, uint64_t phys, uint64_t pages, uint64_t flags);

/// Keeps `memory` alive while `process` may have it mapped (until the process ends).
/// Error::TableFull when the process has mapped too many Memory objects.
Result<void> remember_mapping(Process& process, Memory* memory);
