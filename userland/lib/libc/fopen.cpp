/// \file fopen.cpp
/// \brief fopen, fdopen and fclose: streams with a malloc'd buffer, on the open-stream list.
#include "internal.hpp"
#include "stdio_impl.hpp"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

using namespace libc::stream_flags;

namespace {

/// "r" -> O_RDONLY, "w" -> O_WRONLY|O_CREAT|O_TRUNC, "a" -> ...|O_APPEND; "+" reads and
/// writes. false for anything else.
bool parse_mode(const char* mode, int& open_flags, unsigned& stream_flags)
{
    if (!mode) return false;
    bool plus = strchr(mode, '+') != nullptr;
    switch (mode[0]) {
    case 'r':
        open_flags = plus ? O_RDWR : O_RDONLY;
        stream_flags = plus ? kRead | kWrite : kRead;
        return true;
    case 'w':
        open_flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_TRUNC;
        stream_flags = plus ? kRead | kWrite : kWrite;
        return true;
    case 'a':
        open_flags = (plus ? O_RDWR : O_WRONLY) | O_CREAT | O_APPEND;
        stream_flags = (plus ? kRead | kWrite : kWrite) | kAppend;
        return true;
    default: return false;
    }
}

FILE* make_stream(int fd, unsigned flags)
{
    FILE* f = static_cast<FILE*>(malloc(sizeof(FILE)));
    char* buffer = static_cast<char*>(malloc(BUFSIZ));
    if (!f || !buffer) {
        free(f);
        free(buffer);
        errno = ENOMEM;
        return nullptr;
    }
    *f = FILE{fd, flags | kOwnsBuffer, libc::kUndecided, buffer, BUFSIZ, 0, 0, false, -1, nullptr};
    libc::link_stream(f);
    return f;
}

} // namespace

extern "C" {

FILE* fopen(const char* path, const char* mode)
{
    int open_flags;
    unsigned stream_flags;
    if (!parse_mode(mode, open_flags, stream_flags)) {
        errno = EINVAL;
        return nullptr;
    }
    int fd = open(path, open_flags, 0666);
    if (fd < 0) return nullptr;
    FILE* f = make_stream(fd, stream_flags);
    if (!f) close(fd);
    return f;
}

FILE* fdopen(int fd, const char* mode)
{
    int open_flags;
    unsigned stream_flags;
    if (!parse_mode(mode, open_flags, stream_flags)) {
        errno = EINVAL;
        return nullptr;
    }
    return make_stream(fd, stream_flags);
}

int fclose(FILE* stream)
{
    if (!stream) return libc::fail(EBADF);
    int result = fflush(stream);
    if (close(stream->fd) != 0) result = EOF;
    libc::unlink_stream(stream);
    if (stream->flags & kOwnsBuffer) free(stream->buffer);
    // The standard streams are not on the heap.
    if (stream != stdin && stream != stdout && stream != stderr) free(stream);
    return result;
}

} // extern "C"
