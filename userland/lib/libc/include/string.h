/// \file string.h
/// \brief The C string and memory functions: kernel/lib/string.hpp's (memcpy ... strncmp, shared with the kernel) and libc's own.
#pragma once

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

// Defined in kernel/lib/string.cpp, which every user program links (declared there too).
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int value, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, size_t n);

// Defined in libc.
void* memchr(const void* s, int c, size_t n);
size_t strnlen(const char* s, size_t max);
char* strchr(const char* s, int c);
char* strrchr(const char* s, int c);
char* strstr(const char* haystack, const char* needle);
char* strcpy(char* dst, const char* src);
char* strncpy(char* dst, const char* src, size_t n);
char* strcat(char* dst, const char* src);
char* strncat(char* dst, const char* src, size_t n);
/// Copies at most size-1 bytes and always terminates (BSD); returns strlen(src).
size_t strlcpy(char* dst, const char* src, size_t size);
/// A malloc'd copy (NULL with errno ENOMEM).
char* strdup(const char* s);
char* strndup(const char* s, size_t n);
size_t strspn(const char* s, const char* accept);
size_t strcspn(const char* s, const char* reject);
char* strpbrk(const char* s, const char* accept);
/// Splits `s` at any of `delimiters`; `*save` keeps the position between calls.
char* strtok_r(char* s, const char* delimiters, char** save);
char* strtok(char* s, const char* delimiters);
/// "No such file or directory" for ENOENT (glibc's wording); "Unknown error N" otherwise.
char* strerror(int errnum);

#ifdef __cplusplus
}
#endif
