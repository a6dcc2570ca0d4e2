/// \file main.cpp
/// \brief `cat [FILE...]`: copies each file (or standard input, for none or "-") to standard output.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

namespace {

char g_buffer[4096];

/// Copies descriptor `fd` to standard output. Returns false (after saying why) on an error.
bool copy(int fd, const char* name)
{
    for (;;) {
        ssize_t n = read(fd, g_buffer, sizeof(g_buffer));
        if (n == 0) return true;
        if (n < 0) {
            fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
            return false;
        }
        if (write(STDOUT_FILENO, g_buffer, static_cast<size_t>(n)) != n) {
            fprintf(stderr, "cat: write error: %s\n", strerror(errno));
            return false;
        }
    }
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) return copy(STDIN_FILENO, "-") ? 0 : 1;
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "-") == 0) {
            if (!copy(STDIN_FILENO, "-")) status = 1;
            continue;
        }
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        if (!copy(fd, argv[i])) status = 1;
        close(fd);
    }
    return status;
}
