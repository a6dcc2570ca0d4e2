/// \file main.cpp
/// \brief `utiltest SCRIPT`: joins proc as a POSIX process, then runs each line of SCRIPT (a file on the disk) and prints what happened, for tests/system/test_utils.py to compare with the host.
///
/// init starts it (`run=utiltest:/script`) with RS's endpoint in slot 3. It waits for `proc`
/// to be up, looks it up, and calls posix_join. Script lines: a command (see run_line), a
/// comment (#), or a built-in: "!cd DIR", "!malloc", "!stdio", "!signals", "!files". Output goes to the
/// console through debug_write, so it never mixes with what the utilities write to files.
/// `utiltest --args ...` (a copy of utiltest on the disk, run by a script) prints its argv and
/// environment instead.
#include "print.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"
#include "utiltest.hpp"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr abi::CapSlot kRs = 3;

/// Waits (up to 10 s) until RS says `proc` is up, then looks its endpoint up.
abi::CapSlot find_proc()
{
    protocol::rs::Client rs(kRs);
    protocol::rs::ServiceStatus st{};
    uint64_t deadline = sys::clock_ns() + 10000000000ull;
    while (!(rs.status_of("proc", st) && st.state == protocol::rs::State::Up) && sys::clock_ns() < deadline)
        sys::sleep_ns(10000000);
    return rs.lookup("proc");
}

void builtin(const char* line)
{
    if (strncmp(line, "!cd ", 4) == 0) {
        if (chdir(line + 4) != 0) print("utiltest: cd %s: %s\n", line + 4, strerror(errno));
        char cwd[256];
        print("utiltest: cwd %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : strerror(errno));
    } else if (strcmp(line, "!malloc") == 0) {
        check_malloc();
    } else if (strcmp(line, "!stdio") == 0) {
        check_stdio();
    } else if (strcmp(line, "!signals") == 0) {
        check_signals();
    } else if (strcmp(line, "!files") == 0) {
        check_files();
    } else {
        print("utiltest: unknown built-in %s\n", line);
    }
}

} // namespace

/// `utiltest --args ...`, spawned by a script from a copy on the disk: prints the argv and the
/// environment it was started with, checking the start-up code's reading of proc's block.
int print_arguments(int argc, char** argv)
{
    for (int i = 0; i < argc; ++i) print("utiltest-child: argv[%d] '%s'\n", i, argv[i]);
    print("utiltest-child: argv[%d] %s\n", argc, argv[argc] ? "is not NULL" : "NULL");
    for (int i = 0; environ[i]; ++i) print("utiltest-child: environ '%s'\n", environ[i]);
    const char* home = getenv("HOME");
    print("utiltest-child: HOME '%s', pid %d, parent %d\n", home ? home : "(unset)", getpid(), getppid());
    return 7;
}

int main(int argc, char** argv)
{
    if (argc >= 2 && strcmp(argv[1], "--args") == 0) return print_arguments(argc, argv);
    if (argc < 2) {
        print("usage: utiltest SCRIPT\n");
        return 2;
    }
    abi::CapSlot proc = find_proc();
    if (proc == abi::kNullSlot) {
        print("utiltest: proc is not up\n");
        return 1;
    }
    if (posix_join(proc) != 0) {
        print("utiltest: posix_join: %s\n", strerror(errno));
        return 1;
    }
    print("utiltest: joined as pid %d (parent %d)\n", getpid(), getppid());
    // Captured output lands here; the disk has no /tmp of its own.
    if (mkdir("/tmp", 0755) != 0 && errno != EEXIST) print("utiltest: mkdir /tmp: %s\n", strerror(errno));

    FILE* script = fopen(argv[1], "r");
    if (!script) {
        print("utiltest: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    char line[512];
    int commands = 0;
    while (fgets(line, sizeof(line), script)) {
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
        if (n == 0 || line[0] == '#') continue;
        print("utiltest: $ %s\n", line);
        if (line[0] == '!') builtin(line);
        else run_line(line);
        ++commands;
    }
    fclose(script);
    print("utiltest: done, %d commands\n", commands);
    return 0;
}
