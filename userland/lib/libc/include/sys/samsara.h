/// \file samsara.h
/// \brief Samsara extensions with no POSIX counterpart: walking proc's process table (for `ps`).
#pragma once

#include <sys/types.h>

/// One process, as proc's kList reports it.
struct proc_info {
    pid_t pid;
    pid_t ppid;    ///< 0 for a process with no POSIX parent.
    int zombie;    ///< 1: it has ended and waits to be reaped.
    char name[32];
};

#ifdef __cplusplus
extern "C" {
#endif

/// Fills `out` with the process at `*cursor` (start with 0) and advances the cursor. Returns 1
/// for an entry, 0 past the last one, -1 with errno on error.
int proc_list(unsigned long* cursor, struct proc_info* out);

#ifdef __cplusplus
}
#endif
