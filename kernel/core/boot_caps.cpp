/// \file boot_caps.cpp
/// \brief Creates the boot capabilities and the page that describes them.
#include "core/boot_caps.hpp"
#include "abi/boot.hpp"
#include "core/boot_modules.hpp"
#include "core/log.hpp"
#include "core/process.hpp"
#include "lib/string.hpp"
#include "mm/layout.hpp"
#include "mm/memory.hpp"
#include "mm/page_table.hpp"
#include "object/io_port_range.hpp"
#include "object/irq_line.hpp"
#include "object/memory.hpp"
#include "object/mmio_range.hpp"

namespace boot_caps {

namespace {

/// Memory kept back for the kernel's own objects (threads, tables, stacks) beyond init's pool.
constexpr uint64_t kKernelReserve = 16ull << 20;

/// The device-memory window handed out: from the top of RAM below 4 GiB to the IOAPIC. The
/// local APIC and IOAPIC pages above it stay the kernel's.
constexpr uint64_t kMmioLimit = 0xfec00000;

template <typename T>
Result<void> give(Process& init, Result<T*> object, uint32_t rights, abi::CapSlot slot)
{
    T* created = TRY(object);
    auto inserted = init.caps.insert({created, rights, 0}, nullptr, slot);
    if (inserted.is_error()) {
        object_release(created);
        return inserted.error();
    }
    return {};
}

uint64_t top_of_ram_below_4g(const mb2::BootInfo& boot)
{
    uint64_t top = 0;
    for (size_t i = 0; i < boot.region_count; ++i) {
        const mb2::MemoryRegion& r = boot.regions[i];
        uint64_t end = r.base + r.length;
        if (r.type == static_cast<uint32_t>(mb2::RegionType::Available) && end <= (4ull << 30) && end > top) top = end;
    }
    return layout::page_round_up(top);
}

} // namespace

Result<void> grant_to_init(Process& init, const mb2::BootInfo& boot)
{
    using namespace abi;
    // The description page, filled in as capabilities are created.
    uint64_t page_phys = TRY(mm::physical().allocate_zeroed_frame());
    auto* page = static_cast<BootInfoPage*>(layout::phys_to_virt(page_phys));

    uint64_t free_bytes = mm::frames().free_frames() * 4096;
    uint64_t pool = free_bytes > kKernelReserve ? free_bytes - kKernelReserve : free_bytes / 2;
    TRY(give(init, Memory::create_pool(pool), rights::kAll, kInitSlotPool));
    TRY(give(init, IoPortRange::create(0, 0x10000), rights::kAll, kInitSlotIoPorts));
    uint64_t mmio_base = top_of_ram_below_4g(boot);
    if (mmio_base < kMmioLimit) {
        TRY(give(init, MmioRange::create(mmio_base, kMmioLimit - mmio_base), rights::kAll, kInitSlotMmio));
        page->mmio = kInitSlotMmio;
        page->mmio_base = mmio_base;
        page->mmio_size = kMmioLimit - mmio_base;
    }
    // The VGA text buffer and friends, for a user-space console driver.
    TRY(give(init, MmioRange::create(0xa0000, 0x20000), rights::kAll, kInitSlotLegacyVideo));
    page->legacy_video = kInitSlotLegacyVideo;
    for (uint8_t irq = 0; irq < IrqLine::kLines; ++irq) {
        if (irq == 0 || irq == 2) continue;  // The timer (PIT fallback) and the PIC cascade.
        TRY(give(init, IrqLine::create(irq), rights::kAll, kInitSlotIrqBase + irq));
    }
    page->memory_pool = kInitSlotPool;
    page->io_ports = kInitSlotIoPorts;
    page->irq_base = kInitSlotIrqBase;
    page->irq_count = IrqLine::kLines;
    page->usable_memory = mm::usable_bytes();

    for (size_t i = 0; i < boot_modules::count() && i < kMaxBootModules; ++i) {
        const boot_modules::BootModule* m = boot_modules::at(i);
        CapSlot slot = kInitSlotModuleBase + static_cast<CapSlot>(i);
        TRY(give(init, Memory::create_boot_module(layout::virt_to_phys(m->data), m->size), rights::kRead | rights::kGrant,
                 slot));
        BootModuleEntry& entry = page->modules[page->module_count++];
        size_t n = strnlen_bounded(m->name, sizeof(entry.name) - 1);
        memcpy(entry.name, m->name, n);
        entry.slot = slot;
        entry.size = m->size;
    }

    // Read-only for init; the frame belongs to init's address space from now on.
    TRY(init.space.page_table().map(kBootInfoAddress, page_phys, pte::kUser | pte::kNoExecute));
    klog::info("boot", "init gets %lu KiB of RAM, all I/O ports, MMIO 0x%lx-0x%lx, 14 IRQ lines, %u modules",
               pool / 1024, mmio_base, kMmioLimit, page->module_count);
    return {};
}

} // namespace boot_caps
