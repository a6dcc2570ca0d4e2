/// \file test_libc.cpp
/// \brief Host tests for libc's pure parts: printf's engine against glibc's snprintf, strtol's core, heapsort, the calendar, basename/dirname, and SHA-256 against the FIPS 180-4 vectors.
#include "../../userland/bin/sha256sum/sha256.hpp"
#include "../../userland/lib/libc/core.hpp"

#include <catch2/catch.hpp>
#include <algorithm>
#include <climits>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <sys/types.h>
#include <vector>

namespace {

std::string ours(const char* fmt, ...)
{
    char buffer[512];
    va_list args;
    va_start(args, fmt);
    size_t n = libc::format_to_buffer(buffer, sizeof(buffer), fmt, args);
    va_end(args);
    std::string text(buffer);
    if (n != text.size()) return "<length " + std::to_string(n) + " for '" + text + "'>";
    return text;
}

/// glibc's answer for the same format and arguments.
std::string theirs(const char* fmt, ...)
{
    char buffer[512];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buffer, sizeof(buffer), fmt, args);
    va_end(args);
    return buffer;
}

#define SAME(...) CHECK(ours(__VA_ARGS__) == theirs(__VA_ARGS__))

std::string sha256_hex(const void* data, size_t n, size_t piece = 0)
{
    Sha256 h;
    auto* bytes = static_cast<const uint8_t*>(data);
    if (piece == 0) {
        h.update(data, n);
    } else {
        for (size_t at = 0; at < n; at += piece) h.update(bytes + at, n - at < piece ? n - at : piece);
    }
    char hex[65];
    h.finish_hex(hex);
    return hex;
}

} // namespace

TEST_CASE("libc printf: integers with every flag, width, precision and length, as glibc prints them")
{
    SAME("%d %i %u %x %X %o", -42, 42, 42u, 0xbeefu, 0xbeefu, 8u);
    SAME("[%5d] [%-5d] [%05d] [%+d] [% d] [%+05d] [%-+6d]", 42, 42, 42, 42, 42, 42, 42);
    SAME("[%.3d] [%8.3d] [%-8.3d] [%08.3d] [%.0d] [%.0x] [%5.0d]", 7, -7, 7, 7, 0, 0u, 0);
    SAME("[%#x] [%#X] [%#o] [%#o] [%#x] [%#.5o] [%#10x] [%#010x]", 255u, 255u, 8u, 0u, 0u, 8u, 255u, 255u);
    SAME("%d %d %ld %lld", INT_MIN, INT_MAX, LONG_MIN, LLONG_MAX);
    SAME("%u %lu %llu %zu %zd", UINT_MAX, ULONG_MAX, ULLONG_MAX, SIZE_MAX, static_cast<ssize_t>(-5));
    SAME("%hhd %hhu %hhx %hd %hu %hx", 300, 300, 0x1ff, 70000, 70000, 0x1ffff);
    SAME("%jd %ju %td", INTMAX_MIN, UINTMAX_MAX, static_cast<ptrdiff_t>(-9));
    SAME("[%*d] [%-*d] [%*d] [%.*d] [%.*d]", 6, 1, 6, 1, -6, 1, 4, 3, -1, 3);
    SAME("%lo %lx %lX", 0777ul, 0xdeadbeefcafeul, 0xdeadbeefcafeul);
}

TEST_CASE("libc printf: strings, characters, pointers, percent")
{
    SAME("[%s] [%10s] [%-10s] [%.3s] [%10.3s] [%-*.*s]", "hello", "hello", "hello", "hello", "hello", 7, 2, "hello");
    SAME("[%c] [%3c] [%-3c] %%", 'a', 'b', 'c');
    int x = 0;
    SAME("%p %20p %-20p|", static_cast<void*>(&x), static_cast<void*>(&x), static_cast<void*>(&x));
    SAME("%p [%8p]", static_cast<void*>(nullptr), static_cast<void*>(nullptr));
    SAME("%s", "");
    CHECK(ours("%s", static_cast<const char*>(nullptr)) == "(null)");
}

TEST_CASE("libc printf: malformed formats print themselves; huge widths are capped; truncation")
{
    CHECK(ours("100%") == "100");
    CHECK(ours("%f %n|", 1.5) == "%f %n|");
    CHECK(ours("%q") == "%q");
    char small[6];
    auto fmt_small = [&](const char* f, ...) {
        va_list args;
        va_start(args, f);
        size_t n = libc::format_to_buffer(small, sizeof(small), f, args);
        va_end(args);
        return n;
    };
    CHECK(fmt_small("%s", "0123456789") == 10);
    CHECK(std::string(small) == "01234");
    CHECK(fmt_small("") == 0);
    CHECK(small[0] == '\0');
    // Size 0: nothing written at all, the length still returned.
    char untouched = 'Z';
    auto fmt_none = [&](const char* f, ...) {
        va_list args;
        va_start(args, f);
        size_t n = libc::format_to_buffer(&untouched, 0, f, args);
        va_end(args);
        return n;
    };
    CHECK(fmt_none("%d", 12345) == 5);
    CHECK(untouched == 'Z');
    // A width beyond 4096 is taken as 4096: the output's length says so.
    CHECK(fmt_none("%99999999d", 1) == 4096);
    CHECK(fmt_none("%.99999999d", 1) == 4096);
    CHECK(untouched == 'Z');
}

TEST_CASE("libc strtol core: bases, prefixes, signs, spaces, overflow, where parsing stops")
{
    auto p = libc::parse_number("  -0x1fz", 0);
    CHECK(p.any_digits);
    CHECK(p.negative);
    CHECK(p.magnitude == 31);
    CHECK(*p.end == 'z');
    CHECK(libc::parse_number("0755", 0).magnitude == 0755);
    CHECK(libc::parse_number("0755", 10).magnitude == 755);
    CHECK(libc::parse_number("ff", 16).magnitude == 255);
    CHECK(libc::parse_number("zz", 36).magnitude == 35 * 36 + 35);
    CHECK(libc::parse_number("+12", 10).magnitude == 12);
    CHECK(libc::parse_number("1012", 2).magnitude == 5);  // Stops at the '2'.
    // "0x" with no hex digit after it is the number 0, ending before the 'x' (as glibc does).
    auto zero = libc::parse_number("0xg", 16);
    CHECK(zero.magnitude == 0);
    CHECK(std::string(zero.end) == "xg");
    auto none = libc::parse_number("  abc", 10);
    CHECK_FALSE(none.any_digits);
    CHECK(std::string(none.end) == "  abc");  // Nothing parsed: end is the start.
    auto max = libc::parse_number("18446744073709551615", 10);
    CHECK(max.magnitude == UINT64_MAX);
    CHECK_FALSE(max.overflow);
    auto over = libc::parse_number("18446744073709551616", 10);
    CHECK(over.overflow);
    CHECK(over.magnitude == UINT64_MAX);
    CHECK(libc::parse_number("1", 1).bad_base);
    CHECK(libc::parse_number("1", 37).bad_base);
}

namespace {
int compare_ints(const void* a, const void* b)
{
    int x = *static_cast<const int*>(a), y = *static_cast<const int*>(b);
    return (x > y) - (x < y);
}
} // namespace

TEST_CASE("libc qsort core: heapsort sorts every size and order, with duplicates and wide items")
{
    uint32_t seed = 12345;
    for (size_t n : {0u, 1u, 2u, 3u, 7u, 64u, 1000u}) {
        for (int shape = 0; shape < 4; ++shape) {
            std::vector<int> v(n);
            for (size_t i = 0; i < n; ++i) {
                seed = seed * 1103515245 + 12345;
                v[i] = shape == 0 ? static_cast<int>(seed >> 8) % 50 : shape == 1 ? static_cast<int>(i)
                       : shape == 2 ? static_cast<int>(n - i) : 7;
            }
            std::vector<int> expected = v;
            std::sort(expected.begin(), expected.end());
            libc::heap_sort(v.data(), v.size(), sizeof(int), compare_ints);
            CHECK(v == expected);
        }
    }
    struct Wide {
        char name[24];
    };
    std::vector<Wide> names = {{"mv"}, {"cat"}, {"ls"}, {"cp"}, {"sha256sum"}, {".."}, {"."}};
    libc::heap_sort(names.data(), names.size(), sizeof(Wide),
                    [](const void* a, const void* b) { return std::strcmp(static_cast<const Wide*>(a)->name, static_cast<const Wide*>(b)->name); });
    std::string order;
    for (const Wide& w : names) order += std::string(w.name) + " ";
    CHECK(order == ". .. cat cp ls mv sha256sum ");
}

TEST_CASE("libc calendar: seconds since 1970 agree with the host's gmtime, leap years and before 1970 included")
{
    std::vector<int64_t> moments = {0, 59, 86399, 86400, 951782400 /* 2000-02-29 */, 951868800, 1732645105,
                                    4107542399 /* 2100-02-28 23:59:59 */, 4107542400, -1, -86401, -2208988800};
    for (int64_t s = -400ll * 86400 * 365; s < 500ll * 86400 * 365; s += 86400ll * 97 + 3607) moments.push_back(s);
    for (int64_t s : moments) {
        time_t t = static_cast<time_t>(s);
        std::tm expected{};
        REQUIRE(gmtime_r(&t, &expected));
        libc::Civil c = libc::civil_from_seconds(s);
        INFO("seconds " << s);
        CHECK(c.year == expected.tm_year + 1900);
        CHECK(c.month == expected.tm_mon + 1);
        CHECK(c.day == expected.tm_mday);
        CHECK(c.hour == expected.tm_hour);
        CHECK(c.minute == expected.tm_min);
        CHECK(c.second == expected.tm_sec);
        CHECK(c.weekday == expected.tm_wday);
        CHECK(c.yday == expected.tm_yday);
    }
}

TEST_CASE("libc basename and dirname follow POSIX's examples")
{
    struct Case {
        const char* path;
        const char* dir;
        const char* base;
    };
    // The table in POSIX's dirname and basename pages, and a few more.
    const Case cases[] = {{"/usr/lib", "/usr", "lib"}, {"/usr/", "/", "usr"}, {"usr", ".", "usr"}, {"/", "/", "/"},
                          {".", ".", "."},           {"..", ".", ".."},    {"//", "/", "/"},   {"a/b//", "a", "b"},
                          {"/a//b", "/a", "b"},      {"", ".", "."},       {"docs/readme.txt", "docs", "readme.txt"}};
    for (const Case& c : cases) {
        INFO("path '" << c.path << "'");
        char a[64], b[64];
        std::strcpy(a, c.path);
        std::strcpy(b, c.path);
        CHECK(std::string(libc::path_dirname(a)) == c.dir);
        CHECK(std::string(libc::path_basename(b)) == c.base);
    }
    CHECK(std::string(libc::path_basename(nullptr)) == ".");
}

TEST_CASE("sha256: the FIPS 180-4 vectors, a million a's, and any split of the input")
{
    CHECK(sha256_hex("", 0) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc", 3) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char* two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK(sha256_hex(two_blocks, std::strlen(two_blocks)) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    std::string million(1000000, 'a');
    CHECK(sha256_hex(million.data(), million.size()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // Lengths around the padding boundary (55, 56, 63, 64 bytes) and odd piece sizes agree.
    std::vector<uint8_t> data(1000);
    for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 31 + 7);
    for (size_t n : {55u, 56u, 63u, 64u, 65u, 119u, 120u, 1000u})
        for (size_t piece : {1u, 3u, 64u, 100u}) CHECK(sha256_hex(data.data(), n, piece) == sha256_hex(data.data(), n));
}
