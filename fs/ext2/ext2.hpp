/// \file ext2.hpp
/// \brief An ext2 file system over a BlockDevice: mount, inodes, block maps, file data, directories, paths (writing: writer.hpp).
///
/// Pure, freestanding logic (no libc, no allocation): the FS server runs it over the ATA block
/// client, and the host runs it over a RAM image under Catch2 and libFuzzer. Nothing read from
/// the disk is trusted. Every field is checked before it is used to index anything, and a damaged
/// structure is reported as Error::BadFormat with a one-line reason (why()), in the style of
/// lib/multiboot2.cpp. Then the server can refuse the mount, or answer EIO for the one damaged
/// object.
///
/// Error mapping (the server turns these into POSIX errors):
///  - BadFormat       the image is damaged or uses a feature this code cannot read (mount is
///                    refused; for one object, EIO);
///  - NotFound        a path component does not exist, or the path is empty (ENOENT);
///  - WrongType       a non-directory used as a directory (ENOTDIR);
///  - InvalidArgument a caller's value is out of range: inode number 0 or past the count, a path
///                    or component that is too long (ENAMETOOLONG) or holds a NUL byte, a block
///                    index beyond the triple-indirect limit, a call before mount (EINVAL);
///  - anything else   the block device's own error (PeerDied, ...), passed through unchanged.
#pragma once

#include "ext2/block_device.hpp"
#include "lib/result.hpp"
#include <stddef.h>
#include <stdint.h>

namespace ext2 {

inline constexpr uint32_t kRootInode = 2;          ///< The root directory's inode number.
inline constexpr uint32_t kMinBlockSize = 1024;
inline constexpr uint32_t kMaxBlockSize = 4096;    ///< log_block_size <= 2.
inline constexpr size_t kMaxNameLength = 255;      ///< Longest directory-entry name.
inline constexpr size_t kMaxPathLength = 4096;     ///< Longest path resolve() accepts (PATH_MAX).

/// The file types of i_mode, and of a directory entry's type byte.
enum class FileType : uint8_t {
    Unknown = 0,
    Regular = 1,
    Directory = 2,
    CharDevice = 3,
    BlockDevice = 4,
    Fifo = 5,
    Socket = 6,
    Symlink = 7,
};

/// The superblock fields the code uses, after validation.
struct Geometry {
    uint32_t block_size;            ///< 1024, 2048 or 4096.
    uint32_t blocks_count;          ///< Blocks in the file system (all on the device).
    uint32_t inodes_count;          ///< == group_count * inodes_per_group.
    uint32_t first_data_block;      ///< 1 for 1 KiB blocks, else 0; the superblock's block.
    uint32_t blocks_per_group;
    uint32_t inodes_per_group;
    uint32_t group_count;
    uint32_t inode_size;            ///< 128, or a larger power of two up to the block size.
    uint32_t first_inode;           ///< First non-reserved inode (11 in revision 0).
    uint32_t revision;
    uint32_t feature_compat;
    uint32_t feature_incompat;
    uint32_t feature_ro_compat;
    uint32_t pointers_per_block;    ///< block_size / 4.
    uint32_t inode_table_blocks;    ///< Blocks each group's inode table spans.
    uint32_t group_table_block;     ///< First block of the group descriptor table.
    uint32_t group_table_blocks;    ///< Blocks the group descriptor table spans.
    uint64_t max_file_size;         ///< Bytes reachable through direct + 3 indirect levels.
};

/// One block group's descriptor, after validation.
struct GroupDescriptor {
    uint32_t block_bitmap;
    uint32_t inode_bitmap;
    uint32_t inode_table;           ///< First block; the table lies inside the file system.
    uint16_t free_blocks;
    uint16_t free_inodes;
    uint16_t used_dirs;
};

/// An inode as read from the table, after validation.
struct Inode {
    uint32_t number;
    uint16_t mode;                  ///< Type (top four bits) and permission bits.
    uint16_t uid;
    uint16_t gid;
    uint16_t links;
    uint64_t size;                  ///< Bytes; i_size_high is used for regular files.
    uint32_t sectors;               ///< i_blocks: 512-byte units allocated, metadata included.
    uint32_t flags;
    uint32_t atime, ctime, mtime, dtime;
    uint32_t file_acl;
    uint32_t block[15];             ///< 12 direct, single, double, triple indirect.

    FileType type() const;
    bool is_directory() const { return type() == FileType::Directory; }
    /// A symlink whose target is stored in i_block instead of a data block.
    bool is_inline_symlink(uint32_t block_size) const;
};

/// One used directory entry. `name` points into the DirectoryReader's buffer and is not
/// NUL-terminated; it stays valid until the reader's next call.
struct DirEntry {
    uint32_t inode;
    uint8_t file_type;              ///< A FileType value with the FILETYPE feature, else 0.
    uint8_t name_length;            ///< 1..255.
    const char* name;
    uint64_t offset;                ///< Byte offset of the entry in the directory.
};

/// Where a file block's pointer lives: `depth` indexes, the first into i_block, each next one
/// into the indirect block the previous pointer names (Linux's ext2_block_to_path()).
struct BlockPath {
    uint32_t depth;                 ///< 1 (direct) to 4 (triple indirect).
    uint32_t index[4];
};

/// Computes the BlockPath of file block `file_block`.
/// \return The path, or InvalidArgument when the block lies past the triple-indirect range.
Result<BlockPath> block_path(uint64_t file_block, uint32_t pointers_per_block);

/// The inodes a user of the library holds open (the FS server's open files). An inode whose last
/// link goes while it is open is not freed: it stays allocated with no links (and no dtime) and
/// can still be read and written, until Writer::release_inode() frees it at the last close, as
/// POSIX asks of unlink().
class OpenInodes {
public:
    /// \return true while inode `number` is open.
    virtual bool is_open(uint32_t number) const = 0;

protected:
    ~OpenInodes() = default;
};

/// A mounted ext2 file system. One object serves one device; it keeps no cache and allocates
/// nothing (the scratch block is a member), so it is large (about 4 KiB): give it static storage.
class Filesystem {
public:
    /// Reads and checks the superblock, every group descriptor and the root inode.
    /// \return Nothing, or BadFormat (why() names the problem), or the device's error.
    Result<void> mount(BlockDevice& device);

    /// The reason for the last error, e.g. "bad magic number"; "" after success.
    const char* why() const { return m_why; }
    const Geometry& geometry() const { return m_geometry; }
    /// True when the image has read-only-compatible features this code does not know: it may be
    /// read but must never be written.
    bool read_only() const { return m_read_only; }

    /// Tells the file system which inodes are open (nullptr: none), so that read_inode() accepts
    /// an open inode with no links left, and the writer defers freeing it. `open` must outlive
    /// this object or be reset.
    void set_open_inodes(const OpenInodes* open) { m_open = open; }

    /// Reads block group `group`'s descriptor and checks that its bitmaps and inode table lie
    /// inside the file system. \return it, InvalidArgument for a group past the count, or BadFormat.
    Result<GroupDescriptor> read_group(uint32_t group);

    /// Reads inode `number` (1-based). \return it; InvalidArgument for 0 or past inodes_count;
    /// BadFormat for an inode not in use (no links, unless it is open: set_open_inodes()), of unknown type, using extents or inline
    /// data, bigger than the block map can reach, or a directory whose size is not a whole
    /// number of blocks or exceeds the file system.
    Result<Inode> read_inode(uint32_t number);

    /// Maps file block `file_block` of `inode` to a disk block through the direct and indirect
    /// pointers. \return the disk block, 0 for a hole; BadFormat for a pointer outside the file
    /// system; InvalidArgument past the triple-indirect range.
    Result<uint32_t> map_block(const Inode& inode, uint64_t file_block);

    /// Reads file block `file_block` of `inode` into `buffer` (block_size bytes); a hole reads as
    /// zeros. `buffer` may not be this object's own storage.
    Result<void> read_file_block(const Inode& inode, uint64_t file_block, uint8_t* buffer);

    /// Reads up to `length` bytes of `inode` from byte `offset`. Inline symlinks read their
    /// target. \return how many bytes were read (fewer at the end of the file, 0 past it).
    Result<size_t> read(const Inode& inode, uint64_t offset, uint8_t* buffer, size_t length);

    /// Finds `name` (`length` bytes) in directory `dir`.
    /// \return its inode number; NotFound when absent; WrongType when `dir` is not a directory;
    ///         BadFormat for a damaged directory block.
    Result<uint32_t> find_entry(const Inode& dir, const char* name, size_t length);

    /// Resolves `path` (`length` bytes, no NUL needed) component by component: from the root when
    /// it starts with '/', else from directory `start`. Empty components and "." are skipped;
    /// ".." follows the directory's ".." entry, except at the root, where it stays. A trailing
    /// '/' requires the result to be a directory. Symbolic links are not followed.
    /// \return the inode; NotFound for an empty path or a missing component; WrongType for a
    ///         non-directory used as one; InvalidArgument for a path over kMaxPathLength, a
    ///         component over kMaxNameLength or a NUL byte; BadFormat for damage on the way.
    Result<Inode> resolve(const char* path, size_t length, uint32_t start = kRootInode);

private:
    friend class DirectoryReader;
    friend class Writer;

    /// Records `reason` as why() and returns `error`, so a failure is one line: return fail(...).
    Error fail(Error error, const char* reason)
    {
        m_why = reason;
        return error;
    }
    Result<void> check_superblock(const uint8_t* sb, uint64_t device_bytes);
    /// read_inode(), also accepting an inode without links when `unlinked_ok`.
    Result<Inode> read_inode_slot(uint32_t number, bool unlinked_ok);
    /// Checks a whole directory block's chain of entries (rec_len, name length, inode number),
    /// so its entries can be walked or changed without further checks. BadFormat with a reason.
    Result<void> check_directory_block(const uint8_t* block);
    Result<void> read_disk_block(uint32_t block, uint8_t* buffer);
    /// True when `block` may hold file data or metadata: past the superblock, inside the FS.
    bool block_in_range(uint32_t block) const
    {
        return block > m_geometry.first_data_block && block < m_geometry.blocks_count;
    }

    BlockDevice* m_device = nullptr;
    const OpenInodes* m_open = nullptr;
    Geometry m_geometry = {};
    bool m_read_only = false;
    const char* m_why = "";
    uint8_t m_scratch[kMaxBlockSize];   ///< Superblock, descriptors, inodes, indirect blocks.
};

/// Iterates the used entries of one directory, checking each directory block whole before
/// returning any of its entries: rec_len >= 8 and a multiple of 4, name_len <= rec_len - 8,
/// no entry crossing the block, inode numbers within the count.
class DirectoryReader {
public:
    /// \param fs  A mounted file system; it must outlive the reader.
    /// \param dir The directory to list.
    DirectoryReader(Filesystem& fs, const Inode& dir) : m_fs(fs), m_dir(dir) {}

    /// Steps to the next used entry (entries with inode 0 are skipped).
    /// \return true with `out` filled, false at the end; WrongType when the inode is not a
    ///         directory; BadFormat (the file system's why() says why) for a damaged block.
    Result<bool> next(DirEntry& out);

    /// Moves to the first entry at or after byte `offset` of the directory (an offset inside an
    /// entry, as a stale or forged position can be, moves on to the next entry's start), so a
    /// listing can resume where a previous reader stopped. Past the end: at the end.
    /// \return Nothing; WrongType for a non-directory; BadFormat for a damaged block.
    Result<void> seek(uint64_t offset);

    /// The byte offset where the next call to next() starts looking: after an entry it
    /// returned, the position to seek() to for the entries after it.
    uint64_t position() const { return m_offset; }

private:
    Result<void> load_block(uint64_t index);

    Filesystem& m_fs;
    Inode m_dir;
    uint64_t m_offset = 0;              ///< Byte offset of the next entry to look at.
    uint64_t m_loaded = UINT64_MAX;     ///< Which directory block m_block holds.
    uint8_t m_block[kMaxBlockSize];
};

} // namespace ext2
