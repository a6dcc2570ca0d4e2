/// \file main.cpp
/// \brief `sha256sum [FILE...]`: prints "<digest>  <name>" for each file (standard input for none or "-"), as coreutils does.
#include "sha256.hpp"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

namespace {

char g_buffer[8192];

bool digest(int fd, const char* name)
{
    Sha256 hash;
    for (;;) {
        ssize_t n = read(fd, g_buffer, sizeof(g_buffer));
        if (n == 0) break;
        if (n < 0) {
            fprintf(stderr, "sha256sum: %s: %s\n", name, strerror(errno));
            return false;
        }
        hash.update(g_buffer, static_cast<size_t>(n));
    }
    char hex[65];
    hash.finish_hex(hex);
    printf("%s  %s\n", hex, name);
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) return digest(STDIN_FILENO, "-") ? 0 : 1;
    int status = 0;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "-") == 0) {
            if (!digest(STDIN_FILENO, "-")) status = 1;
            continue;
        }
        int fd = open(argv[i], O_RDONLY);
        if (fd < 0) {
            fprintf(stderr, "sha256sum: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        if (!digest(fd, argv[i])) status = 1;
        close(fd);
    }
    return status;
}
