/// \file stdio.cpp
/// \brief The stream machinery: stdin/stdout/stderr, buffering, reading and writing, seeking.
///
/// stdout decides at its first use: line-buffered on the console (isatty), fully buffered
/// otherwise (a file or a pipe), as C requires of an interactive device. stderr is unbuffered
/// (stream_printf.cpp still writes one fprintf to it in one piece). Reading stdin first flushes stdout, so a
/// prompt without a newline appears before the program waits for input.
#include "core.hpp"
#include "internal.hpp"
#include "stdio_impl.hpp"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

using namespace libc::stream_flags;

namespace {

// fs answers at most 496 bytes per read, so a bigger input buffer would never fill at once.
char g_stdin_buffer[512];
char g_stdout_buffer[4096];

FILE g_stderr{2, kWrite, _IONBF, nullptr, 0, 0, 0, false, -1, nullptr};
FILE g_stdout{1, kWrite, libc::kUndecided, g_stdout_buffer, sizeof(g_stdout_buffer), 0, 0, false, -1, &g_stderr};
FILE g_stdin{0, kRead, _IOFBF, g_stdin_buffer, sizeof(g_stdin_buffer), 0, 0, false, -1, &g_stdout};
FILE* g_streams = &g_stdin;  ///< Every open stream, newest first.

void decide_mode(FILE* f)
{
    if (f->mode == libc::kUndecided) f->mode = isatty(f->fd) ? _IOLBF : _IOFBF;
}

/// Writes out what the buffer holds. 0, or EOF with the error flag set. Bytes that could not
/// be written are dropped: a descriptor that failed once (a closed pipe, a full disk) would
/// fail again, and exit() must not loop on them.
int flush_output(FILE* f)
{
    if (!f->writing) return 0;
    size_t pending = f->pos;
    f->pos = 0;
    f->writing = false;
    size_t done = 0;
    while (done < pending) {
        ssize_t n = write(f->fd, f->buffer + done, pending - done);
        if (n <= 0) {
            f->flags |= kError;
            return EOF;
        }
        done += static_cast<size_t>(n);
    }
    return 0;
}

/// Drops buffered input, moving the descriptor back to where the reader really is.
void drop_input(FILE* f)
{
    if (f->writing) return;
    off_t unread = static_cast<off_t>(f->length - f->pos) + (f->unget >= 0 ? 1 : 0);
    if (unread > 0) lseek(f->fd, -unread, SEEK_CUR);
    f->pos = f->length = 0;
    f->unget = -1;
}

/// Gets the stream ready to write; false (errno EBADF) if it was not opened for writing.
bool begin_write(FILE* f)
{
    if (!(f->flags & kWrite)) {
        f->flags |= kError;
        errno = EBADF;
        return false;
    }
    if (!f->writing) {
        drop_input(f);
        f->writing = true;
        f->pos = 0;
    }
    decide_mode(f);
    return true;
}

/// Refills the input buffer. 1 if bytes came, 0 at end of file, -1 on an error.
int fill(FILE* f)
{
    if (!(f->flags & kRead)) {
        f->flags |= kError;
        errno = EBADF;
        return -1;
    }
    if (f->writing && flush_output(f) != 0) return -1;
    // A prompt written without a newline must show before the program waits for input.
    if (f == &g_stdin) fflush(&g_stdout);
    ssize_t n = read(f->fd, f->buffer, f->size);
    f->pos = 0;
    f->length = n > 0 ? static_cast<size_t>(n) : 0;
    if (n == 0) f->flags |= kEof;
    if (n < 0) f->flags |= kError;
    return n > 0 ? 1 : n == 0 ? 0 : -1;
}

} // namespace

namespace libc {

size_t stream_put(FILE* f, const char* data, size_t n)
{
    if (n == 0 || !begin_write(f)) return 0;
    if (f->mode == _IONBF || f->size == 0) {
        ssize_t w = write(f->fd, data, n);
        if (w < 0 || static_cast<size_t>(w) < n) f->flags |= kError;
        return w < 0 ? 0 : static_cast<size_t>(w);
    }
    size_t done = 0;
    while (done < n) {
        if (f->pos == f->size && flush_output(f) != 0) return done;
        f->writing = true;
        // Large writes with an empty buffer skip the copy.
        if (f->pos == 0 && n - done >= f->size) {
            ssize_t w = write(f->fd, data + done, n - done);
            if (w <= 0) {
                f->flags |= kError;
                return done;
            }
            done += static_cast<size_t>(w);
            continue;
        }
        size_t chunk = f->size - f->pos < n - done ? f->size - f->pos : n - done;
        memcpy(f->buffer + f->pos, data + done, chunk);
        f->pos += chunk;
        done += chunk;
    }
    if (f->mode == _IOLBF && memchr(data, '\n', n) && flush_output(f) != 0) return done;
    return done;
}

} // namespace libc

extern "C" {

FILE* stdin = &g_stdin;
FILE* stdout = &g_stdout;
FILE* stderr = &g_stderr;

/// Called by exit() and when main returns (a weak reference: only programs that link stdio).
void libc_flush_at_exit() { fflush(nullptr); }

int fflush(FILE* stream)
{
    if (stream) return flush_output(stream);
    int result = 0;
    for (FILE* f = g_streams; f; f = f->next)
        if (flush_output(f) != 0) result = EOF;
    return result;
}

int setvbuf(FILE* stream, char* buffer, int mode, size_t size)
{
    if (!stream || mode < _IOFBF || mode > _IONBF) return libc::fail(EINVAL);
    if (flush_output(stream) != 0) return EOF;
    // Only a caller's own buffer replaces ours; with NULL the stream keeps the one it has.
    if (buffer && size > 0) {
        stream->buffer = buffer;
        stream->size = size;
        stream->pos = stream->length = 0;
    }
    stream->mode = mode;
    return 0;
}

size_t fwrite(const void* data, size_t size, size_t count, FILE* stream)
{
    if (size == 0 || count == 0) return 0;
    return libc::stream_put(stream, static_cast<const char*>(data), size * count) / size;
}

int fputc(int c, FILE* stream)
{
    char ch = static_cast<char>(c);
    return libc::stream_put(stream, &ch, 1) == 1 ? static_cast<unsigned char>(ch) : EOF;
}

int putc(int c, FILE* stream) { return fputc(c, stream); }
int putchar(int c) { return fputc(c, stdout); }

int fputs(const char* s, FILE* stream)
{
    size_t n = strlen(s);
    return libc::stream_put(stream, s, n) == n ? 0 : EOF;
}

int puts(const char* s)
{
    // One piece, so an unbuffered or line-buffered stdout writes the line at once.
    if (fputs(s, stdout) == EOF) return EOF;
    return fputc('\n', stdout) == EOF ? EOF : 0;
}

int fgetc(FILE* stream)
{
    if (stream->unget >= 0) {
        int c = stream->unget;
        stream->unget = -1;
        return c;
    }
    if (stream->writing || stream->pos >= stream->length) {
        if (fill(stream) <= 0) return EOF;
    }
    return static_cast<unsigned char>(stream->buffer[stream->pos++]);
}

int getc(FILE* stream) { return fgetc(stream); }
int getchar(void) { return fgetc(stdin); }

int ungetc(int c, FILE* stream)
{
    if (c == EOF || stream->unget >= 0) return EOF;
    stream->unget = static_cast<unsigned char>(c);
    stream->flags &= ~kEof;
    return stream->unget;
}

size_t fread(void* data, size_t size, size_t count, FILE* stream)
{
    if (size == 0 || count == 0) return 0;
    auto* out = static_cast<char*>(data);
    size_t want = size * count;
    size_t done = 0;
    if (stream->unget >= 0 && done < want) {
        out[done++] = static_cast<char>(stream->unget);
        stream->unget = -1;
    }
    while (done < want) {
        if (!stream->writing && stream->pos < stream->length) {
            size_t chunk = stream->length - stream->pos < want - done ? stream->length - stream->pos : want - done;
            memcpy(out + done, stream->buffer + stream->pos, chunk);
            stream->pos += chunk;
            done += chunk;
            continue;
        }
        if (fill(stream) <= 0) break;
    }
    return done / size;
}

char* fgets(char* buffer, int size, FILE* stream)
{
    if (size <= 0) return nullptr;
    int n = 0;
    while (n < size - 1) {
        int c = fgetc(stream);
        if (c == EOF) break;
        buffer[n++] = static_cast<char>(c);
        if (c == '\n') break;
    }
    if (n == 0) return nullptr;
    buffer[n] = '\0';
    return buffer;
}

int fseek(FILE* stream, long offset, int whence)
{
    if (flush_output(stream) != 0) return -1;
    // SEEK_CUR counts from where the reader is, not from where the descriptor is.
    drop_input(stream);
    if (lseek(stream->fd, offset, whence) < 0) return -1;
    stream->flags &= ~kEof;
    return 0;
}

long ftell(FILE* stream)
{
    off_t at = lseek(stream->fd, 0, SEEK_CUR);
    if (at < 0) return -1;
    if (stream->writing) return at + static_cast<long>(stream->pos);
    return at - static_cast<long>(stream->length - stream->pos) - (stream->unget >= 0 ? 1 : 0);
}

void rewind(FILE* stream)
{
    fseek(stream, 0, SEEK_SET);
    stream->flags &= ~kError;
}

int feof(FILE* stream) { return (stream->flags & kEof) != 0; }
int ferror(FILE* stream) { return (stream->flags & kError) != 0; }
void clearerr(FILE* stream) { stream->flags &= ~(kEof | kError); }
int fileno(FILE* stream) { return stream->fd; }

} // extern "C"

namespace libc {

void link_stream(FILE* stream)
{
    stream->next = g_streams;
    g_streams = stream;
}

void unlink_stream(FILE* stream)
{
    for (FILE** p = &g_streams; *p; p = &(*p)->next) {
        if (*p == stream) {
            *p = stream->next;
            return;
        }
    }
}

} // namespace libc
