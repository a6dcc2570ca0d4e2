/// \file main.cpp
/// \brief `fsbench`: sequential read and write of a 16 MiB file through `fs`, in guest time, and the read again across `fi ata crash`.
///
/// Usage (from init's `run=fsbench[:fault]`; init gives it RS's endpoint in slot 3):
/// - `fsbench`: read /big.bin cold (nothing has read it since boot), then write /new.bin
///   (16 MiB) and sync;
/// - `fsbench fault`: read /big.bin cold, injecting `fi ata crash` through RS once 8 MiB are in.
///
/// The disk is tools/linux-storage/mkimage.sh's image: the same one Linux 6.1 reads and writes
/// in tools/linux-storage/run.sh, whose storage.c takes the same steps with the same 64 KiB
/// calls and the same data, so tools/bench.py can put the figures side by side.
///
/// Under QEMU's `-icount shift=0` the TSC gives guest time: one tick (1 ns) per instruction
/// executed, plus the time the CPU waits idle. Every timed region runs from open to close;
/// checking the bytes happens outside it: /big.bin is read a second time and compared with its
/// formula, and tools/bench.py checks /new.bin on the host after power-off. Around each timed
/// region fsbench executes a marker instruction for the instruction-counting QEMU plugin
/// (tools/linux-storage/insncount.c). Output goes to the kernel console (debug_write), not
/// through `fs`, so it shows even when `fs` is in trouble. Lines (parsed by tools/bench.py):
///
///     FSBENCH read_16MiB TICKS
///     FSBENCH read_slices TICKS,TICKS,...        (one per MiB)
///     FSBENCH verify big.bin ok
///     FSBENCH write_16MiB+sync TICKS
///     FSBENCH ata_crash at_mib 8 recovery_us US restarts N failure TEXT   (fault mode)
///     FSBENCH error TEXT                         (then exit code 1)
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "lib/format.hpp"
#include "print.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"

namespace {

constexpr abi::CapSlot kRs = 3;
constexpr long kFileBytes = 16l << 20;
constexpr long kChunk = 64 << 10;  ///< Bytes asked per read()/write() call, as storage.c does.
constexpr long kSlice = 1l << 20;  ///< The read is timed per MiB too, to show a dip.
constexpr long kSlices = kFileBytes / kSlice;
constexpr long kFaultAt = 8l << 20;

unsigned char g_buffer[kChunk];

inline uint64_t rdtsc()
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t(hi) << 32) | lo;
}

/// `xchg %bx, %bx`: does nothing, but tools/linux-storage/insncount.c (a QEMU plugin) prints
/// its count of executed instructions when it sees one, so the host can tell the instructions
/// run inside a timed region from the time spent waiting (storage.c marks the same places).
inline void marker() { asm volatile(".byte 0x66, 0x87, 0xdb" ::: "memory"); }

/// Byte `i` of /big.bin (mkimage.sh and storage.c use the same formula).
inline unsigned char big_byte(uint64_t i)
{
    return static_cast<unsigned char>(i * 7 + (i >> 8) + (i >> 16) * 13);
}

/// Byte `j` (>= 8) of every 512-byte sector of /new.bin; bytes 0..7 hold the sector's file
/// offset (little endian), as in storage.c.
inline unsigned char new_byte(uint64_t j) { return static_cast<unsigned char>(j * 5 + 1); }

[[noreturn]] void fail(const char* what, int error)
{
    print("FSBENCH error %s: %s\n", what, strerror(error));
    _exit(1);
}

protocol::rs::Client rs() { return protocol::rs::Client(kRs); }

/// Waits (up to 10 s of guest time) until RS reports `label` up.
bool wait_up(const char* label)
{
    protocol::rs::ServiceStatus s{};
    for (int i = 0; i < 1000; ++i) {
        if (rs().status_of(label, s) && s.state == protocol::rs::State::Up) return true;
        sys::sleep_ns(10000000);
    }
    return false;
}

/// Reads /big.bin from open to close in kChunk calls, noting the instruction count at every
/// MiB in `marks` (marks[0] = before open, marks[kSlices] = after close). `at_fault` runs once,
/// between two reads, when kFaultAt bytes are in (nullptr: never).
void timed_read(uint64_t (&marks)[kSlices + 1], void (*at_fault)())
{
    marker();
    marks[0] = rdtsc();
    int fd = open("/big.bin", O_RDONLY);
    if (fd < 0) fail("open /big.bin", errno);
    long done = 0;
    long next_mark = kSlice;
    for (;;) {
        if (at_fault && done >= kFaultAt) {
            at_fault();
            at_fault = nullptr;
        }
        // read() is one fs request, which may return fewer bytes: the loop asks again.
        ssize_t n = read(fd, g_buffer, kChunk);
        if (n < 0) fail("read /big.bin", errno);
        if (n == 0) break;
        done += n;
        if (done >= next_mark && next_mark < kFileBytes) {
            marks[next_mark / kSlice] = rdtsc();
            next_mark += kSlice;
        }
    }
    close(fd);
    marks[kSlices] = rdtsc();
    marker();
    if (done != kFileBytes) {
        print("FSBENCH error /big.bin: read %ld bytes, expected %ld\n", done, kFileBytes);
        _exit(1);
    }
}

void print_read(const uint64_t (&marks)[kSlices + 1])
{
    print("FSBENCH read_16MiB %lu\n", marks[kSlices] - marks[0]);
    // One print, so no other program's output lands inside the line.
    char line[kSlices * 21 + 32];
    size_t n = format(line, sizeof(line), "FSBENCH read_slices ");
    for (long s = 0; s < kSlices; ++s) n += format(line + n, sizeof(line) - n, "%s%lu", s ? "," : "", marks[s + 1] - marks[s]);
    print("%s\n", line);
}

/// Reads /big.bin again (untimed) and compares every byte with its formula.
void verify_big()
{
    int fd = open("/big.bin", O_RDONLY);
    if (fd < 0) fail("open /big.bin", errno);
    uint64_t offset = 0;
    for (;;) {
        ssize_t n = read(fd, g_buffer, kChunk);
        if (n < 0) fail("read /big.bin", errno);
        if (n == 0) break;
        for (ssize_t i = 0; i < n; ++i) {
            if (g_buffer[i] != big_byte(offset + i)) {
                print("FSBENCH error /big.bin: byte %lu is %u, expected %u\n", offset + i, g_buffer[i],
                       big_byte(offset + i));
                _exit(1);
            }
        }
        offset += n;
    }
    close(fd);
    print("FSBENCH verify big.bin ok\n");
}

/// Writes /new.bin from open to close, with sync() before the close: the same data and calls
/// as storage.c (which fsyncs the file; Samsara has only the whole-cache sync).
uint64_t timed_write()
{
    for (long i = 0; i < kChunk; ++i) g_buffer[i] = new_byte(i % 512);
    marker();
    uint64_t start = rdtsc();
    int fd = open("/new.bin", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) fail("create /new.bin", errno);
    for (long offset = 0; offset < kFileBytes; offset += kChunk) {
        // Only the per-sector offset stamps change from chunk to chunk.
        for (long s = 0; s < kChunk; s += 512) {
            uint64_t stamp = offset + s;
            memcpy(g_buffer + s, &stamp, 8);
        }
        if (write(fd, g_buffer, kChunk) != kChunk) fail("write /new.bin", errno);
    }
    sync();
    if (close(fd) != 0) fail("close /new.bin", errno);
    uint64_t cost = rdtsc() - start;
    marker();
    return cost;
}

void crash_ata()
{
    protocol::rs::Reply reply{};
    if (rs().inject("ata", protocol::rs::FaultType::Crash, 1, reply) != abi::Error::None || reply.status != 0) {
        print("FSBENCH error fi ata crash: %s\n", reply.message);
        _exit(1);
    }
}

} // namespace

int main(int argc, char** argv)
{
    const char* mode = argc > 1 ? argv[1] : "";
    bool fault = strcmp(mode, "fault") == 0;
    if (!fault && *mode) {
        print("usage: fsbench [fault]\n");
        return 2;
    }
    abi::CapSlot proc = wait_up("proc") && wait_up("fs") ? rs().lookup("proc") : abi::kNullSlot;
    if (proc == abi::kNullSlot || posix_join(proc) != 0) {
        print("FSBENCH error cannot join the process manager: %s\n", proc == abi::kNullSlot ? "no proc" : strerror(errno));
        return 1;
    }
    protocol::rs::ServiceStatus before{};
    rs().status_of("ata", before);

    uint64_t marks[kSlices + 1];
    timed_read(marks, fault ? crash_ata : nullptr);
    print_read(marks);
    verify_big();
    if (fault) {
        protocol::rs::ServiceStatus after{};
        if (!rs().status_of("ata", after) || after.restarts <= before.restarts) {
            print("FSBENCH error ata was not restarted\n");
            return 1;
        }
        print("FSBENCH ata_crash at_mib %ld recovery_us %lu restarts %u failure %s\n", kFaultAt >> 20,
               after.recovery_us, after.restarts - before.restarts, after.last_failure);
        return 0;
    }
    print("FSBENCH write_16MiB+sync %lu\n", timed_write());
    return 0;
}
