/// \file paths.hpp
/// \brief Path resolution for a client: from the root or its working directory, component by component, with the /dev namespace that lives in the server.
///
/// The rules of the protocol (fs.hpp): an empty path is ENOENT; a path field without a NUL in
/// its kPathBytes, or a component over 255 bytes, is ENAMETOOLONG; ".." at "/" stays at "/"; a
/// non-directory used as a directory is ENOTDIR; a trailing '/' asks for a directory. Symbolic
/// links are not followed. Damage found on the way (a bad inode, a bad directory block) is EIO.
///
/// "/dev" is not on the disk: it is a directory of the server's own, holding "console" and
/// "null", found as the root's entry "dev" (hiding a "dev" on the disk, if any).
#pragma once

#include "ext2/ext2.hpp"
#include "files.hpp"
#include "protocols/errno.hpp"
#include <stdint.h>

namespace fs::paths {

/// Made-up inode numbers for the nodes under /dev (stat, readdir), beyond any disk's.
inline constexpr uint32_t kDevDirInode = 0xffff0001;
inline constexpr uint32_t kConsoleInode = 0xffff0002;
inline constexpr uint32_t kNullInode = 0xffff0003;

/// What a path resolved to.
struct Lookup {
    Node parent;                  ///< The directory holding the last component ("/" for "/").
    ext2::Inode parent_inode{};   ///< Its inode, on the disk.
    const char* name = nullptr;   ///< The last component, inside the path; nullptr for "/".
    uint32_t name_length = 0;
    bool exists = false;          ///< The path names something; else only the last component is missing.
    Node node;                    ///< What it names, when it exists.
    ext2::Inode inode{};          ///< Its inode, on the disk.
    bool trailing_slash = false;  ///< The path ends in '/'.
};

/// Resolves the path in request field `field` (kPathBytes bytes) for client `c`.
/// \return 0 with `out` filled (check out.exists), or the path's error. A missing last
///         component is not an error: create, mkdir and rename need its parent.
posix::Errno lookup(const Client& c, const char* field, Lookup& out);

/// Whether `node` (with `inode`, on the disk) is a directory.
bool is_directory(const Node& node, const ext2::Inode& inode);

/// Whether the last component is "." or "..".
bool is_dot_or_dotdot(const Lookup& l);

/// The absolute path of `c`'s working directory, found by walking ".." up to the root and
/// looking for each directory's name in its parent. \return 0, ENOENT (removed), ERANGE
/// (longer than kPathMax) or EIO.
posix::Errno getcwd(const Client& c, char (&out)[protocol::fs::kPathBytes], uint32_t& length);

/// Whether directory inode `dir` is `ancestor` or lies below it (following ".." up).
/// \return 0 with `out` set, or EIO.
posix::Errno is_within(uint32_t dir, uint32_t ancestor, bool& out);

} // namespace fs::paths
