/// \file requests_info.cpp
/// \brief The requests that describe what a descriptor refers to: fstat (and the stat reply shared with stat), and readdir over disk directories and /dev.
#include "lib/string.hpp"
#include "paths.hpp"
#include "pipe.hpp"
#include "replies.hpp"
#include "requests.hpp"
#include "volume.hpp"

namespace fs::requests {

using namespace protocol::fs;

posix::Errno stat_node(const Node& node, const ext2::Inode& inode, StatReply& out)
{
    out = StatReply{};
    out.links = 1;
    switch (node.kind) {
    case NodeKind::DevDir:
        out.mode = mode::kDirectory | 0755;
        out.inode = paths::kDevDirInode;
        out.links = 2;
        break;
    case NodeKind::Console:
        out.mode = mode::kCharDevice | 0620;
        out.inode = paths::kConsoleInode;
        break;
    case NodeKind::Null:
        out.mode = mode::kCharDevice | 0666;
        out.inode = paths::kNullInode;
        break;
    case NodeKind::Disk:
        out.mode = inode.mode;
        out.inode = inode.number;
        out.size = inode.size;
        out.links = inode.links;
        out.uid = inode.uid;
        out.gid = inode.gid;
        out.blocks = inode.sectors;
        out.atime = inode.atime;
        out.mtime = inode.mtime;
        out.ctime = inode.ctime;
        break;
    default: return posix::EIO;
    }
    // The made-up nodes carry the time of the boot, more or less.
    if (node.kind != NodeKind::Disk) out.atime = out.mtime = out.ctime = volume::mounted() ? volume::now() : 0;
    return posix::kOk;
}

ipc::Message do_fstat(const ipc::Message& m, Client& c)
{
    FdRequest req = ipc::unpack<FdRequest>(m);
    int32_t index = files::descriptor(c, req.fd);
    if (index < 0) return error_reply(m.label, posix::EBADF);
    const OpenFile& f = files::file(index);
    StatReply out{};
    ext2::Inode inode{};
    Node node;
    switch (f.kind) {
    case FileKind::Regular:
    case FileKind::Directory: {
        Result<ext2::Inode> r = volume::filesystem().read_inode(f.inode);
        if (r.is_error()) return error_reply(m.label, posix::EIO);
        inode = r.value();
        node = Node{NodeKind::Disk, f.inode};
        break;
    }
    case FileKind::DevDir: node.kind = NodeKind::DevDir; break;
    case FileKind::Console: node.kind = NodeKind::Console; break;
    case FileKind::Null: node.kind = NodeKind::Null; break;
    case FileKind::PipeRead:
    case FileKind::PipeWrite: {
        out.mode = mode::kFifo | 0600;
        out.inode = 0xfffe0000u + f.pipe;
        out.size = pipes::buffered(f.pipe);
        out.links = 1;
        ipc::Message r;
        ipc::pack(r, m.label, out);
        return r;
    }
    case FileKind::Free: return error_reply(m.label, posix::EBADF);
    }
    if (posix::Errno e = stat_node(node, inode, out)) return error_reply(m.label, e);
    ipc::Message r;
    ipc::pack(r, m.label, out);
    return r;
}

namespace {

ipc::Message dirent(uint32_t label, uint32_t inode, uint64_t next, uint8_t type, const char* name, uint32_t length)
{
    DirentReply out{};
    out.inode = inode;
    out.next_cookie = next;
    out.type = type;
    out.name_len = uint8_t(length);
    memcpy(out.name, name, length);
    ipc::Message m;
    ipc::pack(m, label, out);
    return m;
}

/// The entries of /dev, by cookie 0, 1, 2, 3.
ipc::Message dev_entry(uint32_t label, uint64_t cookie)
{
    constexpr uint8_t kDir = uint8_t(ext2::FileType::Directory);
    constexpr uint8_t kChar = uint8_t(ext2::FileType::CharDevice);
    switch (cookie) {
    case 0: return dirent(label, paths::kDevDirInode, 1, kDir, ".", 1);
    case 1: return dirent(label, ext2::kRootInode, 2, kDir, "..", 2);
    case 2: return dirent(label, paths::kConsoleInode, 3, kChar, "console", 7);
    case 3: return dirent(label, paths::kNullInode, 4, kChar, "null", 4);
    default: return dirent(label, 0, cookie, 0, "", 0);  // The end.
    }
}

} // namespace

ipc::Message do_readdir(const ipc::Message& m, Client& c)
{
    ReaddirRequest req = ipc::unpack<ReaddirRequest>(m);
    int32_t index = files::descriptor(c, req.fd);
    if (index < 0) return error_reply(m.label, posix::EBADF);
    const OpenFile& f = files::file(index);
    if (f.kind == FileKind::DevDir) return dev_entry(m.label, req.cookie);
    if (f.kind != FileKind::Directory) return error_reply(m.label, posix::ENOTDIR);

    ext2::Filesystem& fs = volume::filesystem();
    Result<ext2::Inode> dir = fs.read_inode(f.inode);
    if (dir.is_error()) return error_reply(m.label, posix::EIO);
    const ext2::Inode& d = dir.value();
    if (d.links == 0) return dirent(m.label, 0, req.cookie, 0, "", 0);  // Removed while open: empty.

    // The cookie is a byte offset into the directory; the reader resumes at the entry there.
    ext2::DirectoryReader reader(fs, d);
    ext2::DirEntry e;
    Result<void> sought = reader.seek(req.cookie);
    Result<bool> more = sought.is_error() ? Result<bool>(sought.error()) : reader.next(e);
    if (more.is_error()) return error_reply(m.label, posix::EIO);
    if (more.value()) {
        uint8_t type = e.file_type;
        if (type == 0) {
            // No type byte in the entries (no FILETYPE feature): the inode knows.
            Result<ext2::Inode> inode = fs.read_inode(e.inode);
            if (inode.is_error()) return error_reply(m.label, posix::EIO);
            type = uint8_t(inode.value().type());
        }
        return dirent(m.label, e.inode, reader.position(), type, e.name, e.name_length);
    }
    // After the root's last entry, its entry "dev" (the server's /dev), unless the disk has one.
    if (d.number == ext2::kRootInode && req.cookie <= d.size && fs.find_entry(d, "dev", 3).is_error())
        return dirent(m.label, paths::kDevDirInode, d.size + 1, uint8_t(ext2::FileType::Directory), "dev", 3);
    return dirent(m.label, 0, req.cookie, 0, "", 0);
}

} // namespace fs::requests
