/// \file boot_modules.cpp
/// \brief Keeps a table of the boot modules, with names split off their command lines.
#include "core/boot_modules.hpp"
#include "core/log.hpp"
#include "lib/string.hpp"
#include "mm/layout.hpp"

namespace boot_modules {

namespace {
constexpr size_t kNameMax = 32;
BootModule g_modules[mb2::kMaxModules];
char g_names[mb2::kMaxModules][kNameMax];
size_t g_count = 0;
} // namespace

void init(const mb2::BootInfo& boot)
{
    for (size_t i = 0; i < boot.module_count; ++i) {
        const mb2::Module& m = boot.modules[i];
        size_t n = 0;
        while (m.cmdline[n] && m.cmdline[n] != ' ' && n < kNameMax - 1) {
            g_names[i][n] = m.cmdline[n];
            ++n;
        }
        g_names[i][n] = '\0';
        g_modules[i] = {g_names[i], m.cmdline, static_cast<const uint8_t*>(layout::phys_to_virt(m.start)),
                        static_cast<size_t>(m.end - m.start)};
        klog::info("boot", "module %zu: %-10s %7zu bytes at 0x%lx", i, g_names[i], g_modules[i].size, m.start);
    }
    g_count = boot.module_count;
}

const BootModule* find(const char* name, size_t len)
{
    for (size_t i = 0; i < g_count; ++i)
        if (strlen(g_modules[i].name) == len && memcmp(g_modules[i].name, name, len) == 0) return &g_modules[i];
    return nullptr;
}

size_t count() { return g_count; }

const BootModule* at(size_t i) { return i < g_count ? &g_modules[i] : nullptr; }

} // namespace boot_modules
