/// \file strdup.cpp
/// \brief strdup and strndup (apart from string.cpp, so only programs that copy strings link the heap).
#include <stdlib.h>
#include <string.h>

extern "C" {

char* strndup(const char* s, size_t n)
{
    size_t length = strnlen(s, n);
    char* copy = static_cast<char*>(malloc(length + 1));
    if (!copy) return nullptr;
    memcpy(copy, s, length);
    copy[length] = '\0';
    return copy;
}

char* strdup(const char* s) { return strndup(s, strlen(s)); }

} // extern "C"
