/// \file requests_control.cpp
/// \brief The requests on the server as a whole: sync and statfs, and the control requests of the process manager: new client, client exit, list of clients.
#include "lib/string.hpp"
#include "paths.hpp"
#include "protocols/rs.hpp"
#include "replies.hpp"
#include "requests.hpp"
#include "sys.hpp"
#include "volume.hpp"

namespace fs::requests {

using namespace protocol::fs;

ipc::Message do_sync(const ipc::Message& m)
{
    if (!volume::mounted()) return reply(m.label, posix::EIO);
    return reply(m.label, volume::cache().sync().is_error() ? posix::EIO : posix::kOk);
}

ipc::Message do_statfs(const ipc::Message& m)
{
    if (!volume::mounted()) return error_reply(m.label, posix::EIO);
    volume::Counts counts{};
    if (posix::Errno e = volume::counts(counts)) return error_reply(m.label, e);
    StatfsReply out{};
    out.block_size = volume::filesystem().geometry().block_size;
    out.blocks = counts.blocks;
    out.free_blocks = counts.free_blocks;
    out.inodes = counts.inodes;
    out.free_inodes = counts.free_inodes;
    out.cached_blocks = volume::cache().cached();
    out.dirty_blocks = volume::cache().dirty();
    ipc::Message r;
    ipc::pack(r, m.label, out);
    return r;
}

ipc::Message do_new_client(const ipc::Message& m, abi::CapSlot& pending_delete)
{
    NewClientRequest req = ipc::unpack<NewClientRequest>(m);
    // (1) The request: a process id, an existing parent, descriptors in range.
    if (req.pid == 0 || req.pid >= kServiceBadgeBase || req.pid == req.parent) return reply(m.label, posix::EINVAL);
    Client* parent = nullptr;
    if (req.parent != 0) {
        // A parent this instance does not know (fs restarted under it) starts over, as on its own
        // next request (no descriptors: the child inherits closed ones); it is also made the
        // most recently active, never the one forgotten below.
        parent = files::client_for_request(req.parent);
        if (parent == nullptr) return reply(m.label, posix::EAGAIN);
    }
    for (int32_t fd : req.fds) {
        if (fd < -1 || fd >= int32_t(kMaxFds)) return reply(m.label, posix::EBADF);
    }

    // (2) The capability the process will call us with: our endpoint, badged with its pid.
    int64_t cap = sys::cap_mint(protocol::rs::kSlotEndpoint, 0, abi::rights::kWrite | abi::rights::kGrant, req.pid);
    if (cap <= 0) return reply(m.label, posix::ENOMEM);

    // (3) Its state: the parent's working directory and the descriptors named (a closed one
    // stays closed in the child), or, without a parent, the console on 0, 1 and 2.
    Client* child = files::new_client(req.pid);
    if (child == nullptr) {
        (void)sys::cap_delete(static_cast<abi::CapSlot>(cap));
        return reply(m.label, posix::EAGAIN);
    }
    if (parent != nullptr) {
        child->cwd = parent->cwd;
        child->cwd_removed = parent->cwd_removed;
        for (uint32_t i = 0; i < kInheritFds; ++i) {
            int32_t index = req.fds[i] >= 0 ? files::descriptor(*parent, req.fds[i]) : -1;
            if (index < 0) continue;
            files::file(index).refs++;
            child->fds[i] = int16_t(index);
        }
    } else if (req.console == 1) {
        int32_t index = files::open_file(FileKind::Console, flags::kReadWrite);
        if (index < 0) {
            files::forget_client(*child);
            (void)sys::cap_delete(static_cast<abi::CapSlot>(cap));
            return reply(m.label, posix::ENFILE);
        }
        files::file(index).refs = 3;
        for (int32_t fd = 0; fd < 3; ++fd) child->fds[fd] = int16_t(index);
    }

    // (4) The capability goes with the reply; ours is deleted once the reply is sent.
    ipc::Message out = reply(m.label, posix::kOk, int64_t(req.pid));
    out.cap_count = 1;
    out.send_caps[0] = static_cast<abi::CapSlot>(cap);
    pending_delete = static_cast<abi::CapSlot>(cap);
    return out;
}

ipc::Message do_client_exit(const ipc::Message& m)
{
    ClientRequest req = ipc::unpack<ClientRequest>(m);
    Client* c = files::find_client(req.pid);
    if (c == nullptr) return reply(m.label, posix::ESRCH);
    files::forget_client(*c);
    return reply(m.label, posix::kOk);
}

ipc::Message do_clients(const ipc::Message& m)
{
    ClientRequest req = ipc::unpack<ClientRequest>(m);
    Client* c = req.pid < kMaxClients ? files::client_at(uint32_t(req.pid)) : nullptr;
    if (c == nullptr) return error_reply(m.label, posix::ESRCH);
    ClientInfo out{};
    out.open_fds = files::open_count(*c);
    out.pid = c->badge;
    uint32_t length = 0;
    // A working directory that cannot be named (removed, or the disk is gone) shows as "".
    if (paths::getcwd(*c, out.cwd, length) != posix::kOk) out.cwd[0] = '\0';
    ipc::Message r;
    ipc::pack(r, m.label, out);
    return r;
}

} // namespace fs::requests
