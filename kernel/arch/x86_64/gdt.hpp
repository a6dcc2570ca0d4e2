/// \file gdt.hpp
/// \brief The GDT (kernel and user segments in the order SYSCALL/SYSRET need) and the TSS.
#pragma once

#include <stdint.h>

namespace gdt {

// Selectors. SYSRET loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8, so user data must come
// right before user code; SYSCALL loads CS = STAR[47:32] and SS = that + 8.
inline constexpr uint16_t kKernelCode = 0x08;
inline constexpr uint16_t kKernelData = 0x10;
inline constexpr uint16_t kUserBase = 0x18;          ///< STAR[63:48]; the 32-bit user code slot.
inline constexpr uint16_t kUserData = 0x20 | 3;
inline constexpr uint16_t kUserCode = 0x28 | 3;
inline constexpr uint16_t kTss = 0x30;

/// Loads the GDT and the TSS, reloads the segment registers.
void init();
/// Where TSS.RSP0 lives: the stack the CPU switches to when an interrupt arrives in user mode.
/// Every context switch writes it, so the address is kept in a variable (set by init()).
extern uint64_t* g_kernel_stack_slot;
/// Sets TSS.RSP0.
inline void set_kernel_stack(uint64_t rsp0) { *g_kernel_stack_slot = rsp0; }
/// True while some process's I/O bitmap is loaded (switching to a process without one must
/// then unload it).
extern bool g_io_bitmap_loaded;
/// Lets user mode reach the ports whose bits are clear in `bitmap` (8 KiB), or no port at all
/// when `bitmap` is nullptr. `key` names the bitmap's contents: the copy is skipped when the
/// same key is already loaded.
void set_io_bitmap(const uint8_t* bitmap, uint64_t key);

} // namespace gdt
