/// \file dirent.h
/// \brief Directory streams: opendir, readdir, closedir, and the DT_* entry types.
#pragma once

#include <sys/types.h>

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

struct dirent {
    ino_t d_ino;
    unsigned char d_type;  ///< DT_*.
    char d_name[256];
};

/// An open directory: a descriptor from fs and the position in it.
typedef struct DIR DIR;

#ifdef __cplusplus
extern "C" {
#endif

/// Opens directory `path` (ENOTDIR if it is not one). Uses one descriptor until closedir.
DIR* opendir(const char* path);
/// The next entry ("." and ".." included), or NULL at the end (errno unchanged) or on an
/// error (errno set). The entry lives until the next readdir or closedir on `dir`.
struct dirent* readdir(DIR* dir);
int closedir(DIR* dir);
/// Starts `dir` over from its first entry.
void rewinddir(DIR* dir);
int dirfd(DIR* dir);

#ifdef __cplusplus
}
#endif
