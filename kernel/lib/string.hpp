/// \file string.hpp
/// \brief The C memory and string functions the compiler and kernel need, freestanding.
#pragma once

#include <stddef.h>

extern "C" {
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int value, size_t n);
int memcmp(const void* a, const void* b, size_t n);
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);
int strncmp(const char* a, const char* b, size_t n);
}

/// Length of `s`, but at most `max` (never reads past s[max-1]).
size_t strnlen_bounded(const char* s, size_t max);
