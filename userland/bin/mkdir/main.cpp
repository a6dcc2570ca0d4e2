/// \file main.cpp
/// \brief `mkdir [-p] DIR...`: makes directories; -p makes missing parents too and accepts existing directories.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

namespace {

/// mkdir that succeeds when `path` is already a directory. A parent that exists but is not a
/// directory fails with ENOTDIR, as the path through it would.
bool make_or_find(const char* path, bool parent)
{
    if (mkdir(path, 0755) == 0) return true;
    int error = errno;
    struct stat st;
    if (error == EEXIST && stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return true;
        if (parent) error = ENOTDIR;
    }
    errno = error;
    return false;
}

/// mkdir -p: each prefix ending before a '/', then the whole path.
bool make_parents(const char* path)
{
    char prefix[256];
    size_t n = strlen(path);
    if (n >= sizeof(prefix)) {
        errno = ENAMETOOLONG;
        return false;
    }
    memcpy(prefix, path, n + 1);
    for (size_t i = 1; i < n; ++i) {
        if (prefix[i] != '/' || prefix[i - 1] == '/') continue;
        prefix[i] = '\0';
        if (!make_or_find(prefix, true)) return false;
        prefix[i] = '/';
    }
    return make_or_find(path, false);
}

} // namespace

int main(int argc, char** argv)
{
    bool parents = false;
    int i = 1;
    if (i < argc && strcmp(argv[i], "-p") == 0) parents = true, ++i;
    if (i >= argc) {
        fprintf(stderr, "usage: mkdir [-p] DIR...\n");
        return 1;
    }
    int status = 0;
    for (; i < argc; ++i) {
        bool ok = parents ? make_parents(argv[i]) : mkdir(argv[i], 0755) == 0;
        if (!ok) {
            fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
            status = 1;
        }
    }
    return status;
}
