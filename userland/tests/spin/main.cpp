/// \file main.cpp
/// \brief `spin NAME [MS]`: a busy loop that never yields or makes a system call, to show the timer preempts it.
///
/// It spins on the time-stamp counter for MS milliseconds (default 600). A jump of more than
/// 2 ms between two consecutive reads means another thread ran in between: the kernel preempted
/// us. With two spinners at the same priority, each must be preempted many times.
#include "print.hpp"
#include "sys.hpp"

namespace {
inline uint64_t rdtsc()
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t(hi) << 32) | lo;
}

uint64_t parse_number(const char* s)
{
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; ++s) v = v * 10 + (*s - '0');
    return v;
}
} // namespace

int main(int argc, char** argv)
{
    const char* name = argc > 1 ? argv[1] : "?";
    uint64_t ms = argc > 2 ? parse_number(argv[2]) : 600;

    // Learn the TSC rate from the kernel clock over 10 ms (a ratio, so a preemption here only
    // stretches both sides).
    uint64_t t0 = sys::clock_ns(), c0 = rdtsc();
    while (sys::clock_ns() - t0 < 10000000) {
    }
    uint64_t per_ms = (rdtsc() - c0) * 1000000 / (sys::clock_ns() - t0);

    // The busy loop proper: user-mode instructions only.
    uint64_t start = rdtsc();
    uint64_t end = start + ms * per_ms;
    uint64_t last = start, preempted = 0, iterations = 0;
    for (uint64_t now = start; now < end; now = rdtsc()) {
        if (now - last > 2 * per_ms) ++preempted;
        last = now;
        ++iterations;
    }
    print("spin %s: preempted %lu times in %lu ms (%lu iterations)\n", name, preempted, ms, iterations);
    return preempted >= 3 ? 0 : 1;
}
