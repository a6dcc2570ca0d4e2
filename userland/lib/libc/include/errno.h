/// \file errno.h
/// \brief `errno` and the E* error numbers (Linux's values, from protocols/errno.hpp).
///
/// The numbers are the ones the `fs` and `proc` servers answer with (posix::Errno). A program
/// may include this header and "protocols/errno.hpp" together: see the note on the names below.
#pragma once

#include "protocols/errno.hpp"

#ifdef __cplusplus
extern "C" {
#endif

/// The error number of the last libc call that failed (programs are single-threaded).
extern int errno;

#ifdef __cplusplus
}
#endif

// Each name is an int constant equal to posix::Errno's, and a macro naming it, so `#ifdef EPERM`
// works and `posix::EPERM` (which the macro leaves alone: it names itself) still means the enumerator.
// Plain ints rather than the enumerators themselves, so strerror(ENOENT) does not find
// posix::strerror by argument-dependent lookup and become ambiguous.
inline constexpr int EPERM = posix::EPERM;
#define EPERM EPERM
inline constexpr int ENOENT = posix::ENOENT;
#define ENOENT ENOENT
inline constexpr int ESRCH = posix::ESRCH;
#define ESRCH ESRCH
inline constexpr int EINTR = posix::EINTR;
#define EINTR EINTR
inline constexpr int EIO = posix::EIO;
#define EIO EIO
inline constexpr int ENXIO = posix::ENXIO;
#define ENXIO ENXIO
inline constexpr int E2BIG = posix::E2BIG;
#define E2BIG E2BIG
inline constexpr int ENOEXEC = posix::ENOEXEC;
#define ENOEXEC ENOEXEC
inline constexpr int EBADF = posix::EBADF;
#define EBADF EBADF
inline constexpr int ECHILD = posix::ECHILD;
#define ECHILD ECHILD
inline constexpr int EAGAIN = posix::EAGAIN;
#define EAGAIN EAGAIN
inline constexpr int ENOMEM = posix::ENOMEM;
#define ENOMEM ENOMEM
inline constexpr int EACCES = posix::EACCES;
#define EACCES EACCES
inline constexpr int EFAULT = posix::EFAULT;
#define EFAULT EFAULT
inline constexpr int EBUSY = posix::EBUSY;
#define EBUSY EBUSY
inline constexpr int EEXIST = posix::EEXIST;
#define EEXIST EEXIST
inline constexpr int EXDEV = posix::EXDEV;
#define EXDEV EXDEV
inline constexpr int ENODEV = posix::ENODEV;
#define ENODEV ENODEV
inline constexpr int ENOTDIR = posix::ENOTDIR;
#define ENOTDIR ENOTDIR
inline constexpr int EISDIR = posix::EISDIR;
#define EISDIR EISDIR
inline constexpr int EINVAL = posix::EINVAL;
#define EINVAL EINVAL
inline constexpr int ENFILE = posix::ENFILE;
#define ENFILE ENFILE
inline constexpr int EMFILE = posix::EMFILE;
#define EMFILE EMFILE
inline constexpr int ENOTTY = posix::ENOTTY;
#define ENOTTY ENOTTY
inline constexpr int EFBIG = posix::EFBIG;
#define EFBIG EFBIG
inline constexpr int ENOSPC = posix::ENOSPC;
#define ENOSPC ENOSPC
inline constexpr int ESPIPE = posix::ESPIPE;
#define ESPIPE ESPIPE
inline constexpr int EROFS = posix::EROFS;
#define EROFS EROFS
inline constexpr int EMLINK = posix::EMLINK;
#define EMLINK EMLINK
inline constexpr int EPIPE = posix::EPIPE;
#define EPIPE EPIPE
inline constexpr int ERANGE = posix::ERANGE;
#define ERANGE ERANGE
inline constexpr int ENAMETOOLONG = posix::ENAMETOOLONG;
#define ENAMETOOLONG ENAMETOOLONG
inline constexpr int ENOSYS = posix::ENOSYS;
#define ENOSYS ENOSYS
inline constexpr int ENOTEMPTY = posix::ENOTEMPTY;
#define ENOTEMPTY ENOTEMPTY
inline constexpr int ELOOP = posix::ELOOP;
#define ELOOP ELOOP
inline constexpr int EOVERFLOW = posix::EOVERFLOW;
#define EOVERFLOW EOVERFLOW
/// Linux's alias.
#define EWOULDBLOCK EAGAIN
