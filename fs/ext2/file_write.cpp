/// \file file_write.cpp
/// \brief Writing ext2, part 2: mapping file blocks with allocation, writing file data, truncating, and freeing an unlinked inode.
#include "ext2/layout.hpp"
#include "ext2/writer.hpp"
#include "lib/string.hpp"

namespace ext2 {

using namespace layout;

namespace {

void fill_zero(uint8_t* p, uint32_t n)
{
    for (uint32_t i = 0; i < n; ++i) p[i] = 0;
}

// i_blocks after freeing one block; never wraps below zero on a damaged inode.
void drop_block(Inode& inode, uint32_t block_size)
{
    uint32_t sectors = block_size / 512;
    inode.sectors = inode.sectors >= sectors ? inode.sectors - sectors : 0;
}

} // namespace

Result<uint32_t> Writer::bmap(Inode& inode, uint64_t file_block, bool create, bool* created)
{
    const Geometry& g = m_fs.geometry();
    if (created != nullptr) *created = false;
    Result<BlockPath> found = block_path(file_block, g.pointers_per_block);
    if (found.is_error()) return m_fs.fail(Error::InvalidArgument, "file block is beyond the triple-indirect range");
    const BlockPath& path = found.value();

    // (1) Walk down as far as the pointers go. m_indirect[l] holds the indirect block whose
    // number is holder[l + 1]; the pointer at level 0 lives in the inode.
    uint32_t holder[5] = {};
    uint32_t level = 0;
    uint32_t block = inode.block[path.index[0]];
    while (block != 0) {
        if (!m_fs.block_in_range(block))
            return m_fs.fail(Error::BadFormat, "block pointer is outside the file system");
        if (level + 1 == path.depth) return block;
        TRY(read_block(block, m_indirect[level]));
        holder[level + 1] = block;
        block = load_u32(m_indirect[level] + 4 * path.index[level + 1]);
        ++level;
    }
    if (!create) return 0u;

    // (2) Check there is room for every missing level before taking any block, so running out
    // of space never leaves an empty indirect block behind.
    uint32_t missing = path.depth - level;
    uint32_t sectors_per_block = g.block_size / 512;
    TRY(read_super());
    if (load_u32(m_super + s_free_blocks_count) < missing) return m_fs.fail(Error::NoMemory, "no free blocks");
    if (uint64_t(inode.sectors) + uint64_t(missing) * sectors_per_block > UINT32_MAX)
        return m_fs.fail(Error::InvalidArgument, "file is too large for i_blocks");

    // (3) Allocate from the first missing level down: each new indirect block is zeroed on the
    // disk before the pointer to it is written. Blocks go near the inode's previous block.
    uint32_t goal = holder[level] != 0 ? holder[level] + 1 : 0;
    if (goal == 0) {
        for (uint32_t i = 0; i < kBlockPointers; ++i) {
            if (inode.block[i] != 0) goal = inode.block[i] + 1;
        }
    }
    if (goal == 0) {
        uint32_t group = (inode.number - 1) / g.inodes_per_group;
        goal = g.first_data_block + group * g.blocks_per_group;
    }
    for (; level < path.depth; ++level) {
        uint32_t fresh = TRY(allocate_block(goal));
        goal = fresh + 1;
        if (level + 1 < path.depth) {
            fill_zero(m_indirect[level], g.block_size);
            TRY(write_block(fresh, m_indirect[level]));
        }
        if (level == 0) {
            inode.block[path.index[0]] = fresh;
        } else {
            store_u32(m_indirect[level - 1] + 4 * path.index[level], fresh);
            TRY(write_block(holder[level], m_indirect[level - 1]));
        }
        inode.sectors += sectors_per_block;
        holder[level + 1] = fresh;
        block = fresh;
    }
    if (created != nullptr) *created = true;
    return block;
}

Result<void> Writer::zero_tail(Inode& inode, uint64_t from)
{
    uint32_t block_size = m_fs.geometry().block_size;
    uint32_t within = uint32_t(from % block_size);
    if (within == 0) return {};
    uint32_t disk = TRY(bmap(inode, from / block_size, false, nullptr));
    if (disk == 0) return {};
    TRY(read_block(disk, m_data));
    fill_zero(m_data + within, block_size - within);
    return write_block(disk, m_data);
}

Result<bool> Writer::trim(uint32_t block, uint32_t level, uint64_t base, uint64_t keep, Inode& inode)
{
    // `block` is an indirect block `level` steps above the data (1: it points at data blocks),
    // covering file blocks [base, base + p^level). Levels use distinct buffers, so a parent's
    // pointers survive its children's walk.
    const Geometry& g = m_fs.geometry();
    if (!m_fs.block_in_range(block)) return m_fs.fail(Error::BadFormat, "block pointer is outside the file system");
    uint8_t* pointers = m_indirect[level - 1];
    TRY(read_block(block, pointers));
    uint64_t child_span = 1;
    for (uint32_t i = 1; i < level; ++i) child_span *= g.pointers_per_block;

    bool changed = false;
    bool kept = false;
    for (uint32_t i = 0; i < g.pointers_per_block; ++i) {
        uint32_t child = load_u32(pointers + 4 * i);
        if (child == 0) continue;
        uint64_t child_base = base + i * child_span;
        if (child_base + child_span <= keep) {
            kept = true;
            continue;
        }
        bool freed = true;
        if (level == 1) {
            TRY(free_block(child));
            drop_block(inode, g.block_size);
        } else {
            freed = TRY(trim(child, level - 1, child_base, keep, inode));
        }
        if (freed) {
            store_u32(pointers + 4 * i, 0);
            changed = true;
        } else {
            kept = true;
        }
    }
    if (!kept) {
        TRY(free_block(block));
        drop_block(inode, g.block_size);
        return true;
    }
    if (changed) TRY(write_block(block, pointers));
    return false;
}

Result<void> Writer::shrink(Inode& inode, uint64_t keep)
{
    const Geometry& g = m_fs.geometry();
    for (uint32_t i = 0; i < kDirectBlocks; ++i) {
        if (i < keep || inode.block[i] == 0) continue;
        TRY(free_block(inode.block[i]));
        inode.block[i] = 0;
        drop_block(inode, g.block_size);
    }
    uint64_t base = kDirectBlocks;
    uint64_t span = g.pointers_per_block;
    for (uint32_t level = 1; level <= 3; ++level) {
        uint32_t& top = inode.block[kDirectBlocks + level - 1];
        if (top != 0 && base + span > keep) {
            bool freed = TRY(trim(top, level, base, keep, inode));
            if (freed) top = 0;
        }
        base += span;
        span *= g.pointers_per_block;
    }
    return {};
}

Result<void> Writer::release(Inode& inode)
{
    // An inline symlink's i_block is its target, and a device's holds its numbers: no blocks.
    bool has_blocks = inode.type() == FileType::Regular || inode.type() == FileType::Directory ||
                      (inode.type() == FileType::Symlink && !inode.is_inline_symlink(m_fs.geometry().block_size));
    if (has_blocks) TRY(shrink(inode, 0));
    if (inode.file_acl != 0) {
        // A shared extended-attribute block: drop this inode's reference (h_refcount at byte 4).
        if (!m_fs.block_in_range(inode.file_acl))
            return m_fs.fail(Error::BadFormat, "extended-attribute block is outside the file system");
        TRY(read_block(inode.file_acl, m_data));
        if (load_u32(m_data) != 0xEA020000u)
            return m_fs.fail(Error::BadFormat, "extended-attribute block has a bad magic number");
        uint32_t references = load_u32(m_data + 4);
        if (references <= 1) {
            TRY(free_block(inode.file_acl));
        } else {
            store_u32(m_data + 4, references - 1);
            TRY(write_block(inode.file_acl, m_data));
        }
        drop_block(inode, m_fs.geometry().block_size);
        inode.file_acl = 0;
    }
    inode.links = 0;
    inode.size = 0;
    inode.dtime = m_now != 0 ? m_now : 1;  // A deleted inode has a non-zero dtime.
    inode.ctime = m_now;
    TRY(put_inode(inode));
    return free_inode(inode.number, inode.is_directory());
}

Result<size_t> Writer::write(uint32_t number, uint64_t offset, const uint8_t* data, size_t length)
{
    TRY(check_writable());
    const Geometry& g = m_fs.geometry();
    Inode inode = TRY(m_fs.read_inode(number));
    if (inode.type() != FileType::Regular) return m_fs.fail(Error::WrongType, "not a regular file");
    if (length == 0) return size_t(0);
    uint64_t limit = g.max_file_size;
    if (!(g.feature_ro_compat & kRoCompatLargeFile) && limit > 0x7FFFFFFFu) limit = 0x7FFFFFFFu;
    if (offset > limit || length > limit - offset) return m_fs.fail(Error::InvalidArgument, "file would exceed the largest size");

    // Bytes between the old end and `offset` must read as zeros: clear the old last block's tail.
    if (offset > inode.size) TRY(zero_tail(inode, inode.size));

    size_t done = 0;
    Error error = Error::None;
    while (done < length) {
        uint64_t at = offset + done;
        uint32_t within = uint32_t(at % g.block_size);
        size_t chunk = g.block_size - within;
        if (chunk > length - done) chunk = length - done;
        bool created = false;
        Result<uint32_t> disk = bmap(inode, at / g.block_size, true, &created);
        if (disk.is_error()) {
            error = disk.error();
            break;
        }
        if (chunk < g.block_size) {
            if (created) {
                fill_zero(m_data, g.block_size);
            } else {
                Result<void> r = read_block(disk.value(), m_data);
                if (r.is_error()) {
                    error = r.error();
                    break;
                }
            }
        }
        memcpy(m_data + within, data + done, chunk);
        Result<void> r = write_block(disk.value(), m_data);
        if (r.is_error()) {
            error = r.error();
            break;
        }
        done += chunk;
        if (at + chunk > inode.size) inode.size = at + chunk;
    }

    // The inode is written even after an error: blocks may have been allocated into it.
    if (done > 0) touch(inode);
    const char* reason = m_fs.why();
    TRY(put_inode(inode));
    if (done == 0 && error != Error::None) return m_fs.fail(error, reason);
    m_fs.m_why = "";
    return done;
}

Result<void> Writer::truncate(uint32_t number, uint64_t size)
{
    TRY(check_writable());
    const Geometry& g = m_fs.geometry();
    Inode inode = TRY(m_fs.read_inode(number));
    if (inode.is_directory()) return m_fs.fail(Error::WrongType, "is a directory");
    if (inode.type() != FileType::Regular) return m_fs.fail(Error::InvalidArgument, "not a regular file");
    uint64_t limit = g.max_file_size;
    if (!(g.feature_ro_compat & kRoCompatLargeFile) && limit > 0x7FFFFFFFu) limit = 0x7FFFFFFFu;
    if (size > limit) return m_fs.fail(Error::InvalidArgument, "file would exceed the largest size");

    if (size < inode.size) {
        TRY(zero_tail(inode, size));
        uint64_t keep = size / g.block_size + (size % g.block_size != 0);
        Result<void> r = shrink(inode, keep);
        if (r.is_error()) {
            // Keep what was freed consistent with the inode, then report.
            const char* reason = m_fs.why();
            inode.size = size;
            TRY(put_inode(inode));
            return m_fs.fail(r.error(), reason);
        }
    } else if (size > inode.size) {
        TRY(zero_tail(inode, inode.size));
    }
    inode.size = size;
    touch(inode);
    TRY(put_inode(inode));
    m_fs.m_why = "";
    return {};
}

} // namespace ext2
