/// \file main.cpp
/// \brief `proctest`: the process manager end to end: join, spawn from the disk with argv and environment, exit codes, wait (one, any, WNOHANG), kill, faults, orphans, ps, and every error code.
///
/// `proctest restart` instead crashes proc while children run (restart_checks below).
/// init starts it with a capability to RS in slot 3; it looks `proc` up there and joins. The
/// programs it starts are on the disk: /bin/exitcode and /bin/crash (userland/tests/), and the
/// test (tests/system/test_proc.py) adds /tests/noexec (an ELF without an x bit),
/// /tests/garbage (not an ELF), /tests/truncated (an ELF cut short), /tests/huge (an ELF whose
/// segment lies beyond proc's 2 MiB stage) and /tests/padded (exitcode followed by 3 MiB of
/// zeros) to its copy of the disk.
/// Every line it prints is checked exactly by the test.
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/proc.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"

namespace {

using namespace protocol::proc;
constexpr abi::CapSlot kRs = 3;
constexpr int32_t kStdio[3] = {0, 1, 2};

Client* g_proc = nullptr;
int64_t g_self = 0;

const char* name(int32_t e) { return posix::errno_name(e); }

void sleep_ms(uint64_t ms) { sys::sleep_ns(ms * 1000000ull); }

/// "exited 7" or "signal 11", from a POSIX wait status.
const char* describe(int32_t wstatus)
{
    static char text[32];
    if ((wstatus & 0x7f) == 0) format(text, sizeof(text), "exited %d", (wstatus >> 8) & 0xff);
    else format(text, sizeof(text), "signal %d", wstatus & 0x7f);
    return text;
}

/// Starts `path` with `argv` (and `envp`); prints the outcome; returns the pid or 0.
int64_t start(const char* path, const char* const* argv, const char* const* envp = nullptr,
              const int32_t (&fds)[3] = kStdio, const char* label = nullptr)
{
    int64_t pid = 0;
    int32_t e = g_proc->spawn(path, argv, envp, fds, pid);
    print("proctest: spawn %s: %s\n", label ? label : path, name(e));
    return e == posix::kOk ? pid : 0;
}

/// Waits for `pid` (-1: any) and prints "wait: OK, exited 7" (the pid is checked here).
int32_t wait_for(int64_t pid, const char* what, uint32_t options = 0)
{
    int64_t ended = 0;
    int32_t wstatus = 0;
    int32_t e = g_proc->wait(pid, options, ended, wstatus);
    if (e != posix::kOk) print("proctest: wait %s: %s\n", what, name(e));
    else if (ended == 0) print("proctest: wait %s: OK, none ended\n", what);
    else if (pid != -1 && ended != pid) print("proctest: wait %s: pid %ld ended, not %ld\n", what, ended, pid);
    else print("proctest: wait %s: OK, %s\n", what, describe(wstatus));
    return wstatus;
}

/// Runs `path argv...` to its end.
void run(const char* path, const char* const* argv, const char* what, const char* const* envp = nullptr)
{
    if (int64_t pid = start(path, argv, envp)) wait_for(pid, what);
}

/// The process `pid` in proc's list, printed as ps would; "absent" if it is not there.
void show(int64_t pid, const char* what)
{
    ProcessInfo info{};
    for (uint64_t index = 0; g_proc->list(index, info) == posix::kOk; index = info.next_index) {
        if (static_cast<int64_t>(info.pid) != pid) continue;
        print("proctest: ps %s: %s, parent %s, %s\n", what, info.name,
              info.parent == 0 ? "0" : info.parent == static_cast<uint64_t>(g_self) ? "me" : "other",
              info.state == static_cast<uint32_t>(State::Zombie) ? "zombie" : "running");
        return;
    }
    print("proctest: ps %s: absent\n", what);
}

/// Sends a hand-made message to proc and prints the status of the reply.
void raw(const char* what, const ipc::Message& m, abi::CapSlot proc = kSlotProc)
{
    ipc::Result r = ipc::call(proc, m);
    int32_t status = 0;
    memcpy(&status, r.message.words, sizeof(status));
    print("proctest: %s: %s\n", what, r.ok() ? name(status) : abi::error_name(r.error));
}

/// A spawn request whose text is `text[0..length)`, with the counts given.
ipc::Message spawn_message(const char* text, uint32_t length, uint32_t argc, uint32_t envc, uint32_t text_length)
{
    SpawnRequest req{};
    req.fds[0] = 0, req.fds[1] = 1, req.fds[2] = 2;
    memcpy(req.text, text, length);
    req.argc = argc;
    req.envc = envc;
    req.text_length = text_length;
    ipc::Message m;
    ipc::pack(m, kSpawn, req);
    return m;
}

/// Waits (up to 10 s) until RS says proc is up; returns a capability to it.
abi::CapSlot find_proc()
{
    protocol::rs::Client rs(kRs);
    protocol::rs::ServiceStatus st{};
    uint64_t deadline = sys::clock_ns() + 10000000000ull;
    while (!(rs.status_of("proc", st) && st.state == protocol::rs::State::Up) && sys::clock_ns() < deadline)
        sleep_ms(10);
    return rs.lookup("proc");
}

void join_checks(abi::CapSlot looked_up)
{
    Client unjoined(looked_up);
    int64_t pid = 0, parent = 0;
    print("proctest: getpid before joining: %s\n", name(unjoined.getpid(pid, parent)));
    // A join must bring exactly one Process capability.
    ipc::Message m = ipc::make(kJoin);
    raw("join without a capability", m, looked_up);
    m.cap_count = 1;
    m.send_caps[0] = kRs;
    raw("join with an endpoint", m, looked_up);

    abi::CapSlot proc_cap = 0, fs_cap = 0;
    int32_t e = unjoined.join("proctest", g_self, proc_cap, fs_cap);
    print("proctest: join: %s, pid %ld\n", name(e), g_self);
    abi::CapInfo info{};
    sys::cap_identify(fs_cap, &info);
    print("proctest: fs capability: %s, badge is my pid: %s\n", abi::object_type_name(info.type),
          info.badge == static_cast<uint64_t>(g_self) ? "yes" : "no");
    // From here on proc knows us by the capability it gave us, which the children also get.
    sys::cap_move(proc_cap, kSlotProc);
    sys::cap_move(fs_cap, kSlotFs);
    int64_t again = 0;
    print("proctest: join again: %s\n", name(unjoined.join("proctest", again, proc_cap, fs_cap)));
    e = g_proc->getpid(pid, parent);
    print("proctest: getpid: %s, pid is the joined pid: %s, parent %ld\n", name(e), pid == g_self ? "yes" : "no",
          parent);
}

void exit_checks()
{
    const char* const seven[] = {"exitcode", "7", "a b", "c", nullptr};
    const char* const env[] = {"A=1", "B=two words", nullptr};
    run("/bin/exitcode", seven, "exit 7", env);
    const char* const zero[] = {"exitcode", "0", nullptr};
    run("/bin/exitcode", zero, "exit 0");
    const char* const max[] = {"exitcode", "255", nullptr};
    run("/bin/exitcode", max, "exit 255");
    const char* const big[] = {"exitcode", "256", nullptr};
    run("/bin/exitcode", big, "exit 256");  // Only the low 8 bits reach the parent, as in POSIX.
    const char* const relative[] = {"exitcode", "3", nullptr};
    run("bin/exitcode", relative, "relative path");  // From our working directory, "/".
    const char* const no_argv[] = {nullptr};
    run("/bin/exitcode", no_argv, "no argv");
}

void wait_checks()
{
    // Any child: two children, two waits, then none left.
    const char* const eleven[] = {"exitcode", "11", nullptr};
    const char* const twelve[] = {"exitcode", "12", nullptr};
    start("/bin/exitcode", eleven);
    start("/bin/exitcode", twelve);
    int32_t a = wait_for(-1, "any (1)");
    int32_t b = wait_for(-1, "any (2)");
    print("proctest: any: codes %d and %d\n", ((a < b ? a : b) >> 8) & 0xff, ((a < b ? b : a) >> 8) & 0xff);
    wait_for(-1, "any with no children");

    // WNOHANG while the child runs, then a wait parked until it ends.
    const char* const sleeper[] = {"exitcode", "sleep", "200", "5", nullptr};
    int64_t pid = start("/bin/exitcode", sleeper);
    wait_for(pid, "WNOHANG", wait_options::kNoHang);
    wait_for(pid, "parked");
    // A parked wait for any child.
    const char* const short_sleep[] = {"exitcode", "sleep", "100", "6", nullptr};
    start("/bin/exitcode", short_sleep);
    wait_for(-1, "parked any");
    // Zombies wait for their parent: this one has ended before we ask.
    const char* const nine[] = {"exitcode", "9", nullptr};
    pid = start("/bin/exitcode", nine);
    sleep_ms(200);
    show(pid, "zombie child");
    wait_for(pid, "zombie");
    show(pid, "after wait");
    wait_for(pid, "again");
    wait_for(99999, "a stranger");
    ipc::Message bad;
    ipc::pack(bad, kWait, WaitRequest{-1, 0x80, 0});
    raw("wait with unknown options", bad);
}

void kill_checks()
{
    const char* const forever[] = {"exitcode", "sleep", "0", nullptr};
    int64_t pid = start("/bin/exitcode", forever);
    sleep_ms(100);
    show(pid, "running child");
    print("proctest: kill signal 0: %s\n", name(g_proc->kill(pid, 0)));
    print("proctest: kill signal 3: %s\n", name(g_proc->kill(pid, 3)));
    print("proctest: kill 9: %s\n", name(g_proc->kill(pid, 9)));
    wait_for(pid, "killed");
    print("proctest: kill the reaped child: %s\n", name(g_proc->kill(pid, 9)));
    pid = start("/bin/exitcode", forever);
    sleep_ms(100);  // Let it print its lines (the test counts them) before it goes.
    print("proctest: kill 15: %s\n", name(g_proc->kill(pid, 15)));
    wait_for(pid, "terminated");
    print("proctest: kill myself: %s\n", name(g_proc->kill(g_self, 9)));
    print("proctest: kill a stranger: %s\n", name(g_proc->kill(99999, 9)));
    print("proctest: kill pid 0: %s\n", name(g_proc->kill(0, 9)));
    // A child may not kill its parent or itself, and has no children to wait for.
    const char* const probe[] = {"exitcode", "probe", nullptr};
    run("/bin/exitcode", probe, "probe");
}

void orphan_checks()
{
    // The child starts a grandchild and exits; the grandchild carries on with parent 0.
    const char* const orphan[] = {"exitcode", "orphan", nullptr};
    int64_t pid = start("/bin/exitcode", orphan);
    wait_for(pid, "orphan's parent");
    ProcessInfo info{};
    int64_t grandchild = 0;
    for (uint64_t index = 0; g_proc->list(index, info) == posix::kOk; index = info.next_index)
        if (info.pid > static_cast<uint64_t>(pid)) grandchild = static_cast<int64_t>(info.pid);
    show(grandchild, "orphan");
    print("proctest: kill the orphan: %s\n", name(g_proc->kill(grandchild, 9)));
    show(g_self, "myself");

    // A parent killed while its wait is parked: the wait is dropped, its child orphaned.
    const char* const waiter[] = {"exitcode", "waiter", nullptr};
    pid = start("/bin/exitcode", waiter);
    sleep_ms(300);
    show(pid, "waiting child");
    print("proctest: kill the waiting child: %s\n", name(g_proc->kill(pid, 9)));
    wait_for(pid, "waiting child");
    for (uint64_t index = 0; g_proc->list(index, info) == posix::kOk; index = info.next_index)
        if (info.pid > static_cast<uint64_t>(pid)) grandchild = static_cast<int64_t>(info.pid);
    show(grandchild, "its child");
}

void error_checks()
{
    const char* const argv[] = {"x", nullptr};
    start("/bin/nosuch", argv);
    start("nosuch", argv);
    start("", argv);
    start("/hello.txt/x", argv);
    start("/docs", argv);
    start("/hello.txt", argv);
    start("/tests/noexec", argv);
    start("/tests/garbage", argv);
    start("/tests/truncated", argv);
    start("/tests/huge", argv);
    const char* const padded[] = {"padded", "21", nullptr};
    run("/tests/padded", padded, "padded");
    char long_path[300];
    memset(long_path, 'a', sizeof(long_path) - 1);
    long_path[0] = '/';
    long_path[sizeof(long_path) - 1] = '\0';
    start(long_path, argv, nullptr, kStdio, "a 299-byte path");
    const int32_t bad_fds[3] = {0, 40, 2};
    start("/bin/exitcode", argv, nullptr, bad_fds, "with descriptor 40, out of range");

    // Requests the typed client would never send.
    raw("text_length past the text", spawn_message("/bin/exitcode", 14, 0, 0, kTextBytes + 1));
    raw("129 arguments", spawn_message("/bin/exitcode", 14, 129, 0, 14));
    raw("argc beyond the text", spawn_message("/bin/exitcode\0x", 16, 3, 0, 16));
    raw("a path without its NUL", spawn_message("/bin/exitcode", 13, 0, 0, 13));
    ipc::Message m = ipc::make(kGetpid, 2);
    raw("getpid of the wrong size", m);
    raw("unknown label", ipc::make(99));
}

void fault_checks()
{
    const char* const segv[] = {"crash", "segv", nullptr};
    run("/bin/crash", segv, "page fault");
    const char* const gp[] = {"crash", "gp", nullptr};
    run("/bin/crash", gp, "general protection");
    const char* const ud[] = {"crash", "ud", nullptr};
    run("/bin/crash", ud, "invalid opcode");
    const char* const de[] = {"crash", "de", nullptr};
    run("/bin/crash", de, "divide error");
}

/// `proctest restart`: proc crashes with children running and comes back fresh. Its old
/// clients are strangers to it (ESRCH) and join again; pids are not handed out twice; the
/// old children's exits and faults reach the new instance and are dealt with quietly.
int restart_checks(abi::CapSlot looked_up)
{
    Client unjoined(looked_up);
    abi::CapSlot proc_cap = 0, fs_cap = 0;
    print("proctest: join: %s\n", name(unjoined.join("proctest", g_self, proc_cap, fs_cap)));
    Client proc(proc_cap);
    g_proc = &proc;
    const char* const faults_later[] = {"exitcode", "sleep", "1500", "segv", nullptr};
    const char* const exits_later[] = {"exitcode", "sleep", "1500", "4", nullptr};
    int64_t old_pid = start("/bin/exitcode", faults_later);
    start("/bin/exitcode", exits_later);

    protocol::rs::Client rs(kRs);
    protocol::rs::Reply reply{};
    rs.inject("proc", protocol::rs::FaultType::Crash, 1, reply);
    print("proctest: crash proc: %s\n", abi::error_name(static_cast<abi::Error>(reply.status)));
    protocol::rs::ServiceStatus st{};
    uint64_t deadline = sys::clock_ns() + 10000000000ull;
    while (!(rs.status_of("proc", st) && st.state == protocol::rs::State::Up && st.restarts == 1) &&
           sys::clock_ns() < deadline)
        sleep_ms(10);
    print("proctest: proc is back: %s\n", st.state == protocol::rs::State::Up ? "yes" : "no");

    int64_t pid = 0, parent = 0;
    print("proctest: getpid after the restart: %s\n", name(proc.getpid(pid, parent)));
    int64_t self = 0;
    print("proctest: join again: %s\n", name(unjoined.join("proctest", self, proc_cap, fs_cap)));
    print("proctest: new pid is above the old ones: %s\n", self > old_pid + 1 ? "yes" : "no");
    Client fresh(proc_cap);
    g_proc = &fresh;
    g_self = self;
    const char* const zero[] = {"exitcode", "0", nullptr};
    run("/bin/exitcode", zero, "after the restart");
    // The old children end now: one faults, one exits, both strangers to this proc.
    sleep_ms(2500);
    ProcessInfo info{};
    int count = 0;
    for (uint64_t index = 0; fresh.list(index, info) == posix::kOk; index = info.next_index) ++count;
    print("proctest: processes proc knows: %d\n", count);
    print("proctest: done\n");
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    abi::CapSlot looked_up = find_proc();
    if (!looked_up) {
        print("proctest: proc is not up\n");
        return 1;
    }
    print("proctest: proc is up\n");
    if (argc > 1 && strcmp(argv[1], "restart") == 0) return restart_checks(looked_up);
    Client proc(kSlotProc);
    g_proc = &proc;
    join_checks(looked_up);
    exit_checks();
    wait_checks();
    kill_checks();
    orphan_checks();
    error_checks();
    fault_checks();
    print("proctest: done\n");
    return 0;
}
