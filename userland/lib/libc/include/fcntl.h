/// \file fcntl.h
/// \brief `open` and its O_* flags (Linux's values, the ones protocols/fs.hpp carries).
#pragma once

#include <sys/types.h>

#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_ACCMODE 3
#define O_CREAT 0x40
#define O_EXCL 0x80
#define O_TRUNC 0x200
#define O_APPEND 0x400
#define O_DIRECTORY 0x10000

#ifdef __cplusplus
extern "C" {
#endif

/// Opens `path` (relative paths start at the working directory). With O_CREAT, a third
/// argument gives the new file's permission bits (mode_t). Returns the lowest free descriptor,
/// or -1 with errno set (ENOENT, EEXIST, EISDIR, ENOTDIR, EMFILE, ENAMETOOLONG, ...).
int open(const char* path, int flags, ...);
/// open(path, O_WRONLY | O_CREAT | O_TRUNC, mode).
int creat(const char* path, mode_t mode);

#ifdef __cplusplus
}
#endif
