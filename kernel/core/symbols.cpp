/// \file symbols.cpp
/// \brief Binary search over the sorted symbol table that tools/gensyms.py emits.
#include "core/symbols.hpp"

/// One table entry, as gensyms.py lays it out.
struct KernelSymbol {
    uint64_t address;
    const char* name;
};

// Defined by the generated table; weak so the first link (without a table) succeeds.
extern "C" const KernelSymbol kernel_symbols[] __attribute__((weak));
extern "C" const uint64_t kernel_symbol_count __attribute__((weak));
extern "C" char kernel_text_start[], kernel_text_end[];

namespace symbols {

Lookup find(uint64_t address)
{
    if (&kernel_symbol_count == nullptr || kernel_symbols == nullptr) return {nullptr, 0};
    if (address < reinterpret_cast<uint64_t>(kernel_text_start) ||
        address >= reinterpret_cast<uint64_t>(kernel_text_end))
        return {nullptr, 0};
    // Find the last symbol whose address is <= address.
    uint64_t lo = 0, hi = kernel_symbol_count;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (kernel_symbols[mid].address <= address) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0) return {nullptr, 0};
    const KernelSymbol& s = kernel_symbols[lo - 1];
    return {s.name, address - s.address};
}

} // namespace symbols
