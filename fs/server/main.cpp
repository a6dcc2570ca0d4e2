/// \file main.cpp
/// \brief `fs`: the file-system server (VFS + ext2) over the `ata` block driver: start-up, the request dispatcher, and the periodic write-back.
///
/// Design (the protocol is userland/lib/protocols/fs.hpp):
/// - The MINIX server skeleton: service::start, mount, service::ready, service::run, which hands
///   each request to FsHandler::handle: check the sender and the message size, then one do_x()
///   (requests_fd.cpp, requests_info.cpp, requests_names.cpp, requests_control.cpp).
/// - Storage: the disk through the block client that survives `ata` restarts (disk.cpp), a
///   write-back block cache (cache.cpp), and the ext2 library over the cache (volume.cpp).
/// - Clients are known by badge: process ids (minted by kNewClient for `proc`) and services
///   (>= kServiceBadgeBase, from RS). Each has a working directory and descriptors referring to
///   shared open file descriptions (files.cpp); paths are resolved per client (paths.cpp).
/// - Pipes and the console can make a call wait: it is parked (parked.cpp) and answered later.
/// - Every second the timer writes dirty blocks back, so a crash of `fs` loses little; kSync
///   writes them all and flushes the drive.
/// - Mode `fresh`: a restarted instance knows no client. A process it does not know starts over
///   with no descriptors (its old ones give EBADF); the disk is as the last write-back left it.
///
/// Slots: RS's usual ones (service.hpp), then `uses=ata uses=serial uses=vga memory=...` in
/// slots 8, 9, 10 and 11 (the memory pool the block cache comes from).
#include "console.hpp"
#include "events.hpp"
#include "files.hpp"
#include "print.hpp"
#include "protocols/fs.hpp"
#include "protocols/rs.hpp"
#include "replies.hpp"
#include "requests.hpp"
#include "service.hpp"
#include "sys.hpp"
#include "volume.hpp"

namespace {

using namespace fs;
using namespace protocol::fs;

constexpr abi::CapSlot kSlotAta = protocol::rs::kSlotFirstResource;
constexpr abi::CapSlot kSlotSerial = protocol::rs::kSlotFirstResource + 1;
constexpr abi::CapSlot kSlotVga = protocol::rs::kSlotFirstResource + 2;
constexpr abi::CapSlot kSlotPool = protocol::rs::kSlotFirstResource + 3;
/// Capabilities clients send (none are expected) arrive in free slots, above the ones we made.
constexpr abi::CapSlot kFirstReceivedSlot = 16;

/// A minted capability sent with the last reply: deleted once that reply has gone.
abi::CapSlot g_pending_delete = abi::kNullSlot;
bool g_writeback_failed = false;

/// The size a request's body must have, in words; -1: any size (requests with no body).
int32_t request_words(uint32_t label)
{
    switch (label) {
    case kOpen:
    case kStat:
    case kMkdir:
    case kRmdir:
    case kUnlink:
    case kTruncate:
    case kChdir: return sizeof(PathRequest) / 8;
    case kClose:
    case kRead:
    case kWrite:
    case kFstat:
    case kFtruncate:
    case kDup: return sizeof(FdRequest) / 8;
    case kSeek: return sizeof(SeekRequest) / 8;
    case kReaddir: return sizeof(ReaddirRequest) / 8;
    case kRename: return sizeof(TwoPathRequest) / 8;
    case kDup2: return sizeof(Dup2Request) / 8;
    case kNewClient: return sizeof(NewClientRequest) / 8;
    case kClientExit:
    case kClients: return sizeof(ClientRequest) / 8;
    default: return -1;
    }
}

// [fs-dispatch]
ipc::Message dispatch(const ipc::Message& m)
{
    int32_t words = request_words(m.label);
    if (words >= 0 && m.length != uint32_t(words)) return error_reply(m.label, posix::EINVAL);

    // (1) The control requests, for services (proc) only.
    bool service = m.badge >= kServiceBadgeBase;
    switch (m.label) {
    case kNewClient: return service ? requests::do_new_client(m, g_pending_delete) : reply(m.label, posix::EPERM);
    case kClientExit: return service ? requests::do_client_exit(m) : reply(m.label, posix::EPERM);
    case kClients: return service ? requests::do_clients(m) : error_reply(m.label, posix::EPERM);
    default: break;
    }

    // (2) Who asks: a client we know, or a new one (a service, or a process whose state died
    // with an earlier instance of this server: its old descriptors are gone).
    Client* c = files::client_for_request(m.badge);
    if (c == nullptr) return error_reply(m.label, posix::EAGAIN);
// [fs-dispatch]

    // (3) The request.
    switch (m.label) {
    case kOpen: return requests::do_open(m, *c);
    case kClose: return requests::do_close(m, *c);
    case kRead: return requests::do_read(m, *c);
    case kWrite: return requests::do_write(m, *c);
    case kSeek: return requests::do_seek(m, *c);
    case kStat: return requests::do_stat(m, *c);
    case kFstat: return requests::do_fstat(m, *c);
    case kReaddir: return requests::do_readdir(m, *c);
    case kMkdir: return requests::do_mkdir(m, *c);
    case kRmdir: return requests::do_rmdir(m, *c);
    case kUnlink: return requests::do_unlink(m, *c);
    case kRename: return requests::do_rename(m, *c);
    case kTruncate: return requests::do_truncate(m, *c);
    case kFtruncate: return requests::do_ftruncate(m, *c);
    case kSync: return requests::do_sync(m);
    case kChdir: return requests::do_chdir(m, *c);
    case kGetcwd: return requests::do_getcwd(m, *c);
    case kDup: return requests::do_dup(m, *c);
    case kDup2: return requests::do_dup2(m, *c);
    case kPipe: return requests::do_pipe(m, *c);
    case kStatfs: return requests::do_statfs(m);
    default: return reply(m.label, posix::ENOSYS);
    }
}

// [fs-writeback]
/// Notification bits: the write-back timer and console input.
void on_events(uint64_t bits)
{
    if (bits & events::kTimerBit) {
        if (volume::mounted() && volume::cache().dirty() > 0) {
            // Say so once when write-back starts failing (the disk is gone), and once when it recovers.
            bool failed = volume::cache().sync().is_error();
            if (failed != g_writeback_failed)
                print(failed ? "fs: write-back failed; dirty blocks stay cached\n" : "fs: write-back works again\n");
            g_writeback_failed = failed;
        }
        console::tick();
    }
    if (bits & events::kConsoleBit) console::on_input();
}
// [fs-writeback]

void delete_pending()
{
    if (g_pending_delete != abi::kNullSlot) {
        (void)sys::cap_delete(g_pending_delete);
        g_pending_delete = abi::kNullSlot;
    }
}

class FsHandler final : public service::Handler {
public:
    ipc::Message handle(const ipc::Message& m) override
    {
        delete_pending();
        ipc::Message out = dispatch(m);
        // The protocol carries no capabilities to us: whatever came is deleted.
        for (uint32_t i = 0; i < m.cap_count && i < abi::kMaxMessageCaps; ++i)
            if (m.send_caps[i] >= kFirstReceivedSlot) (void)sys::cap_delete(m.send_caps[i]);
        // Signals that came while the disk worked (events::keepalive kept them).
        on_events(events::take_pending());
        return out;
    }

    void notified(uint64_t bits) override
    {
        delete_pending();
        on_events(bits | events::take_pending());
    }
};

} // namespace

int main(int argc, char** argv)
{
    service::Context ctx = service::start(argc, argv);
    files::init();
    if (!events::setup()) print("fs: no timer or console notification; write-back only on sync\n");
    console::setup(kSlotSerial, kSlotVga);
    // A disk that cannot be mounted is reported by mount() and leaves the server answering EIO.
    (void)volume::mount(kSlotAta, kSlotPool);
    service::ready(ctx);
    FsHandler handler;
    service::run(ctx, handler);
}
