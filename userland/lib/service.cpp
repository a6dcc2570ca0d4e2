/// \file service.cpp
/// \brief The service loop: heartbeats, fault injection, and dispatch to the service's handler.
#include "service.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "sys.hpp"

namespace service {

namespace {

using namespace protocol::rs;

/// A small, seeded pseudo-random generator (xorshift64*), so an injected fault is repeatable.
uint64_t next_random(uint64_t& state)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
}

// Linker-provided bounds of the program's writable data, for wild writes.
extern "C" char __data_start[], __data_end[];

/// Executes an injected fault. Most never return.
void inject(const Context& ctx, FaultType fault, uint64_t seed)
{
    uint64_t state = seed ? seed : 1;
    switch (fault) {
    case FaultType::Crash: {
        volatile int* null = nullptr;
        *null = 1;
        break;
    }
    case FaultType::Panic: panic(ctx, "fault injected");
    case FaultType::Exit: sys::exit(1);
    case FaultType::Hang:
        for (;;) asm volatile("pause");
    case FaultType::WildWrite: {
        // A random 8-byte store somewhere in our own data and bss, like a stray pointer.
        uint64_t size = static_cast<uint64_t>(__data_end - __data_start);
        if (size >= 8) {
            uint64_t offset = next_random(state) % (size - 7);
            *reinterpret_cast<volatile uint64_t*>(__data_start + offset) = next_random(state);
        }
        break;
    }
    default: break;  // BitFlip and BadIpc are done to us from outside.
    }
}

} // namespace

Context start(int argc, char** argv)
{
    Context ctx;
    ctx.label = argc > 1 ? argv[1] : "?";
    ctx.restarted = argc > 2 && strcmp(argv[2], "restart") == 0;
    ctx.argc = argc > 3 ? argc - 3 : 0;
    ctx.argv = argc > 3 ? argv + 3 : nullptr;
    sys::notification_bind(abi::kSlotSelfThread, kSlotNotification);
    return ctx;
}

void ready(const Context& ctx)
{
    ipc::Result r = ipc::call(kSlotRs, ipc::make(kReady));
    if (!r.ok()) print("%s: could not report ready to rs: %s\n", ctx.label, abi::error_name(r.error));
}

void run(const Context& ctx, Handler& handler)
{
    ipc::Result in = ipc::receive(kSlotEndpoint);
    for (;;) {
        if (!in.ok()) {
            in = ipc::receive(kSlotEndpoint);
            continue;
        }
        const ipc::Message& m = in.message;
        // (1) Notifications: answer RS's ping with a pong; the rest is the service's business.
        if (m.label == abi::kNotificationLabel) {
            uint64_t bits = m.words[0];
            if (bits & kPingBit) sys::notify_signal(kSlotHeartbeat);
            if (bits & ~kPingBit) handler.notified(bits & ~kPingBit);
            in = ipc::receive(kSlotEndpoint);
            continue;
        }
        // (2) Fault injection, accepted only from RS's own capability.
        if (m.label == kFaultInjectLabel && m.badge == kRsBadge) {
            inject(ctx, static_cast<FaultType>(m.words[0]), m.words[1]);
            in = ipc::receive(kSlotEndpoint);
            continue;
        }
        // (3) A request: the handler's reply goes back, and we wait for the next one. Messages
        // sent (not called) get no reply; reply_receive then just receives.
        in = ipc::reply_receive(kSlotEndpoint, handler.handle(m));
    }
}

void panic(const Context& ctx, const char* why)
{
    print("%s: panic: %s\n", ctx.label, why);
    sys::exit(255);
}

ipc::Message error_reply(uint32_t label, abi::Error error)
{
    return ipc::make(label, 1, static_cast<uint64_t>(error));
}

} // namespace service
