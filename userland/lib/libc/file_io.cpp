/// \file file_io.cpp
/// \brief Descriptor calls over fs: open, read, write, close, lseek, dup, dup2, pipe, ftruncate, isatty.
#include "internal.hpp"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace protocol::fs;
using libc::fail;

extern "C" {

int open(const char* path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & O_CREAT) {
        va_list args;
        va_start(args, flags);
        mode = va_arg(args, mode_t);
        va_end(args);
    }
    return static_cast<int>(libc::path_call(kOpen, path, static_cast<uint32_t>(flags), mode & 07777));
}

int creat(const char* path, mode_t mode) { return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode); }

// [libc-read]
ssize_t read(int fd, void* buffer, size_t count)
{
    if (count == 0) return 0;
    if (!buffer) return fail(EFAULT);
    // One request, straight into `buffer` (lent to fs as the call's window): a pipe or the
    // console answers with what it has, so asking again could block a caller that already has
    // data. Callers loop, as POSIX callers must.
    uint32_t length = count < kMaxTransfer ? static_cast<uint32_t>(count) : kMaxTransfer;
    size_t n = 0;
    if (int e = libc::fs_transfer(kRead, fd, buffer, length, abi::window_rights::kServerWrites, n)) return fail(e);
    return static_cast<ssize_t>(n);
}
// [libc-read]

ssize_t write(int fd, const void* buffer, size_t count)
{
    if (count == 0) return 0;
    if (!buffer) return fail(EFAULT);
    const char* bytes = static_cast<const char*>(buffer);
    size_t done = 0;
    // fs takes up to kMaxTransfer a call (a pipe: up to its size), straight from `buffer`.
    while (done < count) {
        uint32_t length = count - done < kMaxTransfer ? static_cast<uint32_t>(count - done) : kMaxTransfer;
        size_t n = 0;
        int e = libc::fs_transfer(kWrite, fd, bytes + done, length, abi::window_rights::kServerReads, n);
        // An error after some bytes went out reports those bytes (POSIX's partial write).
        if (e) return done ? static_cast<ssize_t>(done) : fail(e);
        if (n == 0) break;  // No space left: a short write.
        done += n;
    }
    return static_cast<ssize_t>(done);
}

int close(int fd)
{
    Reply reply{};
    if (int e = libc::fs_request(kClose, FdRequest{fd, 0, 0}, reply)) return fail(e);
    return 0;
}

off_t lseek(int fd, off_t offset, int whence)
{
    if (whence < SEEK_SET || whence > SEEK_END) return fail(EINVAL);
    Reply reply{};
    if (int e = libc::fs_request(kSeek, SeekRequest{fd, static_cast<uint32_t>(whence), offset}, reply)) return fail(e);
    return reply.value;
}

int dup(int fd)
{
    Reply reply{};
    if (int e = libc::fs_request(kDup, FdRequest{fd, 0, 0}, reply)) return fail(e);
    return static_cast<int>(reply.value);
}

int dup2(int oldfd, int newfd)
{
    Reply reply{};
    if (int e = libc::fs_request(kDup2, Dup2Request{oldfd, newfd}, reply)) return fail(e);
    return static_cast<int>(reply.value);
}

int pipe(int fds[2])
{
    if (!fds) return fail(EFAULT);
    Reply reply{};
    if (int e = libc::fs_request_empty(kPipe, reply)) return fail(e);
    fds[0] = static_cast<int>(reply.value);
    fds[1] = static_cast<int>(reply.value2);
    return 0;
}

int ftruncate(int fd, off_t length)
{
    if (length < 0) return fail(EINVAL);
    Reply reply{};
    if (int e = libc::fs_request(kFtruncate, FdRequest{fd, 0, static_cast<uint64_t>(length)}, reply)) return fail(e);
    return 0;
}

int isatty(int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0) return 0;  // errno: EBADF (or why fs could not answer).
    if (S_ISCHR(st.st_mode)) return 1;
    errno = ENOTTY;
    return 0;
}

} // extern "C"
