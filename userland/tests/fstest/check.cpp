/// \file check.cpp
/// \brief fstest's result lines, patterns, checksums and child processes.
#include "check.hpp"
#include "lib/format.hpp"
#include "print.hpp"
#include "sys.hpp"
#include <stdarg.h>

namespace fstest {

Fs svc;
Fs proc;

namespace {
int g_failures = 0;
}

void status(const char* what, int64_t r)
{
    print("fstest: %s: %s\n", what, r >= 0 ? "OK" : posix::errno_name(int32_t(-r)));
}

void value(const char* what, int64_t r)
{
    if (r >= 0) print("fstest: %s: %ld\n", what, r);
    else print("fstest: %s: %s\n", what, posix::errno_name(int32_t(-r)));
}

void line(const char* fmt, ...)
{
    char text[400];
    va_list args;
    va_start(args, fmt);
    vformat(text, sizeof(text), fmt, args);
    va_end(args);
    print("fstest: %s\n", text);
}

const char* octal(uint32_t v)
{
    static char text[12];
    char digits[12];
    int n = 0;
    do {
        digits[n++] = char('0' + (v & 7));
        v >>= 3;
    } while (v != 0);
    for (int i = 0; i < n; ++i) text[i] = digits[n - 1 - i];
    text[n] = '\0';
    return text;
}

void fail(const char* what)
{
    ++g_failures;
    print("fstest: FAIL: %s\n", what);
}

int failures() { return g_failures; }

uint64_t fnv1a64(const uint8_t* data, uint64_t length, uint64_t h)
{
    for (uint64_t i = 0; i < length; ++i) h = (h ^ data[i]) * 0x100000001b3ull;
    return h;
}

int64_t write_pattern(Fs& fs, int32_t fd, uint64_t start, uint64_t length, uint32_t seed)
{
    uint8_t chunk[kDataBytes];
    uint64_t done = 0;
    while (done < length) {
        uint32_t n = length - done < kDataBytes ? uint32_t(length - done) : kDataBytes;
        for (uint32_t i = 0; i < n; ++i) chunk[i] = pattern(start + done + i, seed);
        int64_t w = fs.write(fd, chunk, n);
        if (w < 0) return w;
        if (w != n) return int64_t(done) + w;
        done += n;
    }
    return int64_t(done);
}

int64_t check_pattern(Fs& fs, int32_t fd, uint64_t start, uint32_t seed, uint64_t& mismatches)
{
    uint8_t chunk[kDataBytes];
    uint64_t done = 0;
    mismatches = 0;
    for (;;) {
        int64_t n = fs.read(fd, chunk, kDataBytes);
        if (n < 0) return n;
        if (n == 0) return int64_t(done);
        for (int64_t i = 0; i < n; ++i) mismatches += chunk[i] != pattern(start + done + uint64_t(i), seed);
        done += uint64_t(n);
    }
}

int64_t hash_file(Fs& fs, const char* path, uint64_t& hash)
{
    int64_t fd = fs.open(path, flags::kReadOnly);
    if (fd < 0) return fd;
    uint8_t chunk[kDataBytes];
    uint64_t total = 0;
    hash = 0xcbf29ce484222325ull;
    for (;;) {
        int64_t n = fs.read(int32_t(fd), chunk, kDataBytes);
        if (n < 0) {
            (void)fs.close(int32_t(fd));
            return n;
        }
        if (n == 0) break;
        hash = fnv1a64(chunk, uint64_t(n), hash);
        total += uint64_t(n);
    }
    (void)fs.close(int32_t(fd));
    return int64_t(total);
}

int64_t spawn_child(abi::CapSlot fs_cap, const char* args)
{
    static const char kName[] = "fstest";
    abi::SpawnRequest req{};
    req.image = kSlotImage;
    req.name = kName;
    req.name_len = sizeof(kName) - 1;
    req.args = args;
    req.args_len = strlen(args);
    req.cap_count = 1;
    req.caps[0] = abi::CapTransfer{fs_cap, 3, abi::rights::kWrite};
    int64_t pid = sys::spawn(req);
    return pid < 0 ? -1 : pid;
}

int64_t wait_child(int64_t pid)
{
    abi::ExitInfo info{};
    if (sys::wait(pid, &info) < 0) return -1;
    return info.reason == static_cast<uint32_t>(abi::ExitReason::Exited) ? info.code : -1;
}

uint64_t elapsed_ms(uint64_t start_ns) { return (sys::clock_ns() - start_ns) / 1000000; }

} // namespace fstest
