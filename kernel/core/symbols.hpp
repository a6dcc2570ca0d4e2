/// \file symbols.hpp
/// \brief Looks up kernel function names for backtraces, from a table linked into the kernel.
///
/// The build links the kernel twice: the first link's `nm` output becomes `.ksyms`
/// (tools/gensyms.py), which the linker script places after all code, so the second link keeps
/// every function at the same address.
#pragma once

#include <stdint.h>

namespace symbols {

struct Lookup {
    const char* name;  ///< nullptr when the address is not inside the kernel's text.
    uint64_t offset;   ///< Bytes past the start of the function.
};

Lookup find(uint64_t address);

} // namespace symbols
