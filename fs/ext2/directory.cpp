/// \file directory.cpp
/// \brief Directories: checking and iterating directory blocks, finding a name, resolving a path.
#include "ext2/ext2.hpp"
#include "ext2/layout.hpp"

namespace ext2 {

using namespace layout;

namespace {

bool same_name(const char* a, size_t a_length, const char* b, size_t b_length)
{
    if (a_length != b_length) return false;
    for (size_t i = 0; i < a_length; ++i) {
        if (a[i] != b[i]) return false;
    }
    return true;
}

} // namespace

Result<void> DirectoryReader::load_block(uint64_t index)
{
    m_loaded = UINT64_MAX;
    TRY(m_fs.read_file_block(m_dir, index, m_block));

    // Check the whole chain of entries before handing out any of them (as Linux's
    // ext2_check_page()), so that next() can step by rec_len without further checks. A hole reads
    // as zeros and fails here with rec_len 0: directories have no holes. Only a block that passed
    // counts as loaded, so a caller that goes on after an error never walks a damaged one.
    TRY(m_fs.check_directory_block(m_block));
    m_loaded = index;
    return {};
}

Result<void> Filesystem::check_directory_block(const uint8_t* block)
{
    const Geometry& g = geometry();
    bool has_filetype = (g.feature_incompat & kIncompatFiletype) != 0;
    uint32_t at = 0;
    while (at < g.block_size) {
        const uint8_t* entry = block + at;
        uint32_t left = g.block_size - at;
        // `left` is a multiple of 4 because every rec_len before was, so the header always fits.
        uint32_t rec_len = load_u16(entry + d_rec_len);
        uint32_t name_len = has_filetype ? entry[d_name_len] : load_u16(entry + d_name_len);
        uint32_t inode = load_u32(entry + d_inode);
        if (rec_len < kDirEntryHeaderSize) return fail(Error::BadFormat, "directory entry is shorter than 8 bytes");
        if (rec_len % 4 != 0) return fail(Error::BadFormat, "directory entry length is not a multiple of 4");
        if (rec_len > left) return fail(Error::BadFormat, "directory entry crosses the end of the block");
        if (name_len > rec_len - kDirEntryHeaderSize)
            return fail(Error::BadFormat, "directory entry name overruns the entry");
        if (inode > g.inodes_count) return fail(Error::BadFormat, "directory entry inode number is out of range");
        if (inode != 0 && name_len == 0) return fail(Error::BadFormat, "directory entry has an empty name");
        if (inode != 0 && name_len > kMaxNameLength)
            return fail(Error::BadFormat, "directory entry name is longer than 255 bytes");
        at += rec_len;
    }
    return {};
}

Result<bool> DirectoryReader::next(DirEntry& out)
{
    if (!m_dir.is_directory()) return m_fs.fail(Error::WrongType, "not a directory");
    const Geometry& g = m_fs.geometry();
    bool has_filetype = (g.feature_incompat & kIncompatFiletype) != 0;

    // read_inode() bounded a directory's size by the file system's, so this loop ends.
    while (m_offset < m_dir.size) {
        uint64_t index = m_offset / g.block_size;
        if (index != m_loaded) TRY(load_block(index));
        const uint8_t* entry = m_block + m_offset % g.block_size;
        uint64_t offset = m_offset;
        m_offset += load_u16(entry + d_rec_len);
        uint32_t inode = load_u32(entry + d_inode);
        if (inode == 0) continue;
        out.inode = inode;
        out.name_length = entry[d_name_len];
        out.file_type = has_filetype ? entry[d_file_type] : 0;
        out.name = reinterpret_cast<const char*>(entry + d_name);
        out.offset = offset;
        return true;
    }
    return false;
}

Result<void> DirectoryReader::seek(uint64_t offset)
{
    if (!m_dir.is_directory()) return m_fs.fail(Error::WrongType, "not a directory");
    uint32_t block_size = m_fs.geometry().block_size;
    if (offset >= m_dir.size) {
        m_offset = m_dir.size;
        return {};
    }
    // Walk the checked block from its start to the first entry boundary at or after `offset`.
    uint64_t index = offset / block_size;
    if (index != m_loaded) TRY(load_block(index));
    uint32_t within = uint32_t(offset % block_size);
    uint32_t at = 0;
    while (at < within) at += load_u16(m_block + at + d_rec_len);
    m_offset = index * block_size + at;
    return {};
}

Result<uint32_t> Filesystem::find_entry(const Inode& dir, const char* name, size_t length)
{
    if (!dir.is_directory()) return fail(Error::WrongType, "not a directory");
    DirectoryReader reader(*this, dir);
    DirEntry entry;
    while (TRY(reader.next(entry))) {
        if (same_name(entry.name, entry.name_length, name, length)) return entry.inode;
    }
    return fail(Error::NotFound, "no such file or directory");
}

Result<Inode> Filesystem::resolve(const char* path, size_t length, uint32_t start)
{
    if (m_device == nullptr) return fail(Error::InvalidArgument, "file system is not mounted");
    if (length == 0) return fail(Error::NotFound, "path is empty");
    if (length > kMaxPathLength) return fail(Error::InvalidArgument, "path is too long");
    for (size_t i = 0; i < length; ++i) {
        if (path[i] == '\0') return fail(Error::InvalidArgument, "path contains a NUL byte");
    }

    // (1) The starting directory: the root for an absolute path.
    Inode current = TRY(read_inode(path[0] == '/' ? kRootInode : start));

    // (2) One component at a time; each step needs the current inode to be a directory.
    size_t at = 0;
    while (at < length) {
        if (path[at] == '/') {
            ++at;
            continue;
        }
        size_t end = at;
        while (end < length && path[end] != '/') ++end;
        const char* name = path + at;
        size_t name_length = end - at;
        at = end;

        if (!current.is_directory()) return fail(Error::WrongType, "path component is not a directory");
        if (name_length > kMaxNameLength)
            return fail(Error::InvalidArgument, "path component is too long");
        if (same_name(name, name_length, ".", 1)) continue;
        // ".." at the root stays there, whatever the root's own ".." entry says.
        if (same_name(name, name_length, "..", 2) && current.number == kRootInode) continue;
        uint32_t number = TRY(find_entry(current, name, name_length));
        current = TRY(read_inode(number));
    }

    // (3) "dir/" names a directory: a trailing slash on anything else is ENOTDIR.
    if (path[length - 1] == '/' && !current.is_directory())
        return fail(Error::WrongType, "path component is not a directory");
    m_why = "";
    return current;
}

} // namespace ext2
