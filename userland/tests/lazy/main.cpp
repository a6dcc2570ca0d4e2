/// \file main.cpp
/// \brief `lazy`: misbehaving test services: one that never reports ready, one that crashes on its own soon after starting, one that complains about others.
///
/// `lazy` alone starts and never reports ready, so the reincarnation server's initialisation
/// timeout fires. `lazy crash-after MS` reports ready, serves, and dereferences null MS
/// milliseconds later: a flapping service, which is what restart backoff is for. `lazy complain
/// A B ...` reports ready, then complains to RS about services A, B, ... (protocol::rs::kComplain).
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/rs.hpp"
#include "service.hpp"
#include "sys.hpp"

namespace {

/// Crashes when its timer fires; answers nothing else.
class Flaky final : public service::Handler {
public:
    ipc::Message handle(const ipc::Message& request) override
    {
        return service::error_reply(request.label, abi::Error::InvalidArgument);
    }
    void notified(uint64_t) override
    {
        volatile int* null = nullptr;
        *null = 1;
    }
};

uint64_t number(const char* s)
{
    uint64_t v = 0;
    for (; s && *s >= '0' && *s <= '9'; ++s) v = v * 10 + (*s - '0');
    return v;
}

} // namespace

int main(int argc, char** argv)
{
    service::Context ctx = service::start(argc, argv);
    if (ctx.argc >= 2 && strcmp(ctx.argv[0], "crash-after") == 0) {
        // A badged copy of our own notification carries the timer's signal.
        auto timer = static_cast<abi::CapSlot>(sys::cap_mint(protocol::rs::kSlotNotification, 0, abi::rights::kWrite, 1));
        sys::timer_arm(timer, number(ctx.argv[1]) * 1000000, 0);
        Flaky flaky;
        service::ready(ctx);
        service::run(ctx, flaky);
    }
    if (ctx.argc >= 1 && strcmp(ctx.argv[0], "complain") == 0) {
        // Complains to RS about each service named after "complain", then serves (badly).
        service::ready(ctx);
        for (int i = 1; i < ctx.argc; ++i) {
            protocol::rs::Reply reply{};
            abi::Error e = protocol::rs::Client(protocol::rs::kSlotRs).complain(ctx.argv[i], reply);
            if (e == abi::Error::None) e = static_cast<abi::Error>(reply.status);
            print("%s: complaint about %s: %s (%s)\n", ctx.label, ctx.argv[i], abi::error_name(e), reply.message);
        }
        Flaky idle;  // Never notified: no timer.
        service::run(ctx, idle);
    }
    print("%s: started, and never going to say ready\n", ctx.label);
    for (;;) sys::sleep_ns(1000000000ull);
}
