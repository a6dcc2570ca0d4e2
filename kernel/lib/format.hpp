/// \file format.hpp
/// \brief printf-style formatting into a fixed buffer, for the kernel log and for user space.
///
/// Supported: `%d %i %u %x %X %p %s %c %%`, the length modifiers `l`, `ll` and `z`, a field
/// width, `0` padding, `-` left alignment, and a precision for strings (`%.5s`, `%.*s`). Output is always NUL-terminated and truncated to the
/// buffer; the return value is the length the full output would have had (as snprintf).
/// The compiler checks every call against its arguments through the `format` attribute.
#pragma once

#include <stdarg.h>
#include <stddef.h>

size_t vformat(char* buffer, size_t size, const char* fmt, va_list args);
size_t format(char* buffer, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
