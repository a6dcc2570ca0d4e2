/// \file suite_pipes.cpp
/// \brief fstest, part 3: pipes within one client and between two processes (parked readers and writers, end of file, EPIPE), /dev, the control requests, statfs and sync.
#include "check.hpp"
#include "lib/format.hpp"
#include "print.hpp"
#include "sys.hpp"

namespace fstest {

void run_pipes()
{
    Fs& p = proc;
    int32_t r = -1, w = -1;
    status("pipe", p.pipe(r, w));
    line("pipe descriptors %d and %d", r, w);
    value("write 'ping'", p.write(w, "ping", 4));
    char buffer[kDataBytes + 1] = {};
    int64_t n = p.read(r, buffer, sizeof(buffer) - 1);
    buffer[n > 0 ? n : 0] = '\0';
    line("read %ld bytes: '%s'", n, buffer);
    StatReply st{};
    p.write(w, "abc", 3);
    p.fstat(r, st);
    line("fstat of the read end: mode %s, size %lu", octal(st.mode), st.size);
    value("seek on a pipe", p.seek(r, 0, Whence::Set));
    value("write to the read end", p.write(r, "x", 1));
    value("read from the write end", p.read(w, buffer, 1));
    value("read 2 of 3", p.read(r, buffer, 2));
    status("close the write end", p.close(w));
    value("read the last byte", p.read(r, buffer, 10));
    value("read with no writer left (end of file)", p.read(r, buffer, 10));
    p.close(r);

    status("pipe", p.pipe(r, w));
    status("close the read end", p.close(r));
    value("write with no reader left", p.write(w, "x", 1));
    p.close(w);

    // Full: 8 writes of kDataBytes fit in 4 KiB; a 9th would wait, so here it is only 128 bytes.
    p.pipe(r, w);
    char block[kDataBytes];
    memset(block, 'z', sizeof(block));
    int64_t total = 0;
    for (int i = 0; i < 8; ++i) total += p.write(w, block, kDataBytes);
    value("8 writes of 496 bytes", total);
    value("a write of the 128 bytes left", p.write(w, block, 128));
    p.fstat(w, st);
    value("bytes in the pipe", int64_t(st.size));
    p.close(r);
    p.close(w);
}

namespace {

/// A second process client, child of kPid, holding the given descriptors of it as 0 and 1.
Fs child_client(uint64_t pid, int32_t fd0, int32_t fd1)
{
    NewClientRequest req{};
    req.pid = pid;
    req.parent = kPid;
    for (int32_t& fd : req.fds) fd = -1;
    req.fds[0] = fd0;
    req.fds[1] = fd1;
    abi::CapSlot cap = abi::kNullSlot;
    if (svc.new_client(req, cap) < 0) fail("new client for a child");
    return Fs(cap);
}

void finish_child(int64_t pid, uint64_t client)
{
    value("the child's exit code", wait_child(pid));
    status("client exit of the child", svc.client_exit(client));
}

} // namespace

void run_children()
{
    Fs& p = proc;
    char buffer[kDataBytes + 1] = {};
    int32_t r = -1, w = -1;

    // (1) A reader parked on an empty pipe gets the child's data, then end of file.
    p.pipe(r, w);
    Fs child = child_client(7002, r, w);
    p.close(w);  // The child's copy is the only writer left.
    int64_t pid = spawn_child(child.endpoint(), "fstest child write-after 300");
    uint64_t start = sys::clock_ns();
    int64_t n = p.read(r, buffer, kDataBytes);
    buffer[n > 0 ? n : 0] = '\0';
    line("parked read got %ld bytes: '%s'; it waited: %s", n, buffer, elapsed_ms(start) >= 200 ? "yes" : "no");
    value("read after the child closed its end", p.read(r, buffer, kDataBytes));
    finish_child(pid, 7002);
    status("client exit of the child again", svc.client_exit(7002));
    StatReply st{};
    status("a descriptor of the forgotten child", child.fstat(0, st));
    status("a path request of the forgotten child (it starts over)", child.stat("/", st));
    status("client exit of it again", svc.client_exit(7002));
    p.close(r);

    // (2) A writer parked on a full pipe goes on when the child reads, and gets EPIPE when
    // the child closes the read end.
    p.pipe(r, w);
    child = child_client(7003, r, -1);
    p.close(r);
    char block[kDataBytes];
    memset(block, 'q', sizeof(block));
    for (int i = 0; i < 8; ++i) p.write(w, block, kDataBytes);
    pid = spawn_child(child.endpoint(), "fstest child read-after 300");
    start = sys::clock_ns();
    n = p.write(w, block, kDataBytes);
    line("parked write wrote %ld bytes; it waited: %s", n, elapsed_ms(start) >= 200 ? "yes" : "no");
    start = sys::clock_ns();
    n = p.write(w, block, kDataBytes);
    line("parked write when the reader closed: %s; it waited: %s", n < 0 ? posix::errno_name(int32_t(-n)) : "written",
         elapsed_ms(start) >= 100 ? "yes" : "no");
    finish_child(pid, 7003);
    p.close(w);

    // (3) A reader parked with no data gets end of file when the last writer closes.
    p.pipe(r, w);
    child = child_client(7004, -1, w);
    p.close(w);
    pid = spawn_child(child.endpoint(), "fstest child close-after 300");
    start = sys::clock_ns();
    n = p.read(r, buffer, kDataBytes);
    line("parked read when the writer closed: %ld bytes; it waited: %s", n, elapsed_ms(start) >= 200 ? "yes" : "no");
    finish_child(pid, 7004);
    p.close(r);

    // (4) A child inherits the working directory and shares the description's offset.
    p.chdir("/t");
    int32_t f = int32_t(p.open("shared", flags::kCreate | flags::kReadWrite));
    child = child_client(7005, f, -1);
    pid = spawn_child(child.endpoint(), "fstest child append-after 0");
    finish_child(pid, 7005);
    value("offset after the child wrote through the shared description", p.seek(f, 0, Whence::Current));
    p.write(f, "+parent", 7);
    p.seek(f, 0, Whence::Set);
    n = p.read(f, buffer, kDataBytes);
    buffer[n > 0 ? n : 0] = '\0';
    line("/t/shared holds '%s'", buffer);
    p.close(f);
    p.chdir("/");
}

int run_child(int argc, char** argv)
{
    // fstest child ROLE MS: slot 3 is this process's own fs client, made by its parent.
    Fs fs(3);
    const char* role = argc > 2 ? argv[2] : "";
    uint64_t ms = 0;
    for (const char* s = argc > 3 ? argv[3] : ""; *s >= '0' && *s <= '9'; ++s) ms = ms * 10 + uint64_t(*s - '0');
    sys::sleep_ns(ms * 1000000);
    char buffer[kDataBytes];
    if (strcmp(role, "write-after") == 0) {
        if (fs.write(1, "from the child", 14) != 14) return 2;
        if (fs.close(1) != 0) return 3;
        return fs.close(0) == 0 ? 0 : 3;
    }
    if (strcmp(role, "read-after") == 0) {
        if (fs.read(0, buffer, kDataBytes) != kDataBytes) return 2;
        sys::sleep_ns(200000000);
        return fs.close(0) == 0 ? 0 : 3;
    }
    if (strcmp(role, "close-after") == 0) return fs.close(1) == 0 ? 0 : 3;
    if (strcmp(role, "append-after") == 0) {
        char cwd[kPathBytes];
        if (fs.getcwd(cwd) != 2 || strcmp(cwd, "/t") != 0) return 4;
        return fs.write(0, "child", 5) == 5 ? 0 : 2;
    }
    return 1;
}

void run_devices()
{
    Fs& p = proc;
    StatReply st{};
    char buffer[16];
    int64_t null = p.open("/dev/null", flags::kReadWrite);
    value("open /dev/null", null);
    value("write 10 bytes to /dev/null", p.write(int32_t(null), "0123456789", 10));
    value("read /dev/null", p.read(int32_t(null), buffer, sizeof(buffer)));
    p.fstat(int32_t(null), st);
    line("fstat /dev/null: mode %s", octal(st.mode));
    p.close(int32_t(null));
    status("open /dev/null O_CREAT|O_EXCL", p.open("/dev/null", flags::kCreate | flags::kExclusive | flags::kWriteOnly));
    status("open /dev/nope", p.open("/dev/nope", flags::kReadOnly));
    status("mkdir /dev/x", p.mkdir("/dev/x"));
    status("unlink /dev/null", p.unlink("/dev/null"));
    status("rmdir /dev", p.rmdir("/dev"));
    status("stat /dev/console/x", p.stat("/dev/console/x", st));
    p.stat("/dev", st);
    line("stat /dev: mode %s", octal(st.mode));
    p.stat("/dev/console", st);
    line("stat /dev/console: mode %s", octal(st.mode));

    // The console: descriptor 1 from kNewClient, and /dev/console by name.
    const char kLine[] = "fstest: this line went through descriptor 1\n";
    value("write to descriptor 1", p.write(1, kLine, sizeof(kLine) - 1));
    int64_t console = p.open("/dev/console", flags::kWriteOnly);
    const char kNamed[] = "fstest: and this one through /dev/console\n";
    value("write to /dev/console", p.write(int32_t(console), kNamed, sizeof(kNamed) - 1));
    p.fstat(1, st);
    line("fstat of descriptor 1: mode %s", octal(st.mode));
    value("seek on the console", p.seek(1, 0, Whence::Set));
    p.close(int32_t(console));

    // The /dev directory.
    char cwd[kPathBytes];
    status("chdir /dev", p.chdir("/dev"));
    p.getcwd(cwd);
    line("getcwd is '%s'", cwd);
    status("stat null (relative, in /dev)", p.stat("null", st));
    status("stat ../hello.txt (from /dev)", p.stat("../hello.txt", st));
    int32_t dir = int32_t(p.open(".", flags::kReadOnly));
    DirentReply e{};
    uint64_t cookie = 0;
    char names[64] = {};
    size_t at = 0;
    while (p.readdir(dir, cookie, e) == 1) {
        at += format(names + at, sizeof(names) - at, "%s%s", at ? " " : "", e.name);
        cookie = e.next_cookie;
    }
    line("/dev holds %s", names);
    p.close(dir);
    p.chdir("/");
}

void run_control()
{
    // Only services may manage clients.
    NewClientRequest req{};
    req.pid = 7100;
    for (int32_t& fd : req.fds) fd = -1;
    abi::CapSlot cap = abi::kNullSlot;
    value("new client from a process", proc.new_client(req, cap));
    status("client exit from a process", proc.client_exit(kPid));
    ClientInfo info{};
    status("clients from a process", proc.clients(0, info));
    req.pid = 0;
    value("new client pid 0", svc.new_client(req, cap));
    req.pid = 1ull << 32;
    value("new client with a service badge", svc.new_client(req, cap));
    req.pid = 7100;
    req.parent = 7999;
    // A parent fs does not know (as after a restart of fs) starts over, as on its own request.
    value("new client with an unknown parent", svc.new_client(req, cap));
    (void)svc.client_exit(7999);  // Not part of the client-table checks below.
    req.parent = kPid;
    req.fds[0] = 40;
    value("new client inheriting descriptor 40", svc.new_client(req, cap));
    req.fds[0] = 9;  // Closed in the parent: closed in the child.
    value("new client inheriting a closed descriptor", svc.new_client(req, cap));
    Fs other(cap);
    StatReply st{};
    status("the new client's descriptor 0", other.fstat(0, st));
    status("client exit 7100", svc.client_exit(7100));
    status("client exit 7100 again", svc.client_exit(7100));

    // The list: our process client, with the console's three descriptors.
    bool found = false;
    for (uint64_t i = 0; svc.clients(i, info) == 0; ++i) {
        if (info.pid == kPid) {
            found = true;
            line("client %lu: %u descriptors, working directory '%s'", info.pid, info.open_fds, info.cwd);
        }
    }
    if (!found) fail("client 7001 is not listed");
    value("clients past the last", svc.clients(kMaxFds * 100, info));

    // Clients that end without a kClientExit: a full table forgets the least recently active
    // one, descriptors and all, so they cannot pile up for ever.
    constexpr int kMany = 70;
    abi::CapSlot caps[kMany] = {};
    for (int i = 0; i < kMany; ++i) {
        NewClientRequest many{};
        many.pid = 8000 + uint64_t(i);
        for (int32_t& fd : many.fds) fd = -1;
        if (svc.new_client(many, caps[i]) < 0 || Fs(caps[i]).open("/hello.txt", flags::kReadOnly) != 0) fail("client 80xx");
        proc.fstat(1, st);  // Our own client stays recently active.
    }
    uint64_t listed = 0;
    while (svc.clients(listed, info) == 0) ++listed;
    value("clients listed after making 70 more", int64_t(listed));
    status("a descriptor of the first of them (forgotten)", Fs(caps[0]).fstat(0, st));
    status("a descriptor of the last of them", Fs(caps[kMany - 1]).fstat(0, st));
    status("a descriptor of 7001", proc.fstat(1, st));
    int forgotten = 0;
    for (int i = 0; i < kMany; ++i) {
        forgotten += svc.client_exit(8000 + uint64_t(i)) == -posix::ESRCH;
        sys::cap_delete(caps[i]);
    }
    line("of the 70, %d had been forgotten", forgotten);

    // Malformed requests: wrong sizes, unknown labels.
    ipc::Message m = ipc::make(kOpen, 3, 1, 2, 3);
    status("open with a 3-word message", proc.raw(m));
    m = ipc::make(99, 0);
    status("label 99", proc.raw(m));
    // Data travels in the window a call lends: none, or too small a one, is the caller's EFAULT.
    int32_t fd = int32_t(proc.open("/t/window.txt", flags::kCreate | flags::kReadWrite | flags::kTruncate));
    m = ipc::Message{};
    ipc::pack(m, kWrite, FdRequest{fd, 400, 0});
    status("write that lends no window", proc.raw(m));
    char small[16] = "sixteen bytes..";
    ipc::lend(m, small, sizeof(small), abi::window_rights::kServerReads);
    status("write of 400 bytes from a 16-byte window", proc.raw(m));
    ipc::pack(m, kWrite, FdRequest{fd, 16, 0});
    ipc::lend(m, small, sizeof(small), abi::window_rights::kServerWrites);
    status("write from a window fs may only write", proc.raw(m));
    value("write from a 16-byte window", proc.write(fd, small, sizeof(small)));
    proc.seek(fd, 0, Whence::Set);
    m = ipc::Message{};
    ipc::pack(m, kRead, FdRequest{fd, 16, 0});
    status("read that lends no window", proc.raw(m));
    ipc::lend(m, reinterpret_cast<void*>(0x1000), 16, abi::window_rights::kServerWrites);
    status("read into an unmapped window", proc.raw(m));
    value("the file after them", proc.stat("/t/window.txt", st) == 0 ? int64_t(st.size) : -1);
    proc.close(fd);
    proc.unlink("/t/window.txt");
}

void run_statfs_and_sync()
{
    Fs& p = proc;
    StatfsReply s{};
    int32_t fd = int32_t(p.open("/t/last", flags::kCreate | flags::kWriteOnly));
    p.write(fd, "the last file\n", 14);
    status("statfs", p.statfs(s));
    // The write-back timer (every second) may clean the cache between the write and statfs on
    // a slow machine: write the same bytes again then, a few times, so "some" does not depend
    // on timing.
    for (int i = 0; i < 5 && s.dirty_blocks == 0; ++i) {
        p.seek(fd, 0, Whence::Set);
        p.write(fd, "the last file\n", 14);
        p.statfs(s);
    }
    p.close(fd);
    line("statfs before sync: dirty blocks: %s", s.dirty_blocks > 0 ? "some" : "none");
    status("sync", p.sync());
    p.statfs(s);
    line("statfs: %lu blocks of %u bytes, %lu free; %lu inodes, %lu free; %lu dirty", s.blocks, s.block_size,
         s.free_blocks, s.inodes, s.free_inodes, s.dirty_blocks);
    line("cached blocks: %s", s.cached_blocks > 0 ? "some" : "none");
}

} // namespace fstest
