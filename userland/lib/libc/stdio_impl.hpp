/// \file stdio_impl.hpp
/// \brief The FILE structure and the open-stream list, shared by stdio.cpp and fopen.cpp.
#pragma once

#include <stddef.h>

/// A buffered stream over one descriptor.
struct FILE {
    int fd;
    unsigned flags;     ///< libc::stream_flags.
    int mode;           ///< _IOFBF, _IOLBF, _IONBF, or kUndecided until the first use.
    char* buffer;
    size_t size;        ///< Bytes in buffer.
    size_t pos;         ///< Writing: bytes waiting in buffer. Reading: the next byte to hand out.
    size_t length;      ///< Reading: bytes of buffer that hold input.
    bool writing;       ///< buffer holds output (else input, or nothing).
    int unget;          ///< A byte pushed back by ungetc, or -1.
    FILE* next;         ///< The next open stream (for fflush(NULL) and exit).
};

namespace libc {

namespace stream_flags {
inline constexpr unsigned kRead = 1;
inline constexpr unsigned kWrite = 2;
inline constexpr unsigned kEof = 4;
inline constexpr unsigned kError = 8;
inline constexpr unsigned kOwnsBuffer = 16;  ///< buffer came from malloc: fclose frees it.
inline constexpr unsigned kAppend = 32;
} // namespace stream_flags

/// mode for a stream that has not decided between line and full buffering yet (stdout).
inline constexpr int kUndecided = -1;

/// Puts `n` bytes into the stream's buffer (or straight to the descriptor when they would not
/// fit anyway), flushing as its buffering mode says. Returns the bytes accepted.
size_t stream_put(FILE* stream, const char* data, size_t n);

/// Puts `stream` on the open-stream list / takes it off.
void link_stream(FILE* stream);
void unlink_stream(FILE* stream);

} // namespace libc
