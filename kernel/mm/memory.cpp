/// \file memory.cpp
/// \brief Sets up physical memory management from the multiboot2 memory map.
#include "mm/memory.hpp"
#include "arch/x86_64/cpu.hpp"
#include "core/log.hpp"
#include "core/panic.hpp"
#include "lib/string.hpp"
#include "mm/layout.hpp"

extern "C" char kernel_phys_start[], kernel_end[];
extern "C" uint64_t boot_pml4[512];

namespace mm {

namespace {

/// Frames the kernel can manage: everything the physmap covers (4 GiB).
constexpr uint64_t kMaxFrames = layout::kPhysmapSize / FrameAllocator::kFrameSize;
uint64_t g_bitmap[kMaxFrames / 64];
FrameAllocator g_frames;
uint64_t g_usable_bytes = 0;
uint64_t g_next_mmio = layout::kMmioBase;

/// PhysicalMemory through the physmap: the kernel's way to reach any frame.
class PhysmapMemory final : public PhysicalMemory {
public:
    void* to_virtual(uint64_t phys) override { return layout::phys_to_virt(phys); }
    Result<uint64_t> allocate_zeroed_frame() override
    {
        uint64_t phys = TRY(g_frames.allocate());
        memset(layout::phys_to_virt(phys), 0, FrameAllocator::kFrameSize);
        return phys;
    }
    void free_frame(uint64_t phys) override
    {
        if (g_frames.free(phys).is_error()) panic("freeing frame 0x%lx that is not allocated", phys);
    }
};
PhysmapMemory g_physical;

} // namespace

void init(const mb2::BootInfo& boot, uint64_t boot_info_phys, uint64_t boot_info_size)
{
    bool nx = cpu::rdmsr(cpu::kMsrEfer) & (1ull << 11);
    PageTable::set_nx_supported(nx);

    g_frames.init(g_bitmap, kMaxFrames);
    for (size_t i = 0; i < boot.region_count; ++i) {
        const mb2::MemoryRegion& r = boot.regions[i];
        if (r.type != static_cast<uint32_t>(mb2::RegionType::Available)) continue;
        uint64_t before = g_frames.free_frames();
        g_frames.add_free_range(r.base, r.length);
        g_usable_bytes += (g_frames.free_frames() - before) * FrameAllocator::kFrameSize;
        if (r.base + r.length > layout::kPhysmapSize)
            klog::warn("mm", "RAM above 4 GiB at 0x%lx is not used", r.base);
    }
    // Never hand out: real-mode memory and BIOS data, the kernel image, what GRUB gave us.
    g_frames.reserve_range(0, 0x100000);
    uint64_t kernel_start = reinterpret_cast<uint64_t>(kernel_phys_start);
    g_frames.reserve_range(kernel_start, layout::virt_to_phys(kernel_end) - kernel_start);
    g_frames.reserve_range(boot_info_phys, boot_info_size);
    for (size_t i = 0; i < boot.module_count; ++i)
        g_frames.reserve_range(boot.modules[i].start, boot.modules[i].end - boot.modules[i].start);

    // The identity mapping was only for boot.S; from now on low addresses belong to user space.
    boot_pml4[0] = 0;
    // Every address space copies the kernel half's PML4 entries when it is created, so the MMIO
    // window's PDPT must exist before the first process does.
    uint64_t mmio_pdpt = g_physical.allocate_zeroed_frame().value();
    boot_pml4[(layout::kMmioBase >> 39) & 0x1ff] = mmio_pdpt | pte::kPresent | pte::kWritable;
    cpu::write_cr3(cpu::read_cr3());

    klog::info("mm", "%lu KiB usable RAM, %lu frames free, NX %s", g_usable_bytes / 1024,
               g_frames.free_frames(), nx ? "on" : "unavailable");
}

FrameAllocator& frames() { return g_frames; }
PhysicalMemory& physical() { return g_physical; }
uint64_t kernel_root() { return layout::virt_to_phys(boot_pml4); }
uint64_t usable_bytes() { return g_usable_bytes; }

Result<void*> allocate_page()
{
    uint64_t phys = TRY(g_physical.allocate_zeroed_frame());
    return layout::phys_to_virt(phys);
}

void free_page(void* page) { g_physical.free_frame(layout::virt_to_phys(page)); }

Result<volatile void*> map_mmio(uint64_t phys, uint64_t size)
{
    uint64_t offset = phys % layout::kPageSize;
    uint64_t pages = layout::page_round_up(offset + size) / layout::kPageSize;
    if (pages == 0 || g_next_mmio + pages * layout::kPageSize > layout::kMmioBase + layout::kMmioSize)
        return Error::NoMemory;
    uint64_t virt = g_next_mmio;
    PageTable table(g_physical, kernel_root());
    for (uint64_t i = 0; i < pages; ++i) {
        uint64_t flags = pte::kWritable | pte::kCacheDisable | pte::kWriteThrough | pte::kNoExecute;
        TRY(table.map(virt + i * layout::kPageSize, layout::page_round_down(phys) + i * layout::kPageSize,
                      flags));
    }
    g_next_mmio += pages * layout::kPageSize;
    return reinterpret_cast<volatile void*>(virt + offset);
}

} // namespace mm
