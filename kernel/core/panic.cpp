/// \file panic.cpp
/// \brief Kernel panic and symbolized backtraces.
#include "core/panic.hpp"
#include "arch/x86_64/cpu.hpp"
#include "core/log.hpp"
#include "core/symbols.hpp"
#include "lib/format.hpp"
#include "mm/layout.hpp"

void print_backtrace(uint64_t rip, uint64_t rbp)
{
    klog::rawf("backtrace:\n");
    for (int depth = 0; depth < 32; ++depth) {
        symbols::Lookup sym = symbols::find(rip);
        if (sym.name) klog::rawf("  #%d 0x%016lx %s+0x%lx\n", depth, rip, sym.name, sym.offset);
        else klog::rawf("  #%d 0x%016lx ?\n", depth, rip);
        // Stop at the end of the chain, or at a frame pointer that is not a kernel address:
        // a backtrace must never fault.
        if (rbp == 0 || rbp % 8 != 0 || !layout::is_kernel_address(rbp) ||
            !layout::is_kernel_address(rbp + 8))
            break;
        const uint64_t* frame = reinterpret_cast<const uint64_t*>(rbp);
        rip = frame[1];
        rbp = frame[0];
        if (rip == 0) break;
    }
}

void panic(const char* fmt, ...)
{
    cpu::disable_interrupts();
    char message[256];
    va_list args;
    va_start(args, fmt);
    vformat(message, sizeof(message), fmt, args);
    va_end(args);
    klog::rawf("\nKERNEL PANIC: %s\n", message);
    // Start at panic()'s caller: our frame holds its frame pointer and the return address.
    auto* frame = static_cast<const uint64_t*>(__builtin_frame_address(0));
    print_backtrace(frame[1], frame[0]);
    klog::rawf("system halted\n");
    cpu::halt_forever();
}
