/// \file stdio.h
/// \brief Buffered streams over descriptors (stdin/stdout/stderr on 0/1/2), printf and friends.
///
/// stdout is line-buffered when it is the console and fully buffered otherwise; stderr is
/// unbuffered. Every stream is flushed by exit() and when main returns. The printf family
/// knows %d %i %u %o %x %X %c %s %p %% with the flags - + space # 0, a width and precision
/// (or *), and the length modifiers hh h l ll z j t. There is no floating point (user programs
/// are built with -mgeneral-regs-only); an unknown conversion is printed as written.
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>

#define EOF (-1)
#define BUFSIZ 4096
#define FOPEN_MAX 32
#define FILENAME_MAX 240

/// setvbuf modes.
#define _IOFBF 0
#define _IOLBF 1
#define _IONBF 2

#ifndef SEEK_SET
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2
#endif

/// A stream (the layout is private to libc).
typedef struct FILE FILE;

#ifdef __cplusplus
extern "C" {
#endif

extern FILE* stdin;
extern FILE* stdout;
extern FILE* stderr;

/// mode: "r", "w", "a", "r+", "w+", "a+" (a "b" anywhere is accepted and ignored).
FILE* fopen(const char* path, const char* mode);
/// A stream over descriptor `fd`, which the stream then owns (fclose closes it).
FILE* fdopen(int fd, const char* mode);
int fclose(FILE* stream);
/// Writes out `stream`'s buffer; fflush(NULL) flushes every stream.
int fflush(FILE* stream);
int setvbuf(FILE* stream, char* buffer, int mode, size_t size);

size_t fread(void* buffer, size_t size, size_t count, FILE* stream);
size_t fwrite(const void* buffer, size_t size, size_t count, FILE* stream);
int fgetc(FILE* stream);
int getc(FILE* stream);
int getchar(void);
int ungetc(int c, FILE* stream);
/// Reads a line (with its '\n') of at most size-1 bytes; NULL at end of file or on an error.
char* fgets(char* buffer, int size, FILE* stream);
int fputc(int c, FILE* stream);
int putc(int c, FILE* stream);
int putchar(int c);
int fputs(const char* s, FILE* stream);
/// s and a newline, to stdout.
int puts(const char* s);

int fseek(FILE* stream, long offset, int whence);
long ftell(FILE* stream);
void rewind(FILE* stream);
int feof(FILE* stream);
int ferror(FILE* stream);
void clearerr(FILE* stream);
int fileno(FILE* stream);

int printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE* stream, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
int dprintf(int fd, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
int sprintf(char* buffer, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char* buffer, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
int vprintf(const char* fmt, va_list args) __attribute__((format(printf, 1, 0)));
int vfprintf(FILE* stream, const char* fmt, va_list args) __attribute__((format(printf, 2, 0)));
int vdprintf(int fd, const char* fmt, va_list args) __attribute__((format(printf, 2, 0)));
int vsprintf(char* buffer, const char* fmt, va_list args) __attribute__((format(printf, 2, 0)));
/// Like snprintf: always NUL-terminates (size > 0) and returns the length the whole output has.
int vsnprintf(char* buffer, size_t size, const char* fmt, va_list args) __attribute__((format(printf, 3, 0)));

/// Prints "s: <strerror(errno)>\n" (or just the message when s is NULL or empty) to stderr.
void perror(const char* s);
int rename(const char* from, const char* to);
/// unlink for a file, rmdir for a directory.
int remove(const char* path);

#ifdef __cplusplus
}
#endif
