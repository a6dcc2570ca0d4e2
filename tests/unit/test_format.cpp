/// \file test_format.cpp
/// \brief Host tests for format/vformat: every conversion, modifiers, width and flags, extremes, truncation and the snprintf-style return value, malformed formats.
#include "lib/format.hpp"

#include <catch2/catch.hpp>
#include <climits>
#include <cstdint>
#include <cstring>
#include <string>

namespace {

struct Formatted {
    std::string text;  ///< What landed in the buffer, up to its NUL.
    size_t length;     ///< What vformat returned.
};

/// Formats into a large buffer through vformat. Deliberately not declared with the `format`
/// attribute, so the malformed formats under test compile under -Werror.
Formatted vfmt(const char* format_string, va_list args)
{
    char buffer[512];
    std::memset(buffer, 'X', sizeof(buffer));
    size_t n = vformat(buffer, sizeof(buffer), format_string, args);
    if (!std::memchr(buffer, '\0', sizeof(buffer))) return {"<not NUL-terminated>", n};
    return {buffer, n};
}

Formatted fmt(const char* format_string, ...)
{
    va_list args;
    va_start(args, format_string);
    Formatted f = vfmt(format_string, args);
    va_end(args);
    return f;
}

/// The text fmt() produced, or a description of the mismatch if the return value is not the
/// length of that text. (No assertion in here: it is called inside CHECK.)
std::string text(const char* format_string, ...)
{
    va_list args;
    va_start(args, format_string);
    Formatted f = vfmt(format_string, args);
    va_end(args);
    if (f.length != f.text.size())
        return "<returned " + std::to_string(f.length) + " for \"" + f.text + "\">";
    return f.text;
}

/// vformat into a caller's buffer of `size` bytes, without the `format` attribute (so a null %s
/// argument compiles).
size_t format_unchecked(char* buffer, size_t size, const char* format_string, ...)
{
    va_list args;
    va_start(args, format_string);
    size_t n = vformat(buffer, size, format_string, args);
    va_end(args);
    return n;
}

/// A 16-byte buffer full of 'X' sentinels, to see exactly which bytes vformat wrote.
struct Buffer {
    Buffer() { std::memset(bytes, 'X', sizeof(bytes)); }
    char bytes[16];
    std::string prefix(size_t n) const { return std::string(bytes, n); }
};

} // namespace

TEST_CASE("format: plain text and %%", "[format]")
{
    CHECK(text("") == "");
    CHECK(text("hello, world") == "hello, world");
    CHECK(text("%%") == "%");
    CHECK(text("100%% sure") == "100% sure");
    CHECK(text("%%%%") == "%%");
    CHECK(text("%%d") == "%d");  // An escaped % does not start a conversion.
}

TEST_CASE("format: %d and %i", "[format]")
{
    CHECK(text("%d", 0) == "0");
    CHECK(text("%d", 42) == "42");
    CHECK(text("%d", -42) == "-42");
    CHECK(text("%i", 1234567) == "1234567");
    CHECK(text("%i", -1) == "-1");
    CHECK(text("%d", INT_MAX) == "2147483647");
    CHECK(text("%d", INT_MIN) == "-2147483648");
    CHECK(text("a%db%dc", 1, -2) == "a1b-2c");
}

TEST_CASE("format: %d with l, ll and z", "[format]")
{
    CHECK(text("%ld", 1234567890123L) == "1234567890123");
    CHECK(text("%ld", -1L) == "-1");
    CHECK(text("%lld", static_cast<long long>(INT64_MAX)) == "9223372036854775807");
    CHECK(text("%lld", static_cast<long long>(INT64_MIN)) == "-9223372036854775808");
    CHECK(text("%li", static_cast<long>(INT64_MIN)) == "-9223372036854775808");
    CHECK(text("%zd", static_cast<size_t>(12345)) == "12345");
    CHECK(text("%zd", static_cast<ptrdiff_t>(-5)) == "-5");
    // Without l, only the int is read: the upper half of a 64-bit argument is not used.
    CHECK(text("%d", static_cast<int>(0x100000005LL & 0xffffffff)) == "5");
}

TEST_CASE("format: %u, %x and %X", "[format]")
{
    CHECK(text("%u", 0u) == "0");
    CHECK(text("%u", 4000000000u) == "4000000000");
    CHECK(text("%u", -1) == "4294967295");  // An int read as unsigned.
    CHECK(text("%x", 0u) == "0");
    CHECK(text("%x", 255u) == "ff");
    CHECK(text("%X", 255u) == "FF");
    CHECK(text("%x", 0xdeadbeefu) == "deadbeef");
    CHECK(text("%X", 0xabcdef01u) == "ABCDEF01");
    CHECK(text("%x", -1) == "ffffffff");
    CHECK(text("%lu", static_cast<unsigned long>(UINT64_MAX)) == "18446744073709551615");
    CHECK(text("%llu", static_cast<unsigned long long>(UINT64_MAX)) == "18446744073709551615");
    CHECK(text("%zu", SIZE_MAX) == "18446744073709551615");
    CHECK(text("%lx", static_cast<unsigned long>(UINT64_MAX)) == "ffffffffffffffff");
    CHECK(text("%llX", 0xfedcba9876543210ULL) == "FEDCBA9876543210");
    CHECK(text("%zx", static_cast<size_t>(0x1000)) == "1000");
    CHECK(text("%lu", 0UL) == "0");
}

TEST_CASE("format: %p is 0x and 16 lowercase hex digits", "[format]")
{
    CHECK(text("%p", static_cast<void*>(nullptr)) == "0x0000000000000000");
    CHECK(text("%p", reinterpret_cast<void*>(0x1234)) == "0x0000000000001234");
    CHECK(text("%p", reinterpret_cast<void*>(0xdeadbeefULL)) == "0x00000000deadbeef");
    CHECK(text("%p", reinterpret_cast<void*>(0xffff800000200000ULL)) == "0xffff800000200000");
    CHECK(text("%p", reinterpret_cast<void*>(UINTPTR_MAX)) == "0xffffffffffffffff");
    CHECK(text("[%p]", reinterpret_cast<void*>(0xABCULL)) == "[0x0000000000000abc]");
}

TEST_CASE("format: %p stays 16 digits with the - flag", "[format]")
{
    // %p is always the fixed-width form: the - flag must not turn the zero padding into
    // trailing spaces ("0x1234            ").
    CHECK(text("%-p", reinterpret_cast<void*>(0x1234)) == "0x0000000000001234");
}

TEST_CASE("format: %s", "[format]")
{
    CHECK(text("%s", "abc") == "abc");
    CHECK(text("%s", "") == "");
    CHECK(text("<%s|%s>", "left", "right") == "<left|right>");
    CHECK(text("%s", static_cast<const char*>(nullptr)) == "(null)");
    CHECK(text("%8s|", static_cast<const char*>(nullptr)) == "  (null)|");
    CHECK(text("%s", "a %d in an argument is not a conversion") == "a %d in an argument is not a conversion");
}

TEST_CASE("format: %c", "[format]")
{
    CHECK(text("%c", 'A') == "A");
    CHECK(text("%c%c%c", 'x', 'y', 'z') == "xyz");
    CHECK(text("%3c|", 'q') == "  q|");
    CHECK(text("%-3c|", 'q') == "q  |");
    CHECK(text("%c", 0x141) == "A");  // Only the low byte: the int is converted to char.

    // A NUL character is written and counted, even though it ends the C string.
    char buffer[8];
    std::memset(buffer, 'X', sizeof(buffer));
    CHECK(format(buffer, sizeof(buffer), "a%cb", 0) == 3);
    CHECK(std::memcmp(buffer, "a\0b\0", 4) == 0);
}

TEST_CASE("format: field width and right alignment", "[format]")
{
    CHECK(text("%5d|", 42) == "   42|");
    CHECK(text("%5d|", -42) == "  -42|");
    CHECK(text("%5x|", 0xabcu) == "  abc|");
    CHECK(text("%6s|", "abc") == "   abc|");
    CHECK(text("%1d", 12345) == "12345");  // A width smaller than the text never cuts it.
    CHECK(text("%2s", "abcdef") == "abcdef");
    CHECK(text("%3d", -123) == "-123");
    CHECK(text("%4d", -123) == "-123");  // Exactly wide enough, sign included.
    CHECK(text("%5d", 0) == "    0");
    CHECK(text("%20llu", 1ULL) == "                   1");
}

TEST_CASE("format: - aligns left", "[format]")
{
    CHECK(text("%-5d|", 42) == "42   |");
    CHECK(text("%-5d|", -42) == "-42  |");
    CHECK(text("%-6s|", "abc") == "abc   |");
    CHECK(text("%-2s|", "abcdef") == "abcdef|");
    CHECK(text("%-4x|", 0xfu) == "f   |");
    // - wins over 0: left-aligned numbers are padded with spaces, as in C.
    CHECK(text("%-05d|", 42) == "42   |");
    CHECK(text("%0-5d|", 42) == "42   |");
    CHECK(text("%-05d|", -42) == "-42  |");
}

TEST_CASE("format: 0 pads numbers with zeros, after the sign", "[format]")
{
    CHECK(text("%05d", 42) == "00042");
    CHECK(text("%05d", -42) == "-0042");
    CHECK(text("%03d", -42) == "-42");  // Width equal to the text: nothing to pad.
    CHECK(text("%02d", -42) == "-42");
    CHECK(text("%0d", -42) == "-42");
    CHECK(text("%01d", -5) == "-5");
    CHECK(text("%02d", -5) == "-5");
    CHECK(text("%03d", -5) == "-05");
    CHECK(text("%05d", 0) == "00000");
    CHECK(text("%08x", 0xbeefu) == "0000beef");
    CHECK(text("%08X", 0xbeefu) == "0000BEEF");
    CHECK(text("%016lx", 0x1234UL) == "0000000000001234");
    CHECK(text("%010u", 4000000000u) == "4000000000");
    CHECK(text("%020lld", static_cast<long long>(INT64_MIN)) == "-9223372036854775808");
    CHECK(text("%021lld", static_cast<long long>(INT64_MIN)) == "-09223372036854775808");
    CHECK(text("%025llu", static_cast<unsigned long long>(UINT64_MAX)) == "0000018446744073709551615");
    // Zero padding is for numbers; strings and characters are padded with spaces.
    CHECK(text("%05s", "ab") == "   ab");
    CHECK(text("%03c", 'z') == "  z");
}

TEST_CASE("format: a large width is counted in the return value", "[format]")
{
    Formatted f = fmt("%300d", 7);
    CHECK(f.length == 300);
    CHECK(f.text == std::string(299, ' ') + "7");

    char small[8];
    CHECK(format(small, sizeof(small), "%1000d", 7) == 1000);
    CHECK(std::string(small) == "       ");
}

TEST_CASE("format: unknown conversions are printed as written", "[format][malformed]")
{
    CHECK(text("%q") == "%q");
    CHECK(text("a%qb") == "a%qb");
    CHECK(text("%y%d", 5) == "%y5");  // The unknown one takes no argument.
    CHECK(text("%f") == "%f");        // No floating point in the kernel.
    CHECK(text("%o") == "%o");
    CHECK(text("%n") == "%n");
    CHECK(text("% d") == "% d");
}

TEST_CASE("format: a lone % at the end prints nothing", "[format][malformed]")
{
    CHECK(text("%") == "");
    CHECK(text("abc%") == "abc");
    CHECK(text("50%%%") == "50%");
    // An unfinished conversion at the end: flags, width or length but no conversion letter.
    CHECK(text("abc%5") == "abc");
    CHECK(text("abc%-") == "abc");
    CHECK(text("abc%0") == "abc");
    CHECK(text("abc%l") == "abc");
    CHECK(text("abc%ll") == "abc");
    CHECK(text("abc%z") == "abc");
    CHECK(text("abc%-08l") == "abc");
}

TEST_CASE("format: truncation always terminates and returns the full length", "[format][truncation]")
{
    SECTION("size 0 writes nothing at all")
    {
        Buffer b;
        CHECK(format(b.bytes, 0, "hello") == 5);
        CHECK(b.prefix(16) == std::string(16, 'X'));
        CHECK(format(b.bytes, 0, "%s", "") == 0);
        CHECK(b.bytes[0] == 'X');
        CHECK(format(nullptr, 0, "%d-%s", 12345, "abc") == 9);  // Measuring with no buffer.
    }
    SECTION("size 1 holds only the terminator")
    {
        Buffer b;
        CHECK(format(b.bytes, 1, "hello") == 5);
        CHECK(b.bytes[0] == '\0');
        CHECK(b.bytes[1] == 'X');
    }
    SECTION("a small buffer gets a prefix")
    {
        Buffer b;
        CHECK(format(b.bytes, 4, "hello") == 5);
        CHECK(b.prefix(5) == std::string("hel\0X", 5));
    }
    SECTION("a buffer one short of the text")
    {
        Buffer b;
        CHECK(format(b.bytes, 5, "hello") == 5);
        CHECK(b.prefix(6) == std::string("hell\0X", 6));
    }
    SECTION("a buffer exactly big enough")
    {
        Buffer b;
        CHECK(format(b.bytes, 6, "hello") == 5);
        CHECK(b.prefix(7) == std::string("hello\0X", 7));
    }
    SECTION("an empty result")
    {
        Buffer b;
        CHECK(format(b.bytes, 4, "%s", "") == 0);
        CHECK(b.bytes[0] == '\0');
        CHECK(b.bytes[1] == 'X');
    }
    SECTION("inside a number and its padding")
    {
        Buffer b;
        CHECK(format(b.bytes, 5, "%08d", 42) == 8);
        CHECK(b.prefix(6) == std::string("0000\0X", 6));
        Buffer c;
        CHECK(format(c.bytes, 3, "%05d", -42) == 5);
        CHECK(c.prefix(4) == std::string("-0\0X", 4));
        Buffer d;
        CHECK(format(d.bytes, 4, "%lld", static_cast<long long>(INT64_MIN)) == 20);
        CHECK(d.prefix(5) == std::string("-92\0X", 5));
    }
    SECTION("inside %p and %s")
    {
        Buffer b;
        CHECK(format(b.bytes, 8, "%p", reinterpret_cast<void*>(0xabc)) == 18);
        CHECK(b.prefix(9) == std::string("0x00000\0X", 9));
        Buffer c;
        CHECK(format_unchecked(c.bytes, 3, "%s", static_cast<const char*>(nullptr)) == 6);
        CHECK(c.prefix(4) == std::string("(n\0X", 4));
    }
    SECTION("what follows a cut is still counted")
    {
        Buffer b;
        CHECK(format(b.bytes, 3, "ab%dcd%s", 12345, "xyz") == 12);
        CHECK(b.prefix(4) == std::string("ab\0X", 4));
    }
    SECTION("the full 16 bytes")
    {
        Buffer b;
        CHECK(format(b.bytes, sizeof(b.bytes), "%s", "0123456789abcdefghij") == 20);
        CHECK(std::string(b.bytes) == "0123456789abcde");
    }
}

TEST_CASE("format: vformat consumes arguments in order across conversions", "[format]")
{
    CHECK(text("%d %u %x %s %c %p %lld %zu", -1, 2u, 0x3u, "four", '5', reinterpret_cast<void*>(6),
              7LL, static_cast<size_t>(8)) == "-1 2 3 four 5 0x0000000000000006 7 8");
    CHECK(text("%5s|%-5d|%05x|%%|%q|%c", "ab", -3, 0x1fu, 'Z') == "   ab|-3   |0001f|%|%q|Z");
}

// Malformed: a width that does not fit in an int. format.cpp caps widths, so this must not be
// signed overflow (UBSan would abort the whole test binary).
TEST_CASE("format: a width beyond INT_MAX is not undefined behaviour", "[format][format_width_overflow]")
{
    Formatted f = fmt("%99999999999d|", 42);
    // However the width is bounded, the number and the text after it are counted.
    CHECK(f.length >= 3);
    if (f.length < 512) CHECK(f.text.substr(f.text.size() - 3) == "42|");
}

TEST_CASE("format: string precision", "[format]")
{
    CHECK(text("[%.3s]", "abcdef") == "[abc]");
    CHECK(text("[%.*s]", 2, "abcdef") == "[ab]");
    CHECK(text("[%.*s]", 0, "abcdef") == "[]");
    CHECK(text("[%.10s]", "abc") == "[abc]");
    CHECK(text("[%5.2s]", "abcdef") == "[   ab]");
    CHECK(text("[%-5.2s]", "abcdef") == "[ab   ]");
    // A precision stops reading: the string need not be terminated within it.
    const char unterminated[3] = {'x', 'y', 'z'};
    CHECK(text("[%.3s]", unterminated) == "[xyz]");
}
