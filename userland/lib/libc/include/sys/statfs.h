/// \file statfs.h
/// \brief statfs: the file system's size and free space (Linux's field names), and Samsara's block-cache counters.
#pragma once

#include <sys/types.h>

struct statfs {
    long f_type;                 ///< 0xef53: ext2.
    long f_bsize;                ///< Block size in bytes.
    unsigned long f_blocks;      ///< Blocks in the file system.
    unsigned long f_bfree;       ///< Free blocks.
    unsigned long f_bavail;      ///< Free blocks a program may use (= f_bfree: no reserve for root).
    unsigned long f_files;       ///< Inodes.
    unsigned long f_ffree;       ///< Free inodes.
    unsigned long f_cached;      ///< Samsara: blocks in fs's block cache now.
    unsigned long f_dirty;       ///< Samsara: of which not yet written to the disk.
};

#ifdef __cplusplus
extern "C" {
#endif

/// Samsara has one file system: `path` must exist, and the numbers are the same for any path.
int statfs(const char* path, struct statfs* out);

#ifdef __cplusplus
}
#endif
