/// \file service.hpp
/// \brief The service framework: what every driver and server under the reincarnation server runs (MINIX's SEF).
///
/// A service's main() is: `service::Context ctx = service::start(argc, argv);` then its own
/// initialisation (restoring state from the data store when `ctx.restarted`), then
/// `service::ready(ctx)` and `service::run(ctx, handler)`. run() is the MINIX server loop: receive,
/// dispatch, reply. It answers RS's heartbeat pings, executes injected faults, and passes other
/// notification bits (IRQs, timers) to the handler.
#pragma once

#include "ipc.hpp"
#include "protocols/rs.hpp"
#include <stdint.h>

namespace service {

struct Context {
    const char* label = "";
    bool restarted = false;   ///< Started in "restart" mode by RS: restore state from the data store.
    int argc = 0;             ///< Extra arguments from the service table.
    char** argv = nullptr;
};

/// What a service implements.
class Handler {
public:
    /// A request from a client; the returned message is the reply.
    virtual ipc::Message handle(const ipc::Message& request) = 0;
    /// Notification bits other than RS's ping (e.g. an IRQ): default ignores them.
    virtual void notified(uint64_t bits) { (void)bits; }

protected:
    ~Handler() = default;
};

/// Parses the arguments RS passes (`<binary> <label> fresh|restart [args...]`) and binds the
/// service's notification to its thread.
Context start(int argc, char** argv);
/// Tells RS initialisation is done (RS measures recovery time up to here).
void ready(const Context& ctx);
/// The server loop; never returns.
[[noreturn]] void run(const Context& ctx, Handler& handler);
/// Prints "<label>: panic: <why>" and exits with code 255, as MINIX's panic() does.
[[noreturn]] void panic(const Context& ctx, const char* why);

/// A reply carrying only an error code in word 0 (for unknown requests).
ipc::Message error_reply(uint32_t label, abi::Error error);

} // namespace service
