/// \file main.cpp
/// \brief `cp SOURCE TARGET` or `cp SOURCE... DIRECTORY`: copies files, streaming 64 KiB at a time, so files of any size copy in constant memory.
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr size_t kChunk = 64 * 1024;
char g_buffer[kChunk];

bool report(const char* path)
{
    fprintf(stderr, "cp: %s: %s\n", path, strerror(errno));
    return false;
}

/// Reads until `g_buffer` is full or the file ends (fs hands out at most 496 bytes a call, so
/// each big write below carries many reads' worth). Returns the bytes read, or -1.
ssize_t fill(int fd)
{
    size_t have = 0;
    while (have < kChunk) {
        ssize_t n = read(fd, g_buffer + have, kChunk - have);
        if (n < 0) return -1;
        if (n == 0) break;
        have += static_cast<size_t>(n);
    }
    return static_cast<ssize_t>(have);
}

/// Copies file `from` to `to` (a file name, not a directory).
bool copy_file(const char* from, const char* to)
{
    int in = open(from, O_RDONLY);
    if (in < 0) return report(from);
    struct stat source;
    if (fstat(in, &source) != 0) {
        report(from);
        close(in);
        return false;
    }
    if (S_ISDIR(source.st_mode)) {
        close(in);
        errno = EISDIR;
        return report(from);
    }
    // Copying a file onto itself would truncate it first: refuse.
    struct stat target;
    if (stat(to, &target) == 0 && target.st_ino == source.st_ino) {
        fprintf(stderr, "cp: %s: %s is the same file\n", to, from);
        close(in);
        return false;
    }
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, source.st_mode & 07777);
    if (out < 0) {
        report(to);
        close(in);
        return false;
    }
    bool ok = true;
    for (;;) {
        ssize_t n = fill(in);
        if (n < 0) {
            ok = report(from);
            break;
        }
        if (n == 0) break;
        errno = 0;
        if (write(out, g_buffer, static_cast<size_t>(n)) != n) {
            // A short write sets no errno: the disk is full.
            if (errno == 0) errno = ENOSPC;
            ok = report(to);
            break;
        }
    }
    close(in);
    if (close(out) != 0 && ok) ok = report(to);
    return ok;
}

bool is_directory(const char* path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/// `dir`/basename(`source`) into `out`.
bool join(char (&out)[256], const char* dir, const char* source)
{
    char copy[256];
    strlcpy(copy, source, sizeof(copy));
    const char* base = basename(copy);
    size_t dir_length = strlen(dir);
    const char* slash = dir_length > 0 && dir[dir_length - 1] == '/' ? "" : "/";
    if (snprintf(out, sizeof(out), "%s%s%s", dir, slash, base) >= static_cast<int>(sizeof(out))) {
        errno = ENAMETOOLONG;
        return report(dir);
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: cp SOURCE TARGET\n       cp SOURCE... DIRECTORY\n");
        return 1;
    }
    const char* target = argv[argc - 1];
    bool into_directory = is_directory(target);
    if (argc > 3 && !into_directory) {
        errno = ENOTDIR;
        report(target);
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc - 1; ++i) {
        char path[256];
        if (into_directory) {
            if (!join(path, target, argv[i])) {
                status = 1;
                continue;
            }
        } else {
            strlcpy(path, target, sizeof(path));
        }
        if (!copy_file(argv[i], path)) status = 1;
    }
    return status;
}
