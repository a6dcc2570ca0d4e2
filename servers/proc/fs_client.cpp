/// \file fs_client.cpp
/// \brief proc's calls to the file-system server, each a fixed-size request checked on the way back.
#include "fs_client.hpp"
#include "lib/string.hpp"

namespace proc::fs {

namespace {

using namespace protocol::fs;

/// Copies `path` into a request; false if it does not fit.
bool set_path(PathRequest& req, const char* path)
{
    size_t n = strnlen_bounded(path, kPathBytes);
    if (n > kPathMax) return false;
    memcpy(req.path, path, n);
    req.path[n] = '\0';
    return true;
}

/// Calls fs with `body` under `label`; fills `reply` from the answer. EIO if fs did not answer
/// (it died: RS restarts it, and the caller of proc sees one failed request).
/// Calls fs with `m` and unpacks the answer as `Answer` (its capabilities go to `raw`, if
/// given, or are deleted). \return the reply's status, or EIO when fs did not answer.
template <typename Answer>
Errno call_with(const ipc::Message& m, Answer& reply, ipc::Message* raw = nullptr)
{
    ipc::Result r = ipc::call(kSlotFs, m);
    if (!r.ok()) return posix::EIO;
    if (raw) *raw = r.message;
    else
        for (uint32_t i = 0; i < r.message.cap_count; ++i) sys::cap_delete(r.message.send_caps[i]);
    if (r.message.length * 8 < sizeof(int32_t)) return posix::EIO;
    reply = ipc::unpack<Answer>(r.message);
    int32_t status;  // Every fs reply starts with it.
    memcpy(&status, &reply, sizeof(status));
    return static_cast<Errno>(status);
}

template <typename Request, typename Answer>
Errno call(uint32_t label, const Request& body, Answer& reply, ipc::Message* raw = nullptr)
{
    ipc::Message m;
    ipc::pack(m, label, body);
    return call_with(m, reply, raw);
}

} // namespace

Errno stat(const char* path, StatReply& out)
{
    PathRequest req{};
    if (!set_path(req, path)) return posix::ENAMETOOLONG;
    return call(kStat, req, out);
}

Errno open(const char* path, int32_t& fd)
{
    PathRequest req{};
    req.flags = flags::kReadOnly;
    if (!set_path(req, path)) return posix::ENAMETOOLONG;
    Reply reply{};
    Errno e = call(kOpen, req, reply);
    fd = static_cast<int32_t>(reply.value);
    return e;
}

Errno read(int32_t fd, void* out, uint32_t length, uint32_t& got)
{
    // Straight into `out`: lent to fs as the call's window.
    ipc::Message m;
    ipc::pack(m, kRead, FdRequest{fd, length, 0});
    ipc::lend(m, out, length, abi::window_rights::kServerWrites);
    Reply reply{};
    got = 0;
    Errno e = call_with(m, reply);
    if (e != posix::kOk) return e;
    if (reply.value < 0 || uint64_t(reply.value) > length) return posix::EIO;  // Not a reply we trust.
    got = uint32_t(reply.value);
    return posix::kOk;
}

void close(int32_t fd)
{
    Reply reply{};
    (void)call(kClose, FdRequest{fd, 0, 0}, reply);
}

Errno new_client(uint64_t pid, uint64_t parent, const int32_t (&fds)[kInheritFds], bool console, abi::CapSlot& fs_cap)
{
    NewClientRequest req{};
    req.pid = pid;
    req.parent = parent;
    for (uint32_t i = 0; i < kInheritFds; ++i) req.fds[i] = fds[i];
    req.console = console ? 1 : 0;
    Reply reply{};
    ipc::Message raw;
    fs_cap = 0;
    Errno e = call(kNewClient, req, reply, &raw);
    if (e == posix::kOk && raw.cap_count == 1) {
        fs_cap = raw.send_caps[0];
        return posix::kOk;
    }
    for (uint32_t i = 0; i < raw.cap_count; ++i) sys::cap_delete(raw.send_caps[i]);
    // A success without the capability would leave a child that cannot reach fs: undo it.
    if (e == posix::kOk) {
        client_exit(pid);
        return posix::EIO;
    }
    return e;
}

void client_exit(uint64_t pid)
{
    Reply reply{};
    (void)call(kClientExit, ClientRequest{pid}, reply);
}

Errno cwd_of(uint64_t pid, char (&out)[kPathBytes])
{
    // fs lists its clients by index; proc looks for the one with this pid.
    for (uint64_t index = 0; index < 1024; ++index) {
        ClientInfo info{};
        Errno e = call(kClients, ClientRequest{index}, info);
        if (e == posix::ESRCH) break;
        if (e != posix::kOk) return e;
        if (info.pid != pid) continue;
        size_t n = strnlen_bounded(info.cwd, kPathMax);
        memcpy(out, info.cwd, n);
        out[n] = '\0';
        return posix::kOk;
    }
    return posix::ESRCH;
}

} // namespace proc::fs
