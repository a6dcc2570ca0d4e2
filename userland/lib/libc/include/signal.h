/// \file signal.h
/// \brief `kill` and the signal numbers (Linux's). Samsara has no handlers: every signal proc accepts ends the process.
#pragma once

#include <sys/types.h>

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17

#ifdef __cplusplus
extern "C" {
#endif

/// Asks proc to end process `pid` (SIGKILL or SIGTERM). Returns 0, or -1 with errno ESRCH,
/// EPERM or EINVAL.
int kill(pid_t pid, int signal);

#ifdef __cplusplus
}
#endif
