/// \file string.cpp
/// \brief The string functions libc adds to kernel/lib/string.cpp's memcpy/memset/strlen/strcmp family.
#include <string.h>

extern "C" {

void* memchr(const void* s, int c, size_t n)
{
    auto* p = static_cast<const unsigned char*>(s);
    for (size_t i = 0; i < n; ++i)
        if (p[i] == static_cast<unsigned char>(c)) return const_cast<unsigned char*>(p + i);
    return nullptr;
}

size_t strnlen(const char* s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n]) ++n;
    return n;
}

char* strchr(const char* s, int c)
{
    // The terminating NUL counts: strchr(s, 0) finds the end.
    for (;; ++s) {
        if (*s == static_cast<char>(c)) return const_cast<char*>(s);
        if (!*s) return nullptr;
    }
}

char* strrchr(const char* s, int c)
{
    const char* found = nullptr;
    for (;; ++s) {
        if (*s == static_cast<char>(c)) found = s;
        if (!*s) return const_cast<char*>(found);
    }
}

char* strstr(const char* haystack, const char* needle)
{
    size_t n = strlen(needle);
    if (n == 0) return const_cast<char*>(haystack);
    for (; *haystack; ++haystack)
        if (*haystack == *needle && strncmp(haystack, needle, n) == 0) return const_cast<char*>(haystack);
    return nullptr;
}

char* strcpy(char* dst, const char* src)
{
    char* d = dst;
    while ((*d++ = *src++)) {}
    return dst;
}

char* strncpy(char* dst, const char* src, size_t n)
{
    // C's odd contract: no NUL if src is n bytes or longer, and NUL padding to n otherwise.
    size_t i = 0;
    for (; i < n && src[i]; ++i) dst[i] = src[i];
    for (; i < n; ++i) dst[i] = '\0';
    return dst;
}

char* strcat(char* dst, const char* src)
{
    strcpy(dst + strlen(dst), src);
    return dst;
}

char* strncat(char* dst, const char* src, size_t n)
{
    char* d = dst + strlen(dst);
    size_t i = 0;
    for (; i < n && src[i]; ++i) d[i] = src[i];
    d[i] = '\0';
    return dst;
}

size_t strlcpy(char* dst, const char* src, size_t size)
{
    size_t n = strlen(src);
    if (size > 0) {
        size_t copy = n < size - 1 ? n : size - 1;
        memcpy(dst, src, copy);
        dst[copy] = '\0';
    }
    return n;
}

size_t strspn(const char* s, const char* accept)
{
    size_t n = 0;
    while (s[n] && strchr(accept, s[n])) ++n;
    return n;
}

size_t strcspn(const char* s, const char* reject)
{
    size_t n = 0;
    while (s[n] && !strchr(reject, s[n])) ++n;
    return n;
}

char* strpbrk(const char* s, const char* accept)
{
    s += strcspn(s, accept);
    return *s ? const_cast<char*>(s) : nullptr;
}

char* strtok_r(char* s, const char* delimiters, char** save)
{
    if (!s) s = *save;
    if (!s) return nullptr;
    s += strspn(s, delimiters);
    if (!*s) {
        *save = nullptr;
        return nullptr;
    }
    char* end = s + strcspn(s, delimiters);
    if (*end) *end++ = '\0';
    else end = nullptr;
    *save = end;
    return s;
}

char* strtok(char* s, const char* delimiters)
{
    static char* save;
    return strtok_r(s, delimiters, &save);
}

} // extern "C"
