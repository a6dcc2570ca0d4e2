/// \file main.cpp
/// \brief `ipctest [stress N]`: checks every IPC and capability error path, the recovery rule, faults as messages and isolation.
///
/// Each check prints one line "ipctest: <what>: <got> (expected <want>) ok|FAIL" and the program
/// ends with "ipctest: N passed, M failed". init gives it: slot 3 a memory pool, slot 4 the
/// ipcpeer program, slot 5 one MMIO page, slot 6 I/O port 0x80, slot 7 IRQ 4 and slot 8 COM1's
/// ports 0x3f8..0x3ff. `ipctest stress N` instead runs
/// two clients of N calls each against one server and checks every message.
#include "ipc.hpp"
#include "lib/format.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "sys.hpp"
#include "lib/port_io.hpp"

namespace {

using abi::Error;
namespace rights = abi::rights;

constexpr abi::CapSlot kPool = 3;
constexpr abi::CapSlot kPeerImage = 4;
constexpr abi::CapSlot kMmioPage = 5;
constexpr abi::CapSlot kPort80 = 6;
constexpr abi::CapSlot kIrq4 = 7;
constexpr abi::CapSlot kCom1Ports = 8;

int g_passed = 0, g_failed = 0;

void expect(const char* what, Error got, Error want)
{
    bool ok = got == want;
    print("ipctest: %s: %s (expected %s) %s\n", what, abi::error_name(got), abi::error_name(want), ok ? "ok" : "FAIL");
    (ok ? g_passed : g_failed)++;
}
void expect(const char* what, int64_t ret, Error want) { expect(what, sys::error_of(ret), want); }

void expect_true(const char* what, bool ok)
{
    print("ipctest: %s: %s\n", what, ok ? "ok" : "FAIL");
    (ok ? g_passed : g_failed)++;
}

abi::CapSlot slot(int64_t ret)
{
    if (ret <= 0) {
        print("ipctest: setup failed: %s\n", abi::error_name(sys::error_of(ret)));
        sys::exit(3);
    }
    return static_cast<abi::CapSlot>(ret);
}

struct Peer {
    int64_t pid;
    abi::CapSlot process;
    abi::CapSlot thread;
};

/// Starts ipcpeer with `args`, giving it `endpoint` in slot 3 and `second` in slot 4 (0: none).
Peer spawn_peer(const char* args, abi::CapSlot endpoint, abi::CapSlot second = 0, abi::CapSlot fault = 0,
                uint32_t endpoint_rights = rights::kAll)
{
    abi::SpawnRequest req{};
    req.image = kPeerImage;
    req.name = "ipcpeer";
    req.name_len = 7;
    req.args = args;
    req.args_len = strlen(args);
    req.fault_endpoint = fault;
    if (endpoint) req.caps[req.cap_count++] = {endpoint, 3, endpoint_rights};
    if (second) req.caps[req.cap_count++] = {second, 4, rights::kAll};
    int64_t pid = sys::spawn(req);
    if (pid < 0) {
        print("ipctest: cannot spawn ipcpeer %s: %s\n", args, abi::error_name(sys::error_of(pid)));
        sys::exit(3);
    }
    return {pid, req.process_slot, req.thread_slot};
}

int wait_exit_code(int64_t pid)
{
    abi::ExitInfo info{};
    if (sys::wait(pid, &info) < 0) return -1000;
    return info.reason == static_cast<uint32_t>(abi::ExitReason::Exited) ? info.code : -static_cast<int>(info.vector) - 1;
}

void test_lookup_errors()
{
    abi::CapSlot ep = slot(sys::endpoint_create());
    abi::CapSlot ntfn = slot(sys::notification_create());
    auto send = [](abi::CapSlot s, uint64_t info) {
        return sys::raw::ipc(sys::number(abi::Syscall::ipc_nb_send), s, info, 1, 2, 3, 4).status;
    };
    expect("send on slot 0", send(0, 0), Error::InvalidCapability);
    expect("send on an empty slot", send(200, 0), Error::InvalidCapability);
    expect("send on slot 4096 (out of range)", send(4096, 0), Error::InvalidCapability);
    expect("send on a notification", send(ntfn, 0), Error::WrongType);
    expect("signal an endpoint", sys::notify_signal(ep), Error::WrongType);
    abi::CapSlot read_only = slot(sys::cap_copy(ep, 0, rights::kRead));
    expect("send without the Write right", send(read_only, 0), Error::InsufficientRights);
    abi::CapSlot write_only = slot(sys::cap_copy(ep, 0, rights::kWrite));
    expect("receive without the Read right",
           sys::raw::ipc(sys::number(abi::Syscall::ipc_recv), write_only, 0, 0, 0, 0, 0).status,
           Error::InsufficientRights);
    expect("message of 65 words", send(ep, abi::MessageInfo::make(1, 65).raw), Error::MessageTooLong);
    expect("message with 5 capabilities", send(ep, abi::MessageInfo::make(1, 0, 5).raw), Error::TooManyCapabilities);
    sys::ipc_buffer().send_caps[0] = ntfn;
    expect("capability sent without the Grant right", send(write_only, abi::MessageInfo::make(1, 0, 1).raw),
           Error::InsufficientRights);
    sys::ipc_buffer().send_caps[0] = 250;
    expect("sending a capability from an empty slot", send(ep, abi::MessageInfo::make(1, 0, 1).raw),
           Error::InvalidCapability);
    expect("non-blocking send with no receiver", send(ep, abi::MessageInfo::make(1, 1).raw), Error::WouldBlock);
    expect("copy into an occupied slot", sys::cap_copy(ep, ntfn, rights::kAll), Error::InvalidArgument);

    // Badges are set once.
    abi::CapSlot minted = slot(sys::cap_mint(ep, 0, rights::kWrite, 0xb1));
    abi::CapInfo info{};
    sys::cap_identify(minted, &info);
    expect_true("mint gives badge 0xb1 and only Write",
                info.badge == 0xb1 && info.rights == rights::kWrite && info.type == abi::ObjectType::Endpoint);
    expect("mint from a badged capability", sys::cap_mint(minted, 0, rights::kAll, 0xb2), Error::InvalidArgument);
    expect("mint with badge 0", sys::cap_mint(ep, 0, rights::kAll, 0), Error::InvalidArgument);
    abi::CapInfo copied{};
    sys::cap_identify(slot(sys::cap_copy(minted, 0, rights::kAll)), &copied);
    expect_true("a copy cannot regain rights", copied.rights == rights::kWrite && copied.badge == 0xb1);

    // Revoke: every derived copy goes; its slot then says Revoked.
    abi::CapSlot child = slot(sys::cap_copy(ep, 0, rights::kAll));
    abi::CapSlot grandchild = slot(sys::cap_copy(child, 0, rights::kAll));
    expect("revoke", sys::cap_revoke(ep), Error::None);
    expect("use a revoked copy", send(child, 0), Error::Revoked);
    expect("use a revoked copy of a copy", send(grandchild, 0), Error::Revoked);
    expect("identify a revoked slot", sys::cap_identify(minted, &info), Error::Revoked);
    expect("the revoked capability itself still works", send(ep, abi::MessageInfo::make(1, 1).raw), Error::WouldBlock);
    expect("delete", sys::cap_delete(ntfn), Error::None);
    expect("use a deleted slot", sys::notify_signal(ntfn), Error::InvalidCapability);
    abi::CapSlot moved = slot(sys::cap_move(ep, 0));
    expect("use the old slot after a move", send(ep, 0), Error::InvalidCapability);
    expect("use the new slot after a move", send(moved, abi::MessageInfo::make(1, 1).raw), Error::WouldBlock);

    // Filling the table: TableFull, and nothing is lost.
    int64_t made = 0, last = 0;
    abi::CapSlot made_slots[256];
    while ((last = sys::cap_copy(moved, 0, rights::kAll)) > 0) made_slots[made++] = static_cast<abi::CapSlot>(last);
    expect("copy into a full table", last, Error::TableFull);
    for (int64_t i = 0; i < made; ++i) sys::cap_delete(made_slots[i]);
    expect_true("a full table still holds every copy made", made > 200);
    sys::cap_delete(moved);
}

void test_notifications()
{
    abi::CapSlot n = slot(sys::notification_create());
    abi::CapSlot bit4 = slot(sys::cap_mint(n, 0, rights::kWrite, 0x10));
    expect("poll an empty notification", sys::notify_poll(n).status, Error::None);
    sys::notify_signal(bit4);
    sys::notify_signal(n);
    sys::raw::IpcRegisters r = sys::notify_wait(n);
    expect_true("signals OR their badges into the word (0x11)", r.status == 0 && r.badge == 0x11);
    expect_true("the word is cleared by wait", sys::notify_poll(n).badge == 0);
    uint64_t start = sys::clock_ns();
    sys::timer_arm(bit4, 30000000, 0);
    r = sys::notify_wait(n);
    uint64_t waited = sys::clock_ns() - start;
    expect_true("a 30 ms kernel timer signals the notification", r.badge == 0x10 && waited >= 30000000);
    abi::CapSlot read_only = slot(sys::cap_copy(n, 0, rights::kRead));
    expect("signal without the Write right", sys::notify_signal(read_only), Error::InsufficientRights);
}

void test_calls_and_transfer()
{
    abi::CapSlot ep = slot(sys::endpoint_create());
    abi::CapSlot client = slot(sys::cap_mint(ep, 0, rights::kWrite | rights::kGrant, 0x5eed));
    Peer server = spawn_peer("ipcpeer echo", ep);

    ipc::Message m = ipc::make(9, 4, 10, 20, 30, 40);
    ipc::Result r = ipc::call(client, m);
    expect_true("a 4-word call gets the transformed reply",
                r.ok() && r.message.label == 9 && r.message.length == 4 && r.message.words[0] == ~10ull &&
                    r.message.words[3] == ~40ull + 3);

    ipc::Message longm;
    longm.label = 10;
    longm.length = 64;
    for (uint32_t i = 0; i < 64; ++i) longm.words[i] = 0x1000 + i * i;
    r = ipc::call(client, longm);
    bool all = r.ok() && r.message.length == 64;
    for (uint32_t i = 0; all && i < 64; ++i) all = r.message.words[i] == ~(0x1000ull + i * i) + i;
    expect_true("a 64-word call (IPC buffer) comes back word for word", all);

    // A capability passed to another process works there.
    abi::CapSlot talk = slot(sys::endpoint_create());
    abi::CapSlot signal_me = slot(sys::notification_create());
    Peer user = spawn_peer("ipcpeer use-cap", talk);
    ipc::Message with_cap = ipc::make(11, 0);
    with_cap.cap_count = 1;
    with_cap.send_caps[0] = signal_me;
    r = ipc::call(talk, with_cap);
    sys::raw::IpcRegisters w = sys::notify_wait(signal_me);
    expect_true("a notification passed in a message is signalled by the receiver", r.ok() && w.badge == 1);
    expect_true("the use-cap peer exits 0", wait_exit_code(user.pid) == 0);

    ipc::call(client, ipc::make(2));  // Label 2: the echo server exits.
    expect_true("the echo server exits 0", wait_exit_code(server.pid) == 0);
}

void test_recovery_rule()
{
    // A server that dies holding our call: PeerDied, and a queued caller gets it too.
    abi::CapSlot ep = slot(sys::endpoint_create());
    Peer crasher = spawn_peer("ipcpeer crash-on-call", ep);
    Peer queued = spawn_peer("ipcpeer call-once", ep, 0, 0, rights::kWrite);
    ipc::Result r = ipc::call(ep, ipc::make(1, 1, 5));
    expect("call to a server that dies before replying", r.error, Error::PeerDied);
    wait_exit_code(crasher.pid);
    wait_exit_code(queued.pid);

    // Objects destroyed under a waiting thread (every capability gone) wake it with Revoked.
    abi::CapSlot doomed_n = slot(sys::notification_create());
    abi::CapSlot doomed_e = slot(sys::endpoint_create());
    Peer waiter = spawn_peer("ipcpeer wait-ntfn", doomed_n);
    Peer receiver = spawn_peer("ipcpeer recv-once", doomed_e);
    sys::sleep_ns(20000000);  // Both are blocked by now.
    sys::cap_revoke(doomed_n);
    sys::cap_delete(doomed_n);
    sys::cap_revoke(doomed_e);
    sys::cap_delete(doomed_e);
    expect_true("waiters on destroyed objects exit cleanly", wait_exit_code(waiter.pid) == 0 &&
                                                                wait_exit_code(receiver.pid) == 0);

    // The endpoint outlives its server: a new server process serves the same capability.
    Peer reborn = spawn_peer("ipcpeer echo", ep);
    r = ipc::call(ep, ipc::make(1, 1, 5));
    expect_true("the same endpoint works with a restarted server", r.ok() && r.message.words[0] == ~5ull);
    ipc::call(ep, ipc::make(2));
    wait_exit_code(reborn.pid);
}

void test_deferred_replies()
{
    // The server saves our call and another client's, answers them out of order, then saves a
    // third call of ours and deletes it unanswered.
    abi::CapSlot ep = slot(sys::endpoint_create());
    Peer server = spawn_peer("ipcpeer deferred", ep);
    Peer other = spawn_peer("ipcpeer call-once", ep, 0, 0, rights::kWrite);
    sys::sleep_ns(20000000);  // The other client's call is queued first.
    ipc::Result r = ipc::call(ep, ipc::make(1, 1, 5));
    expect_true("a saved call is answered after the server took another call", r.ok() && r.message.words[0] == ~5ull);
    r = ipc::call(ep, ipc::make(1, 1, 6));
    expect("a saved call whose reply capability is deleted", r.error, Error::PeerDied);
    expect_true("the deferred server and the other client exit 0",
                wait_exit_code(server.pid) == 0 && wait_exit_code(other.pid) == 0);
    expect("reply_send on an endpoint capability",
           sys::error_of(sys::raw::ipc(sys::number(abi::Syscall::reply_send), ep, 0, 0, 0, 0, 0).status),
           Error::WrongType);
}

// [ipctest-windows]
/// Windows (kernel/ipc/window.hpp): a server copies through memory its caller lends with a call.
void test_windows()
{
    enum : uint64_t { kInvert = 1, kReadToBadAddress = 2, kFill = 3, kSaveThenWrite = 4, kReport = 5, kExit = 6 };
    constexpr uint64_t kBytes = 200 * 1024;
    static uint8_t buffer[kBytes];
    using namespace abi::window_rights;
    abi::CapSlot ep = slot(sys::endpoint_create());
    Peer server = spawn_peer("ipcpeer window", ep);
    // `words` words (4: the fast path, more: the slow path), asking for `action`.
    auto call = [&](uint64_t action, uint64_t offset, uint64_t length, const void* base, uint64_t size,
                    uint32_t rights, uint32_t words = 4) {
        ipc::Message m = ipc::make(1, words, action, offset, length);
        if (size) ipc::lend(m, base, size, rights);
        ipc::Result r = ipc::call(ep, m);
        return r.ok() ? r.message : ipc::Message{};
    };
    auto error = [](uint64_t word) { return static_cast<Error>(word); };

    for (uint64_t i = 0; i < kBytes; ++i) buffer[i] = static_cast<uint8_t>(i * 7 + (i >> 9));
    for (uint32_t words = 4; words <= 6; words += 2) {
        ipc::Message r = call(kInvert, 0, kBytes, buffer, kBytes, kServerReads | kServerWrites, words);
        bool inverted = r.words[0] == 0 && r.words[1] == 0;
        for (uint64_t i = 0; inverted && i < kBytes; ++i)
            inverted = buffer[i] == static_cast<uint8_t>(words == 4 ? ~(i * 7 + (i >> 9)) : i * 7 + (i >> 9));
        expect_true(words == 4 ? "200 KiB through a window, fast path: read, inverted, written back byte for byte"
                               : "the same through the slow path (6 words): every byte back as it was",
                    inverted);
    }
    expect("window_read when the call lent no window", error(call(kInvert, 0, 16, nullptr, 0, 0).words[0]),
           Error::InsufficientRights);
    ipc::Message r = call(kInvert, 0, 16, buffer, 16, kServerReads);
    expect("window_read of a read-only window", error(r.words[0]), Error::None);
    expect("window_write into a read-only window", error(r.words[1]), Error::InsufficientRights);
    expect("window_write past the window's end", error(call(kFill, 12, 8, buffer, 16, kServerWrites).words[0]),
           Error::InvalidArgument);
    expect("window_write at an offset that wraps", error(call(kFill, ~0ull - 3, 8, buffer, 16, kServerWrites).words[0]),
           Error::InvalidArgument);
    expect("one copy over abi::kMaxWindowCopy",
           error(call(kFill, 0, abi::kMaxWindowCopy + 1, buffer, 4 * abi::kMaxWindowCopy, kServerWrites).words[0]),
           Error::InvalidArgument);
    expect("a window over unmapped memory", error(call(kFill, 0, 64, reinterpret_cast<void*>(0x1000), 4096, kServerWrites).words[0]),
           Error::BadAddress);
    expect("a window in the kernel half",
           error(call(kFill, 0, 64, reinterpret_cast<void*>(0xffff800000000000ull), 4096, kServerWrites).words[0]),
           Error::BadAddress);
    expect("window_read into the server's own unmapped page",
           error(call(kReadToBadAddress, 0, 16, buffer, 16, kServerReads).words[0]), Error::BadAddress);

    // A saved call keeps its window until it is answered.
    memset(buffer, 0, 16);
    r = call(kSaveThenWrite, 0, 0, buffer, 16, kServerWrites);
    expect_true("window_write through a saved reply", r.words[0] == 0 && memcmp(buffer, "deferred", 8) == 0);
    r = call(kReport, 0, 0, nullptr, 0, 0);
    expect("window_write through a used-up reply capability", error(r.words[0]), Error::InvalidCapability);
    expect("window_write with no call held", error(r.words[1]), Error::PeerDied);

    // The loan ends with the call: the next call, lending nothing, exposes nothing.
    memset(buffer, 0x55, 32);
    r = call(kFill, 0, 32, buffer, 32, kServerWrites);
    bool filled = r.words[0] == 0;
    for (uint64_t i = 0; filled && i < 32; ++i) filled = buffer[i] == static_cast<uint8_t>(i * 3 + 1);
    expect_true("window_write fills the window", filled);
    memset(buffer, 0x55, 32);
    expect("the next call lends nothing", error(call(kFill, 0, 32, nullptr, 0, 0).words[0]), Error::InsufficientRights);
    (void)call(kFill, 0, 32, buffer, 32, kServerWrites);
    memset(buffer, 0x55, 32);
    expect("the next call lends nothing (slow path)", error(call(kFill, 0, 32, nullptr, 0, 0, 6).words[0]),
           Error::InsufficientRights);
    bool untouched = true;
    for (uint64_t i = 0; i < 32; ++i) untouched = untouched && buffer[i] == 0x55;
    expect_true("an earlier window stays untouched", untouched);

    (void)call(kExit, 0, 0, nullptr, 0, 0);
    expect_true("the window server exits 0", wait_exit_code(server.pid) == 0);
}
// [ipctest-windows]

void test_faults_as_messages()
{
    abi::CapSlot faults = slot(sys::endpoint_create());
    abi::CapSlot badged = slot(sys::cap_mint(faults, 0, rights::kWrite, 0x77));

    Peer io = spawn_peer("ipcpeer ioport", 0, 0, badged);
    ipc::Result r = ipc::receive(faults);
    expect_true("in/out without an IoPortRange: a #GP fault message with the badge",
                r.ok() && r.message.label == abi::kFaultLabel && r.message.badge == 0x77 && r.message.words[0] == 13);
    print("ipctest: fault message: vector %lu, error 0x%lx, rip 0x%lx\n", r.message.words[0], r.message.words[1],
          r.message.words[2]);
    expect("kill the faulting peer", sys::process_kill(io.process), Error::None);
    abi::ExitInfo info{};
    sys::wait(io.pid, &info);
    expect_true("the killed peer is reported as killed", info.reason == static_cast<uint32_t>(abi::ExitReason::Killed));

    // A reply to a fault message resumes the thread where it faulted. Here the handler first
    // patches the faulting ud2 (0f 0b) into two NOPs (90 90) with process_poke.
    Peer resumed = spawn_peer("ipcpeer resume", 0, 0, badged);
    r = ipc::receive(faults);
    bool ud = r.ok() && r.message.label == abi::kFaultLabel && r.message.words[0] == 6;
    uint64_t rip = r.message.words[2];
    bool patched = sys::process_poke(resumed.process, rip, 0x0f ^ 0x90) == 0x90 &&
                   sys::process_poke(resumed.process, rip + 1, 0x0b ^ 0x90) == 0x90;
    r = ipc::reply_receive(faults, ipc::make(0));  // Resume it; its exit message comes next.
    expect_true("a fault reply resumes the thread (ud2 patched out)", ud && patched && r.ok() &&
                                                                      r.message.label == abi::kExitLabel &&
                                                                      r.message.words[0] == 0);
    sys::wait(resumed.pid, &info);

    // A fault endpoint cannot be changed under a message on its way there (the kernel once
    // dropped the endpoint while the queued exit still needed it).
    abi::CapSlot lonely = slot(sys::endpoint_create());
    Peer orphan = spawn_peer("ipcpeer exit 5", 0, 0, lonely);
    sys::sleep_ns(20000000);  // It has exited; its exit message waits on `lonely`, unreceived.
    expect("change the fault endpoint under a queued exit message",
           sys::thread_set_fault_endpoint(orphan.thread, 0), Error::Busy);
    expect("receive the queued exit message", ipc::receive(lonely).error, Error::None);
    sys::wait(orphan.pid, &info);

    Peer exiting = spawn_peer("ipcpeer exit 42", 0, 0, badged);
    r = ipc::receive(faults);
    expect_true("exit(42) arrives as an exit message", r.ok() && r.message.label == abi::kExitLabel &&
                                                           r.message.badge == 0x77 && r.message.words[0] == 42);
    sys::wait(exiting.pid, &info);
}

void test_isolation()
{
    Peer p = spawn_peer("ipcpeer isolation", 0);
    expect_true("a process cannot use slots or map memory it was never given", wait_exit_code(p.pid) == 0);

    // What we were given works, within its rights.
    abi::CapSlot mem = slot(sys::memory_allocate(kPool, 8192));
    abi::MemoryInfo info{};
    sys::memory_info(mem, &info);
    expect_true("allocated memory is contiguous with a physical address", info.size == 8192 && info.phys != 0 &&
                                                                             info.phys % 4096 == 0 && info.kind == 1);
    expect("map it", sys::memory_map(mem, 0x60000000, abi::map_flags::kWritable), Error::None);
    auto* bytes = reinterpret_cast<volatile uint64_t*>(0x60000000);
    bytes[0] = 0x1122334455667788;
    bytes[1023] = 42;
    expect_true("the mapping reads back what was written", bytes[0] == 0x1122334455667788 && bytes[1023] == 42);
    abi::CapSlot read_only = slot(sys::cap_copy(mem, 0, rights::kRead));
    expect("map a read-only capability writable", sys::memory_map(read_only, 0x61000000, abi::map_flags::kWritable),
           Error::InsufficientRights);
    expect("map over an existing mapping", sys::memory_map(mem, 0x60000000, 0), Error::Busy);
    expect("map into kernel space", sys::memory_map(mem, 0xffff800000000000ull, 0), Error::InvalidArgument);
    expect("allocate more than the pool holds", sys::memory_allocate(kPool, 16ull << 20), Error::NoMemory);
    expect("allocate more than 64 MiB at once", sys::memory_allocate(kPool, 65ull << 20), Error::InvalidArgument);
    expect("map the MMIO page we hold", sys::mmio_map(kMmioPage, 0x62000000), Error::None);
    expect("split beyond the MMIO range", sys::range_split(kMmioPage, 4096, 4096), Error::InvalidArgument);
    asm volatile("outb %%al, $0x80" ::"a"(0));
    expect_true("out to port 0x80, which we hold, works", true);
}

// [ipctest-dma-quarantine]
/// Frames whose physical address was given out (DMA memory) are not reused for
/// Memory::kDmaQuarantineNs (2 s) after they are freed: a device may still be writing into them.
void test_dma_quarantine()
{
    constexpr uint64_t kBytes = 65536;
    abi::MemoryInfo first{}, second{}, third{};
    abi::CapSlot a = slot(sys::memory_allocate(kPool, kBytes));
    sys::memory_info(a, &first);
    sys::cap_delete(a);  // Never mapped: this frees it.
    abi::CapSlot b = slot(sys::memory_allocate(kPool, kBytes));
    sys::memory_info(b, &second);
    sys::cap_delete(b);
    bool apart = second.phys >= first.phys + kBytes || first.phys >= second.phys + kBytes;
    expect_true("DMA frames just freed are not handed out again", first.phys && second.phys && apart);
    sys::sleep_ns(2100000000ull);
    abi::CapSlot c = slot(sys::memory_allocate(kPool, kBytes));
    sys::memory_info(c, &third);
    sys::cap_delete(c);
    expect_true("after the quarantine they are (first fit: the same frames)", third.phys == first.phys);
}
// [ipctest-dma-quarantine]

using port_io::inb;
using port_io::outb;

void test_irq()
{
    // COM1 raises IRQ 4 when its transmitter is empty and that interrupt is enabled.
    abi::CapSlot n = slot(sys::notification_create());
    abi::CapSlot bits = slot(sys::cap_mint(n, 0, rights::kWrite, 0x400));
    expect("bind IRQ 4 to a notification", sys::irq_bind(kIrq4, bits), Error::None);
    expect("bind an endpoint as if it were an IRQ", sys::irq_bind(bits, bits), Error::WrongType);
    outb(0x3fc, 0x0b);  // DTR, RTS, and OUT2, which routes the UART's interrupt to the PIC.
    outb(0x3f9, 0x02);  // Interrupt when the transmit holding register is empty.
    sys::raw::IpcRegisters first = sys::notify_wait(n);
    inb(0x3fa);         // Reading the interrupt-identification register clears the condition.
    // Until the line is acknowledged it stays masked: a new transmission raises no signal.
    outb(0x3f8, '\n');
    sys::sleep_ns(20000000);
    sys::raw::IpcRegisters masked = sys::notify_poll(n);
    inb(0x3fa);
    expect("acknowledge IRQ 4", sys::irq_ack(kIrq4), Error::None);
    outb(0x3f8, '\n');  // The transmitter empties again: a new interrupt.
    sys::raw::IpcRegisters second = sys::notify_wait(n);
    outb(0x3f9, 0x00);  // Interrupts off again: the kernel's console polls.
    inb(0x3fa);
    expect_true("IRQ 4 arrives as a signal of the capability's badge", first.status == 0 && first.badge == 0x400);
    expect_true("no signal while the line waits for its acknowledgement", masked.badge == 0);
    expect_true("after irq_ack the next IRQ 4 arrives", second.status == 0 && second.badge == 0x400);
}

volatile uint8_t g_poke_target = 0x0f;

void test_bound_notification_and_poke()
{
    abi::CapSlot ep = slot(sys::endpoint_create());
    abi::CapSlot n = slot(sys::notification_create());
    abi::CapSlot bit8 = slot(sys::cap_mint(n, 0, rights::kWrite, 0x8));
    expect("bind a notification to our thread", sys::notification_bind(abi::kSlotSelfThread, n), Error::None);
    sys::notify_signal(bit8);
    ipc::Result r = ipc::receive(ep);
    expect_true("a pending signal ends a receive as a notification message",
                r.ok() && r.message.label == abi::kNotificationLabel && r.message.words[0] == 0x8);
    sys::timer_arm(bit8, 10000000, 0);
    r = ipc::receive(ep);
    expect_true("a timer signal wakes a blocked receive",
                r.ok() && r.message.label == abi::kNotificationLabel && r.message.words[0] == 0x8);
    expect("bind it to the same thread again", sys::notification_bind(abi::kSlotSelfThread, n), Error::None);
    expect("unbind", sys::notification_bind(abi::kSlotSelfThread, 0), Error::None);

    int64_t after = sys::process_poke(abi::kSlotSelfProcess, reinterpret_cast<uint64_t>(&g_poke_target), 0xff);
    expect_true("process_poke flips the bits of a byte (0x0f -> 0xf0)", after == 0xf0 && g_poke_target == 0xf0);
    expect("poke an unmapped address", sys::process_poke(abi::kSlotSelfProcess, 0x10000000, 1), Error::BadAddress);
    expect("poke through a thread capability", sys::process_poke(abi::kSlotSelfThread, 0x400000, 1), Error::WrongType);
}

int stress(uint64_t calls)
{
    abi::CapSlot ep = slot(sys::endpoint_create());
    abi::CapSlot one = slot(sys::cap_mint(ep, 0, rights::kWrite, 1));
    abi::CapSlot two = slot(sys::cap_mint(ep, 0, rights::kWrite, 2));
    char server_args[48], client_args[48];
    format(server_args, sizeof(server_args), "ipcpeer stress-server %lu", calls);
    format(client_args, sizeof(client_args), "ipcpeer stress-client %lu", calls);
    uint64_t start = sys::clock_ns();
    Peer server = spawn_peer(server_args, ep, 0, 0, rights::kRead);
    Peer a = spawn_peer(client_args, one, 0, 0, rights::kWrite);
    Peer b = spawn_peer(client_args, two, 0, 0, rights::kWrite);
    int ca = wait_exit_code(a.pid), cb = wait_exit_code(b.pid), cs = wait_exit_code(server.pid);
    uint64_t ms = (sys::clock_ns() - start) / 1000000;
    print("ipctest: stress: 2 clients x %lu calls in %lu ms; exit codes %d %d %d\n", calls, ms, ca, cb, cs);
    return ca == 0 && cb == 0 && cs == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc > 2 && strcmp(argv[1], "stress") == 0) {
        uint64_t n = 0;
        for (const char* p = argv[2]; *p >= '0' && *p <= '9'; ++p) n = n * 10 + (*p - '0');
        return stress(n);
    }
    test_lookup_errors();
    test_notifications();
    test_calls_and_transfer();
    test_recovery_rule();
    test_deferred_replies();
    test_windows();
    test_faults_as_messages();
    test_isolation();
    test_dma_quarantine();
    test_irq();
    test_bound_notification_and_poke();
    print("ipctest: %d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
