/// \file getcwd.cpp
/// \brief getcwd over fs's kGetcwd (apart from paths.cpp: with a NULL buffer it allocates, and only its callers should link the heap).
#include "internal.hpp"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

using namespace protocol::fs;

extern "C" {

char* getcwd(char* buffer, size_t size)
{
    PathReply reply{};
    if (int e = libc::fs_request_empty(kGetcwd, reply)) {
        errno = e;
        return nullptr;
    }
    size_t n = strnlen(reply.path, sizeof(reply.path) - 1);
    if (!buffer) {
        // glibc's extension: a buffer of the right size, which the caller frees.
        buffer = static_cast<char*>(malloc(n + 1));
        if (!buffer) return nullptr;
        size = n + 1;
    }
    if (size < n + 1) {
        errno = size == 0 ? EINVAL : ERANGE;
        return nullptr;
    }
    memcpy(buffer, reply.path, n);
    buffer[n] = '\0';
    return buffer;
}

} // extern "C"
