/// \file selftest.cpp
/// \brief The crash self-tests: a kernel page fault and a panic, two calls deep so backtraces have frames.
#include "core/selftest.hpp"
#include "core/log.hpp"
#include "core/panic.hpp"
#include "lib/string.hpp"

namespace selftest {

namespace {

// noinline keeps each function its own frame, so the backtrace shows all of them.
[[gnu::noinline]] void fault_in_kernel()
{
    klog::warn("selftest", "dereferencing 0xdead0000 in kernel mode on purpose");
    *reinterpret_cast<volatile uint64_t*>(0xdead0000ull) = 1;
}

[[gnu::noinline]] void panic_in_kernel() { panic("selftest: panic requested on the command line"); }

} // namespace

void run_from_command_line(const char* cmdline)
{
    for (const char* p = cmdline; *p; ++p) {
        if (strncmp(p, "selftest=kernel-fault", 21) == 0) fault_in_kernel();
        if (strncmp(p, "selftest=panic", 14) == 0) panic_in_kernel();
    }
}

} // namespace selftest
