/// \file main.cpp
/// \brief `hello`: the smallest service that keeps state across its own death. Copy this to write a driver.
///
/// It counts the requests it has served and publishes the count to the data store after every
/// request. When the reincarnation server restarts it in `restart` mode, it reads the count back,
/// so clients see the count carry on as if nothing had happened.
#include "print.hpp"
#include "protocols/ds.hpp"
#include "protocols/hello.hpp"
#include "service.hpp"
#include "sys.hpp"

namespace {

/// All of the driver's state.
struct State {
    uint64_t served = 0;
} g_state;

class Hello final : public service::Handler {
public:
    explicit Hello(const protocol::ds::Client& ds) : m_ds(ds) {}

    ipc::Message handle(const ipc::Message& request) override
    {
        if (request.label != protocol::hello::kHello || request.length != 0)
            return service::error_reply(request.label, abi::Error::InvalidArgument);
        ++g_state.served;
        // Saved before the reply: a crash after this loses nothing the client was told.
        m_ds.publish_u64("hello.served", g_state.served);
        return ipc::make(protocol::hello::kHello, 1, g_state.served);
    }

private:
    const protocol::ds::Client& m_ds;
};

} // namespace

int main(int argc, char** argv)
{
    // [hello-restore]
    service::Context ctx = service::start(argc, argv);
    protocol::ds::Client ds(protocol::rs::kSlotDs);
    if (ctx.restarted) {
        uint64_t saved = 0;
        abi::Error e = ds.retrieve_u64("hello.served", saved);
        if (e == abi::Error::None) g_state.served = saved;
        print("hello: restarted; %lu requests served so far (%s)\n", g_state.served, abi::error_name(e));
    }
    Hello handler(ds);
    service::ready(ctx);
    service::run(ctx, handler);
    // [hello-restore]
}
