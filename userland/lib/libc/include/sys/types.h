/// \file types.h
/// \brief The POSIX scalar types (pid_t, ssize_t, off_t, mode_t, ...), with Linux x86-64's sizes.
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef int pid_t;
typedef long ssize_t;
typedef long off_t;
typedef unsigned int mode_t;
typedef unsigned long ino_t;
typedef unsigned long dev_t;
typedef unsigned long nlink_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef long blkcnt_t;
typedef long blksize_t;
typedef long time_t;
