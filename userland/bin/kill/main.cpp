/// \file main.cpp
/// \brief `kill [-9|-KILL|-15|-TERM|-s SIGNAL] PID...`: asks proc to end processes (SIGTERM unless told otherwise).
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

namespace {

/// "9", "KILL", "SIGKILL" -> 9; -1 if unknown.
int signal_number(const char* s)
{
    static const struct {
        const char* name;
        int number;
    } kSignals[] = {{"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"ABRT", SIGABRT}, {"KILL", SIGKILL},
                    {"SEGV", SIGSEGV}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}, {"USR1", SIGUSR1},
                    {"USR2", SIGUSR2}};
    if (s[0] >= '0' && s[0] <= '9') {
        char* end;
        long n = strtol(s, &end, 10);
        return *end || n < 0 || n > 64 ? -1 : static_cast<int>(n);
    }
    if (strncmp(s, "SIG", 3) == 0) s += 3;
    for (const auto& sig : kSignals)
        if (strcmp(s, sig.name) == 0) return sig.number;
    return -1;
}

} // namespace

int main(int argc, char** argv)
{
    int signal = SIGTERM;
    int i = 1;
    if (i < argc && strcmp(argv[i], "-s") == 0 && i + 1 < argc) {
        signal = signal_number(argv[i + 1]);
        i += 2;
    } else if (i < argc && argv[i][0] == '-' && argv[i][1]) {
        signal = signal_number(argv[i] + 1);
        ++i;
    }
    if (signal < 0 || i >= argc) {
        fprintf(stderr, "usage: kill [-9|-KILL|-TERM|-s SIGNAL] PID...\n");
        return 1;
    }
    int status = 0;
    for (; i < argc; ++i) {
        char* end;
        long pid = strtol(argv[i], &end, 10);
        if (*end || end == argv[i] || pid <= 0) {
            fprintf(stderr, "kill: %s: %s\n", argv[i], strerror(EINVAL));
            status = 1;
            continue;
        }
        if (kill(static_cast<pid_t>(pid), signal) != 0) {
            fprintf(stderr, "kill: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
