/// \file core.hpp
/// \brief libc's pure building blocks (formatting, number parsing, sorting, calendar, paths), free of system calls so the host unit tests can run them.
///
/// The C functions (printf, strtol, qsort, gmtime_r, basename...) are thin wrappers over these.
/// They live in namespace libc, so the host tests can link them next to the host's own C library.
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

namespace libc {

/// Receives formatted output in pieces.
using PutFn = void (*)(void* context, const char* text, size_t length);

/// printf's engine: formats `fmt` with `args`, handing the output to `put` in pieces. Returns
/// how many bytes were produced. See stdio.h for the conversions.
size_t format(PutFn put, void* context, const char* fmt, va_list args);

/// snprintf's core: writes at most size-1 bytes and a NUL (when size > 0); returns the length
/// of the whole output.
size_t format_to_buffer(char* buffer, size_t size, const char* fmt, va_list args);

/// strtoull's core. Skips spaces, reads a sign and (base 16 or 0) a "0x" prefix, then digits.
struct ParsedNumber {
    uint64_t magnitude = 0;  ///< Saturated at UINT64_MAX on overflow.
    bool negative = false;
    bool overflow = false;   ///< The digits did not fit in 64 bits.
    bool any_digits = false; ///< False: nothing was parsed and `end` is the start.
    bool bad_base = false;   ///< base was not 0 or 2..36.
    const char* end = nullptr;
};
ParsedNumber parse_number(const char* s, int base);

/// Heapsort: sorts `count` items of `size` bytes in place, O(n log n) comparisons, no memory.
void heap_sort(void* base, size_t count, size_t size, int (*compare)(const void*, const void*));

/// A moment as the calendar shows it (proleptic Gregorian, UTC).
struct Civil {
    int64_t year;
    int month;    ///< 1..12
    int day;      ///< 1..31
    int hour;
    int minute;
    int second;
    int weekday;  ///< 0 = Sunday
    int yday;     ///< 0..365
};
Civil civil_from_seconds(int64_t seconds_since_1970);

/// POSIX basename/dirname, in place: they may write a NUL into `path`, and may return a
/// pointer to a static "." or "/".
char* path_basename(char* path);
char* path_dirname(char* path);

} // namespace libc
