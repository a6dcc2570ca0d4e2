/// \file volume.hpp
/// \brief The mounted volume: the disk, its block cache, the ext2 reader and writer over it, the mount at start-up, and ext2 errors as POSIX errors.
///
/// `fs` mounts one ext2 file system, the one on the disk `ata` serves, when it starts. A disk
/// that is missing, unreadable or damaged where the mount looks (superblock, group
/// descriptors, root inode) is refused with one line on the console, and from then on every
/// request is answered EIO: the server stays up, and never crashes or hangs on a bad image.
#pragma once

#include "cache.hpp"
#include "disk.hpp"
#include "ext2/ext2.hpp"
#include "ext2/writer.hpp"
#include "protocols/errno.hpp"

namespace fs::volume {

/// Takes the block cache's memory from `pool` (a Memory pool capability: `memory=` in the
/// service table), opens the disk behind `block_endpoint`, mounts it and prints the outcome.
/// \return true when the file system is mounted.
bool mount(abi::CapSlot block_endpoint, abi::CapSlot pool);

/// True when a file system is mounted; if not, every request gets EIO.
bool mounted();

ext2::Filesystem& filesystem();
ext2::Writer& writer();
BlockCache& cache();
Disk& disk();

/// Seconds since 1970, as far as we know: the superblock's last write or mount time plus the
/// time since boot (there is no clock driver). Also stamped on the writer's changes.
uint32_t now();

/// Call before changing the file system: the writer stamps inodes with now().
void stamp();

/// The usual POSIX meaning of an ext2 library error (ext2.hpp, writer.hpp); requests where an
/// error means something else (Busy: EEXIST or ENOTEMPTY) translate it themselves.
posix::Errno errno_of(abi::Error error);

/// The superblock's counts for kStatfs.
struct Counts {
    uint64_t blocks, free_blocks, inodes, free_inodes;
};
/// Reads them (through the cache). \return 0 or EIO.
posix::Errno counts(Counts& out);

} // namespace fs::volume
