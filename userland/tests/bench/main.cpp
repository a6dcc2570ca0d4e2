/// \file main.cpp
/// \brief `bench`: micro-benchmarks of kernel entry, printed as "BENCH samsara <what> <cycles per op>".
///
/// Run under QEMU with `-icount shift=0` (tools/bench.py does), the TSC advances one tick per
/// guest instruction, so the figures are guest instructions per operation: repeatable on a noisy
/// machine and comparable with ../shared/anchors/linux-ipc, which measures Linux the same way.
#include "print.hpp"
#include "sys.hpp"

namespace {

inline uint64_t rdtsc()
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t(hi) << 32) | lo;
}

constexpr int kWarm = 1000;
constexpr int kRuns = 20000;

/// Prints the average cost of `op` over kRuns calls, after kWarm warm-up calls.
template <typename Op>
void measure(const char* what, Op op)
{
    for (int i = 0; i < kWarm; ++i) op();
    uint64_t start = rdtsc();
    for (int i = 0; i < kRuns; ++i) op();
    uint64_t total = rdtsc() - start;
    // One decimal place without floating point.
    uint64_t tenths = total * 10 / kRuns;
    print("BENCH samsara %s %lu.%lu\n", what, tenths / 10, tenths % 10);
}

} // namespace

int main(int, char**)
{
    // The cheapest way into the kernel and back: an unknown number fails at the first check.
    measure("null_syscall(unknown number)", [] { sys::raw::syscall(0xffff); });
    measure("clock", [] { sys::clock_ns(); });
    measure("yield(no other thread)", [] { sys::yield(); });
    print("BENCH done\n");
    return 0;
}
