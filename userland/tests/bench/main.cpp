/// \file main.cpp
/// \brief `bench`: micro-benchmarks of kernel entry and IPC, printed as "BENCH samsara <what> <cycles per op>".
///
/// Run under QEMU with `-icount shift=0` (tools/bench.py does), the TSC advances one tick per
/// guest instruction, so the figures are guest instructions per operation: repeatable on a noisy
/// machine and comparable with ../shared/anchors/linux-ipc, which measures Linux the same way.
/// init gives bench the ipcpeer program (slot 3), which plays the server side.
#include "print.hpp"
#include "sys.hpp"

namespace {

constexpr abi::CapSlot kPeerImage = 3;

inline uint64_t rdtsc()
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t(hi) << 32) | lo;
}

constexpr int kWarm = 1000;
constexpr int kRuns = 20000;

/// Prints the average cost of `op` over kRuns calls, after kWarm warm-up calls.
template <typename Op>
void measure(const char* what, Op op)
{
    for (int i = 0; i < kWarm; ++i) op();
    uint64_t start = rdtsc();
    for (int i = 0; i < kRuns; ++i) op();
    uint64_t total = rdtsc() - start;
    // One decimal place without floating point.
    uint64_t tenths = total * 10 / kRuns;
    print("BENCH samsara %s %lu.%lu\n", what, tenths / 10, tenths % 10);
}

/// Starts ipcpeer in `mode` with `a` in its slot 3 and `b` in slot 4; returns its Process slot.
abi::CapSlot start_peer(const char* mode, abi::CapSlot a, abi::CapSlot b = 0)
{
    abi::SpawnRequest req{};
    req.image = kPeerImage;
    req.name = "ipcpeer";
    req.name_len = 7;
    req.args = mode;
    req.args_len = 0;
    while (mode[req.args_len]) ++req.args_len;
    req.caps[req.cap_count++] = {a, 3, abi::rights::kAll};
    if (b) req.caps[req.cap_count++] = {b, 4, abi::rights::kAll};
    if (sys::spawn(req) < 0) {
        print("bench: cannot start ipcpeer %s\n", mode);
        sys::exit(1);
    }
    sys::yield();  // Let it reach its first receive.
    return req.process_slot;
}

void stop(abi::CapSlot process)
{
    abi::ExitInfo info;
    sys::process_kill(process);
    sys::wait(0, &info);
}

uint64_t call(abi::CapSlot ep, uint32_t words)
{
    return sys::raw::ipc(sys::number(abi::Syscall::ipc_call), ep, abi::MessageInfo::make(1, words).raw, 1, 2, 3, 4)
        .w[0];
}

} // namespace

int main(int, char**)
{
    // Kernel entry alone.
    measure("null_syscall(unknown number)", [] { sys::raw::syscall(0xffff); });
    measure("clock", [] { sys::clock_ns(); });
    measure("yield(no other thread)", [] { sys::yield(); });

    // IPC between two address spaces.
    abi::CapSlot ep = static_cast<abi::CapSlot>(sys::endpoint_create());
    abi::CapSlot pong = start_peer("ipcpeer pong", ep);
    measure("ipc_round_trip(call+reply_recv, 4 words, fast path)", [&] { call(ep, 4); });
    measure("ipc_round_trip(call+reply_recv, 64 words, slow path)", [&] { call(ep, 64); });
    stop(pong);

    abi::CapSlot sink_ep = static_cast<abi::CapSlot>(sys::endpoint_create());
    abi::CapSlot sink = start_peer("ipcpeer sink", sink_ep);
    measure("ipc_send(one way, 4 words)", [&] {
        sys::raw::ipc(sys::number(abi::Syscall::ipc_send), sink_ep, abi::MessageInfo::make(1, 4).raw, 1, 2, 3, 4);
    });
    stop(sink);

    abi::CapSlot ping = static_cast<abi::CapSlot>(sys::notification_create());
    abi::CapSlot back = static_cast<abi::CapSlot>(sys::notification_create());
    abi::CapSlot notifier = start_peer("ipcpeer notify-pong", ping, back);
    measure("notification_round_trip(signal+wait, 2 wakes)", [&] {
        sys::notify_signal(ping);
        sys::notify_wait(back);
    });
    stop(notifier);
    print("BENCH done\n");
    return 0;
}
