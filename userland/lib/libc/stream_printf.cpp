/// \file stream_printf.cpp
/// \brief printf, fprintf, vfprintf, vprintf, dprintf, vdprintf and perror: the formatter writing to streams and descriptors.
#include "core.hpp"
#include "internal.hpp"
#include "stdio_impl.hpp"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

namespace {

/// The printf sink: bytes into a stream.
struct StreamSink {
    FILE* stream;
    size_t failed;  ///< Bytes the stream did not take.
};

void put_stream(void* context, const char* text, size_t length)
{
    auto* sink = static_cast<StreamSink*>(context);
    sink->failed += length - libc::stream_put(sink->stream, text, length);
}

/// The dprintf sink: a small buffer written to a descriptor whenever it fills.
struct FdSink {
    int fd;
    bool failed;
    size_t used;
    char buffer[256];
    void drain()
    {
        if (used && write(fd, buffer, used) != static_cast<ssize_t>(used)) failed = true;
        used = 0;
    }
};

void put_fd(void* context, const char* text, size_t length)
{
    auto* sink = static_cast<FdSink*>(context);
    for (size_t i = 0; i < length; ++i) {
        if (sink->used == sizeof(sink->buffer)) sink->drain();
        sink->buffer[sink->used++] = text[i];
    }
}

} // namespace

extern "C" {

int vfprintf(FILE* stream, const char* fmt, va_list args)
{
    // An unbuffered stream (stderr) borrows a buffer for the call, so one message is one write
    // and cannot interleave with another process's output mid-line.
    char local[512];
    bool borrowed = stream->mode == _IONBF && (stream->flags & libc::stream_flags::kWrite);
    char* saved_buffer = stream->buffer;
    size_t saved_size = stream->size;
    if (borrowed) {
        fflush(stream);
        stream->buffer = local;
        stream->size = sizeof(local);
        stream->mode = _IOFBF;
    }
    StreamSink sink{stream, 0};
    size_t n = libc::format(put_stream, &sink, fmt, args);
    if (borrowed) {
        fflush(stream);
        stream->buffer = saved_buffer;
        stream->size = saved_size;
        stream->mode = _IONBF;
    }
    if (sink.failed) return -1;
    return n > 0x7fffffff ? 0x7fffffff : static_cast<int>(n);
}

int vprintf(const char* fmt, va_list args) { return vfprintf(stdout, fmt, args); }

int fprintf(FILE* stream, const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vfprintf(stream, fmt, args);
    va_end(args);
    return n;
}

int printf(const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vfprintf(stdout, fmt, args);
    va_end(args);
    return n;
}

int vdprintf(int fd, const char* fmt, va_list args)
{
    FdSink sink{fd, false, 0, {}};
    size_t n = libc::format(put_fd, &sink, fmt, args);
    sink.drain();
    if (sink.failed) return -1;
    return n > 0x7fffffff ? 0x7fffffff : static_cast<int>(n);
}

int dprintf(int fd, const char* fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = vdprintf(fd, fmt, args);
    va_end(args);
    return n;
}

void perror(const char* s)
{
    int saved = errno;
    if (s && *s) fprintf(stderr, "%s: %s\n", s, strerror(saved));
    else fprintf(stderr, "%s\n", strerror(saved));
    errno = saved;
}

} // extern "C"
