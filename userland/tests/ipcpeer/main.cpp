/// \file main.cpp
/// \brief `ipcpeer MODE`: the other side of ipctest's IPC, capability and isolation tests.
///
/// ipctest spawns this program with exactly the capabilities a mode needs (slot 3: an endpoint,
/// slot 4: a second one or a notification) and checks what happens. Modes:
///   echo            serve slot 3: reply to each call with its words transformed (see reply_to)
///   crash-on-call   receive one call on slot 3, wait 20 ms (so other callers queue up), then
///                   dereference null: the caller being served and the queued ones get PeerDied
///   call-once       call slot 3 once and print the result
///   wait-ntfn       wait on notification 3 and print the result
///   recv-once       receive on endpoint 3 and print the result
///   use-cap         receive a capability over slot 3 and signal it (a passed capability works)
///   ioport          run `inb 0x60` with no IoPortRange (the fault arrives as a message)
///   exit CODE       exit with CODE (the exit arrives as a message)
///   isolation       try to use slots and map memory it was never given; report each error
///   pong            benchmark server: answer every call on slot 3 with the same registers
///   sink            benchmark server: receive on slot 3 forever
///   notify-pong     benchmark: wait on notification 3, signal notification 4, forever
///   stress-server N  serve 2 clients x N calls on slot 3, checking sequence numbers per badge
///   stress-client N  call slot 3 N times with sequence numbers and check every reply
///   window          serve calls that lend windows: copy, invert, fill, save and write later
///   deferred        save two calls with reply_save, answer the second first, then save a third
///                   and delete it unanswered (its caller gets PeerDied); report each step
#include "ipc.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "sys.hpp"

namespace {

constexpr abi::CapSlot kEndpoint = 3;
constexpr abi::CapSlot kSecond = 4;
constexpr uint32_t kLabelEcho = 1;
constexpr uint32_t kLabelDone = 2;

uint64_t parse_number(const char* s)
{
    uint64_t v = 0;
    for (; s && *s >= '0' && *s <= '9'; ++s) v = v * 10 + (*s - '0');
    return v;
}

/// The echo transformation the tests check: every word i becomes ~w[i] + i, and the label is
/// kept; a client can predict the reply exactly.
ipc::Message reply_to(const ipc::Message& m)
{
    ipc::Message r;
    r.label = m.label;
    r.length = m.length;
    for (uint32_t i = 0; i < m.length; ++i) r.words[i] = ~m.words[i] + i;
    return r;
}

int echo()
{
    ipc::Result in = ipc::receive(kEndpoint);
    for (;;) {
        if (!in.ok()) {
            print("ipcpeer: receive failed: %s\n", abi::error_name(in.error));
            return 1;
        }
        if (in.message.label == kLabelDone) return 0;
        in = ipc::reply_receive(kEndpoint, reply_to(in.message));
    }
}

/// Deferred replies: a server that keeps calls waiting while it takes others.
int deferred()
{
    auto report = [](const char* what, int64_t ret) {
        print("ipcpeer: deferred: %s: %s\n", what, ret < 0 ? abi::error_name(sys::error_of(ret)) : "ok");
    };
    report("reply_save with no call received", sys::reply_save());
    ipc::Result first = ipc::receive(kEndpoint);
    int64_t first_reply = sys::reply_save();
    report("save the first call", first_reply);
    report("save again with nothing left to save", sys::reply_save());
    // Taking a second call does not drop the first: it is no longer the thread's to answer.
    ipc::Result second = ipc::receive(kEndpoint);
    int64_t second_reply = sys::reply_save();
    report("save the second call", second_reply);
    if (!first.ok() || !second.ok() || first_reply < 0 || second_reply < 0) return 1;
    // The second caller is answered first: order is the server's to choose.
    report("answer the second call",
           static_cast<int64_t>(ipc::reply_saved(static_cast<abi::CapSlot>(second_reply), reply_to(second.message))) * -1);
    report("answer the first call",
           static_cast<int64_t>(ipc::reply_saved(static_cast<abi::CapSlot>(first_reply), reply_to(first.message))) * -1);
    report("answer through a used-up reply capability",
           static_cast<int64_t>(ipc::reply_saved(static_cast<abi::CapSlot>(first_reply), reply_to(first.message))) * -1);
    // A third call is saved and then dropped unanswered: its caller must not wait forever.
    ipc::Result third = ipc::receive(kEndpoint);
    int64_t third_reply = sys::reply_save();
    report("save the third call", third_reply);
    report("delete the saved reply unanswered", sys::cap_delete(static_cast<abi::CapSlot>(third_reply)));
    return third.ok() ? 0 : 1;
}

/// Windows: a server that copies through the memory its callers lend. Words: action, offset,
/// length. Replies carry the negated errors of the copies it made (0: ok).
int window_server()
{
    enum : uint64_t { kInvert = 1, kReadToBadAddress = 2, kFill = 3, kSaveThenWrite = 4, kReport = 5, kExit = 6 };
    static uint8_t local[256 * 1024];
    int64_t after_use = 0, no_caller = 0;
    ipc::Result in = ipc::receive(kEndpoint);
    for (;;) {
        if (!in.ok()) return 1;
        const uint64_t* w = in.message.words;
        uint64_t offset = w[1], length = w[2] < sizeof(local) ? w[2] : sizeof(local);
        ipc::Message out = ipc::make(in.message.label, 2);
        switch (w[0]) {
        case kInvert:
            // Every byte read, inverted, written back where it came from.
            out.words[0] = -sys::window_read(abi::kNullSlot, offset, local, length);
            for (uint64_t i = 0; i < length; ++i) local[i] = static_cast<uint8_t>(~local[i]);
            out.words[1] = -sys::window_write(abi::kNullSlot, offset, local, length);
            break;
        case kReadToBadAddress:
            out.words[0] = -sys::window_read(abi::kNullSlot, offset, reinterpret_cast<void*>(0x10), w[2]);
            break;
        case kFill:
            for (uint64_t i = 0; i < length; ++i) local[i] = static_cast<uint8_t>(i * 3 + 1);
            out.words[0] = -sys::window_write(abi::kNullSlot, offset, local, w[2]);
            break;
        case kSaveThenWrite: {
            // The window stays lent while the call is saved, and goes with the answer.
            int64_t saved = sys::reply_save();
            if (saved < 0) return 1;
            auto reply = static_cast<abi::CapSlot>(saved);
            out.words[0] = -sys::window_write(reply, 0, "deferred", 8);
            (void)ipc::reply_saved(reply, out);
            after_use = sys::window_write(reply, 0, "too late", 8);
            no_caller = sys::window_write(abi::kNullSlot, 0, "no call", 7);
            in = ipc::receive(kEndpoint);
            continue;
        }
        case kReport:
            out.words[0] = -after_use;
            out.words[1] = -no_caller;
            break;
        case kExit: return 0;  // The caller gets PeerDied.
        default: break;
        }
        in = ipc::reply_receive(kEndpoint, out);
    }
}

int isolation()
{
    int failures = 0;
    auto check = [&](const char* what, int64_t ret, abi::Error want) {
        abi::Error got = sys::error_of(ret);
        print("ipcpeer: isolation: %s: %s (expected %s) %s\n", what, abi::error_name(got), abi::error_name(want),
              got == want ? "ok" : "FAIL");
        failures += got != want;
    };
    check("send on a slot never given", sys::raw::ipc(sys::number(abi::Syscall::ipc_send), 5, 0, 0, 0, 0, 0).status,
          abi::Error::InvalidCapability);
    check("map memory through a slot never given", sys::memory_map(6, 0x50000000, abi::map_flags::kWritable),
          abi::Error::InvalidCapability);
    check("map its own process capability as memory", sys::memory_map(abi::kSlotSelfProcess, 0x50000000, 0),
          abi::Error::WrongType);
    check("map MMIO through a slot never given", sys::mmio_map(7, 0x50000000), abi::Error::InvalidCapability);
    check("map its thread capability as MMIO", sys::mmio_map(abi::kSlotSelfThread, 0x50000000), abi::Error::WrongType);
    check("allocate memory without a pool", sys::memory_allocate(8, 4096), abi::Error::InvalidCapability);
    check("split a range it does not hold", sys::range_split(9, 0, 1), abi::Error::InvalidCapability);
    return failures;
}

int stress_server(uint64_t per_client)
{
    // Each client's badge (1 or 2) picks its expected next sequence number.
    uint64_t next[3] = {0, 0, 0};
    uint64_t served = 0, done = 0;
    ipc::Result in = ipc::receive(kEndpoint);
    for (;;) {
        if (!in.ok()) {
            print("ipcpeer: stress server: receive failed: %s\n", abi::error_name(in.error));
            return 1;
        }
        const ipc::Message& m = in.message;
        if (m.badge < 1 || m.badge > 2) {
            print("ipcpeer: stress server: unknown badge %lu\n", m.badge);
            return 1;
        }
        if (m.label == kLabelDone) {
            if (++done == 2) break;
        } else if (m.words[0] != next[m.badge] || m.words[1] != (m.badge << 32 | m.words[0]) ||
                   m.words[3] != (m.words[0] ^ m.words[1] ^ m.words[2])) {
            print("ipcpeer: stress server: client %lu sent seq %lu, expected %lu (lost or duplicated)\n", m.badge,
                  m.words[0], next[m.badge]);
            return 1;
        } else {
            ++next[m.badge];
            ++served;
        }
        in = ipc::reply_receive(kEndpoint, reply_to(m));
    }
    // The second client's Done call is never answered: it gets PeerDied when we exit.
    print("ipcpeer: stress server: served %lu calls, %lu and %lu per client, in order\n", served, next[1], next[2]);
    return next[1] == per_client && next[2] == per_client ? 0 : 1;
}

int stress_client(uint64_t calls)
{
    abi::CapInfo me{};
    sys::cap_identify(kEndpoint, &me);  // Our badge: the server keys its checks on it.
    for (uint64_t seq = 0; seq < calls; ++seq) {
        uint64_t w0 = seq, w1 = me.badge << 32 | seq, w2 = seq * 2654435761u;
        ipc::Message m = ipc::make(kLabelEcho, 4, w0, w1, w2, w0 ^ w1 ^ w2);
        ipc::Result r = ipc::call(kEndpoint, m);
        ipc::Message want = reply_to(m);
        if (!r.ok() || r.message.length != 4 || r.message.words[0] != want.words[0] ||
            r.message.words[1] != want.words[1] || r.message.words[2] != want.words[2] ||
            r.message.words[3] != want.words[3]) {
            print("ipcpeer: stress client %lu: call %lu got a wrong reply (%s)\n", me.badge, seq,
                  abi::error_name(r.error));
            return 1;
        }
    }
    ipc::Result done = ipc::call(kEndpoint, ipc::make(kLabelDone));
    (void)done;  // The server may exit before answering the last Done.
    print("ipcpeer: stress client %lu: %lu calls, every reply correct\n", me.badge, calls);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    const char* mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "echo") == 0) return echo();
    if (strcmp(mode, "crash-on-call") == 0) {
        ipc::Result in = ipc::receive(kEndpoint);
        print("ipcpeer: got a call (label %u); crashing before the reply\n", in.message.label);
        sys::sleep_ns(20000000);
        volatile int* null = nullptr;
        return *null;
    }
    if (strcmp(mode, "call-once") == 0) {
        ipc::Result r = ipc::call(kEndpoint, ipc::make(kLabelEcho, 1, 7));
        print("ipcpeer: call-once: %s\n", abi::error_name(r.error));
        return 0;
    }
    if (strcmp(mode, "wait-ntfn") == 0) {
        print("ipcpeer: wait-ntfn: %s\n", abi::error_name(sys::error_of(sys::notify_wait(kEndpoint).status)));
        return 0;
    }
    if (strcmp(mode, "recv-once") == 0) {
        print("ipcpeer: recv-once: %s\n", abi::error_name(ipc::receive(kEndpoint).error));
        return 0;
    }
    if (strcmp(mode, "use-cap") == 0) {
        ipc::Result in = ipc::receive(kEndpoint);
        if (!in.ok() || in.message.cap_count != 1) {
            print("ipcpeer: use-cap: expected one capability, got %u (%s)\n", in.message.cap_count,
                  abi::error_name(in.error));
            return 1;
        }
        abi::CapSlot received = in.message.send_caps[0];
        abi::CapInfo info{};
        sys::cap_identify(received, &info);
        print("ipcpeer: use-cap: received a %s capability in slot %u\n", abi::object_type_name(info.type), received);
        int64_t r = sys::notify_signal(received);
        sys::raw::ipc(sys::number(abi::Syscall::ipc_reply_recv), 0, 0, 0, 0, 0, 0);
        return r == 0 ? 0 : 1;
    }
    if (strcmp(mode, "ioport") == 0) {
        uint8_t value;
        asm volatile("inb $0x60, %0" : "=a"(value));
        print("ipcpeer: read port 0x60 without a capability: 0x%x\n", value);
        return 1;
    }
    if (strcmp(mode, "resume") == 0) {
        // Load known values, hit ud2, and (once the handler has patched the ud2 into NOPs and
        // replied) report what the registers hold: a resumed thread must find them untouched.
        uint64_t out[7];
        asm volatile(
            "movabs $0x1111111111111111, %%rax\n"
            "movabs $0x2222222222222222, %%rdx\n"
            "movabs $0x3333333333333333, %%rsi\n"
            "movabs $0x4444444444444444, %%rdi\n"
            "movabs $0x5555555555555555, %%r8\n"
            "movabs $0x6666666666666666, %%r9\n"
            "movabs $0x7777777777777777, %%r10\n"
            ".global ipcpeer_ud2\n"
            "ipcpeer_ud2: ud2\n"
            "mov %%rax, 0(%0)\n"
            "mov %%rdx, 8(%0)\n"
            "mov %%rsi, 16(%0)\n"
            "mov %%rdi, 24(%0)\n"
            "mov %%r8, 32(%0)\n"
            "mov %%r9, 40(%0)\n"
            "mov %%r10, 48(%0)\n"
            :
            : "r"(out)
            : "rax", "rdx", "rsi", "rdi", "r8", "r9", "r10", "memory");
        bool intact = true;
        for (uint64_t i = 0; i < 7; ++i) intact &= out[i] == 0x1111111111111111ull * (i + 1);
        print("ipcpeer: resumed after the fault; registers %s\n", intact ? "intact" : "CHANGED");
        return intact ? 0 : 1;
    }
    if (strcmp(mode, "exit") == 0) return static_cast<int>(parse_number(argc > 2 ? argv[2] : "0"));
    if (strcmp(mode, "isolation") == 0) return isolation();
    if (strcmp(mode, "pong") == 0) {
        // The bare minimum a server can do, so a benchmark measures the kernel and not us:
        // reply with the registers just received, and wait for the next call.
        sys::raw::IpcRegisters r = sys::raw::ipc(sys::number(abi::Syscall::ipc_recv), kEndpoint, 0, 0, 0, 0, 0);
        for (;;)
            r = sys::raw::ipc(sys::number(abi::Syscall::ipc_reply_recv), kEndpoint, r.info, r.w[0], r.w[1], r.w[2],
                              r.w[3]);
    }
    if (strcmp(mode, "sink") == 0) {
        for (;;) sys::raw::ipc(sys::number(abi::Syscall::ipc_recv), kEndpoint, 0, 0, 0, 0, 0);
    }
    if (strcmp(mode, "notify-pong") == 0) {
        for (;;) {
            sys::notify_wait(kEndpoint);
            sys::notify_signal(kSecond);
        }
    }
    if (strcmp(mode, "deferred") == 0) return deferred();
    if (strcmp(mode, "window") == 0) return window_server();
    if (strcmp(mode, "stress-server") == 0) return stress_server(parse_number(argc > 2 ? argv[2] : "0"));
    if (strcmp(mode, "stress-client") == 0) return stress_client(parse_number(argc > 2 ? argv[2] : "0"));
    print("ipcpeer: unknown mode '%s'\n", mode);
    return 2;
}
