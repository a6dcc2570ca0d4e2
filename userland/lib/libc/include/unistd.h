/// \file unistd.h
/// \brief Descriptors, paths and processes: the POSIX calls over the `fs` and `proc` servers, and Samsara's `spawn` and `posix_join`.
///
/// Every call is one or more IPC requests to `fs` (protocol::proc::kSlotFs) or `proc`
/// (protocol::proc::kSlotProc). Failures return -1 (or NULL) with errno set to the server's
/// answer; when the server cannot be reached at all errno is ENOSYS (no capability: the
/// program neither was started by `proc` nor joined) or EIO (the server died mid-call).
#pragma once

#include <stddef.h>
#include <sys/types.h>

#define STDIN_FILENO 0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/// access() modes.
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

#ifdef __cplusplus
extern "C" {
#endif

/// The environment: "NAME=value" strings, ending with NULL (set up by the start-up code).
extern char** environ;

/// Reads at most `count` bytes. One request to fs, so a read may return fewer bytes than asked
/// (at most 496 per call, or what a pipe or the console has now); 0 means end of file.
ssize_t read(int fd, void* buffer, size_t count);
/// Writes all `count` bytes (in 496-byte requests); returns `count`, or fewer if an error
/// stopped it after some bytes were written, or -1 if nothing was written.
ssize_t write(int fd, const void* buffer, size_t count);
int close(int fd);
/// whence: SEEK_SET, SEEK_CUR, SEEK_END. Returns the new offset. ESPIPE on a pipe or console.
off_t lseek(int fd, off_t offset, int whence);
int unlink(const char* path);
int rmdir(const char* path);
int chdir(const char* path);
/// Copies the working directory into `buffer` (ERANGE if `size` is too small); with a NULL
/// buffer, returns a malloc'd copy (a common extension).
char* getcwd(char* buffer, size_t size);
int dup(int fd);
int dup2(int oldfd, int newfd);
/// fds[0] reads what fds[1] writes.
int pipe(int fds[2]);
/// Writes every dirty block to the disk and flushes the disk's cache.
void sync(void);
int truncate(const char* path, off_t length);
int ftruncate(int fd, off_t length);
/// F_OK: the path exists; X_OK, W_OK, R_OK: some user, group or other bit allows it (Samsara
/// has no users, so the owner check is all there is).
int access(const char* path, int mode);
/// proc's numbers (not the kernel's); -1 with ENOSYS in a program that has not joined proc.
pid_t getpid(void);
/// 0 for a process with no POSIX parent (one that joined, or an orphan).
pid_t getppid(void);
/// 1 if `fd` is the console (a character device), else 0 with errno ENOTTY (or EBADF).
int isatty(int fd);
/// Ends the process at once, without flushing stdio.
[[noreturn]] void _exit(int status);
/// Sleeps for `seconds`; returns 0.
unsigned sleep(unsigned seconds);
int usleep(unsigned long microseconds);

/// Samsara: starts the program at `path` (a file in the file system) with `argv` and `envp`
/// (NULL-terminated; envp NULL means no environment) as a child of the caller. `fds` lists the
/// caller's descriptors that become the child's 0, 1 and 2 (-1: closed; NULL: 0, 1, 2).
/// Returns the child's pid, or -1 with errno: ENOENT, EACCES (not executable), ENOEXEC,
/// E2BIG (path, arguments and environment exceed 488 bytes together), EAGAIN, ENOMEM, EBADF.
pid_t spawn(const char* path, char* const argv[], char* const envp[], const int fds[3]);

/// Samsara: for a program started by init rather than by proc (the shell, test programs).
/// Sends kJoin with the caller's own Process capability to the proc endpoint in
/// `proc_endpoint_slot` (from a lookup through RS); proc makes the caller a POSIX process
/// with the console on 0, 1, 2 and answers with capabilities to itself and to fs, which
/// land in protocol::proc::kSlotProc and kSlotFs (replacing whatever those slots held).
/// Returns 0, or -1 with errno (ENOSYS: no proc there; EEXIST: already joined; ...).
int posix_join(unsigned proc_endpoint_slot);

#ifdef __cplusplus
}
#endif
