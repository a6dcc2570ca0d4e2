/// \file printf.cpp
/// \brief snprintf, vsnprintf, sprintf, vsprintf: the formatter writing into memory.
#include "core.hpp"
#include <stdint.h>
#include <stdio.h>

extern "C" {

int vsnprintf(char* buffer, size_t size, const char* fmt, va_list args)
{
    size_t n = libc::format_to_buffer(buffer, size, fmt, args);
    return n > INT32_MAX ? INT32_MAX : static_cast<int>(n);
}

int snprintf(char* buffer, size_t size, const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(buffer, size, fmt, args);
    va_end(args);
    return n;
}

int vsprintf(char* buffer, const char* fmt, va_list args) { return vsnprintf(buffer, SIZE_MAX, fmt, args); }

int sprintf(char* buffer, const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vsprintf(buffer, fmt, args);
    va_end(args);
    return n;
}

} // extern "C"
