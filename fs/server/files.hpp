/// \file files.hpp
/// \brief Clients, their descriptor tables, and the open file descriptions the descriptors share.
///
/// As in MINIX's VFS (and Unix's file table), three layers:
///  - a **client** (one per badge: a process id, or a service) has a working directory and
///    kMaxFds descriptors;
///  - a **descriptor** is an index into the table of open file descriptions; dup(), dup2() and
///    inheritance by a new client make several descriptors share one description;
///  - an **open file description** says what is open (a file or directory inode, a pipe end,
///    the console, /dev/null), the offset, the open() flags, and how many descriptors refer
///    to it. When the last goes, the description closes: a pipe end wakes the other side, and
///    an unlinked file's inode and blocks are freed (the library keeps them while they are
///    open: ext2::OpenInodes, answered here).
///
/// Clients are remembered until kClientExit. A client table that fills up (clients that died
/// without proc telling us) forgets the least recently active client that has no parked call,
/// so descriptors of dead clients do not leak forever. Pipes are a fixed pool too, larger
/// than one client's descriptors can hold (pipes::kMaxPipes > kMaxFds).
#pragma once

#include "ext2/ext2.hpp"
#include "protocols/errno.hpp"
#include "protocols/fs.hpp"
#include <stdint.h>

namespace fs {

inline constexpr uint32_t kMaxClients = 64;
inline constexpr uint32_t kMaxOpenFiles = 256;

/// What a path names: an inode on the disk, or one of the device nodes under /dev, which live
/// in the server, not on the disk.
enum class NodeKind : uint8_t { None, Disk, DevDir, Console, Null };

struct Node {
    NodeKind kind = NodeKind::None;
    uint32_t inode = 0;  ///< For Disk.
};

enum class FileKind : uint8_t { Free, Regular, Directory, DevDir, PipeRead, PipeWrite, Console, Null };

/// An open file description.
struct OpenFile {
    FileKind kind = FileKind::Free;
    uint32_t refs = 0;      ///< Descriptors referring to it.
    uint32_t flags = 0;     ///< open() flags (protocol::fs::flags).
    uint32_t inode = 0;     ///< Regular, Directory.
    uint32_t pipe = 0;      ///< PipeRead, PipeWrite: which pipe.
    uint64_t offset = 0;    ///< Regular: the file position. Directory: unused (readdir has cookies).
};

struct Client {
    bool used = false;
    uint64_t badge = 0;          ///< The pid, or a service badge (>= kServiceBadgeBase).
    Node cwd;                    ///< Working directory.
    bool cwd_removed = false;    ///< It was removed: relative paths and getcwd give ENOENT.
    int16_t fds[protocol::fs::kMaxFds];  ///< Open file description index, or -1.
    uint64_t last_active = 0;    ///< A counter value, for forgetting the least recently active.
};

namespace files {

/// Every client empty, every description free.
void init();

/// The client with badge `badge`, or nullptr.
Client* find_client(uint64_t badge);
/// The client a request with badge `badge` comes from: a known one, or else a new, empty one.
/// Services need no introduction; a process we do not know had its state (descriptors,
/// working directory) in an earlier instance of the server, so it starts over at "/" with no
/// descriptors: its old descriptors give EBADF, new opens work. nullptr only when the table is
/// full of clients with parked calls.
Client* client_for_request(uint64_t badge);
/// A new, empty client (working directory "/", no descriptors). A known badge starts over.
/// nullptr if the table is full of clients with parked calls.
Client* new_client(uint64_t badge);

/// Closes every descriptor of `c` (after dropping its parked calls) and forgets it.
void forget_client(Client& c);
/// The index-th client in use (kClients), or nullptr past the last.
Client* client_at(uint32_t index);
/// Descriptors `c` has open.
uint32_t open_count(const Client& c);

/// A new description with one reference. \return its index, or -1 when the table is full (ENFILE).
int32_t open_file(FileKind kind, uint32_t flags, uint32_t inode = 0, uint32_t pipe = 0);
/// The description at `index` (0 <= index < kMaxOpenFiles).
OpenFile& file(int32_t index);
/// Drops one reference to description `index`; the last one closes it.
void release(int32_t index);

/// Puts description `index` (already counted) in the lowest free descriptor of `c`.
/// \return the descriptor, or -1 when all kMaxFds are taken (EMFILE).
int32_t install(Client& c, int32_t index);
/// The description behind descriptor `fd` of `c`, or -1 when `fd` is not open (EBADF).
int32_t descriptor(const Client& c, int32_t fd);
/// Closes descriptor `fd`. \return 0, or EBADF.
posix::Errno close(Client& c, int32_t fd);

/// Whether an open description refers to inode `number` (the library's OpenInodes).
const ext2::OpenInodes& open_inodes();
/// Clients whose working directory is inode `number` lose it (it was removed).
void forget_cwd(uint32_t number);

} // namespace files
} // namespace fs
