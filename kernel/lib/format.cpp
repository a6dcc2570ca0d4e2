/// \file format.cpp
/// \brief A small, bounded vsnprintf: the one formatter shared by the kernel log and libsys.
#include "lib/format.hpp"
#include <stdint.h>

namespace {

/// Appends characters to a bounded buffer and counts what would have been written.
struct Sink {
    char* buffer;
    size_t size;
    size_t length = 0;

    void put(char c)
    {
        if (size != 0 && length + 1 < size) buffer[length] = c;
        ++length;
    }
};

constexpr int kMaxWidth = 4096;

struct Spec {
    bool left = false;
    bool zero = false;
    int width = 0;
    int precision = -1;  ///< For %s: the most characters printed (-1: all).
};

void put_padded(Sink& out, const char* text, size_t len, const Spec& spec, char pad)
{
    size_t fill = spec.width > 0 && static_cast<size_t>(spec.width) > len ? spec.width - len : 0;
    if (!spec.left)
        for (size_t i = 0; i < fill; ++i) out.put(pad);
    for (size_t i = 0; i < len; ++i) out.put(text[i]);
    if (spec.left)
        for (size_t i = 0; i < fill; ++i) out.put(' ');
}

void put_number(Sink& out, uint64_t value, bool negative, unsigned base, bool upper, const Spec& spec)
{
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char text[24];
    size_t n = 0;
    do {
        text[sizeof(text) - 1 - n++] = digits[value % base];
        value /= base;
    } while (value != 0);
    Spec numeric = spec;
    if (negative) {
        // The sign goes before zero padding ("-007"), but after space padding ("  -7").
        if (spec.zero && !spec.left) {
            out.put('-');
            if (numeric.width > 0) --numeric.width;
        } else {
            text[sizeof(text) - 1 - n++] = '-';
        }
    }
    put_padded(out, text + sizeof(text) - n, n, numeric, spec.zero && !spec.left ? '0' : ' ');
}

} // namespace

size_t vformat(char* buffer, size_t size, const char* fmt, va_list args)
{
    Sink out{buffer, size};
    for (const char* p = fmt; *p; ++p) {
        if (*p != '%') {
            out.put(*p);
            continue;
        }
        ++p;
        Spec spec;
        for (;; ++p) {
            if (*p == '-') spec.left = true;
            else if (*p == '0') spec.zero = true;
            else break;
        }
        // Widths are capped, so a huge one in a format string cannot overflow.
        while (*p >= '0' && *p <= '9') {
            if (spec.width < kMaxWidth) spec.width = spec.width * 10 + (*p - '0');
            ++p;
        }
        if (spec.width > kMaxWidth) spec.width = kMaxWidth;
        // A precision (".N" or ".*") limits how much of a string is printed.
        if (*p == '.') {
            ++p;
            spec.precision = 0;
            if (*p == '*') {
                int given = va_arg(args, int);
                spec.precision = given < 0 ? -1 : given;
                ++p;
            } else {
                while (*p >= '0' && *p <= '9') {
                    if (spec.precision < kMaxWidth) spec.precision = spec.precision * 10 + (*p - '0');
                    ++p;
                }
            }
        }
        int longs = 0;
        bool size_t_arg = false;
        while (*p == 'l') ++longs, ++p;
        if (*p == 'z') size_t_arg = true, ++p;

        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = size_t_arg ? static_cast<int64_t>(va_arg(args, size_t))
                        : longs   ? va_arg(args, long)
                                  : va_arg(args, int);
            uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
            put_number(out, magnitude, v < 0, 10, false, spec);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            uint64_t v = size_t_arg ? va_arg(args, size_t)
                         : longs   ? va_arg(args, unsigned long)
                                   : va_arg(args, unsigned int);
            put_number(out, v, false, *p == 'u' ? 10 : 16, *p == 'X', spec);
            break;
        }
        case 'p': {
            uint64_t v = reinterpret_cast<uintptr_t>(va_arg(args, void*));
            out.put('0');
            out.put('x');
            // Always "0x" and 16 digits, whatever the flags say.
            Spec hex;
            hex.zero = true;
            hex.width = 16;
            put_number(out, v, false, 16, false, hex);
            break;
        }
        case 's': {
            const char* s = va_arg(args, const char*);
            if (!s) s = "(null)";
            size_t len = 0;
            while ((spec.precision < 0 || len < static_cast<size_t>(spec.precision)) && s[len]) ++len;
            put_padded(out, s, len, spec, ' ');
            break;
        }
        case 'c': {
            char c = static_cast<char>(va_arg(args, int));
            put_padded(out, &c, 1, spec, ' ');
            break;
        }
        case '%': out.put('%'); break;
        case '\0': --p; break;  // A lone '%' at the end prints nothing.
        default:
            // An unknown conversion is printed as written, so the mistake is visible.
            out.put('%');
            out.put(*p);
            break;
        }
    }
    if (size != 0) buffer[out.length < size ? out.length : size - 1] = '\0';
    return out.length;
}

size_t format(char* buffer, size_t size, const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    size_t n = vformat(buffer, size, fmt, args);
    va_end(args);
    return n;
}
