/// \file fs.hpp
/// \brief The file-system protocol spoken by the `fs` server (VFS + ext2): paths, file descriptors, pipes and the console, per client.
///
/// ## Who is who
/// Every POSIX process is a *client* of `fs`, named by the badge on its `fs` capability: the
/// process id. Only `fs` mints those capabilities, and only for the process manager (`proc`),
/// which asks with kNewClient when it starts a process and with kClientExit when one ends.
/// Each client has a working directory and a table of file descriptors (like MINIX's VFS, the
/// descriptor table lives in the server, so a child inherits descriptors by a request from
/// `proc`, with no help from the parent). A descriptor refers to an *open file description*
/// (inode, offset, flags), which inherited descriptors share, as POSIX says.
///
/// Callers whose badge is not a process id (>= kServiceBadgeBase: services such as `proc`,
/// reached through RS's `uses=fs`) are clients too, with their own working directory "/" and
/// descriptors, and they alone may send the control requests (kNewClient, kClientExit).
///
/// ## Blocking
/// `fs` is one thread and never waits on a client. A read from an empty pipe or from the
/// console, or a write to a full pipe, is *parked*: the server saves the caller's reply
/// capability (`sys::reply_save`) and answers it later, when data or space arrives or the
/// other end closes. The caller just sees a slow call.
///
/// ## Data
/// File data does not travel in messages: kRead and kWrite *lend a window* of the caller's
/// buffer with the call (ipc::lend; kernel/ipc/window.hpp), and `fs` copies straight between
/// that buffer and its block cache with sys::window_write / sys::window_read. One call moves up
/// to kMaxTransfer bytes; a call that lends no window, or a window smaller than the length it
/// asks for, gets EFAULT, as does a buffer that is not mapped.
///
/// ## Errors
/// Every reply starts with `int32_t status`: 0, or a posix::Errno (ENOENT, ENOTDIR, ...).
/// Path rules: empty -> ENOENT; longer than kPathMax -> ENAMETOOLONG; a component longer
/// than 255 bytes -> ENAMETOOLONG; ".." at "/" stays at "/"; a file used as a directory ->
/// ENOTDIR. A damaged on-disk object gives EIO, never a crash.
#pragma once

#include "protocols/errno.hpp"
#include <stdint.h>

namespace protocol::fs {

enum Label : uint32_t {
    kOpen = 1,       ///< PathRequest{flags, mode} -> Reply{value = fd}
    kClose = 2,      ///< FdRequest -> Reply
    kRead = 3,       ///< FdRequest{fd, length} + a window fs writes -> Reply{value = bytes read; 0 = end of file}
    kWrite = 4,      ///< FdRequest{fd, length} + a window fs reads -> Reply{value = bytes written}
    kSeek = 5,       ///< SeekRequest -> Reply{value = new offset}
    kStat = 6,       ///< PathRequest -> StatReply (follows the path from the working directory)
    kFstat = 7,      ///< FdRequest -> StatReply
    kReaddir = 8,    ///< ReaddirRequest -> DirentReply (one entry; status 0 and name_len 0 = end)
    kMkdir = 9,      ///< PathRequest{mode} -> Reply
    kRmdir = 10,     ///< PathRequest -> Reply
    kUnlink = 11,    ///< PathRequest -> Reply (an open file lives on until its last close)
    kRename = 12,    ///< TwoPathRequest -> Reply
    kTruncate = 13,  ///< PathRequest{size} -> Reply
    kFtruncate = 14, ///< FdRequest{fd, length = new size} -> Reply
    kSync = 15,      ///< (nothing) -> Reply: every dirty block to the disk, then a disk flush
    kChdir = 16,     ///< PathRequest -> Reply
    kGetcwd = 17,    ///< (nothing) -> PathReply
    kDup = 18,       ///< FdRequest{fd} -> Reply{value = lowest free fd}
    kDup2 = 19,      ///< Dup2Request -> Reply{value = newfd}
    kPipe = 20,      ///< (nothing) -> Reply{value = read fd, value2 = write fd}
    kStatfs = 21,    ///< (nothing) -> StatfsReply
    // Control requests: only from service badges (proc).
    kNewClient = 32, ///< NewClientRequest -> Reply + 1 capability: fs endpoint badged with the pid
    kClientExit = 33,///< ClientRequest -> Reply: close every descriptor of the client, forget it
    kClients = 34,   ///< ClientRequest{pid = index} -> ClientInfo (status ESRCH past the last)
};

inline constexpr uint32_t kPathMax = 239;     ///< Bytes in a path, without the terminating NUL.
inline constexpr uint32_t kPathBytes = 240;
inline constexpr uint32_t kNameMax = 255;     ///< Bytes in one directory entry name.
inline constexpr uint32_t kMaxTransfer = 256 * 1024;  ///< Bytes one kRead or kWrite moves at most.
inline constexpr uint32_t kMaxFds = 32;       ///< Descriptors per client.
inline constexpr uint64_t kServiceBadgeBase = 1ull << 32;  ///< Badges at or above: services.
inline constexpr uint32_t kInheritFds = 8;    ///< Descriptors a new client can inherit (0..7).

/// open() flags: Linux's values.
namespace flags {
inline constexpr uint32_t kReadOnly = 0;
inline constexpr uint32_t kWriteOnly = 1;
inline constexpr uint32_t kReadWrite = 2;
inline constexpr uint32_t kAccessMask = 3;
inline constexpr uint32_t kCreate = 0x40;
inline constexpr uint32_t kExclusive = 0x80;
inline constexpr uint32_t kTruncate = 0x200;
inline constexpr uint32_t kAppend = 0x400;
inline constexpr uint32_t kDirectory = 0x10000;
} // namespace flags

/// st_mode bits: the file type in the top bits, the permissions below (as in ext2 and POSIX).
namespace mode {
inline constexpr uint32_t kTypeMask = 0170000;
inline constexpr uint32_t kRegular = 0100000;
inline constexpr uint32_t kDirectory = 0040000;
inline constexpr uint32_t kCharDevice = 0020000;
inline constexpr uint32_t kFifo = 0010000;
inline constexpr uint32_t kSymlink = 0120000;
} // namespace mode

/// The usual reply: status, and one or two values.
struct Reply {
    int32_t status;   ///< 0 or a posix::Errno.
    uint32_t reserved;
    int64_t value;
    int64_t value2;
    uint64_t reserved2;
};
static_assert(sizeof(Reply) == 32);

struct PathRequest {
    uint32_t flags;   ///< open(): flags:: bits.
    uint32_t mode;    ///< open() with kCreate, mkdir(): permission bits (0644, 0755).
    uint64_t size;    ///< truncate(): the new size.
    char path[kPathBytes];  ///< NUL-terminated; relative paths start at the working directory.
};
static_assert(sizeof(PathRequest) == 256);

struct TwoPathRequest {
    char from[kPathBytes];
    char to[kPathBytes];
};
static_assert(sizeof(TwoPathRequest) == 480);

struct FdRequest {
    int32_t fd;
    uint32_t length;  ///< kRead, kWrite: bytes (the window must hold them); more than kMaxTransfer moves kMaxTransfer.
    uint64_t size;    ///< kFtruncate: the new size.
};
static_assert(sizeof(FdRequest) == 16);

enum class Whence : uint32_t { Set = 0, Current = 1, End = 2 };

struct SeekRequest {
    int32_t fd;
    uint32_t whence;  ///< Whence.
    int64_t offset;
};
static_assert(sizeof(SeekRequest) == 16);

struct StatReply {
    int32_t status;
    uint32_t mode;    ///< Type and permission bits (mode:: above).
    uint64_t inode;
    uint64_t size;
    uint32_t links;
    uint32_t uid;
    uint32_t gid;
    uint32_t blocks;  ///< 512-byte sectors allocated (as in st_blocks).
    uint64_t atime;   ///< Seconds since 1970.
    uint64_t mtime;
    uint64_t ctime;
};
static_assert(sizeof(StatReply) == 64);

/// kReaddir: the entry at `cookie` (0 to start) of the directory open as `fd`.
struct ReaddirRequest {
    int32_t fd;
    uint32_t reserved;
    uint64_t cookie;
};
static_assert(sizeof(ReaddirRequest) == 16);

struct DirentReply {
    int32_t status;
    uint32_t inode;
    uint64_t next_cookie;  ///< Pass this as `cookie` for the next entry.
    uint8_t type;          ///< ext2's file type: 1 regular, 2 directory, 3 char device, 5 fifo, 7 symlink.
    uint8_t name_len;      ///< 0 (with status 0): no more entries.
    char name[kNameMax + 1];  ///< NUL-terminated.
    uint8_t reserved[6];
};
static_assert(sizeof(DirentReply) == 280);

struct Dup2Request {
    int32_t oldfd;
    int32_t newfd;
};
static_assert(sizeof(Dup2Request) == 8);

struct PathReply {
    int32_t status;
    uint32_t length;
    char path[kPathBytes];
    uint64_t reserved;
};
static_assert(sizeof(PathReply) == 256);

/// kStatfs: the file system's numbers, as `df` shows them.
struct StatfsReply {
    int32_t status;
    uint32_t block_size;
    uint64_t blocks;
    uint64_t free_blocks;
    uint64_t inodes;
    uint64_t free_inodes;
    uint64_t cached_blocks;  ///< Blocks in the block cache now.
    uint64_t dirty_blocks;   ///< Of which not yet written back.
};
static_assert(sizeof(StatfsReply) == 56);

/// kNewClient: start client `pid` (child of `parent`, 0 for none) with working directory
/// the parent's (or "/"), and descriptor i = parent's descriptor fds[i] (-1: closed). A
/// client without a parent gets the console on 0, 1 and 2 when `console` is 1.
struct NewClientRequest {
    uint64_t pid;
    uint64_t parent;
    int32_t fds[kInheritFds];
    uint32_t console;
    uint32_t reserved;
};
static_assert(sizeof(NewClientRequest) == 56);

struct ClientRequest {
    uint64_t pid;
};
static_assert(sizeof(ClientRequest) == 8);

struct ClientInfo {
    int32_t status;
    uint32_t open_fds;
    uint64_t pid;
    char cwd[kPathBytes];
};
static_assert(sizeof(ClientInfo) == 256);

} // namespace protocol::fs
