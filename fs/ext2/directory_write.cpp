/// \file directory_write.cpp
/// \brief Writing ext2, part 3: directory entries (add, remove, retarget) and the operations on names: create, mkdir, unlink, rmdir, rename.
#include "ext2/layout.hpp"
#include "ext2/writer.hpp"

namespace ext2 {

using namespace layout;

namespace {

// The smallest rec_len that holds a name of `length` bytes.
uint32_t entry_size(uint32_t length) { return (kDirEntryHeaderSize + length + 3) & ~3u; }

bool same_name(const uint8_t* a, uint32_t a_length, const char* b, size_t b_length)
{
    if (a_length != b_length) return false;
    for (size_t i = 0; i < b_length; ++i) {
        if (a[i] != uint8_t(b[i])) return false;
    }
    return true;
}

bool is_dot_or_dotdot(const char* name, size_t length)
{
    return (length == 1 && name[0] == '.') || (length == 2 && name[0] == '.' && name[1] == '.');
}

} // namespace

Result<void> Writer::check_name(const char* name, size_t length)
{
    if (length == 0) return m_fs.fail(Error::InvalidArgument, "name is empty");
    if (length > kMaxNameLength) return m_fs.fail(Error::InvalidArgument, "name is longer than 255 bytes");
    for (size_t i = 0; i < length; ++i) {
        if (name[i] == '\0') return m_fs.fail(Error::InvalidArgument, "name contains a NUL byte");
        if (name[i] == '/') return m_fs.fail(Error::InvalidArgument, "name contains a slash");
    }
    if (is_dot_or_dotdot(name, length)) return m_fs.fail(Error::InvalidArgument, "name is . or ..");
    return {};
}

Result<Inode> Writer::read_directory(uint32_t number)
{
    Inode dir = TRY(m_fs.read_inode(number));
    if (!dir.is_directory()) return m_fs.fail(Error::WrongType, "not a directory");
    return dir;
}

Result<bool> Writer::find_slot(const Inode& dir, const char* name, size_t length, Slot& out)
{
    const Geometry& g = m_fs.geometry();
    uint64_t blocks = dir.size / g.block_size;
    for (uint64_t index = 0; index < blocks; ++index) {
        uint32_t disk = TRY(m_fs.map_block(dir, index));
        if (disk == 0) return m_fs.fail(Error::BadFormat, "directory has a hole");
        TRY(read_block(disk, m_dir));
        TRY(m_fs.check_directory_block(m_dir));
        uint32_t previous = UINT32_MAX;
        for (uint32_t at = 0; at < g.block_size; at += load_u16(m_dir + at + d_rec_len)) {
            uint32_t inode = load_u32(m_dir + at + d_inode);
            if (inode != 0 && same_name(m_dir + at + d_name, m_dir[at + d_name_len], name, length)) {
                out = Slot{disk, at, previous, inode};
                return true;
            }
            previous = at;
        }
    }
    return false;
}

Result<bool> Writer::is_empty_directory(const Inode& dir)
{
    const Geometry& g = m_fs.geometry();
    uint64_t blocks = dir.size / g.block_size;
    for (uint64_t index = 0; index < blocks; ++index) {
        uint32_t disk = TRY(m_fs.map_block(dir, index));
        if (disk == 0) return m_fs.fail(Error::BadFormat, "directory has a hole");
        TRY(read_block(disk, m_dir));
        TRY(m_fs.check_directory_block(m_dir));
        for (uint32_t at = 0; at < g.block_size; at += load_u16(m_dir + at + d_rec_len)) {
            if (load_u32(m_dir + at + d_inode) == 0) continue;
            const char* name = reinterpret_cast<const char*>(m_dir + at + d_name);
            if (!is_dot_or_dotdot(name, m_dir[at + d_name_len])) return false;
        }
    }
    return true;
}

namespace {

void put_entry(uint8_t* entry, uint32_t inode, uint32_t rec_len, const char* name, size_t length,
               FileType type, bool has_filetype)
{
    store_u32(entry + d_inode, inode);
    store_u16(entry + d_rec_len, uint16_t(rec_len));
    if (has_filetype) {
        entry[d_name_len] = uint8_t(length);
        entry[d_file_type] = uint8_t(type);
    } else {
        store_u16(entry + d_name_len, uint16_t(length));
    }
    for (size_t i = 0; i < length; ++i) entry[d_name + i] = uint8_t(name[i]);
    for (uint32_t i = uint32_t(d_name + length); i < entry_size(uint32_t(length)); ++i) entry[i] = 0;
}

} // namespace

Result<void> Writer::add_entry(Inode& dir, const char* name, size_t length, uint32_t inode, FileType type)
{
    const Geometry& g = m_fs.geometry();
    bool has_filetype = (g.feature_incompat & kIncompatFiletype) != 0;
    uint32_t needed = entry_size(uint32_t(length));
    uint64_t blocks = dir.size / g.block_size;

    // (1) Room in an existing block: an unused entry big enough, or the slack after a used one.
    uint32_t disk = 0;
    uint32_t at = 0;
    bool placed = false;
    for (uint64_t index = 0; index < blocks && !placed; ++index) {
        disk = TRY(m_fs.map_block(dir, index));
        if (disk == 0) return m_fs.fail(Error::BadFormat, "directory has a hole");
        TRY(read_block(disk, m_dir));
        TRY(m_fs.check_directory_block(m_dir));
        for (at = 0; at < g.block_size; at += load_u16(m_dir + at + d_rec_len)) {
            uint8_t* entry = m_dir + at;
            uint32_t rec_len = load_u16(entry + d_rec_len);
            if (load_u32(entry + d_inode) == 0) {
                if (rec_len >= needed) {
                    put_entry(entry, inode, rec_len, name, length, type, has_filetype);
                    placed = true;
                    break;
                }
                continue;
            }
            uint32_t used = entry_size(has_filetype ? entry[d_name_len] : load_u16(entry + d_name_len));
            if (rec_len >= used + needed) {
                store_u16(entry + d_rec_len, uint16_t(used));
                put_entry(entry + used, inode, rec_len - used, name, length, type, has_filetype);
                placed = true;
                break;
            }
        }
    }

    // (2) Else a new block at the end, holding the one entry.
    if (!placed) {
        if (blocks >= g.blocks_count) return m_fs.fail(Error::NoMemory, "directory is too large");
        bool created = false;
        disk = TRY(bmap(dir, blocks, true, &created));
        for (uint32_t i = 0; i < g.block_size; ++i) m_dir[i] = 0;
        put_entry(m_dir, inode, g.block_size, name, length, type, has_filetype);
        dir.size += g.block_size;
    }
    TRY(write_block(disk, m_dir));
    // The hashed index (dir_index) is not maintained: drop it, so readers fall back to a linear scan.
    dir.flags &= ~kInodeFlagIndex;
    touch(dir);
    return put_inode(dir);
}

Result<void> Writer::remove_entry(Inode& dir, const char* name, size_t length)
{
    Slot slot;
    if (!TRY(find_slot(dir, name, length, slot))) return m_fs.fail(Error::NotFound, "no such file or directory");
    uint8_t* entry = m_dir + slot.offset;
    if (slot.previous != UINT32_MAX) {
        // Merge into the entry before, which now spans this one too.
        uint8_t* previous = m_dir + slot.previous;
        store_u16(previous + d_rec_len, uint16_t(load_u16(previous + d_rec_len) + load_u16(entry + d_rec_len)));
    } else {
        store_u32(entry + d_inode, 0);  // The first entry of a block keeps its place, unused.
    }
    TRY(write_block(slot.disk_block, m_dir));
    dir.flags &= ~kInodeFlagIndex;
    touch(dir);
    return put_inode(dir);
}

Result<void> Writer::retarget_entry(Inode& dir, const char* name, size_t length, uint32_t inode, FileType type)
{
    Slot slot;
    if (!TRY(find_slot(dir, name, length, slot))) return m_fs.fail(Error::NotFound, "no such file or directory");
    store_u32(m_dir + slot.offset + d_inode, inode);
    if (m_fs.geometry().feature_incompat & kIncompatFiletype) m_dir[slot.offset + d_file_type] = uint8_t(type);
    TRY(write_block(slot.disk_block, m_dir));
    touch(dir);
    return put_inode(dir);
}

Result<void> Writer::set_parent(const Inode& dir, uint32_t parent)
{
    uint32_t disk = TRY(m_fs.map_block(dir, 0));
    if (disk == 0) return m_fs.fail(Error::BadFormat, "directory has a hole");
    TRY(read_block(disk, m_dir));
    TRY(m_fs.check_directory_block(m_dir));
    uint32_t at = load_u16(m_dir + d_rec_len);
    if (at >= m_fs.geometry().block_size || m_dir[at + d_name_len] != 2 || m_dir[at + d_name] != '.' ||
        m_dir[at + d_name + 1] != '.')
        return m_fs.fail(Error::BadFormat, "directory's second entry is not ..");
    store_u32(m_dir + at + d_inode, parent);
    return write_block(disk, m_dir);
}

// ---- operations on names -------------------------------------------------------------------

Result<uint32_t> Writer::create(uint32_t dir_number, const char* name, size_t length, uint16_t permissions)
{
    TRY(check_writable());
    TRY(check_name(name, length));
    Inode dir = TRY(read_directory(dir_number));
    Slot slot;
    if (TRY(find_slot(dir, name, length, slot))) return m_fs.fail(Error::Busy, "name exists");

    uint32_t number = TRY(allocate_inode(dir_number, false));
    Inode file = {};
    file.number = number;
    file.mode = uint16_t(kModeRegular | (permissions & 07777));
    file.links = 1;
    file.atime = file.ctime = file.mtime = m_now;
    Result<void> r = put_inode(file, true);
    if (!r.is_error()) r = add_entry(dir, name, length, number, FileType::Regular);
    if (r.is_error()) {
        // Give the inode back (its slot says links 0 once freed), keeping the first reason.
        const char* reason = m_fs.why();
        file.links = 0;
        file.dtime = m_now != 0 ? m_now : 1;
        (void)put_inode(file, true);
        (void)free_inode(number, false);
        return m_fs.fail(r.error(), reason);
    }
    m_fs.m_why = "";
    return number;
}

Result<uint32_t> Writer::mkdir(uint32_t dir_number, const char* name, size_t length, uint16_t permissions)
{
    TRY(check_writable());
    TRY(check_name(name, length));
    const Geometry& g = m_fs.geometry();
    Inode parent = TRY(read_directory(dir_number));
    if (parent.links >= kMaxLinks) return m_fs.fail(Error::InvalidArgument, "too many links");
    Slot slot;
    if (TRY(find_slot(parent, name, length, slot))) return m_fs.fail(Error::Busy, "name exists");
    TRY(read_super());
    if (load_u32(m_super + s_free_blocks_count) == 0) return m_fs.fail(Error::NoMemory, "no free blocks");

    // (1) The inode and its one block, holding "." and "..".
    uint32_t number = TRY(allocate_inode(dir_number, true));
    Inode dir = {};
    dir.number = number;
    dir.mode = uint16_t(kModeDirectory | (permissions & 07777));
    dir.links = 2;
    dir.atime = dir.ctime = dir.mtime = m_now;
    bool created = false;
    Result<uint32_t> block = bmap(dir, 0, true, &created);
    Result<void> r = block.is_error() ? Result<void>(block.error()) : Result<void>();
    if (!r.is_error()) {
        bool has_filetype = (g.feature_incompat & kIncompatFiletype) != 0;
        for (uint32_t i = 0; i < g.block_size; ++i) m_dir[i] = 0;
        put_entry(m_dir, number, 12, ".", 1, FileType::Directory, has_filetype);
        put_entry(m_dir + 12, dir_number, g.block_size - 12, "..", 2, FileType::Directory, has_filetype);
        dir.size = g.block_size;
        r = write_block(block.value(), m_dir);
    }
    if (!r.is_error()) r = put_inode(dir, true);
    // (2) The entry in the parent, which may need a block of its own.
    if (!r.is_error()) r = add_entry(parent, name, length, number, FileType::Directory);
    if (r.is_error()) {
        const char* reason = m_fs.why();
        if (block.is_error() == false) (void)free_block(block.value());
        dir.links = 0;
        dir.size = 0;
        dir.sectors = 0;
        dir.block[0] = 0;
        dir.dtime = m_now != 0 ? m_now : 1;
        (void)put_inode(dir, true);
        (void)free_inode(number, true);
        return m_fs.fail(r.error(), reason);
    }
    // (3) The child's ".." is a link to the parent.
    parent.links++;
    TRY(put_inode(parent));
    m_fs.m_why = "";
    return number;
}

Result<void> Writer::unlink(uint32_t dir_number, const char* name, size_t length)
{
    TRY(check_writable());
    TRY(check_name(name, length));
    Inode dir = TRY(read_directory(dir_number));
    Slot slot;
    if (!TRY(find_slot(dir, name, length, slot))) return m_fs.fail(Error::NotFound, "no such file or directory");
    Inode target = TRY(m_fs.read_inode(slot.inode));
    if (target.is_directory()) return m_fs.fail(Error::WrongType, "is a directory");

    TRY(remove_entry(dir, name, length));
    target.links--;
    target.ctime = m_now;
    TRY(drop_link(target));
    m_fs.m_why = "";
    return {};
}

Result<void> Writer::rmdir(uint32_t dir_number, const char* name, size_t length)
{
    TRY(check_writable());
    TRY(check_name(name, length));
    Inode parent = TRY(read_directory(dir_number));
    Slot slot;
    if (!TRY(find_slot(parent, name, length, slot))) return m_fs.fail(Error::NotFound, "no such file or directory");
    Inode target = TRY(m_fs.read_inode(slot.inode));
    if (!target.is_directory()) return m_fs.fail(Error::WrongType, "not a directory");
    if (target.number == parent.number || target.number == kRootInode)
        return m_fs.fail(Error::BadFormat, "directory entry names the directory itself or the root");
    if (!TRY(is_empty_directory(target))) return m_fs.fail(Error::Busy, "directory is not empty");

    TRY(remove_entry(parent, name, length));
    if (parent.links > 2) parent.links--;  // The child's ".." is gone.
    TRY(put_inode(parent));
    target.links = 0;  // Its entry in the parent and its own "." are both gone.
    target.ctime = m_now;
    TRY(drop_link(target));
    m_fs.m_why = "";
    return {};
}

Result<void> Writer::drop_link(Inode& inode)
{
    if (inode.links == 0 && !(m_fs.m_open != nullptr && m_fs.m_open->is_open(inode.number))) return release(inode);
    return put_inode(inode);
}

Result<void> Writer::release_inode(uint32_t number)
{
    TRY(check_writable());
    Inode inode = TRY(m_fs.read_inode_slot(number, true));
    if (inode.links != 0) return {};
    TRY(release(inode));
    m_fs.m_why = "";
    return {};
}

Result<void> Writer::rename(uint32_t from_number, const char* from_name, size_t from_length,
                            uint32_t to_number, const char* to_name, size_t to_length)
{
    TRY(check_writable());
    TRY(check_name(from_name, from_length));
    TRY(check_name(to_name, to_length));
    const Geometry& g = m_fs.geometry();

    // One Inode object per directory, so that changes made through one name are seen by the other.
    Inode directories[2];
    Inode& from = directories[0];
    from = TRY(read_directory(from_number));
    bool same_directory = from_number == to_number;
    Inode& to = same_directory ? directories[0] : directories[1];
    if (!same_directory) to = TRY(read_directory(to_number));

    // (1) The source, and the checks that need no change yet.
    Slot slot;
    if (!TRY(find_slot(from, from_name, from_length, slot)))
        return m_fs.fail(Error::NotFound, "no such file or directory");
    Inode source = TRY(m_fs.read_inode(slot.inode));
    bool moves_directory = source.is_directory();
    if (same_directory && from_length == to_length && same_name(reinterpret_cast<const uint8_t*>(from_name), uint32_t(from_length), to_name, to_length))
        return {};
    if (moves_directory && !same_directory) {
        // The target directory may not be the source or lie below it: walk up from it by "..".
        uint32_t at = to_number;
        for (uint32_t steps = 0;; ++steps) {
            if (at == source.number) return m_fs.fail(Error::InvalidArgument, "directory moved below itself");
            if (at == kRootInode) break;
            if (steps > g.inodes_count) return m_fs.fail(Error::BadFormat, "directory tree has a loop");
            Inode up = TRY(read_directory(at));
            at = TRY(m_fs.find_entry(up, "..", 2));
        }
    }

    // (2) An existing target: the same inode (nothing to do), or one of a compatible kind.
    Slot existing;
    bool replaces = TRY(find_slot(to, to_name, to_length, existing));
    Inode target = {};
    if (replaces) {
        if (existing.inode == source.number) return {};
        target = TRY(m_fs.read_inode(existing.inode));
        if (moves_directory && !target.is_directory()) return m_fs.fail(Error::WrongType, "not a directory");
        if (!moves_directory && target.is_directory()) return m_fs.fail(Error::WrongType, "is a directory");
        if (target.is_directory() && !TRY(is_empty_directory(target)))
            return m_fs.fail(Error::Busy, "directory is not empty");
    } else if (moves_directory && !same_directory && to.links >= kMaxLinks) {
        return m_fs.fail(Error::InvalidArgument, "too many links");
    }

    // (3) The new name first (the only step that can need space), then the old one goes.
    if (replaces) TRY(retarget_entry(to, to_name, to_length, source.number, source.type()));
    else TRY(add_entry(to, to_name, to_length, source.number, source.type()));
    TRY(remove_entry(from, from_name, from_length));

    // (4) Link counts: a moved directory's ".." now counts for the new parent.
    if (moves_directory && !same_directory) {
        TRY(set_parent(source, to_number));
        if (from.links > 2) from.links--;
        to.links++;
    }
    if (replaces && target.is_directory() && to.links > 2) to.links--;  // The target's ".." went.
    TRY(put_inode(from));
    if (!same_directory) TRY(put_inode(to));
    source.ctime = m_now;
    TRY(put_inode(source));

    // (5) The replaced target loses the link its entry held.
    if (replaces) {
        target.links = target.is_directory() ? 0 : uint16_t(target.links - 1);
        target.ctime = m_now;
        TRY(drop_link(target));
    }
    m_fs.m_why = "";
    return {};
}

} // namespace ext2
