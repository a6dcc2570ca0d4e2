/// \file number_core.cpp
/// \brief The digits-to-number core behind strtol, strtoul, strtoll, strtoull and atoi.
#include "core.hpp"

namespace libc {

namespace {

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/// The value of digit `c` in bases up to 36, or 99 for a non-digit.
int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

} // namespace

ParsedNumber parse_number(const char* s, int base)
{
    ParsedNumber out;
    out.end = s;
    if (base != 0 && (base < 2 || base > 36)) {
        out.bad_base = true;
        return out;
    }
    const char* p = s;
    while (is_space(*p)) ++p;
    if (*p == '+' || *p == '-') out.negative = *p++ == '-';
    // "0x" counts as a prefix only when a hex digit follows; "0x" alone parses as the 0.
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = p[0] == '0' ? 8 : 10;
    }
    for (; digit_value(*p) < base; ++p) {
        out.any_digits = true;
        uint64_t d = static_cast<uint64_t>(digit_value(*p));
        if (out.magnitude > (UINT64_MAX - d) / static_cast<uint64_t>(base)) out.overflow = true;
        if (!out.overflow) out.magnitude = out.magnitude * static_cast<uint64_t>(base) + d;
    }
    if (out.overflow) out.magnitude = UINT64_MAX;
    if (out.any_digits) out.end = p;
    return out;
}

} // namespace libc
