/// \file main.cpp
/// \brief `exitcode`: a disk program `proctest` starts through `proc`; it prints what it was given (pid, argv, environment) and exits with the code asked for.
///
/// Usage (every mode first prints "exitcode: pid P, parent Q", its argv and its environment):
///   exitcode N [WORDS...]     exit with code N
///   exitcode sleep MS N       sleep MS milliseconds (0: for ever), then exit with N (or, if N is
///                             "segv", take a page fault)
///   exitcode probe            ask proc what a child may not do: kill its parent (EPERM),
///                             kill itself (EPERM), wait with no children (ECHILD); exit 0
///   exitcode orphan           start "exitcode sleep 1000 0" as its own child and exit at once,
///                             leaving it to be orphaned; exit 0
///   exitcode waiter           start "exitcode sleep 1000 0" and wait for it (a wait proc parks;
///                             the test kills us meanwhile)
#include "args.hpp"
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/proc.hpp"
#include "sys.hpp"

namespace {

using protocol::proc::Client;

int number(const char* s)
{
    int v = 0;
    bool negative = *s == '-';
    if (negative) ++s;
    for (; *s >= '0' && *s <= '9'; ++s) v = v * 10 + (*s - '0');
    return negative ? -v : v;
}

/// "exitcode: argv: 'a' 'b'" (or the environment), as one line so lines of processes running
/// at the same time never mix.
void print_list(const char* what, const char* const* list, int count)
{
    char line[512];
    size_t n = 0;
    n += format(line + n, sizeof(line) - n, "exitcode: %s (%d):", what, count);
    for (int i = 0; i < count && n < sizeof(line); ++i) n += format(line + n, sizeof(line) - n, " '%s'", list[i]);
    print("%s\n", line);
}

} // namespace

int main(int argc, char** argv)
{
    exitcode::Args a = exitcode::parse(argc, argv);
    Client proc(protocol::proc::kSlotProc);
    int64_t pid = 0, parent = 0;
    int32_t e = proc.getpid(pid, parent);
    if (e != posix::kOk) print("exitcode: getpid: %s\n", posix::errno_name(e));
    else print("exitcode: pid %ld, parent %ld\n", pid, parent);
    print_list("argv", a.argv, a.argc);
    print_list("env", a.envp, a.envc);

    const char* mode = a.argc > 1 ? a.argv[1] : "0";
    if (strcmp(mode, "sleep") == 0) {
        int ms = a.argc > 2 ? number(a.argv[2]) : 0;
        if (ms == 0)
            for (;;) sys::sleep_ns(1000000000ull);
        sys::sleep_ns(static_cast<uint64_t>(ms) * 1000000ull);
        if (a.argc > 3 && strcmp(a.argv[3], "segv") == 0) *reinterpret_cast<volatile int*>(0) = 1;
        return a.argc > 3 ? number(a.argv[3]) : 0;
    }
    if (strcmp(mode, "probe") == 0) {
        print("exitcode: kill parent: %s\n", posix::errno_name(proc.kill(parent ? parent : 1, 9)));
        print("exitcode: kill self: %s\n", posix::errno_name(proc.kill(pid, 9)));
        int64_t ended = 0;
        int32_t wstatus = 0;
        print("exitcode: wait: %s\n", posix::errno_name(proc.wait(-1, 0, ended, wstatus)));
        return 0;
    }
    if (strcmp(mode, "orphan") == 0 || strcmp(mode, "waiter") == 0) {
        const char* const child_argv[] = {"exitcode", "sleep", "1000", "0", nullptr};
        const int32_t fds[3] = {0, 1, 2};
        int64_t child = 0;
        e = proc.spawn("/bin/exitcode", child_argv, nullptr, fds, child);
        print("exitcode: started pid %ld: %s\n", child, posix::errno_name(e));
        if (mode[0] == 'o') return 0;
        int64_t ended = 0;
        int32_t wstatus = 0;
        e = proc.wait(child, 0, ended, wstatus);
        print("exitcode: waited: %s\n", posix::errno_name(e));  // Never: we are killed first.
        return 0;
    }
    return number(mode);
}
