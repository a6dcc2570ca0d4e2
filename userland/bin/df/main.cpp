/// \file main.cpp
/// \brief `df [-i]`: the file system's size, use and free space in 1 KiB blocks (or inodes with -i), and the block cache's fill.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>

namespace {

/// GNU df's percentage: used / (used + available), rounded up.
unsigned long percent(unsigned long used, unsigned long available)
{
    unsigned long total = used + available;
    return total == 0 ? 0 : (used * 100 + total - 1) / total;
}

} // namespace

int main(int argc, char** argv)
{
    bool inodes = argc > 1 && strcmp(argv[1], "-i") == 0;
    if (argc > 2 || (argc == 2 && !inodes)) {
        fprintf(stderr, "usage: df [-i]\n");
        return 1;
    }
    struct statfs fs;
    if (statfs("/", &fs) != 0) {
        fprintf(stderr, "df: /: %s\n", strerror(errno));
        return 1;
    }
    if (inodes) {
        unsigned long used = fs.f_files - fs.f_ffree;
        printf("Filesystem        Inodes     IUsed     IFree IUse%% Mounted on\n");
        printf("%-12s %9lu %9lu %9lu %4lu%% /\n", "ata0", fs.f_files, used, fs.f_ffree, percent(used, fs.f_ffree));
        return 0;
    }
    unsigned long kib = static_cast<unsigned long>(fs.f_bsize) / 1024;
    unsigned long total = fs.f_blocks * kib;
    unsigned long used = (fs.f_blocks - fs.f_bfree) * kib;
    unsigned long available = fs.f_bavail * kib;
    printf("Filesystem     1K-blocks      Used Available Use%% Mounted on\n");
    printf("%-12s %11lu %9lu %9lu %3lu%% /\n", "ata0", total, used, available, percent(used, available));
    printf("block cache: %lu blocks, %lu dirty\n", fs.f_cached, fs.f_dirty);
    return 0;
}
