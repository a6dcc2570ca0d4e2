/// \file boot_caps.hpp
/// \brief The capabilities the kernel hands to init: every resource it does not keep for itself.
#pragma once

#include "lib/multiboot2.hpp"
#include "lib/result.hpp"

struct Process;

namespace boot_caps {

/// Gives `init` a memory pool with all free RAM, every I/O port, the MMIO hole below 4 GiB, the
/// IRQ lines, and a read-only Memory capability per boot module; maps the abi::BootInfoPage that
/// lists them at abi::kBootInfoAddress.
Result<void> grant_to_init(Process& init, const mb2::BootInfo& boot);

} // namespace boot_caps
