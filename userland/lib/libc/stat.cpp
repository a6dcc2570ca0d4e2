/// \file stat.cpp
/// \brief stat, lstat, fstat and mkdir: fs's StatReply as a struct stat.
#include "internal.hpp"
#include <errno.h>
#include <sys/stat.h>

using namespace protocol::fs;
using libc::fail;

namespace {

int fill(const StatReply& reply, struct stat* out)
{
    out->st_dev = 0;
    out->st_ino = reply.inode;
    out->st_mode = reply.mode;
    out->st_nlink = reply.links;
    out->st_uid = reply.uid;
    out->st_gid = reply.gid;
    out->st_size = static_cast<off_t>(reply.size);
    out->st_blksize = 4096;  // A good stdio buffer size; the disk's blocks are smaller.
    out->st_blocks = reply.blocks;
    out->st_atime = static_cast<time_t>(reply.atime);
    out->st_mtime = static_cast<time_t>(reply.mtime);
    out->st_ctime = static_cast<time_t>(reply.ctime);
    return 0;
}

} // namespace

extern "C" {

int stat(const char* path, struct stat* out)
{
    if (!out) return fail(EFAULT);
    PathRequest request{};
    if (int e = libc::copy_path(request.path, path)) return fail(e);
    StatReply reply{};
    if (int e = libc::fs_request(kStat, request, reply)) return fail(e);
    return fill(reply, out);
}

int lstat(const char* path, struct stat* out) { return stat(path, out); }

int fstat(int fd, struct stat* out)
{
    if (!out) return fail(EFAULT);
    StatReply reply{};
    if (int e = libc::fs_request(kFstat, FdRequest{fd, 0, 0}, reply)) return fail(e);
    return fill(reply, out);
}

int mkdir(const char* path, mode_t mode)
{
    return libc::path_call(kMkdir, path, 0, mode & 07777) < 0 ? -1 : 0;
}

} // extern "C"
