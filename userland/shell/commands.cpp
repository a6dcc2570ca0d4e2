/// \file commands.cpp
/// \brief The builtin table and the small builtins: help, echo, uptime, sleep, hello, cd, pwd, exit.
#include "commands.hpp"
#include "console.hpp"
#include "executor.hpp"
#include "lib/string.hpp"
#include "posix_world.hpp"
#include "protocols/fs.hpp"
#include "protocols/hello.hpp"
#include "rs_client.hpp"
#include "sys.hpp"
#include "variables.hpp"
#include <errno.h>
#include <string.h>
#include <unistd.h>

namespace shell {

namespace {

/// One line of `help`.
struct HelpLine {
    const char* usage;
    const char* description;
};

constexpr HelpLine kHelp[] = {
    {"help", "list the commands"},
    {"echo ARGS...", "print the arguments"},
    {"uptime", "time since boot"},
    {"sleep MS", "wait MS milliseconds (for scripts and demos)"},
    {"hello [N]", "call the hello driver N times (default 1)"},
    {"service list", "every service: pid, state, restarts, last failure"},
    {"service up|down|restart|refresh LABEL", "start, stop, restart, restart with fresh state"},
    {"service fi LABEL FAULT [--seed N]", "inject a fault: crash panic exit hang wildwrite bitflip badipc"},
    {"service campaign LABEL COUNT [--seed N]", "inject COUNT random faults and report"},
    {"fi LABEL FAULT | fi campaign LABEL COUNT", "shorthands for service fi and service campaign"},
    {"cd [DIR]", "change the working directory (default /)"},
    {"pwd", "print the working directory"},
    {"NAME=VALUE, export NAME[=VALUE]", "set a shell variable; put it in the environment"},
    {"unset NAME..., env", "forget variables; print the environment"},
    {"PROGRAM ARGS...", "run /bin/PROGRAM (a name with '/': that file)"},
    {"CMD < IN > OUT >> LOG 2> ERR", "redirect input, output (append), errors"},
    {"CMD | CMD, CMD ; CMD, && ||", "pipes; one after the other; if it worked / not"},
    {"'...' \"..$X..\" \\c $? $NAME #", "quoting, exit status, variables, comments"},
    {"exit", "leave the shell"},
};

int do_help(int, char**)
{
    console::puts("commands:\n");
    for (const HelpLine& h : kHelp) console::print("  %-40s %s\n", h.usage, h.description);
    return 0;
}

/// Collects output and writes it in one piece: a line then arrives whole, even when a program
/// in the same pipeline writes to the console at the same time.
class OutputBuffer {
public:
    void put(char c)
    {
        if (m_used == sizeof(m_bytes)) flush();
        m_bytes[m_used++] = c;
    }
    void put(const char* text)
    {
        while (*text) put(*text++);
    }
    void flush()
    {
        console::write(m_bytes, m_used);
        m_used = 0;
    }

private:
    char m_bytes[512];
    size_t m_used = 0;
};

int do_echo(int argc, char** argv)
{
    // The words separated by one space, however many were typed; -n: no newline at the end.
    bool newline = !(argc > 1 && strcmp(argv[1], "-n") == 0);
    int first = newline ? 1 : 2;
    OutputBuffer out;
    for (int i = first; i < argc; ++i) {
        if (i > first) out.put(' ');
        out.put(argv[i]);
    }
    if (newline) out.put('\n');
    out.flush();
    return 0;
}

int do_uptime(int, char**)
{
    uint64_t ms = sys::clock_ns() / 1000000;
    console::print("up %lu.%03lu s\n", ms / 1000, ms % 1000);
    return 0;
}

int do_sleep(int argc, char** argv)
{
    uint64_t ms = 0;
    if (argc != 2 || !parse_number(argv[1], ms) || ms > 600000) {
        console::puts("usage: sleep MS (at most 600000)\n");
        return 2;
    }
    sys::sleep_ns(ms * 1000000);
    return 0;
}

/// Calls hello N times. A call that fails with PeerDied (the driver died under it) is retried
/// for up to two seconds: the endpoint stays, and the restarted driver answers.
int do_hello(int argc, char** argv)
{
    uint64_t count = 1;
    if (argc > 2 || (argc == 2 && (!parse_number(argv[1], count) || count == 0))) {
        console::puts("usage: hello [N]\n");
        return 2;
    }
    // The endpoint outlives the driver's instances: look it up once.
    static abi::CapSlot s_hello = abi::kNullSlot;
    if (s_hello == abi::kNullSlot) s_hello = rs_client::lookup("hello");
    if (s_hello == abi::kNullSlot) {
        console::puts("hello: no hello service\n");
        return 1;
    }
    // A call to a service that is down would wait for it forever.
    if (!rs_client::running("hello")) {
        console::puts("hello: the hello service is down\n");
        return 1;
    }
    protocol::hello::Client hello(s_hello);
    int64_t last = 0;
    uint64_t retries = 0;
    for (uint64_t i = 0; i < count; ++i) {
        uint64_t deadline = sys::clock_ns() + 2000000000ull;
        int64_t n = hello.hello();
        while (n == -static_cast<int64_t>(abi::Error::PeerDied) && sys::clock_ns() < deadline) {
            ++retries;
            sys::sleep_ns(5000000);
            n = hello.hello();
        }
        if (n < 0) {
            console::print("hello: failed: %s\n", abi::error_name(static_cast<abi::Error>(-n)));
            return 1;
        }
        last = n;
    }
    console::print("hello: %lu calls, count now %ld, %lu retries after PeerDied\n", count, last, retries);
    return 0;
}

/// `cd [DIR]`: the working directory is fs's, per process; the shell's changes only its own,
/// which the programs it starts inherit.
int do_cd(int argc, char** argv)
{
    if (argc > 2) {
        console::error("shell: cd: too many arguments\n");
        return 1;
    }
    const char* dir = argc == 2 ? argv[1] : "/";
    if (!posix_world::join()) {
        console::error("shell: cd: no process manager\n");
        return 1;
    }
    if (chdir(dir) != 0) {
        console::error("shell: cd: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    return 0;
}

int do_pwd(int argc, char**)
{
    if (argc > 1) {
        console::error("shell: pwd: too many arguments\n");
        return 1;
    }
    if (!posix_world::join()) {
        console::error("shell: pwd: no process manager\n");
        return 1;
    }
    char cwd[protocol::fs::kPathBytes];
    if (!getcwd(cwd, sizeof(cwd))) {
        console::error("shell: pwd: %s\n", strerror(errno));
        return 1;
    }
    console::print("%s\n", cwd);
    return 0;
}

/// `exit [CODE]`: CODE modulo 256, as a process's exit status is; without one, `$?`.
int do_exit(int argc, char** argv)
{
    uint64_t code = static_cast<uint64_t>(last_status());
    if (argc > 2) {
        console::error("shell: exit: too many arguments\n");
        return 1;
    }
    if (argc == 2 && !parse_number(argv[1], code)) {
        console::error("shell: exit: %s: numeric argument required\n", argv[1]);
        code = 2;
    }
    request_exit(static_cast<int>(code & 0xff));
    return static_cast<int>(code & 0xff);
}

constexpr Builtin kBuiltins[] = {
    {"help", do_help, false},
    {"echo", do_echo, false},
    {"uptime", do_uptime, false},
    {"sleep", do_sleep, false},
    {"hello", do_hello, false},
    {"service", service_command, false},
    {"fi", fi_command, false},
    {"cd", do_cd, true},
    {"pwd", do_pwd, false},
    {"exit", do_exit, true},
    {"export", variables::export_command, true},
    {"unset", variables::unset_command, true},
    {"env", variables::env_command, false},
};

} // namespace

bool parse_number(const char* text, uint64_t& out)
{
    uint64_t v = 0;
    if (!text || !*text) return false;
    for (; *text; ++text) {
        if (*text < '0' || *text > '9') return false;
        uint64_t digit = static_cast<uint64_t>(*text - '0');
        if (v > (UINT64_MAX - digit) / 10) return false;
        v = v * 10 + digit;
    }
    out = v;
    return true;
}

const Builtin* find_builtin(const char* name)
{
    for (const Builtin& b : kBuiltins)
        if (strcmp(name, b.name) == 0) return &b;
    return nullptr;
}

} // namespace shell
