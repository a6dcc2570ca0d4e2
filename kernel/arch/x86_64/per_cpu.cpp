/// \file per_cpu.cpp
/// \brief The boot CPU's PerCpu block and the MSRs that point GS at it.
#include "arch/x86_64/per_cpu.hpp"
#include "arch/x86_64/cpu.hpp"

namespace {
PerCpu g_boot_cpu;
}

void per_cpu_init()
{
    g_boot_cpu.self = &g_boot_cpu;
    // In the kernel GS points at the block; SWAPGS on the way to user mode parks it in
    // KERNEL_GS_BASE and gives user mode a zero GS base.
    cpu::wrmsr(cpu::kMsrGsBase, reinterpret_cast<uint64_t>(&g_boot_cpu));
    cpu::wrmsr(cpu::kMsrKernelGsBase, 0);
}
