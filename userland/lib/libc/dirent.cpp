/// \file dirent.cpp
/// \brief Directory streams over fs's kReaddir: one entry per request, resumed by a cookie.
#include "internal.hpp"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

using namespace protocol::fs;

struct DIR {
    int fd;
    uint64_t cookie;   ///< Where the next entry starts (0: the first).
    bool done;         ///< The end was reached: no more requests.
    struct dirent entry;
};

namespace {

/// ext2's directory-entry file type to d_type.
unsigned char dirent_type(uint8_t ext2_type)
{
    switch (ext2_type) {
    case 1: return DT_REG;
    case 2: return DT_DIR;
    case 3: return DT_CHR;
    case 4: return DT_BLK;
    case 5: return DT_FIFO;
    case 6: return DT_SOCK;
    case 7: return DT_LNK;
    default: return DT_UNKNOWN;
    }
}

} // namespace

extern "C" {

DIR* opendir(const char* path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return nullptr;
    DIR* dir = static_cast<DIR*>(malloc(sizeof(DIR)));
    if (!dir) {
        int saved = errno;
        close(fd);
        errno = saved;
        return nullptr;
    }
    dir->fd = fd;
    dir->cookie = 0;
    dir->done = false;
    return dir;
}

struct dirent* readdir(DIR* dir)
{
    if (!dir) {
        errno = EBADF;
        return nullptr;
    }
    if (dir->done) return nullptr;
    DirentReply reply{};
    if (int e = libc::fs_request(kReaddir, ReaddirRequest{dir->fd, 0, dir->cookie}, reply)) {
        errno = e;
        return nullptr;
    }
    if (reply.name_len == 0) {
        dir->done = true;
        return nullptr;
    }
    dir->cookie = reply.next_cookie;
    dir->entry.d_ino = reply.inode;
    dir->entry.d_type = dirent_type(reply.type);
    size_t n = reply.name_len;  // At most 255 (a uint8_t): it fits d_name with its NUL.
    memcpy(dir->entry.d_name, reply.name, n);
    dir->entry.d_name[n] = '\0';
    return &dir->entry;
}

int closedir(DIR* dir)
{
    if (!dir) return libc::fail(EBADF);
    int result = close(dir->fd);
    free(dir);
    return result;
}

void rewinddir(DIR* dir)
{
    if (!dir) return;
    dir->cookie = 0;
    dir->done = false;
}

int dirfd(DIR* dir) { return dir ? dir->fd : libc::fail(EBADF); }

} // extern "C"
