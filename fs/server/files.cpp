/// \file files.cpp
/// \brief The client table, descriptor tables and open file descriptions: installing, sharing, closing, and freeing unlinked inodes at the last close.
#include "files.hpp"
#include "parked.hpp"
#include "pipe.hpp"
#include "print.hpp"
#include "volume.hpp"

namespace fs::files {

namespace {

Client g_clients[kMaxClients];
OpenFile g_files[kMaxOpenFiles];
uint64_t g_activity = 0;  ///< Counts requests, to order clients by their last one.

struct OpenInodeSet final : ext2::OpenInodes {
    bool is_open(uint32_t number) const override
    {
        for (const OpenFile& f : g_files) {
            if ((f.kind == FileKind::Regular || f.kind == FileKind::Directory) && f.inode == number) return true;
        }
        return false;
    }
};
OpenInodeSet g_open_inodes;

void clear(Client& c, uint64_t badge)
{
    c.used = true;
    c.badge = badge;
    c.cwd = Node{NodeKind::Disk, ext2::kRootInode};
    c.cwd_removed = false;
    for (int16_t& fd : c.fds) fd = -1;
    c.last_active = ++g_activity;
}

} // namespace

void init()
{
    for (Client& c : g_clients) c = Client{};
    for (OpenFile& f : g_files) f = OpenFile{};
}

Client* find_client(uint64_t badge)
{
    for (Client& c : g_clients) {
        if (c.used && c.badge == badge) return &c;
    }
    return nullptr;
}

Client* client_for_request(uint64_t badge)
{
    Client* c = find_client(badge);
    if (c == nullptr) c = new_client(badge);
    if (c != nullptr) c->last_active = ++g_activity;
    return c;
}



Client* new_client(uint64_t badge)
{
    if (Client* old = find_client(badge)) forget_client(*old);
    for (Client& c : g_clients) {
        if (!c.used) {
            clear(c, badge);
            return &c;
        }
    }
    // Full: clients that ended without a kClientExit. The least recently active one that is
    // not waiting for us goes.
    Client* victim = nullptr;
    for (Client& c : g_clients) {
        if (parked::count(c.badge) == 0 && (victim == nullptr || c.last_active < victim->last_active)) victim = &c;
    }
    if (victim == nullptr) return nullptr;
    print("fs: client table full: forgetting client 0x%lx (%u descriptors)\n", victim->badge, open_count(*victim));
    forget_client(*victim);
    clear(*victim, badge);
    return victim;
}

void forget_client(Client& c)
{
    parked::drop_client(c.badge);
    for (int32_t fd = 0; fd < int32_t(protocol::fs::kMaxFds); ++fd) {
        if (c.fds[fd] >= 0) (void)close(c, fd);
    }
    c = Client{};
}

Client* client_at(uint32_t index)
{
    for (Client& c : g_clients) {
        if (c.used && index-- == 0) return &c;
    }
    return nullptr;
}

uint32_t open_count(const Client& c)
{
    uint32_t n = 0;
    for (int16_t fd : c.fds) n += fd >= 0;
    return n;
}

int32_t open_file(FileKind kind, uint32_t flags, uint32_t inode, uint32_t pipe)
{
    for (int32_t i = 0; i < int32_t(kMaxOpenFiles); ++i) {
        if (g_files[i].kind == FileKind::Free) {
            g_files[i] = OpenFile{kind, 1, flags, inode, pipe, 0};
            return i;
        }
    }
    return -1;
}

OpenFile& file(int32_t index) { return g_files[index]; }

void release(int32_t index)
{
    OpenFile& f = g_files[index];
    if (f.refs > 1) {
        --f.refs;
        return;
    }
    // The last reference: the description closes. An inode unlinked while open (no links
    // left) is freed now, unless another description has it open too. Whether it has links
    // is read while it is still open: after, the library no longer reads an inode without them.
    bool unlinked = false;
    if ((f.kind == FileKind::Regular || f.kind == FileKind::Directory) && volume::mounted()) {
        Result<ext2::Inode> inode = volume::filesystem().read_inode(f.inode);
        unlinked = !inode.is_error() && inode.value().links == 0;
    }
    OpenFile closed = f;
    f = OpenFile{};
    switch (closed.kind) {
    case FileKind::PipeRead: pipes::close_end(closed.pipe, true); break;
    case FileKind::PipeWrite: pipes::close_end(closed.pipe, false); break;
    case FileKind::Regular:
    case FileKind::Directory:
        if (unlinked && !g_open_inodes.is_open(closed.inode)) {
            volume::stamp();
            Result<void> r = volume::writer().release_inode(closed.inode);
            if (r.is_error())
                print("fs: freeing unlinked inode %u failed: %s\n", closed.inode, volume::writer().why());
        }
        break;
    default: break;
    }
}

int32_t install(Client& c, int32_t index)
{
    for (int32_t fd = 0; fd < int32_t(protocol::fs::kMaxFds); ++fd) {
        if (c.fds[fd] < 0) {
            c.fds[fd] = int16_t(index);
            return fd;
        }
    }
    return -1;
}

int32_t descriptor(const Client& c, int32_t fd)
{
    if (fd < 0 || fd >= int32_t(protocol::fs::kMaxFds)) return -1;
    return c.fds[fd];
}

posix::Errno close(Client& c, int32_t fd)
{
    int32_t index = descriptor(c, fd);
    if (index < 0) return posix::EBADF;
    c.fds[fd] = -1;
    release(index);
    return posix::kOk;
}

const ext2::OpenInodes& open_inodes() { return g_open_inodes; }

void forget_cwd(uint32_t number)
{
    for (Client& c : g_clients) {
        if (c.used && c.cwd.kind == NodeKind::Disk && c.cwd.inode == number) c.cwd_removed = true;
    }
}

} // namespace fs::files
