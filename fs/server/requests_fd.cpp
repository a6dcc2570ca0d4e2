/// \file requests_fd.cpp
/// \brief The requests on descriptors: open, close, read, write, seek, ftruncate, dup, dup2 and pipe.
#include "console.hpp"
#include "lib/string.hpp"
#include "paths.hpp"
#include "pipe.hpp"
#include "replies.hpp"
#include "requests.hpp"
#include "volume.hpp"
#include "window.hpp"

namespace fs::requests {

using namespace protocol::fs;

namespace {

uint32_t access_mode(const OpenFile& f) { return f.flags & flags::kAccessMask; }
bool readable(const OpenFile& f) { return access_mode(f) == flags::kReadOnly || access_mode(f) == flags::kReadWrite; }
bool writable(const OpenFile& f) { return access_mode(f) == flags::kWriteOnly || access_mode(f) == flags::kReadWrite; }

/// A write or truncate error of the library, as POSIX has it.
posix::Errno write_errno(abi::Error e)
{
    switch (e) {
    case abi::Error::InvalidArgument: return posix::EFBIG;  // Past the largest file.
    case abi::Error::WrongType: return posix::EISDIR;
    default: return volume::errno_of(e);
    }
}

uint32_t free_descriptors(const Client& c) { return kMaxFds - files::open_count(c); }

/// Makes a description and gives it a descriptor. \return the descriptor, or -errno.
int32_t open_description(Client& c, FileKind kind, uint32_t open_flags, uint32_t inode = 0)
{
    int32_t index = files::open_file(kind, open_flags, inode);
    if (index < 0) return -posix::ENFILE;
    int32_t fd = files::install(c, index);
    if (fd < 0) {
        files::release(index);
        return -posix::EMFILE;
    }
    return fd;
}

} // namespace

ipc::Message do_open(const ipc::Message& m, Client& c)
{
    PathRequest req = ipc::unpack<PathRequest>(m);
    uint32_t access = req.flags & flags::kAccessMask;
    if (access != flags::kReadOnly && access != flags::kWriteOnly && access != flags::kReadWrite)
        return reply(m.label, posix::EINVAL);
    bool write_access = access != flags::kReadOnly;
    // Nothing is created when there is no descriptor to give it.
    if (free_descriptors(c) == 0) return reply(m.label, posix::EMFILE);

    // (1) The path, and the file created if it is missing and O_CREAT asks for it.
    paths::Lookup l;
    if (posix::Errno e = paths::lookup(c, req.path, l)) return reply(m.label, e);
    if (!l.exists) {
        if (!(req.flags & flags::kCreate)) return reply(m.label, posix::ENOENT);
        if (l.trailing_slash) return reply(m.label, posix::EISDIR);
        if (l.parent.kind != NodeKind::Disk) return reply(m.label, posix::EROFS);
        volume::stamp();
        Result<uint32_t> made = volume::writer().create(l.parent.inode, l.name, l.name_length, uint16_t(req.mode & 07777));
        if (made.is_error()) return reply(m.label, volume::errno_of(made.error()));
        Result<ext2::Inode> inode = volume::filesystem().read_inode(made.value());
        if (inode.is_error()) return reply(m.label, posix::EIO);
        l.exists = true;
        l.node = Node{NodeKind::Disk, made.value()};
        l.inode = inode.value();
    } else if ((req.flags & flags::kCreate) && (req.flags & flags::kExclusive)) {
        return reply(m.label, posix::EEXIST);
    }

    // (2) What kind of description, and whether these flags suit it.
    bool want_directory = (req.flags & flags::kDirectory) != 0;
    FileKind kind;
    switch (l.node.kind) {
    case NodeKind::Console: kind = FileKind::Console; break;
    case NodeKind::Null: kind = FileKind::Null; break;
    case NodeKind::DevDir: kind = FileKind::DevDir; break;
    default:
        switch (l.inode.type()) {
        case ext2::FileType::Directory: kind = FileKind::Directory; break;
        case ext2::FileType::Regular: kind = FileKind::Regular; break;
        case ext2::FileType::Symlink: return reply(m.label, posix::ELOOP);  // Links are not followed.
        default: return reply(m.label, posix::ENXIO);  // Device files on the disk mean nothing here.
        }
    }
    bool is_directory = kind == FileKind::Directory || kind == FileKind::DevDir;
    // A directory is not opened for writing, truncated, or "created" (O_CREAT on one: EISDIR).
    if (is_directory && (write_access || (req.flags & (flags::kTruncate | flags::kCreate))))
        return reply(m.label, posix::EISDIR);
    if (!is_directory && want_directory) return reply(m.label, posix::ENOTDIR);

    // (3) O_TRUNC empties a regular file opened for writing.
    if (kind == FileKind::Regular && (req.flags & flags::kTruncate) && write_access && l.inode.size > 0) {
        volume::stamp();
        Result<void> r = volume::writer().truncate(l.node.inode, 0);
        if (r.is_error()) return reply(m.label, write_errno(r.error()));
    }

    // (4) The description and its descriptor.
    int32_t fd = open_description(c, kind, req.flags & ~(flags::kCreate | flags::kExclusive | flags::kTruncate), l.node.inode);
    if (fd < 0) return reply(m.label, -fd);
    return reply(m.label, posix::kOk, fd);
}

ipc::Message do_close(const ipc::Message& m, Client& c)
{
    FdRequest req = ipc::unpack<FdRequest>(m);
    return reply(m.label, files::close(c, req.fd));
}

namespace {

/// The staging buffer file data moves through between the block cache and a client's window.
uint8_t g_staging[window::kStagingBytes];

// [fs-read-regular]
/// The answer to a read or write that moved `done` bytes and then met `error`: those bytes if
/// there were any (POSIX's short read or write; the next call meets the error again), else the error.
ipc::Message partial(uint32_t label, uint64_t done, int32_t error)
{
    return count_reply(label, done ? posix::kOk : error, int64_t(done));
}

/// Reads up to `length` bytes of a regular file at the description's offset into the caller's
/// window, a staging buffer at a time. A damaged block further on gives the bytes before it
/// first, as a short read; the next read starts at the damage and gets EIO.
ipc::Message read_regular(uint32_t label, OpenFile& f, uint32_t length)
{
    Result<ext2::Inode> inode = volume::filesystem().read_inode(f.inode);
    if (inode.is_error()) return reply(label, posix::EIO);
    uint32_t block_size = volume::filesystem().geometry().block_size;
    uint64_t done = 0;
    while (done < length) {
        uint32_t want = length - done < window::kStagingBytes ? uint32_t(length - done) : window::kStagingBytes;
        Result<size_t> n = volume::filesystem().read(inode.value(), f.offset, g_staging, want);
        size_t got = n.is_error() ? 0 : n.value();
        if (n.is_error()) {
            // Up to the end of the block the offset is in, which may be the damaged one.
            uint32_t before = block_size - uint32_t(f.offset % block_size);
            Result<size_t> part = volume::filesystem().read(inode.value(), f.offset, g_staging, before < want ? before : want);
            if (part.is_error() || before >= want) return partial(label, done, posix::EIO);
            got = part.value();
        }
        if (got == 0) break;  // End of file.
        if (posix::Errno e = window::put(abi::kNullSlot, done, g_staging, got); e != posix::kOk)
            return partial(label, done, e);
        f.offset += got;
        done += got;
        if (got < want) break;  // End of file, or the damage comes next.
    }
    return reply(label, posix::kOk, int64_t(done));
}
// [fs-read-regular]

/// Moves `length` bytes from the caller's window, a staging buffer at a time, into `sink(bytes,
/// n)`, which returns how many it took (fewer: stop) or a negated errno (see partial()).
template <typename Sink>
ipc::Message from_window(uint32_t label, uint32_t length, Sink sink)
{
    uint64_t done = 0;
    while (done < length) {
        uint32_t want = length - done < window::kStagingBytes ? uint32_t(length - done) : window::kStagingBytes;
        int64_t n = window::get(abi::kNullSlot, done, g_staging, want) == posix::kOk ? sink(g_staging, want) : -posix::EFAULT;
        if (n < 0) return partial(label, done, int32_t(-n));
        done += uint64_t(n);
        if (uint64_t(n) < want) break;
    }
    return reply(label, posix::kOk, int64_t(done));
}

/// Writes `length` bytes from the caller's window into a regular file at `offset`.
ipc::Message write_regular(uint32_t label, OpenFile& f, uint64_t offset, uint32_t length)
{
    volume::stamp();
    return from_window(label, length, [&](const uint8_t* bytes, uint32_t n) -> int64_t {
        Result<size_t> written = volume::writer().write(f.inode, offset, bytes, n);
        if (written.is_error()) return -write_errno(written.error());
        offset += written.value();
        f.offset = offset;
        return int64_t(written.value());
    });
}

/// Shows `length` bytes from the caller's window on the console.
ipc::Message write_console(uint32_t label, uint32_t length)
{
    return from_window(label, length, [](const uint8_t* bytes, uint32_t n) -> int64_t {
        return console::write(reinterpret_cast<const char*>(bytes), n) < 0 ? -posix::EIO : int64_t(n);
    });
}

/// The description behind descriptor `fd` of `c`, if it is open for reading (`write` false) or
/// writing; nullptr for EBADF.
OpenFile* usable(Client& c, int32_t fd, bool write)
{
    int32_t index = files::descriptor(c, fd);
    if (index < 0) return nullptr;
    OpenFile& f = files::file(index);
    return (write ? writable(f) : readable(f)) ? &f : nullptr;
}

} // namespace

// [fs-do-read]
ipc::Message do_read(const ipc::Message& m, Client& c)
{
    FdRequest req = ipc::unpack<FdRequest>(m);
    OpenFile* file = usable(c, req.fd, false);
    if (!file) return reply(m.label, posix::EBADF);
    OpenFile& f = *file;
    // The bytes go straight into the caller's buffer: the window its call lent (window.hpp).
    uint32_t length = req.length < kMaxTransfer ? req.length : kMaxTransfer;

    switch (f.kind) {
    case FileKind::Regular: return read_regular(m.label, f, length);
    case FileKind::PipeRead: return pipes::read(m.label, c.badge, f.pipe, length);
    case FileKind::Console: return console::read(m.label, c.badge, length);
    case FileKind::Null: return reply(m.label, posix::kOk, 0);
    case FileKind::Directory:
    case FileKind::DevDir: return reply(m.label, posix::EISDIR);
    default: return reply(m.label, posix::EBADF);
    }
}
// [fs-do-read]

ipc::Message do_write(const ipc::Message& m, Client& c)
{
    FdRequest req = ipc::unpack<FdRequest>(m);
    OpenFile* file = usable(c, req.fd, true);
    if (!file) return reply(m.label, posix::EBADF);
    OpenFile& f = *file;
    // The bytes come straight from the caller's buffer: the window its call lent.
    uint32_t length = req.length < kMaxTransfer ? req.length : kMaxTransfer;

    switch (f.kind) {
    case FileKind::Regular: {
        // O_APPEND: every write goes to the end as it is now.
        uint64_t offset = f.offset;
        if (f.flags & flags::kAppend) {
            Result<ext2::Inode> inode = volume::filesystem().read_inode(f.inode);
            if (inode.is_error()) return reply(m.label, posix::EIO);
            offset = inode.value().size;
        }
        return write_regular(m.label, f, offset, length);
    }
    case FileKind::PipeWrite: return pipes::write(m.label, c.badge, f.pipe, length);
    case FileKind::Console: return write_console(m.label, length);
    case FileKind::Null: return reply(m.label, posix::kOk, length);
    default: return reply(m.label, posix::EBADF);
    }
}

ipc::Message do_seek(const ipc::Message& m, Client& c)
{
    SeekRequest req = ipc::unpack<SeekRequest>(m);
    int32_t index = files::descriptor(c, req.fd);
    if (index < 0) return reply(m.label, posix::EBADF);
    OpenFile& f = files::file(index);
    switch (f.kind) {
    case FileKind::PipeRead:
    case FileKind::PipeWrite:
    case FileKind::Console: return reply(m.label, posix::ESPIPE);
    case FileKind::Null: return reply(m.label, posix::kOk, 0);  // As Linux's /dev/null.
    default: break;
    }

    int64_t base;
    switch (static_cast<Whence>(req.whence)) {
    case Whence::Set: base = 0; break;
    case Whence::Current: base = int64_t(f.offset); break;
    case Whence::End: {
        base = 0;
        if (f.kind == FileKind::Regular || f.kind == FileKind::Directory) {
            Result<ext2::Inode> inode = volume::filesystem().read_inode(f.inode);
            if (inode.is_error()) return reply(m.label, posix::EIO);
            base = int64_t(inode.value().size);
        }
        break;
    }
    default: return reply(m.label, posix::EINVAL);
    }
    // Before the start is EINVAL; past the end is fine (a later write leaves a hole).
    if (req.offset < 0 && -(req.offset + 1) >= base) return reply(m.label, posix::EINVAL);
    if (req.offset > 0 && req.offset > INT64_MAX - base) return reply(m.label, posix::EOVERFLOW);
    f.offset = uint64_t(base + req.offset);
    return reply(m.label, posix::kOk, int64_t(f.offset));
}

ipc::Message do_ftruncate(const ipc::Message& m, Client& c)
{
    FdRequest req = ipc::unpack<FdRequest>(m);
    int32_t index = files::descriptor(c, req.fd);
    if (index < 0) return reply(m.label, posix::EBADF);
    const OpenFile& f = files::file(index);
    // As Linux: a descriptor that is not a regular file open for writing is EINVAL.
    if (f.kind != FileKind::Regular || !writable(f)) return reply(m.label, posix::EINVAL);
    volume::stamp();
    Result<void> r = volume::writer().truncate(f.inode, req.size);
    if (r.is_error()) return reply(m.label, write_errno(r.error()));
    return reply(m.label, posix::kOk);
}

ipc::Message do_dup(const ipc::Message& m, Client& c)
{
    FdRequest req = ipc::unpack<FdRequest>(m);
    int32_t index = files::descriptor(c, req.fd);
    if (index < 0) return reply(m.label, posix::EBADF);
    if (free_descriptors(c) == 0) return reply(m.label, posix::EMFILE);
    files::file(index).refs++;
    return reply(m.label, posix::kOk, files::install(c, index));
}

ipc::Message do_dup2(const ipc::Message& m, Client& c)
{
    Dup2Request req = ipc::unpack<Dup2Request>(m);
    int32_t index = files::descriptor(c, req.oldfd);
    if (index < 0 || req.newfd < 0 || req.newfd >= int32_t(kMaxFds)) return reply(m.label, posix::EBADF);
    if (req.newfd == req.oldfd) return reply(m.label, posix::kOk, req.newfd);
    // The new reference first, so closing newfd cannot close the description we copy.
    files::file(index).refs++;
    if (c.fds[req.newfd] >= 0) (void)files::close(c, req.newfd);
    c.fds[req.newfd] = int16_t(index);
    return reply(m.label, posix::kOk, req.newfd);
}

ipc::Message do_pipe(const ipc::Message& m, Client& c)
{
    if (free_descriptors(c) < 2) return reply(m.label, posix::EMFILE);
    int32_t pipe = pipes::create();
    if (pipe < 0) return reply(m.label, posix::ENFILE);
    int32_t read_end = files::open_file(FileKind::PipeRead, flags::kReadOnly, 0, uint32_t(pipe));
    int32_t write_end = read_end < 0 ? -1 : files::open_file(FileKind::PipeWrite, flags::kWriteOnly, 0, uint32_t(pipe));
    if (write_end < 0) {
        // Closing what was made closes the pipe too.
        if (read_end >= 0) files::release(read_end);
        else pipes::close_end(uint32_t(pipe), true);
        pipes::close_end(uint32_t(pipe), false);
        return reply(m.label, posix::ENFILE);
    }
    int32_t read_fd = files::install(c, read_end);
    int32_t write_fd = files::install(c, write_end);
    return reply(m.label, posix::kOk, read_fd, write_fd);
}

} // namespace fs::requests
