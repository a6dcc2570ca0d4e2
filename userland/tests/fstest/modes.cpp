/// \file modes.cpp
/// \brief fstest's other modes: reading back files the host placed, a damaged disk, a line typed on the console, writing through `ata` crashes, and a crash of `fs` itself.
#include "check.hpp"
#include "print.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"

namespace fstest {

int run_verify(int argc, char** argv)
{
    for (int i = 2; i < argc; ++i) {
        uint64_t hash = 0;
        int64_t n = hash_file(svc, argv[i], hash);
        if (n < 0) line("verify %s: %s", argv[i], posix::errno_name(int32_t(-n)));
        else line("verify %s: %ld bytes, fnv1a64 %016lx", argv[i], n, hash);
    }
    print("fstest: done, %d failures\n", failures());
    return 0;
}

int run_damaged(int argc, char** argv)
{
    // Each object on its own: one that is damaged gives EIO, the others keep working.
    for (int i = 2; i < argc; ++i) {
        const char* path = argv[i];
        StatReply st{};
        int64_t r = svc.stat(path, st);
        status(path, r);
        if (r < 0) continue;
        int64_t fd = svc.open(path, flags::kReadOnly);
        if (fd < 0) {
            line("open %s: %s", path, posix::errno_name(int32_t(-fd)));
            continue;
        }
        if ((st.mode & mode::kTypeMask) == mode::kDirectory) {
            DirentReply e{};
            uint64_t cookie = 0;
            int64_t entries = 0, more;
            while ((more = svc.readdir(int32_t(fd), cookie, e)) == 1) {
                ++entries;
                cookie = e.next_cookie;
            }
            if (more < 0) line("list %s: %s after %ld entries", path, posix::errno_name(int32_t(-more)), entries);
            else line("list %s: %ld entries", path, entries);
        } else {
            char buffer[kDataBytes];
            int64_t total = 0, n;
            while ((n = svc.read(int32_t(fd), buffer, kDataBytes)) > 0) total += n;
            if (n < 0) line("read %s: %s after %ld bytes", path, posix::errno_name(int32_t(-n)), total);
            else line("read %s: %ld bytes", path, total);
        }
        svc.close(int32_t(fd));
    }
    // The rest of the file system still takes changes (or, unmounted, says EIO to them too).
    int64_t fd = svc.open("/new.txt", flags::kCreate | flags::kWriteOnly);
    status("create /new.txt", fd);
    if (fd >= 0) {
        value("write /new.txt", svc.write(int32_t(fd), "still works\n", 12));
        svc.close(int32_t(fd));
    }
    status("sync", svc.sync());
    StatfsReply s{};
    status("statfs", svc.statfs(s));
    print("fstest: done, %d failures\n", failures());
    return 0;
}

int run_console()
{
    int64_t fd = svc.open("/dev/console", flags::kReadOnly);
    value("open /dev/console", fd);
    print("fstest: console: type a line\n");
    char text[200];
    uint32_t length = 0;
    int32_t reads = 0;
    while (length < sizeof(text) - 1) {
        char c[kDataBytes];
        int64_t n = svc.read(int32_t(fd), c, sizeof(c));
        ++reads;
        if (n <= 0) {
            value("console read", n);
            break;
        }
        bool end = false;
        for (int64_t i = 0; i < n && length < sizeof(text) - 1; ++i) {
            if (c[i] == '\r' || c[i] == '\n') end = true;
            else if (!end) text[length++] = c[i];
        }
        if (end) break;
    }
    text[length] = '\0';
    line("console read '%s'", text);
    print("fstest: done, %d failures\n", failures());
    return 0;
}

int run_recovery(int argc, char** argv)
{
    uint64_t ms = 0;
    for (const char* s = argc > 2 ? argv[2] : ""; *s >= '0' && *s <= '9'; ++s) ms = ms * 10 + uint64_t(*s - '0');
    // Chunk i goes to slot i % kSlots of a 1 MiB file, in pattern seed i / kSlots: every pass
    // over the file writes different bytes, so a write lost in a crash would show.
    constexpr uint64_t kChunk = 16 * 1024;
    constexpr uint64_t kSlots = 64;
    int64_t fd = svc.open("/rec.bin", flags::kCreate | flags::kReadWrite | flags::kTruncate);
    value("open /rec.bin", fd);
    uint64_t start = sys::clock_ns();
    uint64_t chunks = 0, errors = 0;
    // Write and sync, again and again: every sync sends the new blocks to `ata`, which the test
    // kills (crash or hang) meanwhile. The block client re-issues what the dead driver took.
    while (elapsed_ms(start) < ms) {
        uint64_t slot = chunks % kSlots;
        if (svc.seek(int32_t(fd), int64_t(slot * kChunk), Whence::Set) != int64_t(slot * kChunk)) ++errors;
        if (write_pattern(svc, int32_t(fd), slot * kChunk, kChunk, uint32_t(chunks / kSlots)) != int64_t(kChunk)) ++errors;
        if (svc.sync() != 0) ++errors;
        ++chunks;
    }
    // Read back: each slot holds the last pass that wrote it.
    uint64_t slots = chunks < kSlots ? chunks : kSlots;
    uint64_t wrong = 0, total = 0;
    for (uint64_t slot = 0; slot < slots; ++slot) {
        uint64_t last = (chunks - 1 - slot) / kSlots * kSlots + slot;  // The last chunk in this slot.
        uint8_t buffer[kDataBytes];
        svc.seek(int32_t(fd), int64_t(slot * kChunk), Whence::Set);
        for (uint64_t done = 0; done < kChunk;) {
            int64_t n = svc.read(int32_t(fd), buffer, uint32_t(kChunk - done < kDataBytes ? kChunk - done : kDataBytes));
            if (n <= 0) {
                ++errors;
                break;
            }
            for (int64_t i = 0; i < n; ++i) wrong += buffer[i] != pattern(slot * kChunk + done + uint64_t(i), uint32_t(last / kSlots));
            done += uint64_t(n);
            total += uint64_t(n);
        }
    }
    svc.close(int32_t(fd));
    if (svc.sync() != 0) ++errors;
    line("recovery: %lu chunks of 16 KiB, %lu errors; read back %lu bytes, %lu wrong", chunks, errors, total, wrong);
    print("fstest: done, %d failures\n", failures());
    return errors == 0 && wrong == 0 ? 0 : 1;
}

int run_restart()
{
    protocol::rs::Client rs(kSlotRs);
    NewClientRequest req{};
    req.pid = kPid;
    for (int32_t& fd : req.fds) fd = -1;
    abi::CapSlot cap = abi::kNullSlot;
    value("new client", svc.new_client(req, cap));
    proc = Fs(cap);
    int64_t fd = proc.open("/restart.txt", flags::kCreate | flags::kReadWrite);
    value("open /restart.txt", fd);
    value("write", proc.write(int32_t(fd), "written before the crash", 24));
    status("sync", proc.sync());
    value("write after the sync", proc.write(int32_t(fd), " and after", 10));

    // Crash fs through RS, and wait for its new instance.
    protocol::rs::ServiceStatus before{}, after{};
    rs.status_of("fs", before);
    protocol::rs::Reply reply{};
    abi::Error e = rs.inject("fs", protocol::rs::FaultType::Crash, 1, reply);
    line("inject crash into fs: %s, %s", abi::error_name(e), abi::error_name(static_cast<abi::Error>(reply.status)));
    uint64_t deadline = sys::clock_ns() + 10000000000ull;
    while (sys::clock_ns() < deadline) {
        if (rs.status_of("fs", after) && after.restarts > before.restarts && after.state == protocol::rs::State::Up) break;
        sys::sleep_ns(20000000);
    }
    line("fs restarted: %s", after.restarts > before.restarts && after.state == protocol::rs::State::Up ? "yes" : "no");

    // The process's descriptors died with the old instance; the service still gets answers.
    char text[64] = {};
    value("write to the old descriptor", proc.write(int32_t(fd), "x", 1));
    value("read the old descriptor", proc.read(int32_t(fd), text, sizeof(text)));
    StatReply st{};
    status("fstat of the old descriptor", proc.fstat(int32_t(fd), st));
    status("stat /restart.txt as the forgotten process (it starts over)", proc.stat("/restart.txt", st));
    status("stat /restart.txt as the service", svc.stat("/restart.txt", st));
    int64_t again = svc.open("/restart.txt", flags::kReadOnly);
    int64_t n = svc.read(int32_t(again), text, sizeof(text) - 1);
    text[n > 0 ? n : 0] = '\0';
    line("/restart.txt holds '%s'", text);
    svc.close(int32_t(again));
    value("new client 7001 again", svc.new_client(req, cap));
    status("sync", svc.sync());
    print("fstest: done, %d failures\n", failures());
    return 0;
}

} // namespace fstest
