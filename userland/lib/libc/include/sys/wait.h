/// \file wait.h
/// \brief waitpid/wait and the W* macros that decode a wait status (POSIX's encoding, as proc sends it).
#pragma once

#include <sys/types.h>

#define WNOHANG 1

/// An exit leaves the code in bits 8..15 and zero below; a signal leaves its number in bits 0..6.
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WTERMSIG(s) ((s) & 0x7f)
#define WIFEXITED(s) (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (WTERMSIG(s) != 0 && WTERMSIG(s) != 0x7f)

#ifdef __cplusplus
extern "C" {
#endif

/// Waits for child `pid` (or any child, pid -1) to end, and reaps it. With WNOHANG, returns
/// 0 at once if none has ended. Returns the child's pid, or -1 with errno ECHILD.
pid_t waitpid(pid_t pid, int* wstatus, int options);
/// waitpid(-1, wstatus, 0).
pid_t wait(int* wstatus);

#ifdef __cplusplus
}
#endif
