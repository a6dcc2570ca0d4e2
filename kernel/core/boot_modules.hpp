/// \file boot_modules.hpp
/// \brief The GRUB boot modules (servers, drivers, programs), found by name.
///
/// A module's name is the first word of its GRUB string: `module2 /boot/init.elf init loglevel=2`
/// makes a module named "init" whose arguments are "init loglevel=2".
#pragma once

#include "lib/multiboot2.hpp"
#include <stddef.h>
#include <stdint.h>

namespace boot_modules {

struct BootModule {
    const char* name;      ///< NUL-terminated copy of the first word.
    const char* args;      ///< The whole module string (argv[0] is the name).
    const uint8_t* data;   ///< The file's bytes, through the physmap.
    size_t size;
};

/// Records the modules GRUB loaded.
void init(const mb2::BootInfo& boot);
/// The module whose name is `name[0..len)`, or nullptr.
const BootModule* find(const char* name, size_t len);
size_t count();
/// The i-th module (i < count()).
const BootModule* at(size_t i);

} // namespace boot_modules
