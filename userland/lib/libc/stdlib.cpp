/// \file stdlib.cpp
/// \brief exit, abort, the number parsers (strtol and friends, atoi), abs and qsort.
#include "core.hpp"
#include "internal.hpp"
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

extern "C" {

void exit(int status)
{
    if (libc_flush_at_exit) libc_flush_at_exit();
    sys::exit(status);
}

void abort(void)
{
    // No signals to raise: an invalid opcode ends the process abnormally, and proc reports it
    // to the parent as a signal (SIGILL), never as an exit code a caller could mistake.
    for (;;) __builtin_trap();
}

unsigned long long strtoull(const char* s, char** end, int base)
{
    libc::ParsedNumber n = libc::parse_number(s, base);
    if (end) *end = const_cast<char*>(n.end);
    if (n.bad_base) {
        errno = EINVAL;
        return 0;
    }
    if (n.overflow) {
        errno = ERANGE;
        return UINT64_MAX;
    }
    // C says "-1" converts to ULLONG_MAX: the negation happens in the unsigned type.
    return n.negative ? 0 - n.magnitude : n.magnitude;
}

long long strtoll(const char* s, char** end, int base)
{
    libc::ParsedNumber n = libc::parse_number(s, base);
    if (end) *end = const_cast<char*>(n.end);
    if (n.bad_base) {
        errno = EINVAL;
        return 0;
    }
    uint64_t limit = n.negative ? static_cast<uint64_t>(INT64_MAX) + 1 : static_cast<uint64_t>(INT64_MAX);
    if (n.overflow || n.magnitude > limit) {
        errno = ERANGE;
        return n.negative ? INT64_MIN : INT64_MAX;
    }
    return n.negative ? static_cast<long long>(0 - n.magnitude) : static_cast<long long>(n.magnitude);
}

long strtol(const char* s, char** end, int base) { return strtoll(s, end, base); }
unsigned long strtoul(const char* s, char** end, int base) { return strtoull(s, end, base); }
int atoi(const char* s) { return static_cast<int>(strtol(s, nullptr, 10)); }
long atol(const char* s) { return strtol(s, nullptr, 10); }
long long atoll(const char* s) { return strtoll(s, nullptr, 10); }
int abs(int v) { return v < 0 ? -v : v; }
long labs(long v) { return v < 0 ? -v : v; }

void qsort(void* base, size_t count, size_t size, int (*compare)(const void*, const void*))
{
    libc::heap_sort(base, count, size, compare);
}

} // extern "C"
