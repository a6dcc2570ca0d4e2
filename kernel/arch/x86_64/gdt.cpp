/// \file gdt.cpp
/// \brief Builds the GDT and TSS, with separate stacks (IST) for double faults and NMIs.
#include "arch/x86_64/gdt.hpp"

namespace gdt {

namespace {

/// The 64-bit task-state segment: only the stack pointers matter in long mode.
struct [[gnu::packed]] Tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};
static_assert(sizeof(Tss) == 104);

/// The TSS followed by its I/O permission bitmap (one bit per port; set = denied) and the
/// all-ones byte the CPU requires after it.
struct [[gnu::packed]] TssWithBitmap {
    Tss tss;
    uint8_t io_bitmap[8192];
    uint8_t terminator;
};

struct [[gnu::packed]] GdtPointer {
    uint16_t limit;
    uint64_t base;
};

alignas(16) uint64_t g_gdt[8];
TssWithBitmap g_tss_block;
Tss& g_tss = g_tss_block.tss;
constexpr uint16_t kBitmapOffset = sizeof(Tss);
constexpr uint16_t kNoBitmap = sizeof(TssWithBitmap);  ///< Past the limit: every port denied.
uint64_t g_loaded_bitmap_key = 0;
alignas(16) uint8_t g_double_fault_stack[8192];
alignas(16) uint8_t g_nmi_stack[4096];

} // namespace

void init()
{
    g_gdt[0] = 0;
    g_gdt[1] = 0x00af9a000000ffff;  // 0x08 kernel code: present, DPL0, code, long mode
    g_gdt[2] = 0x00cf92000000ffff;  // 0x10 kernel data
    g_gdt[3] = 0x00cffa000000ffff;  // 0x18 user code, 32-bit (unused; holds SYSRET's base)
    g_gdt[4] = 0x00cff2000000ffff;  // 0x20 user data: DPL3
    g_gdt[5] = 0x00affa000000ffff;  // 0x28 user code: DPL3, long mode

    // IST1 is for double faults and IST2 for NMIs: they must run on a known-good stack even if
    // the kernel stack overflowed.
    g_tss.ist[0] = reinterpret_cast<uint64_t>(g_double_fault_stack + sizeof(g_double_fault_stack));
    g_tss.ist[1] = reinterpret_cast<uint64_t>(g_nmi_stack + sizeof(g_nmi_stack));
    // An I/O bitmap offset past the segment limit means "no I/O ports for user mode".
    g_tss.iomap_base = kNoBitmap;
    g_tss_block.terminator = 0xff;
    g_kernel_stack_slot = reinterpret_cast<uint64_t*>(reinterpret_cast<uint8_t*>(&g_tss) + 4);  // rsp[0]

    uint64_t base = reinterpret_cast<uint64_t>(&g_tss_block);
    uint64_t limit = sizeof(TssWithBitmap) - 1;
    g_gdt[6] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
               (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    g_gdt[7] = base >> 32;

    GdtPointer pointer{sizeof(g_gdt) - 1, reinterpret_cast<uint64_t>(g_gdt)};
    asm volatile(
        "lgdt %0\n"
        "pushq %1\n"                 // Reload CS with a far return.
        "leaq 1f(%%rip), %%rax\n"
        "pushq %%rax\n"
        "lretq\n"
        "1:\n"
        "movw %w2, %%ds\n"
        "movw %w2, %%es\n"
        "movw %w2, %%ss\n"
        "ltr %w3\n"
        :
        : "m"(pointer), "i"(kKernelCode), "r"(uint32_t(kKernelData)), "r"(uint32_t(kTss))
        : "rax", "memory");
}

uint64_t* g_kernel_stack_slot = nullptr;

bool g_io_bitmap_loaded = false;

void set_io_bitmap(const uint8_t* bitmap, uint64_t key)
{
    g_io_bitmap_loaded = bitmap != nullptr;
    if (!bitmap) {
        g_tss.iomap_base = kNoBitmap;
        return;
    }
    // Copying 8 KiB is the expensive part: skip it when this exact bitmap is already loaded.
    if (key != g_loaded_bitmap_key) {
        for (unsigned i = 0; i < sizeof(g_tss_block.io_bitmap); ++i) g_tss_block.io_bitmap[i] = bitmap[i];
        g_loaded_bitmap_key = key;
    }
    g_tss.iomap_base = kBitmapOffset;
}

} // namespace gdt
