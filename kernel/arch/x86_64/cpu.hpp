/// \file cpu.hpp
/// \brief Thin inline wrappers for x86-64 instructions: port I/O, MSRs, control registers, interrupts.
#pragma once

#include "lib/port_io.hpp"
#include <stdint.h>

namespace cpu {

// Port I/O: the same instructions the user-space drivers use (lib/port_io.hpp).
using port_io::inb;
using port_io::inl;
using port_io::inw;
using port_io::outb;
using port_io::outl;
using port_io::outw;

inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t(hi) << 32) | lo;
}
inline void wrmsr(uint32_t msr, uint64_t value)
{
    asm volatile("wrmsr" ::"c"(msr), "a"(uint32_t(value)), "d"(uint32_t(value >> 32)));
}

inline uint64_t read_cr2()
{
    uint64_t v;
    asm volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
inline uint64_t read_cr3()
{
    uint64_t v;
    asm volatile("mov %%cr3, %0" : "=r"(v));
    return v;
}
inline void write_cr3(uint64_t v) { asm volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }
inline uint64_t read_cr0()
{
    uint64_t v;
    asm volatile("mov %%cr0, %0" : "=r"(v));
    return v;
}
inline uint64_t read_cr4()
{
    uint64_t v;
    asm volatile("mov %%cr4, %0" : "=r"(v));
    return v;
}
inline void invlpg(uint64_t virt) { asm volatile("invlpg (%0)" ::"r"(virt) : "memory"); }

inline uint64_t rdtsc()
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t(hi) << 32) | lo;
}

struct CpuidResult {
    uint32_t eax, ebx, ecx, edx;
};
inline CpuidResult cpuid(uint32_t leaf, uint32_t subleaf = 0)
{
    CpuidResult r;
    asm volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(leaf), "c"(subleaf));
    return r;
}

inline void enable_interrupts() { asm volatile("sti" ::: "memory"); }
inline void disable_interrupts() { asm volatile("cli" ::: "memory"); }
inline void halt() { asm volatile("hlt" ::: "memory"); }
/// Waits for an interrupt with interrupts enabled, atomically (sti takes effect after hlt starts).
inline void enable_interrupts_and_halt() { asm volatile("sti; hlt; cli" ::: "memory"); }
inline void pause() { asm volatile("pause"); }

/// Stops this CPU for good.
[[noreturn]] inline void halt_forever()
{
    for (;;) asm volatile("cli; hlt");
}

// Model-specific registers used by the kernel.
inline constexpr uint32_t kMsrEfer = 0xc0000080;
inline constexpr uint32_t kMsrStar = 0xc0000081;
inline constexpr uint32_t kMsrLstar = 0xc0000082;
inline constexpr uint32_t kMsrFmask = 0xc0000084;
inline constexpr uint32_t kMsrFsBase = 0xc0000100;
inline constexpr uint32_t kMsrGsBase = 0xc0000101;
inline constexpr uint32_t kMsrKernelGsBase = 0xc0000102;
inline constexpr uint32_t kMsrApicBase = 0x1b;

} // namespace cpu
