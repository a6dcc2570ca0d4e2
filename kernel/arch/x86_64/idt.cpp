/// \file idt.cpp
/// \brief Installs the IDT and routes each interrupt: exceptions, the timer, device IRQs.
#include "arch/x86_64/idt.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/gdt.hpp"
#include "arch/x86_64/interrupt_controller.hpp"
#include "core/log.hpp"
#include "core/panic.hpp"
#include "core/scheduler.hpp"
#include "core/user_fault.hpp"
#include "object/irq_line.hpp"

extern "C" const uint64_t interrupt_vectors[256];

namespace idt {

namespace {

struct [[gnu::packed]] Gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attributes;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};
static_assert(sizeof(Gate) == 16);

struct [[gnu::packed]] IdtPointer {
    uint16_t limit;
    uint64_t base;
};

alignas(16) Gate g_idt[256];

void set_gate(uint8_t vector, uint64_t handler, uint8_t ist, uint8_t dpl)
{
    Gate& g = g_idt[vector];
    g.offset_low = handler & 0xffff;
    g.selector = gdt::kKernelCode;
    g.ist = ist;
    g.type_attributes = 0x8e | (dpl << 5);  // Present, 64-bit interrupt gate (IF cleared on entry).
    g.offset_mid = (handler >> 16) & 0xffff;
    g.offset_high = static_cast<uint32_t>(handler >> 32);
    g.reserved = 0;
}

const char* const kExceptionNames[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range exceeded",
    "invalid opcode", "device not available", "double fault", "coprocessor segment overrun",
    "invalid TSS", "segment not present", "stack-segment fault", "general protection fault",
    "page fault", "reserved", "x87 floating-point error", "alignment check", "machine check",
    "SIMD floating-point error", "virtualization exception", "control protection",
    "reserved", "reserved", "reserved", "reserved", "reserved", "reserved",
    "hypervisor injection", "VMM communication", "security exception", "reserved",
};

} // namespace

void init()
{
    for (int v = 0; v < 256; ++v) set_gate(static_cast<uint8_t>(v), interrupt_vectors[v], 0, 0);
    set_gate(8, interrupt_vectors[8], 1, 0);  // Double fault on IST1.
    set_gate(2, interrupt_vectors[2], 2, 0);  // NMI on IST2.
    IdtPointer pointer{sizeof(g_idt) - 1, reinterpret_cast<uint64_t>(g_idt)};
    asm volatile("lidt %0" ::"m"(pointer));
}

const char* exception_name(uint64_t vector) { return vector < 32 ? kExceptionNames[vector] : "interrupt"; }

void dump_frame(const TrapFrame& f)
{
    klog::rawf("vector %lu (%s), error code 0x%lx, from %s mode\n", f.vector, exception_name(f.vector),
               f.error_code, f.from_user() ? "user" : "kernel");
    klog::rawf("  rip 0x%016lx  cs  0x%04lx  rflags 0x%08lx  rsp 0x%016lx  ss 0x%04lx\n", f.rip, f.cs,
               f.rflags, f.rsp, f.ss);
    klog::rawf("  rax 0x%016lx  rbx 0x%016lx  rcx 0x%016lx  rdx 0x%016lx\n", f.rax, f.rbx, f.rcx, f.rdx);
    klog::rawf("  rsi 0x%016lx  rdi 0x%016lx  rbp 0x%016lx  r8  0x%016lx\n", f.rsi, f.rdi, f.rbp, f.r8);
    klog::rawf("  r9  0x%016lx  r10 0x%016lx  r11 0x%016lx  r12 0x%016lx\n", f.r9, f.r10, f.r11, f.r12);
    klog::rawf("  r13 0x%016lx  r14 0x%016lx  r15 0x%016lx\n", f.r13, f.r14, f.r15);
    klog::rawf("  cr0 0x%016lx  cr2 0x%016lx  cr3 0x%016lx  cr4 0x%016lx\n", cpu::read_cr0(),
               cpu::read_cr2(), cpu::read_cr3(), cpu::read_cr4());
}

} // namespace idt

extern "C" void trap_dispatch(TrapFrame* frame)
{
    uint64_t vector = frame->vector;

    // (1) An NMI or machine check is about the hardware, not the interrupted code: never blame a
    // user process for one.
    if (vector == 2) {
        klog::warn("irq", "NMI received (rip 0x%lx); continuing", frame->rip);
        return;
    }
    if (vector == 18) {
        klog::rawf("\nKERNEL PANIC: machine check\n");
        idt::dump_frame(*frame);
        cpu::halt_forever();
    }

    // (2) CPU exceptions. In user mode they are the process's problem: it is reported and killed
    // (later: turned into a fault message). In the kernel they are a bug: dump and halt.
    if (vector < 32) {
        if (frame->from_user()) {
            handle_user_fault(*frame);
            return;
        }
        klog::rawf("\nKERNEL PANIC: %s in kernel mode\n", idt::exception_name(vector));
        idt::dump_frame(*frame);
        print_backtrace(frame->rip, frame->rbp);
        klog::rawf("system halted\n");
        cpu::halt_forever();
    }

    // (3) The timer drives preemption.
    if (vector == idt::kTimerVector) {
        interrupt_controller::end_of_interrupt(vector);
        scheduler::timer_tick();
        return;
    }

    // (4) Spurious interrupts need no acknowledgement.
    if (vector == idt::kSpuriousVector || interrupt_controller::is_spurious(vector)) return;

    // (5) A device interrupt bound to an IrqLine becomes a notification signal for its driver.
    // The driver runs at once if the CPU was idle, instead of at the next timer tick.
    if (vector >= idt::kIrqBase && vector < idt::kIrqBase + 16 &&
        IrqLine::deliver(static_cast<uint8_t>(vector - idt::kIrqBase))) {
        scheduler::preempt_for_wakeup();
        return;
    }

    // (6) Any other device interrupt: nobody has claimed it yet, so mask it and say so.
    klog::warn("irq", "unexpected interrupt vector %lu; masking it", vector);
    interrupt_controller::mask(vector);
    interrupt_controller::end_of_interrupt(vector);
}
