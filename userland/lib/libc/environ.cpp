/// \file environ.cpp
/// \brief getenv, setenv, unsetenv over `environ` (which the start-up code fills from proc's argument block).
///
/// The start-up code's array points into the argument block. The first change copies the
/// array into the heap; strings that setenv makes are malloc'd and never freed (they may
/// still be referenced by a caller holding a getenv result, as in other small libcs).
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

namespace {

bool g_owned = false;  ///< environ is our malloc'd copy.

/// The index of NAME in environ, or -1. `length` is strlen(name).
long find(const char* name, size_t length)
{
    for (long i = 0; environ && environ[i]; ++i)
        if (strncmp(environ[i], name, length) == 0 && environ[i][length] == '=') return i;
    return -1;
}

long count()
{
    long n = 0;
    while (environ && environ[n]) ++n;
    return n;
}

/// Makes environ ours, with room for `extra` more entries.
bool own(long extra)
{
    long n = count();
    char** copy = static_cast<char**>(malloc(static_cast<size_t>(n + extra + 1) * sizeof(char*)));
    if (!copy) return false;
    for (long i = 0; i < n; ++i) copy[i] = environ[i];
    copy[n] = nullptr;
    if (g_owned) free(environ);
    environ = copy;
    g_owned = true;
    return true;
}

bool valid_name(const char* name) { return name && *name && !strchr(name, '='); }

} // namespace

extern "C" {

char* getenv(const char* name)
{
    if (!name) return nullptr;
    size_t length = strlen(name);
    long i = find(name, length);
    return i < 0 ? nullptr : environ[i] + length + 1;
}

int setenv(const char* name, const char* value, int overwrite)
{
    if (!valid_name(name) || !value) {
        errno = EINVAL;
        return -1;
    }
    size_t length = strlen(name);
    long i = find(name, length);
    if (i >= 0 && !overwrite) return 0;
    size_t value_length = strlen(value);
    char* entry = static_cast<char*>(malloc(length + value_length + 2));
    if (!entry) return -1;
    memcpy(entry, name, length);
    entry[length] = '=';
    memcpy(entry + length + 1, value, value_length + 1);
    if (i < 0 && !own(1)) {
        free(entry);
        return -1;
    }
    if (i >= 0) {
        environ[i] = entry;
    } else {
        long n = count();
        environ[n] = entry;
        environ[n + 1] = nullptr;
    }
    return 0;
}

int unsetenv(const char* name)
{
    if (!valid_name(name)) {
        errno = EINVAL;
        return -1;
    }
    size_t length = strlen(name);
    // Every copy goes, not just the first (a hand-made environment may repeat a name).
    for (long i; (i = find(name, length)) >= 0;) {
        if (!g_owned && !own(0)) return -1;
        for (long j = i; environ[j]; ++j) environ[j] = environ[j + 1];
    }
    return 0;
}

} // extern "C"
