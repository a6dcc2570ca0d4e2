/// \file main.cpp
/// \brief `storetest`: storage that survives its drivers, end to end: a 4 MiB `cp` across `fi ata crash`, a read across `fi ata hang`, a write workload under a 200-fault campaign against `ata`, and a crash of `fs` itself.
///
/// Usage (from init's `run=storetest:SCENARIO`; init gives it RS's endpoint in slot 3):
///   storetest cp-crash    runs /bin/cp /data/a.bin /copy-a.bin and crashes `ata` once the copy
///                         is under way; the copy must finish with every byte right
///   storetest read-hang   reads /data/b.bin, hangs `ata` a quarter of the way in (only the
///                         heartbeat can tell), and checks every byte of the whole file
///   storetest campaign N  writes files while RS injects N faults into `ata`, then reads every
///                         file back; no call may fail and no byte may differ
///   storetest fs-crash    crashes `fs` itself: old descriptors give an error, new opens work
/// The files under /data are made by tools/mkdisk.sh: byte i of /data/a.bin is pattern(1, i), of
/// /data/b.bin pattern(2, i) (the test computes the same on the host). Every scenario ends with
/// sync(); the host then runs e2fsck -fn and debugfs on the image.
/// Its report goes to the kernel console (print), not stdout: stdout is a descriptor of `fs`,
/// which the fs-crash scenario takes away.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "print.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"

namespace {

constexpr abi::CapSlot kRs = 3;
constexpr long kBigFile = 4 << 20;

/// Byte `i` of the sample file with seed `seed` (tools/mkdisk.sh and the test compute the same).
unsigned char pattern(unsigned seed, unsigned long i)
{
    return static_cast<unsigned char>((i * 31 + (i >> 11) * 17 + seed * 101) ^ (i >> 19));
}

int g_failures = 0;

void check(bool ok, const char* what)
{
    print("storetest: %s: %s\n", what, ok ? "ok" : "FAIL");
    if (!ok) ++g_failures;
}

protocol::rs::Client rs() { return protocol::rs::Client(kRs); }

/// How RS sees a service now: restarts and the last failure.
protocol::rs::ServiceStatus status_of(const char* label)
{
    protocol::rs::ServiceStatus s{};
    for (uint64_t i = 0; rs().status(i, s) == abi::Error::None && s.status == 0; ++i)
        if (strcmp(s.label, label) == 0) return s;
    memset(&s, 0, sizeof(s));
    return s;
}

/// Waits (up to 10 s) until `label` is up with more than `restarts` restarts.
bool wait_restarted(const char* label, uint32_t restarts)
{
    for (int i = 0; i < 1000; ++i) {
        protocol::rs::ServiceStatus s = status_of(label);
        if (s.restarts > restarts && s.state == protocol::rs::State::Up) return true;
        sys::sleep_ns(10000000);
    }
    return false;
}

bool inject(const char* label, protocol::rs::FaultType fault)
{
    protocol::rs::Reply reply{};
    return rs().inject(label, fault, 1, reply) == abi::Error::None && reply.status == 0;
}

/// Reads `path` to the end and compares it with pattern(seed, .); `hook` runs once `at` bytes are in.
/// Returns the number of bytes that matched before the first difference, or -1 on a read error.
template <typename Hook>
long verify(const char* path, unsigned seed, long expected, long at, Hook hook)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        print("storetest: open %s: %s\n", path, strerror(errno));
        return -1;
    }
    static unsigned char buffer[16384];
    long done = 0;
    bool hooked = false;
    for (;;) {
        if (!hooked && done >= at) {
            hook();
            hooked = true;
        }
        ssize_t n = read(fd, buffer, sizeof(buffer));
        if (n < 0) {
            print("storetest: read %s at %ld: %s\n", path, done, strerror(errno));
            close(fd);
            return -1;
        }
        if (n == 0) break;
        for (ssize_t k = 0; k < n; ++k) {
            if (buffer[k] != pattern(seed, done + k)) {
                print("storetest: %s: byte %ld is %u, expected %u\n", path, done + k, buffer[k], pattern(seed, done + k));
                close(fd);
                return done + k;
            }
        }
        done += n;
    }
    close(fd);
    if (done != expected) print("storetest: %s: %ld bytes, expected %ld\n", path, done, expected);
    return done;
}

long verify(const char* path, unsigned seed, long expected)
{
    return verify(path, seed, expected, -1L >> 1, [] {});
}

/// Writes `length` bytes of pattern(seed, .) to `path`; false on any error (printed).
bool write_file(const char* path, unsigned seed, long length)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        print("storetest: create %s: %s\n", path, strerror(errno));
        return false;
    }
    static unsigned char buffer[8192];
    for (long done = 0; done < length;) {
        long n = length - done < static_cast<long>(sizeof(buffer)) ? length - done : static_cast<long>(sizeof(buffer));
        for (long k = 0; k < n; ++k) buffer[k] = pattern(seed, done + k);
        ssize_t w = write(fd, buffer, n);
        if (w != n) {
            print("storetest: write %s at %ld: %s\n", path, done, w < 0 ? strerror(errno) : "short write");
            close(fd);
            return false;
        }
        done += n;
    }
    return close(fd) == 0;
}

int cp_crash()
{
    uint32_t restarts = status_of("ata").restarts;
    char* argv[] = {const_cast<char*>("cp"), const_cast<char*>("/data/a.bin"), const_cast<char*>("/copy-a.bin"), nullptr};
    pid_t pid = spawn("/bin/cp", argv, nullptr, nullptr);
    if (pid < 0) {
        print("storetest: spawn /bin/cp: %s\n", strerror(errno));
        return 1;
    }
    // Crash the driver once the copy is a quarter done (the destination grows as cp writes).
    struct stat st{};
    long seen = 0;
    for (int i = 0; i < 20000 && seen < kBigFile / 4; ++i) {
        if (stat("/copy-a.bin", &st) == 0) seen = st.st_size;
        sys::sleep_ns(1000000);
    }
    int wstatus = 0;
    check(seen >= kBigFile / 4 && seen < kBigFile && waitpid(pid, &wstatus, WNOHANG) == 0,
          "cp is under way when ata crashes");
    check(inject("ata", protocol::rs::FaultType::Crash), "fi ata crash");
    check(waitpid(pid, &wstatus, 0) == pid && WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0, "cp exits 0");
    check(wait_restarted("ata", restarts), "ata was restarted");
    check(verify("/copy-a.bin", 1, kBigFile) == kBigFile, "/copy-a.bin: 4194304 bytes, every one right");
    sync();
    return 0;
}

int read_hang()
{
    uint32_t restarts = status_of("ata").restarts;
    long n = verify("/data/b.bin", 2, kBigFile, kBigFile / 4, [] { check(inject("ata", protocol::rs::FaultType::Hang), "fi ata hang"); });
    check(n == kBigFile, "/data/b.bin read across the hang: 4194304 bytes, every one right");
    check(wait_restarted("ata", restarts), "ata was restarted");
    protocol::rs::ServiceStatus s = status_of("ata");
    print("storetest: ata's last failure: %s\n", s.last_failure);
    return 0;
}

int campaign(uint64_t count)
{
    mkdir("/w", 0755);
    protocol::rs::CampaignReport report{};
    check(rs().start_campaign("ata", count, 7, report) == abi::Error::None && report.status == 0, "campaign started");
    // Write files (sizes cycling from 1 KiB to 300 KiB: direct and indirect blocks) until
    // every fault has been injected, then rewriting them from the first (the disk holds about
    // 20 MiB of them); sync now and then, so the writes reach the driver.
    constexpr int kFiles = 120;
    int files = 0, errors = 0, writes = 0;
    for (;;) {
        int i = writes % kFiles;
        char path[32];
        snprintf(path, sizeof(path), "/w/f%03d", i);
        long length = 1024 + (i * 37 % 300) * 1024;
        if (!write_file(path, 10 + i, length)) ++errors;
        ++writes;
        if (files < kFiles) ++files;
        if (writes % 4 == 0) sync();
        protocol::rs::CampaignReport so_far{};
        if (rs().campaign_report(so_far) != abi::Error::None ||
            static_cast<abi::Error>(so_far.status) != abi::Error::Busy || writes >= 2000)
            break;
    }
    rs().wait_campaign(report);
    sync();
    print("storetest: campaign: %lu injected, %lu recovered, %lu no effect, %lu left down\n", report.injected,
           report.recovered, report.no_effect, report.still_down);
    int wrong = 0;
    for (int i = 0; i < files; ++i) {
        char path[32];
        snprintf(path, sizeof(path), "/w/f%03d", i);
        long length = 1024 + (i * 37 % 300) * 1024;
        if (verify(path, 10 + i, length) != length) ++wrong;
    }
    print("storetest: %d file writes (%d files) under the campaign: %d write errors, %d files wrong\n", writes, files,
           errors, wrong);
    check(report.injected == count && report.still_down == 0 && errors == 0 && wrong == 0,
          "no application error and every byte right");
    return 0;
}

int fs_crash()
{
    uint32_t restarts = status_of("fs").restarts;
    int fd = open("/hello.txt", O_RDONLY);
    char text[64] = {};
    check(fd >= 0 && read(fd, text, 5) == 5 && memcmp(text, "Hello", 5) == 0, "read /hello.txt before the crash");
    check(write_file("/before.txt", 3, 5000), "write /before.txt before the crash");
    sync();
    check(inject("fs", protocol::rs::FaultType::Crash), "fi fs crash");
    check(wait_restarted("fs", restarts), "fs was restarted");
    ssize_t n = read(fd, text, 5);
    print("storetest: read on a descriptor from before the crash: %s\n", n < 0 ? strerror(errno) : "succeeded");
    check(n < 0, "the old descriptor gives an error");
    check(verify("/before.txt", 3, 5000) == 5000, "/before.txt (synced before the crash) reads back");
    check(write_file("/after.txt", 4, 70000), "write /after.txt after the restart");
    check(verify("/after.txt", 4, 70000) == 70000, "/after.txt reads back");
    sync();
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    abi::CapSlot proc = rs().lookup("proc");
    if (proc == abi::kNullSlot || posix_join(proc) != 0) {
        print("storetest: cannot join the process manager: %s\n", proc == abi::kNullSlot ? "no proc" : strerror(errno));
        return 1;
    }
    const char* scenario = argc > 1 ? argv[1] : "";
    int r = 1;
    if (strcmp(scenario, "cp-crash") == 0) r = cp_crash();
    else if (strcmp(scenario, "read-hang") == 0) r = read_hang();
    else if (strcmp(scenario, "campaign") == 0) r = campaign(argc > 2 ? strtoul(argv[2], nullptr, 10) : 200);
    else if (strcmp(scenario, "fs-crash") == 0) r = fs_crash();
    else print("usage: storetest cp-crash|read-hang|campaign [N]|fs-crash\n");
    print("storetest: %s: %d failed\n", scenario, g_failures);
    return r || g_failures ? 1 : 0;
}
