/// \file memory.hpp
/// \brief The kernel's memory: the global frame allocator, the kernel page table and MMIO mappings.
#pragma once

#include "lib/multiboot2.hpp"
#include "lib/result.hpp"
#include "mm/frame_allocator.hpp"
#include "mm/page_table.hpp"
#include <stdint.h>

namespace mm {

/// Builds the frame allocator from the memory map (reserving the first MiB, the kernel image,
/// the boot information and the modules), drops the boot identity mapping and prepares the
/// kernel half that every address space shares.
void init(const mb2::BootInfo& boot, uint64_t boot_info_phys, uint64_t boot_info_size);

FrameAllocator& frames();
/// The physmap-backed PhysicalMemory every PageTable in the kernel uses.
PhysicalMemory& physical();
/// The kernel's own PML4 (the one boot.S built); its upper half is copied into every process.
uint64_t kernel_root();

/// One zeroed 4 KiB page of kernel memory (through the physmap), or Error::NoMemory.
Result<void*> allocate_page();
void free_page(void* page);

/// Maps device memory [phys, phys+size) uncached into the kernel's MMIO window.
Result<volatile void*> map_mmio(uint64_t phys, uint64_t size);

/// Bytes of RAM the memory map reported as available (below 4 GiB, what the kernel can use).
uint64_t usable_bytes();

} // namespace mm
