/// \file suite_files.cpp
/// \brief fstest, part 2: reading, writing, seeking and truncating files; descriptors (dup, dup2, EMFILE); unlinking open files; large directories; large and sparse files.
#include "check.hpp"
#include "lib/format.hpp"
#include "print.hpp"

namespace fstest {

void run_files()
{
    Fs& p = proc;
    StatReply st{};
    char buffer[kDataBytes + 1] = {};

    int64_t fd = p.open("/t/f", flags::kCreate | flags::kExclusive | flags::kReadWrite, 0640);
    value("open /t/f O_CREAT|O_EXCL|O_RDWR (0, 1, 2 are the console)", fd);
    int32_t f = int32_t(fd);
    status("open /t/f O_CREAT|O_EXCL again", p.open("/t/f", flags::kCreate | flags::kExclusive | flags::kReadWrite));
    value("write 'hello, world'", p.write(f, "hello, world", 12));
    value("read at the end", p.read(f, buffer, 100));
    value("seek to 0", p.seek(f, 0, Whence::Set));
    int64_t n = p.read(f, buffer, 100);
    buffer[n > 0 ? n : 0] = '\0';
    line("read %ld bytes: '%s'", n, buffer);
    p.fstat(f, st);
    line("fstat: mode %s, size %lu, links %u", octal(st.mode), st.size, st.links);

    // Past the end: a hole that reads as zeros.
    value("seek to 100", p.seek(f, 100, Whence::Set));
    value("write 'X' at 100", p.write(f, "X", 1));
    value("seek to end - 1", p.seek(f, -1, Whence::End));
    value("seek 5 back from the current", p.seek(f, -5, Whence::Current));
    value("seek before the start", p.seek(f, -200, Whence::Current));
    value("seek with whence 7", p.seek(f, 0, static_cast<Whence>(7)));
    value("seek to 12", p.seek(f, 12, Whence::Set));
    n = p.read(f, buffer, kDataBytes);
    uint32_t zeros = 0;
    for (int64_t i = 0; i + 1 < n; ++i) zeros += buffer[i] == 0;
    line("read %ld bytes from 12: %u zeros, then '%c'", n, zeros, n > 0 ? buffer[n - 1] : '?');
    static char big[10000];
    value("read 10000 bytes at 0", (p.seek(f, 0, Whence::Set), p.read(f, big, sizeof(big))));

    // Truncation, by descriptor and by name.
    status("ftruncate to 5", p.ftruncate(f, 5));
    p.fstat(f, st);
    value("size", int64_t(st.size));
    p.seek(f, 0, Whence::Set);
    n = p.read(f, buffer, kDataBytes);
    buffer[n > 0 ? n : 0] = '\0';
    line("read %ld bytes: '%s'", n, buffer);
    status("truncate /t/f to 3000", p.truncate("/t/f", 3000));
    p.stat("/t/f", st);
    value("size", int64_t(st.size));
    status("truncate /t", p.truncate("/t", 0));
    status("truncate /t/nope", p.truncate("/t/nope", 0));
    status("truncate /dev/null", p.truncate("/dev/null", 0));
    status("close", p.close(f));
    status("close again", p.close(f));
    value("read a closed descriptor", p.read(f, buffer, 1));
    value("write descriptor 99", p.write(99, "x", 1));
    value("write descriptor -1", p.write(-1, "x", 1));
    status("fstat descriptor 32", p.fstat(32, st));
    status("open /t/f O_TRUNC", p.open("/t/f", flags::kWriteOnly | flags::kTruncate));
    p.stat("/t/f", st);
    value("size after O_TRUNC", int64_t(st.size));
    p.close(3);

    // Access modes.
    int32_t wo = int32_t(p.open("/t/f", flags::kWriteOnly));
    value("read from O_WRONLY", p.read(wo, buffer, 1));
    int32_t ro = int32_t(p.open("/t/f", flags::kReadOnly));
    value("write to O_RDONLY", p.write(ro, "x", 1));
    status("ftruncate O_RDONLY", p.ftruncate(ro, 0));
    p.close(wo);
    p.close(ro);
    status("open with access mode 3", p.open("/t/f", 3));

    // Directories.
    status("open /t O_RDWR", p.open("/t", flags::kReadWrite));
    status("open /t O_RDONLY|O_TRUNC", p.open("/t", flags::kReadOnly | flags::kTruncate));
    status("open /t O_RDONLY|O_CREAT", p.open("/t", flags::kReadOnly | flags::kCreate));
    status("open /t/f O_DIRECTORY", p.open("/t/f", flags::kDirectory));
    int64_t d = p.open("/t/", flags::kDirectory);
    value("open /t/ O_DIRECTORY", d);
    value("read a directory", p.read(int32_t(d), buffer, 10));
    value("write a directory", p.write(int32_t(d), "x", 1));
    p.close(int32_t(d));
    status("open /t/new/ O_CREAT", p.open("/t/new/", flags::kCreate | flags::kWriteOnly));
    status("open /dev/nope O_CREAT", p.open("/dev/nope", flags::kCreate | flags::kWriteOnly));

    // O_APPEND: every write at the end.
    int32_t log = int32_t(p.open("/t/log", flags::kCreate | flags::kWriteOnly | flags::kAppend));
    p.write(log, "first ", 6);
    p.seek(log, 0, Whence::Set);
    value("append after a seek to 0", p.write(log, "second", 6));
    p.close(log);
    int32_t r = int32_t(p.open("/t/log", flags::kReadOnly));
    n = p.read(r, buffer, kDataBytes);
    buffer[n > 0 ? n : 0] = '\0';
    line("/t/log holds '%s'", buffer);
    p.close(r);
}

void run_dup()
{
    Fs& p = proc;
    int32_t a = int32_t(p.open("/t/dup", flags::kCreate | flags::kReadWrite));
    value("open /t/dup", a);
    int64_t b = p.dup(a);
    value("dup", b);
    p.write(a, "12345", 5);
    value("offset through the dup (shared)", p.seek(int32_t(b), 0, Whence::Current));
    value("dup2 to 20", p.dup2(a, 20));
    value("dup2 to itself", p.dup2(a, a));
    value("dup2 to 32", p.dup2(a, 32));
    value("dup2 to -1", p.dup2(a, -1));
    value("dup2 from 30 (closed)", p.dup2(30, 5));
    value("dup of -1", p.dup(-1));
    // dup2 onto an open descriptor closes it first.
    int32_t other = int32_t(p.open("/hello.txt", flags::kReadOnly));
    value("dup2 onto an open descriptor", p.dup2(a, other));
    value("write through it goes to /t/dup", p.write(other, "67", 2));
    StatReply st{};
    p.stat("/t/dup", st);
    value("size of /t/dup", int64_t(st.size));
    status("close 20", p.close(20));
    status("close the dup", p.close(int32_t(b)));
    p.close(other);
    value("offset still shared by the last", p.seek(a, 0, Whence::Current));
    p.close(a);

    // EMFILE: kMaxFds per client (three are the console's).
    int32_t opened = 0;
    int64_t fd = 0;
    while ((fd = p.open("/hello.txt", flags::kReadOnly)) >= 0) ++opened;
    line("opened %d more, then %s", opened, posix::errno_name(int32_t(-fd)));
    value("dup with no descriptor free", p.dup(0));
    int32_t rfd = 0, wfd = 0;
    status("pipe with no descriptor free", p.pipe(rfd, wfd));
    for (int32_t i = 3; i < int32_t(kMaxFds); ++i) p.close(i);
}

void run_unlink_open()
{
    Fs& p = proc;
    StatfsReply before{}, after{};
    p.sync();
    p.statfs(before);
    int32_t fd = int32_t(p.open("/t/u", flags::kCreate | flags::kReadWrite));
    value("write 20000 bytes to /t/u", write_pattern(p, fd, 0, 20000, 5));
    status("unlink /t/u while open", p.unlink("/t/u"));
    StatReply st{};
    status("stat /t/u", p.stat("/t/u", st));
    status("fstat the open descriptor", p.fstat(fd, st));
    line("links %u, size %lu", st.links, st.size);
    p.seek(fd, 0, Whence::Set);
    uint64_t wrong = 0;
    int64_t n = check_pattern(p, fd, 0, 5, wrong);
    line("read back %ld bytes, %lu wrong", n, wrong);
    value("write more to it", write_pattern(p, fd, 20000, 5000, 5));
    // It has no name any more: nothing else can open it.
    status("open /t/u by name", p.open("/t/u", flags::kReadOnly));
    status("close", p.close(fd));
    // A directory removed while open lists nothing, and is freed at its last close.
    status("mkdir /t/rd", p.mkdir("/t/rd"));
    int32_t dir = int32_t(p.open("/t/rd", flags::kReadOnly));
    status("rmdir /t/rd while open", p.rmdir("/t/rd"));
    DirentReply e{};
    value("readdir of the removed directory", p.readdir(dir, 0, e));
    status("fstat of the removed directory", p.fstat(dir, st));
    line("links %u", st.links);
    status("mkdir /t/rd again", p.mkdir("/t/rd"));
    status("rmdir /t/rd", p.rmdir("/t/rd"));
    status("close the removed directory", p.close(dir));
    p.sync();
    p.statfs(after);
    line("free blocks and inodes back to what they were: %s",
         before.free_blocks == after.free_blocks && before.free_inodes == after.free_inodes ? "yes" : "no");
}

void run_readdir()
{
    Fs& p = proc;
    status("mkdir /t/many", p.mkdir("/t/many"));
    char name[40];
    int64_t worst = 0;
    for (int i = 0; i < 300; ++i) {
        format(name, sizeof(name), "/t/many/file-%03d", i);
        int64_t fd = p.open(name, flags::kCreate | flags::kExclusive | flags::kWriteOnly);
        if (fd < 0) worst = fd;
        else p.close(int32_t(fd));
    }
    status("create 300 files in /t/many", worst);

    // Every entry once, resuming by cookie.
    auto list = [&](const char* path, bool print_names) {
        int64_t dir = p.open(path, flags::kReadOnly | flags::kDirectory);
        if (dir < 0) {
            value(path, dir);
            return;
        }
        static bool seen[300];
        for (bool& s : seen) s = false;
        uint32_t entries = 0, files = 0, repeats = 0;
        uint64_t cookie = 0;
        DirentReply e{};
        // Up to 24 names with their types, printed sorted (the order on the disk is the
        // file system's business).
        static char names[24][40];
        uint32_t named = 0;
        int64_t r;
        while ((r = p.readdir(int32_t(dir), cookie, e)) == 1) {
            ++entries;
            cookie = e.next_cookie;
            int k = 0;
            if (strncmp(e.name, "file-", 5) == 0) {
                k = (e.name[5] - '0') * 100 + (e.name[6] - '0') * 10 + (e.name[7] - '0');
                if (k >= 0 && k < 300) {
                    repeats += seen[k];
                    seen[k] = true;
                    ++files;
                }
            }
            if (print_names && named < 24) format(names[named++], sizeof(names[0]), "%s(%u)", e.name, e.type);
        }
        if (r < 0) value("readdir", r);
        line("readdir %s: %u entries, %u files, %u repeated", path, entries, files, repeats);
        if (print_names) {
            for (uint32_t i = 1; i < named; ++i) {
                for (uint32_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; --j) {
                    char t[40];
                    memcpy(t, names[j], sizeof(t));
                    memcpy(names[j], names[j - 1], sizeof(t));
                    memcpy(names[j - 1], t, sizeof(t));
                }
            }
            char all[600] = {};
            size_t at = 0;
            for (uint32_t i = 0; i < named; ++i) at += format(all + at, sizeof(all) - at, "%s%s", i ? " " : "", names[i]);
            line("%s holds %s", path, all);
        }
        p.close(int32_t(dir));
    };
    list("/t/many", false);
    for (int i = 0; i < 300; i += 2) {
        format(name, sizeof(name), "/t/many/file-%03d", i);
        if (p.unlink(name) < 0) fail(name);
    }
    list("/t/many", false);
    list("/", true);
    list("/t", true);

    // Errors, and a cookie past the end or inside an entry.
    DirentReply e{};
    int32_t file = int32_t(p.open("/hello.txt", flags::kReadOnly));
    value("readdir of a file", p.readdir(file, 0, e));
    p.close(file);
    value("readdir of descriptor 31", p.readdir(31, 0, e));
    int32_t dir = int32_t(p.open("/t/many", flags::kReadOnly));
    value("readdir at cookie 2^40", p.readdir(dir, 1ull << 40, e));
    int64_t r = p.readdir(dir, 1, e);
    line("readdir at cookie 1: %ld, '%s' (the entry after '.')", r, e.name);
    p.close(dir);
}

void run_big_files()
{
    Fs& p = proc;
    // 1 MiB + 123 bytes: past the single-indirect blocks into the double-indirect ones.
    constexpr uint64_t kBig = (1u << 20) + 123;
    int32_t fd = int32_t(p.open("/t/big.bin", flags::kCreate | flags::kReadWrite));
    value("write /t/big.bin", write_pattern(p, fd, 0, kBig, 1));
    p.seek(fd, 0, Whence::Set);
    uint64_t wrong = 0;
    int64_t n = check_pattern(p, fd, 0, 1, wrong);
    line("read back %ld bytes, %lu wrong", n, wrong);
    StatReply st{};
    p.fstat(fd, st);
    line("size %lu, %u sectors", st.size, st.blocks);
    p.close(fd);

    // 5 MiB: more than the block cache holds, so writing it evicts dirty blocks (written back
    // in batches) and reading it back misses (read ahead in batches).
    constexpr uint64_t kHuge = 5ull << 20;
    StatfsReply cache{};
    fd = int32_t(p.open("/t/huge.bin", flags::kCreate | flags::kReadWrite));
    value("write /t/huge.bin", write_pattern(p, fd, 0, kHuge, 4));
    p.statfs(cache);
    line("cached blocks fewer than the file's: %s", cache.cached_blocks < kHuge / cache.block_size ? "yes" : "no");
    p.seek(fd, 0, Whence::Set);
    n = check_pattern(p, fd, 0, 4, wrong);
    line("read back %ld bytes, %lu wrong", n, wrong);
    p.close(fd);

    // A sparse file reaching past 64 MiB, into the triple-indirect blocks of a 1 KiB-block
    // file system, with data at both ends and a hole between.
    constexpr uint64_t kFar = 70ull << 20;
    fd = int32_t(p.open("/t/sparse.bin", flags::kCreate | flags::kReadWrite));
    value("write 1000 bytes at 0", write_pattern(p, fd, 0, 1000, 2));
    value("seek to 70 MiB", p.seek(fd, int64_t(kFar), Whence::Set));
    value("write 3000 bytes at 70 MiB", write_pattern(p, fd, kFar, 3000, 2));
    p.fstat(fd, st);
    line("size %lu, %u sectors", st.size, st.blocks);
    char buffer[kDataBytes];
    p.seek(fd, 40ll << 20, Whence::Set);
    n = p.read(fd, buffer, kDataBytes);
    uint32_t nonzero = 0;
    for (int64_t i = 0; i < n; ++i) nonzero += buffer[i] != 0;
    line("read %ld bytes at 40 MiB: %u not zero", n, nonzero);
    p.seek(fd, int64_t(kFar), Whence::Set);
    n = check_pattern(p, fd, kFar, 2, wrong);
    line("read back %ld bytes at 70 MiB, %lu wrong", n, wrong);
    p.close(fd);

    // Growing to 64 MiB by truncate makes a hole; shrinking frees the far blocks again: three
    // of data and the triple, double and single indirect blocks above them.
    fd = int32_t(p.open("/t/hole.bin", flags::kCreate | flags::kReadWrite));
    status("ftruncate /t/hole.bin to 64 MiB", p.ftruncate(fd, 64ull << 20));
    p.fstat(fd, st);
    line("size %lu, %u sectors", st.size, st.blocks);
    StatfsReply before{}, after{};
    p.statfs(before);
    p.seek(fd, int64_t(kFar), Whence::Set);
    value("write 3000 bytes at 70 MiB", write_pattern(p, fd, kFar, 3000, 3));
    StatfsReply written{};
    p.statfs(written);
    line("blocks taken: %ld", int64_t(before.free_blocks) - int64_t(written.free_blocks));
    status("truncate /t/hole.bin to 10", p.truncate("/t/hole.bin", 10));
    p.statfs(after);
    line("blocks freed: %ld", int64_t(after.free_blocks) - int64_t(written.free_blocks));
    p.fstat(fd, st);
    line("size %lu, %u sectors", st.size, st.blocks);
    p.close(fd);

    // Far beyond any ext2 file.
    fd = int32_t(p.open("/t/f", flags::kWriteOnly));
    p.seek(fd, 1ll << 42, Whence::Set);
    value("write at 4 TiB", p.write(fd, "x", 1));
    status("ftruncate to 4 TiB", p.ftruncate(fd, 1ull << 42));
    p.close(fd);
}

} // namespace fstest
