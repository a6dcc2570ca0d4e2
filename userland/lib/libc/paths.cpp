/// \file paths.cpp
/// \brief Path calls over fs: unlink, rmdir, rename, remove, chdir, truncate, access, sync, statfs.
#include "internal.hpp"
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

using namespace protocol::fs;
using libc::fail;

extern "C" {

int unlink(const char* path) { return libc::path_call(kUnlink, path) < 0 ? -1 : 0; }
int rmdir(const char* path) { return libc::path_call(kRmdir, path) < 0 ? -1 : 0; }
int chdir(const char* path) { return libc::path_call(kChdir, path) < 0 ? -1 : 0; }

int truncate(const char* path, off_t length)
{
    if (length < 0) return fail(EINVAL);
    return libc::path_call(kTruncate, path, 0, 0, static_cast<uint64_t>(length)) < 0 ? -1 : 0;
}

int rename(const char* from, const char* to)
{
    TwoPathRequest request{};
    if (int e = libc::copy_path(request.from, from)) return fail(e);
    if (int e = libc::copy_path(request.to, to)) return fail(e);
    Reply reply{};
    if (int e = libc::fs_request(kRename, request, reply)) return fail(e);
    return 0;
}

int remove(const char* path)
{
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    return S_ISDIR(st.st_mode) ? rmdir(path) : unlink(path);
}

int access(const char* path, int mode)
{
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    if (mode == F_OK) return 0;
    // No users: a permission counts if any of owner, group or other has it.
    if ((mode & R_OK) && !(st.st_mode & (S_IRUSR | S_IRGRP | S_IROTH))) return fail(EACCES);
    if ((mode & W_OK) && !(st.st_mode & (S_IWUSR | S_IWGRP | S_IWOTH))) return fail(EACCES);
    if ((mode & X_OK) && !(st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) return fail(EACCES);
    return 0;
}

void sync(void)
{
    Reply reply{};
    (void)libc::fs_request_empty(kSync, reply);  // POSIX's sync reports nothing.
}

int statfs(const char* path, struct statfs* out)
{
    if (!out) return fail(EFAULT);
    struct stat st;
    if (stat(path, &st) != 0) return -1;
    StatfsReply reply{};
    if (int e = libc::fs_request_empty(kStatfs, reply)) return fail(e);
    out->f_type = 0xef53;
    out->f_bsize = reply.block_size;
    out->f_blocks = reply.blocks;
    out->f_bfree = reply.free_blocks;
    out->f_bavail = reply.free_blocks;
    out->f_files = reply.inodes;
    out->f_ffree = reply.free_inodes;
    out->f_cached = reply.cached_blocks;
    out->f_dirty = reply.dirty_blocks;
    return 0;
}

} // extern "C"
