/// \file path_core.cpp
/// \brief POSIX basename and dirname, in place.
#include "core.hpp"

namespace libc {

namespace {
char g_dot[] = ".";
char g_slash[] = "/";
} // namespace

char* path_basename(char* path)
{
    if (!path || !*path) return g_dot;
    // Trailing slashes do not count: "/a/b/" is "b".
    size_t end = 0;
    while (path[end]) ++end;
    while (end > 1 && path[end - 1] == '/') --end;
    if (end == 1 && path[0] == '/') return g_slash;
    path[end] = '\0';
    size_t start = end;
    while (start > 0 && path[start - 1] != '/') --start;
    return path + start;
}

char* path_dirname(char* path)
{
    if (!path || !*path) return g_dot;
    size_t end = 0;
    while (path[end]) ++end;
    // Drop trailing slashes, then the last component, then the slashes before it.
    while (end > 1 && path[end - 1] == '/') --end;
    while (end > 0 && path[end - 1] != '/') --end;
    if (end == 0) return g_dot;
    while (end > 1 && path[end - 1] == '/') --end;
    path[end] = '\0';
    return path;
}

} // namespace libc
