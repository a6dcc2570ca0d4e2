/// \file replies.cpp
/// \brief Building the protocol's replies.
#include "replies.hpp"
#include "lib/string.hpp"

namespace fs {

using namespace protocol::fs;

ipc::Message reply(uint32_t label, int32_t status, int64_t value, int64_t value2)
{
    ipc::Message m;
    ipc::pack(m, label, Reply{status, 0, value, value2, 0});
    return m;
}

ipc::Message count_reply(uint32_t label, int32_t status, int64_t bytes)
{
    return status == posix::kOk ? reply(label, posix::kOk, bytes) : reply(label, status);
}

namespace {

template <typename T>
ipc::Message status_only(uint32_t label, int32_t status)
{
    T body{};
    body.status = status;
    ipc::Message m;
    ipc::pack(m, label, body);
    return m;
}

} // namespace

ipc::Message error_reply(uint32_t label, int32_t status)
{
    switch (label) {
    case kStat:
    case kFstat: return status_only<StatReply>(label, status);
    case kReaddir: return status_only<DirentReply>(label, status);
    case kGetcwd: return status_only<PathReply>(label, status);
    case kStatfs: return status_only<StatfsReply>(label, status);
    case kClients: return status_only<ClientInfo>(label, status);
    default: return reply(label, status);
    }
}

ipc::Message no_reply() { return ipc::Message{}; }

} // namespace fs
