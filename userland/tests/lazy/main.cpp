/// \file main.cpp
/// \brief `lazy`: misbehaving test services: one that never reports ready, one that crashes on its own soon after starting.
///
/// `lazy` alone starts and never reports ready, so the reincarnation server's initialisation
/// timeout fires. `lazy crash-after MS` reports ready, serves, and dereferences null MS
/// milliseconds later: a flapping service, which is what restart backoff is for.
#include "lib/string.hpp"
#include "print.hpp"
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
    print("%s: started, and never going to say ready\n", ctx.label);
    for (;;) sys::sleep_ns(1000000000ull);
}
