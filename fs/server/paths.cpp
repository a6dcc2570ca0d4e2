/// \file paths.cpp
/// \brief Path resolution, the /dev namespace, and getcwd by walking "..".
#include "paths.hpp"
#include "lib/string.hpp"
#include "volume.hpp"

namespace fs::paths {

using protocol::fs::kNameMax;
using protocol::fs::kPathBytes;
using protocol::fs::kPathMax;

namespace {

bool same(const char* name, uint32_t length, const char* literal)
{
    return length == strlen(literal) && memcmp(name, literal, length) == 0;
}

posix::Errno load(uint32_t number, ext2::Inode& out)
{
    Result<ext2::Inode> r = volume::filesystem().read_inode(number);
    if (r.is_error()) return posix::EIO;  // A damaged inode, or the disk failed.
    out = r.value();
    return posix::kOk;
}

/// One step from directory `dir` to its entry `name`. ENOENT when there is none.
posix::Errno step(const Node& dir, const ext2::Inode& dir_inode, const char* name, uint32_t length, Node& out,
                  ext2::Inode& out_inode)
{
    if (dir.kind == NodeKind::DevDir) {
        if (same(name, length, ".")) out = dir;
        else if (same(name, length, "..")) out = Node{NodeKind::Disk, ext2::kRootInode};
        else if (same(name, length, "console")) out = Node{NodeKind::Console, 0};
        else if (same(name, length, "null")) out = Node{NodeKind::Null, 0};
        else return posix::ENOENT;
        return out.kind == NodeKind::Disk ? load(out.inode, out_inode) : posix::kOk;
    }
    bool at_root = dir_inode.number == ext2::kRootInode;
    if (same(name, length, ".") || (at_root && same(name, length, ".."))) {
        out = dir;
        out_inode = dir_inode;
        return posix::kOk;
    }
    if (at_root && same(name, length, "dev")) {
        out = Node{NodeKind::DevDir, 0};
        return posix::kOk;
    }
    Result<uint32_t> found = volume::filesystem().find_entry(dir_inode, name, length);
    if (found.is_error()) {
        if (found.error() == abi::Error::NotFound) return posix::ENOENT;
        if (found.error() == abi::Error::WrongType) return posix::ENOTDIR;
        return posix::EIO;  // A damaged directory block.
    }
    out = Node{NodeKind::Disk, found.value()};
    return load(found.value(), out_inode);
}

} // namespace

bool is_directory(const Node& node, const ext2::Inode& inode)
{
    return node.kind == NodeKind::DevDir || (node.kind == NodeKind::Disk && inode.is_directory());
}

bool is_dot_or_dotdot(const Lookup& l)
{
    return l.name != nullptr && (same(l.name, l.name_length, ".") || same(l.name, l.name_length, ".."));
}

posix::Errno lookup(const Client& c, const char* field, Lookup& out)
{
    // (1) The path itself: NUL-terminated within the field, not empty.
    uint32_t length = uint32_t(strnlen_bounded(field, kPathBytes));
    if (length > kPathMax) return posix::ENAMETOOLONG;
    if (length == 0) return posix::ENOENT;
    if (!volume::mounted()) return posix::EIO;

    // (2) Where it starts: the root, or the working directory (gone if it was removed).
    out = Lookup{};
    if (field[0] == '/') {
        out.node = Node{NodeKind::Disk, ext2::kRootInode};
    } else {
        if (c.cwd_removed) return posix::ENOENT;
        out.node = c.cwd;
    }
    if (out.node.kind == NodeKind::Disk) {
        if (posix::Errno e = load(out.node.inode, out.inode)) return e;
    }
    out.exists = true;
    out.parent = out.node;
    out.parent_inode = out.inode;

    // [fs-lookup-walk]
    // (3) Component by component. Every component but the last must name a directory; the
    // last may be missing (out.exists false) for the caller to create.
    uint32_t at = 0;
    while (at < length) {
        if (field[at] == '/') {
            ++at;
            continue;
        }
        uint32_t end = at;
        while (end < length && field[end] != '/') ++end;
        const char* name = field + at;
        uint32_t name_length = end - at;
        at = end;
        if (name_length > kNameMax) return posix::ENAMETOOLONG;
        if (!out.exists) return posix::ENOENT;  // A directory on the way is missing.
        if (!is_directory(out.node, out.inode)) return posix::ENOTDIR;
        out.parent = out.node;
        out.parent_inode = out.inode;
        out.name = name;
        out.name_length = name_length;
        posix::Errno e = step(out.parent, out.parent_inode, name, name_length, out.node, out.inode);
        if (e == posix::ENOENT) {
            out.exists = false;
            out.node = Node{};
            continue;
        }
        if (e != posix::kOk) return e;
    }
    // [fs-lookup-walk]

    // (4) "name/" must be a directory, if it exists.
    out.trailing_slash = field[length - 1] == '/';
    if (out.trailing_slash && out.exists && !is_directory(out.node, out.inode)) return posix::ENOTDIR;
    return posix::kOk;
}

posix::Errno getcwd(const Client& c, char (&out)[kPathBytes], uint32_t& length)
{
    if (c.cwd_removed) return posix::ENOENT;
    if (c.cwd.kind == NodeKind::DevDir) {
        memcpy(out, "/dev", 5);
        length = 4;
        return posix::kOk;
    }
    if (!volume::mounted()) return posix::EIO;

    // Built right to left at the end of `path`, then moved to the front of `out`.
    char path[kPathBytes];
    uint32_t start = kPathBytes - 1;
    path[start] = '\0';
    uint32_t current = c.cwd.inode;
    ext2::Filesystem& fs = volume::filesystem();
    for (uint32_t steps = 0; current != ext2::kRootInode; ++steps) {
        if (steps > kPathMax) return posix::EIO;  // Deeper than any path we can return: a loop.
        ext2::Inode dir;
        if (posix::Errno e = load(current, dir)) return e;
        Result<uint32_t> up = fs.find_entry(dir, "..", 2);
        if (up.is_error()) return posix::EIO;
        ext2::Inode parent;
        if (posix::Errno e = load(up.value(), parent)) return e;
        // Our name: the parent's entry for `current`, other than "." and "..".
        ext2::DirectoryReader reader(fs, parent);
        ext2::DirEntry entry;
        bool found = false;
        for (;;) {
            Result<bool> more = reader.next(entry);
            if (more.is_error()) return posix::EIO;
            if (!more.value()) break;
            if (entry.inode == current && !same(entry.name, entry.name_length, ".") &&
                !same(entry.name, entry.name_length, "..")) {
                found = true;
                break;
            }
        }
        if (!found) return posix::ENOENT;
        if (start < uint32_t(entry.name_length) + 1) return posix::ERANGE;
        start -= entry.name_length;
        memcpy(path + start, entry.name, entry.name_length);
        path[--start] = '/';
        current = up.value();
    }
    if (start == kPathBytes - 1) path[--start] = '/';
    length = kPathBytes - 1 - start;
    if (length > kPathMax) return posix::ERANGE;
    memcpy(out, path + start, length + 1);
    return posix::kOk;
}

posix::Errno is_within(uint32_t dir, uint32_t ancestor, bool& out)
{
    uint32_t current = dir;
    for (uint32_t steps = 0;; ++steps) {
        if (current == ancestor) {
            out = true;
            return posix::kOk;
        }
        if (current == ext2::kRootInode) {
            out = false;
            return posix::kOk;
        }
        if (steps > volume::filesystem().geometry().inodes_count) return posix::EIO;  // A loop.
        ext2::Inode inode;
        if (posix::Errno e = load(current, inode)) return e;
        Result<uint32_t> up = volume::filesystem().find_entry(inode, "..", 2);
        if (up.is_error()) return posix::EIO;
        current = up.value();
    }
}

} // namespace fs::paths
