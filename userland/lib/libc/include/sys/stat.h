/// \file stat.h
/// \brief `struct stat`, stat/fstat/mkdir, and the S_* file type and permission bits.
#pragma once

#include <sys/types.h>

#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define S_IFLNK 0120000
#define S_IFREG 0100000
#define S_IFBLK 0060000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFIFO 0010000

#define S_ISUID 04000
#define S_ISGID 02000
#define S_ISVTX 01000
#define S_IRWXU 0700
#define S_IRUSR 0400
#define S_IWUSR 0200
#define S_IXUSR 0100
#define S_IRWXG 070
#define S_IRGRP 040
#define S_IWGRP 020
#define S_IXGRP 010
#define S_IRWXO 07
#define S_IROTH 04
#define S_IWOTH 02
#define S_IXOTH 01

#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)

/// What stat() reports (from fs's StatReply). Times are seconds since 1970 (UTC).
struct stat {
    dev_t st_dev;       ///< Always 0: Samsara has one file system.
    ino_t st_ino;
    mode_t st_mode;     ///< S_IF* type and permission bits.
    nlink_t st_nlink;
    uid_t st_uid;
    gid_t st_gid;
    off_t st_size;
    blksize_t st_blksize; ///< The file system's block size.
    blkcnt_t st_blocks;   ///< 512-byte sectors allocated.
    time_t st_atime;
    time_t st_mtime;
    time_t st_ctime;
};

#ifdef __cplusplus
extern "C" {
#endif

int stat(const char* path, struct stat* out);
int fstat(int fd, struct stat* out);
/// Samsara has no symbolic links to follow or not: lstat is stat.
int lstat(const char* path, struct stat* out);
int mkdir(const char* path, mode_t mode);

#ifdef __cplusplus
}
#endif
