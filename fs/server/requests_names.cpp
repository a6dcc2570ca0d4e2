/// \file requests_names.cpp
/// \brief The requests on names in the tree: stat, mkdir, rmdir, unlink, rename, truncate, chdir and getcwd.
#include "lib/string.hpp"
#include "paths.hpp"
#include "replies.hpp"
#include "requests.hpp"
#include "volume.hpp"

namespace fs::requests {

using namespace protocol::fs;

namespace {

bool is_root(const paths::Lookup& l) { return l.name == nullptr; }

} // namespace

ipc::Message do_stat(const ipc::Message& m, Client& c)
{
    PathRequest req = ipc::unpack<PathRequest>(m);
    paths::Lookup l;
    if (posix::Errno e = paths::lookup(c, req.path, l)) return error_reply(m.label, e);
    if (!l.exists) return error_reply(m.label, posix::ENOENT);
    StatReply out{};
    if (posix::Errno e = stat_node(l.node, l.inode, out)) return error_reply(m.label, e);
    ipc::Message r;
    ipc::pack(r, m.label, out);
    return r;
}

ipc::Message do_mkdir(const ipc::Message& m, Client& c)
{
    PathRequest req = ipc::unpack<PathRequest>(m);
    paths::Lookup l;
    if (posix::Errno e = paths::lookup(c, req.path, l)) return reply(m.label, e);
    if (l.exists) return reply(m.label, posix::EEXIST);  // "/", ".", ".." too.
    if (l.parent.kind != NodeKind::Disk) return reply(m.label, posix::EROFS);
    volume::stamp();
    Result<uint32_t> r = volume::writer().mkdir(l.parent.inode, l.name, l.name_length, uint16_t(req.mode & 07777));
    if (r.is_error()) {
        // The name was checked (a component, not "." or ".."): InvalidArgument can only be
        // the parent's link count at its maximum.
        if (r.error() == abi::Error::InvalidArgument) return reply(m.label, posix::EMLINK);
        return reply(m.label, volume::errno_of(r.error()));
    }
    return reply(m.label, posix::kOk);
}

ipc::Message do_rmdir(const ipc::Message& m, Client& c)
{
    PathRequest req = ipc::unpack<PathRequest>(m);
    paths::Lookup l;
    if (posix::Errno e = paths::lookup(c, req.path, l)) return reply(m.label, e);
    if (!l.exists) return reply(m.label, posix::ENOENT);
    if (is_root(l) || l.node.kind == NodeKind::DevDir) return reply(m.label, posix::EBUSY);
    // As Linux: rmdir("x/.") is EINVAL, rmdir("x/..") is ENOTEMPTY (x's parent has x in it).
    if (l.name_length == 1 && l.name[0] == '.') return reply(m.label, posix::EINVAL);
    if (paths::is_dot_or_dotdot(l)) return reply(m.label, posix::ENOTEMPTY);
    if (!paths::is_directory(l.node, l.inode)) return reply(m.label, posix::ENOTDIR);
    volume::stamp();
    Result<void> r = volume::writer().rmdir(l.parent.inode, l.name, l.name_length);
    if (r.is_error()) {
        if (r.error() == abi::Error::Busy) return reply(m.label, posix::ENOTEMPTY);
        return reply(m.label, volume::errno_of(r.error()));
    }
    files::forget_cwd(l.node.inode);
    return reply(m.label, posix::kOk);
}

ipc::Message do_unlink(const ipc::Message& m, Client& c)
{
    PathRequest req = ipc::unpack<PathRequest>(m);
    paths::Lookup l;
    if (posix::Errno e = paths::lookup(c, req.path, l)) return reply(m.label, e);
    if (!l.exists) return reply(m.label, posix::ENOENT);
    if (is_root(l) || paths::is_directory(l.node, l.inode)) return reply(m.label, posix::EISDIR);
    if (l.node.kind != NodeKind::Disk) return reply(m.label, posix::EROFS);  // /dev/console, /dev/null.
    volume::stamp();
    // An open file keeps its inode and blocks until its last close (files::release).
    Result<void> r = volume::writer().unlink(l.parent.inode, l.name, l.name_length);
    if (r.is_error()) {
        if (r.error() == abi::Error::WrongType) return reply(m.label, posix::EISDIR);
        return reply(m.label, volume::errno_of(r.error()));
    }
    return reply(m.label, posix::kOk);
}

ipc::Message do_rename(const ipc::Message& m, Client& c)
{
    TwoPathRequest req = ipc::unpack<TwoPathRequest>(m);
    paths::Lookup from, to;
    if (posix::Errno e = paths::lookup(c, req.from, from)) return reply(m.label, e);
    if (!from.exists) return reply(m.label, posix::ENOENT);
    if (posix::Errno e = paths::lookup(c, req.to, to)) return reply(m.label, e);

    // (1) What cannot be renamed: the root, "/dev", ".", "..", and across the two name spaces.
    if (is_root(from) || is_root(to)) return reply(m.label, posix::EBUSY);
    if (from.node.kind == NodeKind::DevDir || (to.exists && to.node.kind == NodeKind::DevDir))
        return reply(m.label, posix::EBUSY);
    if (paths::is_dot_or_dotdot(from) || paths::is_dot_or_dotdot(to)) return reply(m.label, posix::EINVAL);
    bool from_disk = from.parent.kind == NodeKind::Disk && from.node.kind == NodeKind::Disk;
    bool to_disk = to.parent.kind == NodeKind::Disk && (!to.exists || to.node.kind == NodeKind::Disk);
    if (!from_disk && !to_disk) return reply(m.label, posix::EROFS);
    if (!from_disk || !to_disk) return reply(m.label, posix::EXDEV);

    // (2) The POSIX checks, made here so that each gets its own error.
    bool moves_directory = from.inode.is_directory();
    if (to.exists && to.node.inode == from.node.inode) return reply(m.label, posix::kOk);  // The same file.
    if (!moves_directory && to.trailing_slash) return reply(m.label, posix::ENOTDIR);
    if (to.exists) {
        if (moves_directory && !to.inode.is_directory()) return reply(m.label, posix::ENOTDIR);
        if (!moves_directory && to.inode.is_directory()) return reply(m.label, posix::EISDIR);
    }
    if (moves_directory) {
        // A directory cannot move below itself.
        bool inside = false;
        if (posix::Errno e = paths::is_within(to.parent.inode, from.node.inode, inside)) return reply(m.label, e);
        if (inside) return reply(m.label, posix::EINVAL);
    }

    volume::stamp();
    Result<void> r = volume::writer().rename(from.parent.inode, from.name, from.name_length, to.parent.inode, to.name,
                                             to.name_length);
    if (r.is_error()) {
        switch (r.error()) {
        case abi::Error::Busy: return reply(m.label, posix::ENOTEMPTY);
        case abi::Error::InvalidArgument: return reply(m.label, posix::EMLINK);  // Checked the rest above.
        case abi::Error::WrongType: return reply(m.label, moves_directory ? posix::ENOTDIR : posix::EISDIR);
        default: return reply(m.label, volume::errno_of(r.error()));
        }
    }
    // A directory replaced by the move is gone: whoever worked in it loses it.
    if (to.exists && to.inode.is_directory()) files::forget_cwd(to.node.inode);
    return reply(m.label, posix::kOk);
}

ipc::Message do_truncate(const ipc::Message& m, Client& c)
{
    PathRequest req = ipc::unpack<PathRequest>(m);
    paths::Lookup l;
    if (posix::Errno e = paths::lookup(c, req.path, l)) return reply(m.label, e);
    if (!l.exists) return reply(m.label, posix::ENOENT);
    if (paths::is_directory(l.node, l.inode)) return reply(m.label, posix::EISDIR);
    if (l.node.kind != NodeKind::Disk || l.inode.type() != ext2::FileType::Regular) return reply(m.label, posix::EINVAL);
    volume::stamp();
    Result<void> r = volume::writer().truncate(l.node.inode, req.size);
    if (r.is_error()) {
        if (r.error() == abi::Error::InvalidArgument) return reply(m.label, posix::EFBIG);
        return reply(m.label, volume::errno_of(r.error()));
    }
    return reply(m.label, posix::kOk);
}

ipc::Message do_chdir(const ipc::Message& m, Client& c)
{
    PathRequest req = ipc::unpack<PathRequest>(m);
    paths::Lookup l;
    if (posix::Errno e = paths::lookup(c, req.path, l)) return reply(m.label, e);
    if (!l.exists) return reply(m.label, posix::ENOENT);
    if (!paths::is_directory(l.node, l.inode)) return reply(m.label, posix::ENOTDIR);
    c.cwd = l.node;
    c.cwd_removed = false;
    return reply(m.label, posix::kOk);
}

ipc::Message do_getcwd(const ipc::Message& m, Client& c)
{
    PathReply out{};
    if (posix::Errno e = paths::getcwd(c, out.path, out.length)) return error_reply(m.label, e);
    ipc::Message r;
    ipc::pack(r, m.label, out);
    return r;
}

} // namespace fs::requests
