/// \file fsclient.hpp
/// \brief fstest's typed client for the `fs` protocol: one method per label, each returning the value or a negated posix::Errno.
#pragma once

#include "ipc.hpp"
#include "lib/string.hpp"
#include "protocols/errno.hpp"
#include "protocols/fs.hpp"
#include <stdint.h>

namespace fstest {

using namespace protocol::fs;

/// The size of most reads and writes these tests make: small, so that files of a few KiB take
/// many calls, and 8 of them fit a pipe (4 KiB) with room left over.
inline constexpr uint32_t kDataBytes = 496;

/// Calls `fs` through one capability (one client). Results: >= 0 success (a descriptor, a
/// count, an offset), < 0 the negated errno; transport failures are -EIO.
class Fs {
public:
    explicit Fs(abi::CapSlot endpoint = abi::kNullSlot) : m_endpoint(endpoint) {}
    abi::CapSlot endpoint() const { return m_endpoint; }

    int64_t open(const char* path, uint32_t open_flags, uint32_t mode = 0644) { return path_call(kOpen, path, open_flags, mode, 0); }
    int64_t close(int32_t fd) { return fd_call(kClose, fd, 0, 0); }
    int64_t read(int32_t fd, void* out, uint32_t length)
    {
        ipc::Message m;
        ipc::pack(m, kRead, FdRequest{fd, length, 0});
        ipc::lend(m, out, length, abi::window_rights::kServerWrites);
        int64_t n = value_of(ipc::call(m_endpoint, m));
        return n > int64_t(length) ? -posix::EIO : n;  // More than asked: not a reply to trust.
    }
    int64_t write(int32_t fd, const void* data, uint32_t length)
    {
        ipc::Message m;
        ipc::pack(m, kWrite, FdRequest{fd, length, 0});
        ipc::lend(m, data, length, abi::window_rights::kServerReads);
        return value_of(ipc::call(m_endpoint, m));
    }
    int64_t seek(int32_t fd, int64_t offset, Whence whence)
    {
        ipc::Message m;
        ipc::pack(m, kSeek, SeekRequest{fd, static_cast<uint32_t>(whence), offset});
        return value_of(ipc::call(m_endpoint, m));
    }
    int64_t stat(const char* path, StatReply& out)
    {
        PathRequest req = path_request(path, 0, 0, 0);
        ipc::Message m;
        ipc::pack(m, kStat, req);
        return stat_of(ipc::call(m_endpoint, m), out);
    }
    int64_t fstat(int32_t fd, StatReply& out)
    {
        ipc::Message m;
        ipc::pack(m, kFstat, FdRequest{fd, 0, 0});
        return stat_of(ipc::call(m_endpoint, m), out);
    }
    /// One entry at `cookie`. \return 1 with `out` filled, 0 at the end, or -errno.
    int64_t readdir(int32_t fd, uint64_t cookie, DirentReply& out)
    {
        ipc::Message m;
        ipc::pack(m, kReaddir, ReaddirRequest{fd, 0, cookie});
        ipc::Result r = ipc::call(m_endpoint, m);
        if (!r.ok()) return -posix::EIO;
        out = ipc::unpack<DirentReply>(r.message);
        out.name[kNameMax] = '\0';
        if (out.status != 0) return -out.status;
        return out.name_len != 0;
    }
    int64_t mkdir(const char* path, uint32_t mode = 0755) { return path_call(kMkdir, path, 0, mode, 0); }
    int64_t rmdir(const char* path) { return path_call(kRmdir, path, 0, 0, 0); }
    int64_t unlink(const char* path) { return path_call(kUnlink, path, 0, 0, 0); }
    int64_t rename(const char* from, const char* to)
    {
        TwoPathRequest req{};
        memcpy(req.from, from, strnlen_bounded(from, kPathBytes - 1));
        memcpy(req.to, to, strnlen_bounded(to, kPathBytes - 1));
        ipc::Message m;
        ipc::pack(m, kRename, req);
        return value_of(ipc::call(m_endpoint, m));
    }
    int64_t truncate(const char* path, uint64_t size) { return path_call(kTruncate, path, 0, 0, size); }
    int64_t ftruncate(int32_t fd, uint64_t size) { return fd_call(kFtruncate, fd, 0, size); }
    int64_t sync() { return value_of(ipc::call(m_endpoint, ipc::make(kSync))); }
    int64_t chdir(const char* path) { return path_call(kChdir, path, 0, 0, 0); }
    int64_t getcwd(char (&out)[kPathBytes])
    {
        ipc::Result r = ipc::call(m_endpoint, ipc::make(kGetcwd));
        if (!r.ok()) return -posix::EIO;
        PathReply p = ipc::unpack<PathReply>(r.message);
        if (p.status != 0) return -p.status;
        memcpy(out, p.path, kPathBytes);
        out[kPathBytes - 1] = '\0';
        return p.length;
    }
    int64_t dup(int32_t fd) { return fd_call(kDup, fd, 0, 0); }
    int64_t dup2(int32_t oldfd, int32_t newfd)
    {
        ipc::Message m;
        ipc::pack(m, kDup2, Dup2Request{oldfd, newfd});
        return value_of(ipc::call(m_endpoint, m));
    }
    /// \return 0 with the two descriptors, or -errno.
    int64_t pipe(int32_t& read_fd, int32_t& write_fd)
    {
        ipc::Result r = ipc::call(m_endpoint, ipc::make(kPipe));
        if (!r.ok()) return -posix::EIO;
        Reply reply = ipc::unpack<Reply>(r.message);
        if (reply.status != 0) return -reply.status;
        read_fd = int32_t(reply.value);
        write_fd = int32_t(reply.value2);
        return 0;
    }
    int64_t statfs(StatfsReply& out)
    {
        ipc::Result r = ipc::call(m_endpoint, ipc::make(kStatfs));
        if (!r.ok()) return -posix::EIO;
        out = ipc::unpack<StatfsReply>(r.message);
        return out.status != 0 ? -out.status : 0;
    }
    /// kNewClient. \return the pid, with the new capability in `cap`, or -errno.
    int64_t new_client(const NewClientRequest& req, abi::CapSlot& cap)
    {
        ipc::Message m;
        ipc::pack(m, kNewClient, req);
        ipc::Result r = ipc::call(m_endpoint, m);
        if (!r.ok()) return -posix::EIO;
        Reply reply = ipc::unpack<Reply>(r.message);
        if (reply.status != 0) return -reply.status;
        if (r.message.cap_count != 1) return -posix::EIO;
        cap = r.message.send_caps[0];
        return reply.value;
    }
    int64_t client_exit(uint64_t pid)
    {
        ipc::Message m;
        ipc::pack(m, kClientExit, ClientRequest{pid});
        return value_of(ipc::call(m_endpoint, m));
    }
    int64_t clients(uint64_t index, ClientInfo& out)
    {
        ipc::Message m;
        ipc::pack(m, kClients, ClientRequest{index});
        ipc::Result r = ipc::call(m_endpoint, m);
        if (!r.ok()) return -posix::EIO;
        out = ipc::unpack<ClientInfo>(r.message);
        out.cwd[kPathBytes - 1] = '\0';
        return out.status != 0 ? -out.status : 0;
    }

    /// A raw PathRequest call, for paths that are not C strings (no NUL in the field).
    int64_t raw_path(uint32_t label, const PathRequest& req)
    {
        ipc::Message m;
        ipc::pack(m, label, req);
        return value_of(ipc::call(m_endpoint, m));
    }
    /// A raw call, for malformed requests.
    int64_t raw(const ipc::Message& m) { return value_of(ipc::call(m_endpoint, m)); }

private:
    static PathRequest path_request(const char* path, uint32_t open_flags, uint32_t mode, uint64_t size)
    {
        PathRequest req{};
        req.flags = open_flags;
        req.mode = mode;
        req.size = size;
        memcpy(req.path, path, strnlen_bounded(path, kPathBytes - 1));
        return req;
    }
    static int64_t value_of(const ipc::Result& r)
    {
        if (!r.ok()) return -posix::EIO;
        Reply reply = ipc::unpack<Reply>(r.message);
        return reply.status != 0 ? -reply.status : reply.value;
    }
    static int64_t stat_of(const ipc::Result& r, StatReply& out)
    {
        if (!r.ok()) return -posix::EIO;
        out = ipc::unpack<StatReply>(r.message);
        return out.status != 0 ? -out.status : 0;
    }
    int64_t path_call(uint32_t label, const char* path, uint32_t open_flags, uint32_t mode, uint64_t size)
    {
        return raw_path(label, path_request(path, open_flags, mode, size));
    }
    int64_t fd_call(uint32_t label, int32_t fd, uint32_t length, uint64_t size)
    {
        ipc::Message m;
        ipc::pack(m, label, FdRequest{fd, length, size});
        return value_of(ipc::call(m_endpoint, m));
    }

    abi::CapSlot m_endpoint;
};

} // namespace fstest
