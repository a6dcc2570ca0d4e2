/// \file format_core.cpp
/// \brief printf's engine: conversions, flags, width, precision and length modifiers, streamed to a sink.
///
/// kernel/lib/format.cpp formats into one fixed buffer with the kernel's few conversions;
/// stdio needs output of any length (fprintf to a file) and the rest of C's integer
/// conversions (`%o`, `%+d`, `%.5d`, `%#x`, `%hhx`, `%lld`), so libc has this streaming one.
#include "core.hpp"

namespace libc {

namespace {

/// Where the output goes, and how much went.
struct Out {
    PutFn put;
    void* context;
    size_t count = 0;

    void text(const char* s, size_t n)
    {
        if (n == 0) return;
        put(context, s, n);
        count += n;
    }
    void repeat(char c, size_t n)
    {
        char run[32];
        for (size_t i = 0; i < sizeof(run); ++i) run[i] = c;
        while (n > 0) {
            size_t chunk = n < sizeof(run) ? n : sizeof(run);
            text(run, chunk);
            n -= chunk;
        }
    }
};

/// A huge width or precision in a format string is capped rather than believed.
constexpr int kMaxField = 4096;

struct Spec {
    bool left = false;   ///< '-'
    bool plus = false;   ///< '+'
    bool space = false;  ///< ' '
    bool alt = false;    ///< '#'
    bool zero = false;   ///< '0'
    int width = 0;
    int precision = -1;  ///< -1: none given.
};

/// Pads `body` (after `prefix`, e.g. "-" or "0x") to the spec's width.
void emit(Out& out, const Spec& spec, const char* prefix, size_t prefix_len, size_t zeros, const char* body,
          size_t body_len, bool zero_pad)
{
    size_t length = prefix_len + zeros + body_len;
    size_t fill = spec.width > 0 && static_cast<size_t>(spec.width) > length ? spec.width - length : 0;
    if (!spec.left && !zero_pad) out.repeat(' ', fill);
    out.text(prefix, prefix_len);
    if (!spec.left && zero_pad) out.repeat('0', fill);
    out.repeat('0', zeros);
    out.text(body, body_len);
    if (spec.left) out.repeat(' ', fill);
}

/// One integer conversion: d/i (signed), u, o, x, X.
void emit_integer(Out& out, const Spec& spec, char conversion, uint64_t magnitude, bool negative)
{
    unsigned base = conversion == 'o' ? 8 : (conversion == 'x' || conversion == 'X') ? 16 : 10;
    const char* digits = conversion == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
    char text[24];
    size_t n = 0;
    // C says: precision 0 and value 0 print no digits at all.
    if (!(magnitude == 0 && spec.precision == 0)) {
        uint64_t v = magnitude;
        do {
            text[sizeof(text) - 1 - n++] = digits[v % base];
            v /= base;
        } while (v != 0);
    }
    const char* body = text + sizeof(text) - n;

    char prefix[2];
    size_t prefix_len = 0;
    bool is_signed = conversion == 'd' || conversion == 'i';
    if (is_signed) {
        if (negative) prefix[prefix_len++] = '-';
        else if (spec.plus) prefix[prefix_len++] = '+';
        else if (spec.space) prefix[prefix_len++] = ' ';
    } else if (spec.alt && base == 16 && magnitude != 0) {
        prefix[prefix_len++] = '0';
        prefix[prefix_len++] = conversion;
    }
    size_t zeros = spec.precision > 0 && static_cast<size_t>(spec.precision) > n ? spec.precision - n : 0;
    // '#' with octal: the first digit must be 0.
    if (spec.alt && base == 8 && zeros == 0 && (n == 0 || body[0] != '0')) zeros = 1;
    // '0' pads with zeros only when no precision is given and the output is right-aligned.
    bool zero_pad = spec.zero && !spec.left && spec.precision < 0;
    emit(out, spec, prefix, prefix_len, zeros, body, n, zero_pad);
}

} // namespace

size_t format(PutFn put, void* context, const char* fmt, va_list args)
{
    Out out{put, context};
    const char* p = fmt;
    while (*p) {
        // Plain text up to the next '%' goes out in one piece.
        const char* start = p;
        while (*p && *p != '%') ++p;
        out.text(start, static_cast<size_t>(p - start));
        if (!*p) break;
        const char* conversion_start = p++;

        Spec spec;
        for (;; ++p) {
            if (*p == '-') spec.left = true;
            else if (*p == '+') spec.plus = true;
            else if (*p == ' ') spec.space = true;
            else if (*p == '#') spec.alt = true;
            else if (*p == '0') spec.zero = true;
            else break;
        }
        if (*p == '*') {
            int w = va_arg(args, int);
            // A negative width from the argument means '-' and its magnitude.
            if (w < 0) {
                spec.left = true;
                w = w == -2147483647 - 1 ? kMaxField : -w;
            }
            spec.width = w > kMaxField ? kMaxField : w;
            ++p;
        } else {
            while (*p >= '0' && *p <= '9') {
                if (spec.width <= kMaxField) spec.width = spec.width * 10 + (*p - '0');
                ++p;
            }
            if (spec.width > kMaxField) spec.width = kMaxField;
        }
        if (*p == '.') {
            ++p;
            spec.precision = 0;
            if (*p == '*') {
                int given = va_arg(args, int);
                spec.precision = given < 0 ? -1 : (given > kMaxField ? kMaxField : given);
                ++p;
            } else {
                while (*p >= '0' && *p <= '9') {
                    if (spec.precision <= kMaxField) spec.precision = spec.precision * 10 + (*p - '0');
                    ++p;
                }
                if (spec.precision > kMaxField) spec.precision = kMaxField;
            }
        }
        // Length modifiers: hh h l ll z j t.
        enum class Length { None, Char, Short, Long, LongLong, Size, Max, Diff } length = Length::None;
        if (*p == 'h') {
            ++p;
            length = Length::Short;
            if (*p == 'h') ++p, length = Length::Char;
        } else if (*p == 'l') {
            ++p;
            length = Length::Long;
            if (*p == 'l') ++p, length = Length::LongLong;
        } else if (*p == 'z') {
            ++p, length = Length::Size;
        } else if (*p == 'j') {
            ++p, length = Length::Max;
        } else if (*p == 't') {
            ++p, length = Length::Diff;
        }

        char c = *p;
        switch (c) {
        case 'd':
        case 'i': {
            int64_t v = 0;
            switch (length) {
            case Length::Char: v = static_cast<signed char>(va_arg(args, int)); break;
            case Length::Short: v = static_cast<short>(va_arg(args, int)); break;
            case Length::None: v = va_arg(args, int); break;
            case Length::Long: v = va_arg(args, long); break;
            case Length::LongLong: v = va_arg(args, long long); break;
            case Length::Size: v = va_arg(args, long); break;  // ssize_t
            case Length::Max: v = va_arg(args, int64_t); break;
            case Length::Diff: v = va_arg(args, ptrdiff_t); break;
            }
            uint64_t magnitude = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
            emit_integer(out, spec, c, magnitude, v < 0);
            break;
        }
        case 'u':
        case 'o':
        case 'x':
        case 'X': {
            uint64_t v = 0;
            switch (length) {
            case Length::Char: v = static_cast<unsigned char>(va_arg(args, unsigned)); break;
            case Length::Short: v = static_cast<unsigned short>(va_arg(args, unsigned)); break;
            case Length::None: v = va_arg(args, unsigned); break;
            case Length::Long: v = va_arg(args, unsigned long); break;
            case Length::LongLong: v = va_arg(args, unsigned long long); break;
            case Length::Size: v = va_arg(args, size_t); break;
            case Length::Max: v = va_arg(args, uint64_t); break;
            case Length::Diff: v = static_cast<uint64_t>(va_arg(args, ptrdiff_t)); break;
            }
            emit_integer(out, spec, c, v, false);
            break;
        }
        case 'p': {
            uint64_t v = reinterpret_cast<uintptr_t>(va_arg(args, void*));
            if (v == 0) {
                // glibc's spelling of a null pointer.
                emit(out, spec, "", 0, 0, "(nil)", 5, false);
                break;
            }
            Spec hex = spec;
            hex.alt = true;
            emit_integer(out, hex, 'x', v, false);
            break;
        }
        case 'c': {
            char ch = static_cast<char>(va_arg(args, int));
            emit(out, spec, "", 0, 0, &ch, 1, false);
            break;
        }
        case 's': {
            const char* s = va_arg(args, const char*);
            if (!s) s = "(null)";
            size_t n = 0;
            while ((spec.precision < 0 || n < static_cast<size_t>(spec.precision)) && s[n]) ++n;
            emit(out, spec, "", 0, 0, s, n, false);
            break;
        }
        case '%': out.text("%", 1); break;
        case '\0': continue;  // A lone '%' (and flags) at the very end prints nothing.
        default:
            // An unknown conversion (%f, %n, ...) is printed as written, so the mistake shows.
            out.text(conversion_start, static_cast<size_t>(p + 1 - conversion_start));
            break;
        }
        ++p;
    }
    return out.count;
}

namespace {

struct BufferSink {
    char* buffer;
    size_t size;
    size_t used;
};

void put_buffer(void* context, const char* text, size_t length)
{
    auto* sink = static_cast<BufferSink*>(context);
    for (size_t i = 0; i < length && sink->used + 1 < sink->size; ++i) sink->buffer[sink->used++] = text[i];
}

} // namespace

size_t format_to_buffer(char* buffer, size_t size, const char* fmt, va_list args)
{
    BufferSink sink{buffer, size, 0};
    size_t n = format(put_buffer, &sink, fmt, args);
    if (size > 0) buffer[sink.used] = '\0';
    return n;
}

} // namespace libc
