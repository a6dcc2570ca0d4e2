/// \file writer.hpp
/// \brief Writing ext2: block and inode allocation, file data through indirect blocks, truncate, and directory changes (create, mkdir, unlink, rmdir, rename).
///
/// A Writer works on a mounted Filesystem and, like it, is freestanding: no libc, no allocation,
/// its block buffers are members (about 28 KiB, so give it static storage). It keeps no cache:
/// every call reads what it needs from the device and writes back what it changed before it
/// returns, so the image is consistent (e2fsck-clean) between calls.
///
/// Every operation checks its arguments and the objects it will touch before it modifies
/// anything, and undoes its own allocations when a later step fails for want of space, so an
/// error such as NoMemory leaves the image as it was. A failing device in the middle of a call
/// can still leave leaked blocks or inodes behind (there is no journal); e2fsck repairs that.
///
/// Error mapping, beyond the reader's (ext2.hpp):
///  - NoMemory           no free block or inode (ENOSPC);
///  - Busy               the name already exists (EEXIST: create, mkdir), or the directory
///                       is not empty (ENOTEMPTY: rmdir, rename onto a directory);
///  - WrongType          a directory where a file is needed (EISDIR: unlink, write, truncate,
///                       rename of a file onto a directory), or a non-directory where a
///                       directory is needed (ENOTDIR);
///  - InvalidArgument    a name that is empty, ".", "..", over 255 bytes or holds '/' or NUL;
///                       a size past the largest file; a directory moved under itself; a
///                       directory with the maximum link count (EMLINK);
///  - InsufficientRights the file system is read-only (unknown ro_compat features) or the
///                       device refuses writes (EROFS).
#pragma once

#include "ext2/ext2.hpp"

namespace ext2 {

inline constexpr uint16_t kMaxLinks = 32000;    ///< EXT2_LINK_MAX: a directory's subdirectories + 2.

class Writer {
public:
    /// \param fs A file system that is (or will be) mounted; it must outlive the writer.
    explicit Writer(Filesystem& fs) : m_fs(fs) {}

    /// The time stamped on changed inodes (seconds since 1970); the library has no clock.
    void set_time(uint32_t now) { m_now = now; }
    /// The reason for the last error (the file system's why()).
    const char* why() const { return m_fs.why(); }

    // ---- allocation ------------------------------------------------------------------------

    /// Takes a free block, searching from `goal` (0: from the first group) onwards and wrapping,
    /// and updates its bitmap, its group's and the superblock's free counts. The block's
    /// contents are not changed. \return it, or NoMemory.
    Result<uint32_t> allocate_block(uint32_t goal);
    /// Returns `block` to its group. BadFormat when it is metadata or already free.
    Result<void> free_block(uint32_t block);
    /// Takes a free inode (not a reserved one), searching from the group of inode `near`;
    /// a directory also counts in its group's used_dirs_count. The inode table is not changed.
    Result<uint32_t> allocate_inode(uint32_t near, bool directory);
    /// Returns inode `number` to its group. BadFormat when it is reserved or already free.
    Result<void> free_inode(uint32_t number, bool directory);

    // ---- file data ---------------------------------------------------------------------------

    /// Writes `length` bytes at byte `offset` of regular file `inode`, allocating data and
    /// indirect blocks as needed (the parts of new blocks not written are zeros) and growing
    /// i_size. A gap past the old end is left as a hole that reads as zeros.
    /// \return the bytes written: all of them, or fewer when the disk filled up part way;
    ///         NoMemory when not even one byte fit.
    Result<size_t> write(uint32_t inode, uint64_t offset, const uint8_t* data, size_t length);
    /// Sets the size of regular file `inode`. Shrinking frees the blocks past the new end,
    /// including indirect blocks left empty, and zeroes the rest of the last block; growing
    /// leaves a hole.
    Result<void> truncate(uint32_t inode, uint64_t size);

    // ---- directories -------------------------------------------------------------------------

    /// Creates an empty regular file `name` in directory `dir` with permission bits
    /// `permissions` (07777). \return its inode number; Busy when the name exists.
    Result<uint32_t> create(uint32_t dir, const char* name, size_t length, uint16_t permissions);
    /// Creates directory `name` in `dir`, with "." and "..". \return its inode number.
    Result<uint32_t> mkdir(uint32_t dir, const char* name, size_t length, uint16_t permissions);
    /// Removes the entry `name` (not a directory) from `dir`, and drops one link of its inode;
    /// at zero links the inode and its blocks are freed at once, unless the inode is open
    /// (Filesystem::set_open_inodes()): then they are freed by release_inode() at its last close.
    Result<void> unlink(uint32_t dir, const char* name, size_t length);
    /// Removes the empty directory `name` from `dir` (Busy when it is not empty). An open
    /// directory is kept, without links, for release_inode(), as unlink() keeps an open file.
    Result<void> rmdir(uint32_t dir, const char* name, size_t length);
    /// Frees inode `number` and its blocks if it has no links left: an inode unlink(), rmdir()
    /// or rename() kept because it was open, now closed. Nothing happens to an inode that still
    /// has links. \return Nothing, or the error of reading or freeing it.
    Result<void> release_inode(uint32_t number);
    /// Moves entry `from_name` of `from_dir` to `to_name` in `to_dir`, replacing an existing
    /// target: a file by a file, or an empty directory by a directory. A moved directory's ".."
    /// and both parents' link counts follow. The new entry is made before the old one goes, so
    /// a full disk leaves both directories unchanged.
    Result<void> rename(uint32_t from_dir, const char* from_name, size_t from_length,
                        uint32_t to_dir, const char* to_name, size_t to_length);

private:
    /// Where a directory entry lies; the block is left in m_dir.
    struct Slot {
        uint32_t disk_block;
        uint32_t offset;        ///< Of the entry within the block.
        uint32_t previous;      ///< Of the entry before it in the block, or UINT32_MAX.
        uint32_t inode;
    };

    Result<void> check_writable();
    Result<void> check_name(const char* name, size_t length);
    Result<Inode> read_directory(uint32_t number);
    Result<void> read_block(uint32_t block, uint8_t* buffer);
    Result<void> write_block(uint32_t block, const uint8_t* buffer);
    Result<void> read_super();
    Result<void> adjust_counts(uint32_t group, int blocks, int inodes, int dirs);
    /// Writes `inode` back into its table slot; `fresh` clears the whole slot first.
    Result<void> put_inode(const Inode& inode, bool fresh = false);
    bool is_group_metadata(uint32_t block);

    /// The disk block of file block `file_block`; with `create`, allocates it and any missing
    /// indirect blocks (checking first that enough blocks are free), and sets `*created`.
    Result<uint32_t> bmap(Inode& inode, uint64_t file_block, bool create, bool* created);
    /// Frees every block of file blocks >= `keep`, indirect blocks included when emptied.
    Result<void> shrink(Inode& inode, uint64_t keep);
    Result<bool> trim(uint32_t block, uint32_t level, uint64_t base, uint64_t keep, Inode& inode);
    /// Zeroes bytes [from, end of its block) of the block holding byte `from`, if mapped.
    Result<void> zero_tail(Inode& inode, uint64_t from);
    /// Frees an unlinked inode: its blocks, its extended-attribute block, its bitmap bit.
    Result<void> release(Inode& inode);
    /// Writes back `inode`, which lost a link: freed when that was the last one and it is not
    /// open; else written with its new count (0 for an open inode kept for release_inode()).
    Result<void> drop_link(Inode& inode);

    Result<bool> find_slot(const Inode& dir, const char* name, size_t length, Slot& out);
    Result<void> add_entry(Inode& dir, const char* name, size_t length, uint32_t inode, FileType type);
    Result<void> remove_entry(Inode& dir, const char* name, size_t length);
    Result<void> retarget_entry(Inode& dir, const char* name, size_t length, uint32_t inode, FileType type);
    Result<bool> is_empty_directory(const Inode& dir);
    Result<void> set_parent(const Inode& dir, uint32_t parent);
    void touch(Inode& inode) { inode.mtime = inode.ctime = m_now; }

    Filesystem& m_fs;
    uint32_t m_now = 0;
    uint8_t m_super[1024];              ///< The superblock.
    uint8_t m_meta[kMaxBlockSize];      ///< Group descriptors, inode-table blocks.
    uint8_t m_bitmap[kMaxBlockSize];    ///< A block or inode bitmap.
    uint8_t m_data[kMaxBlockSize];      ///< A file data block.
    uint8_t m_dir[kMaxBlockSize];       ///< A directory block.
    uint8_t m_indirect[3][kMaxBlockSize];   ///< One indirect block per level of a walk.
};

} // namespace ext2
