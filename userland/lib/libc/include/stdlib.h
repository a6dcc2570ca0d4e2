/// \file stdlib.h
/// \brief Memory (malloc over a static arena), exit, number parsing, the environment, qsort.
///
/// Plain programs hold no memory capability (proc gives them only its own and fs's endpoints),
/// so the heap is a 1 MiB array in .bss, which the ELF loader maps zeroed when the program
/// starts; malloc hands it out first-fit with coalescing. Only programs that call malloc (or
/// something that does) link the arena.
#pragma once

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

#ifdef __cplusplus
extern "C" {
#endif

void* malloc(size_t size);
void free(void* p);
/// Zeroed memory for `count` objects of `size` bytes (NULL with ENOMEM on overflow).
void* calloc(size_t count, size_t size);
/// Grows or shrinks in place when it can, otherwise moves. realloc(NULL, n) is malloc(n).
void* realloc(void* p, size_t size);

/// Flushes every stdio stream, then ends the process with `status`.
[[noreturn]] void exit(int status);
/// Ends the process abnormally (an invalid-opcode trap: proc reports SIGILL), without flushing.
[[noreturn]] void abort(void);

int atoi(const char* s);
long atol(const char* s);
long long atoll(const char* s);
/// Standard parsing: leading spaces, a sign, "0x" for base 16 or 0, base 0 picks 8/10/16.
/// ERANGE and LONG_MAX/LONG_MIN on overflow; EINVAL for a bad base.
long strtol(const char* s, char** end, int base);
unsigned long strtoul(const char* s, char** end, int base);
long long strtoll(const char* s, char** end, int base);
unsigned long long strtoull(const char* s, char** end, int base);
int abs(int v);
long labs(long v);

char* getenv(const char* name);
/// Adds or (with overwrite) replaces NAME=value. EINVAL for an empty name or one with '='.
int setenv(const char* name, const char* value, int overwrite);
int unsetenv(const char* name);

/// Sorts `count` items of `size` bytes (heapsort: O(n log n) always, not stable).
void qsort(void* base, size_t count, size_t size, int (*compare)(const void*, const void*));

#ifdef __cplusplus
}
#endif
