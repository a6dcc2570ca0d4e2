/// \file main.cpp
/// \brief The data store (DS): a small key-value store with owners and prefix subscriptions, so driver state survives the driver.
///
/// Design (the protocol and its semantics are in userland/lib/protocols/ds.hpp):
/// - The MINIX server skeleton on the service framework: service::start, ready, then
///   service::run, whose loop hands every request to DsHandler::handle below; handle() switches
///   on the label and calls one do_x() (handlers.hpp), whose return value is the reply.
/// - All state is one ds::State (state.hpp) in .bss: 128 keys, 16 subscriptions, one change
///   queue of 16 keys per subscribing badge. The operations on it (store.hpp, subscriptions.hpp)
///   are pure functions with no system calls, so they can be unit-tested on the host; the
///   handlers do the IPC decoding, the notification signals and the capability bookkeeping.
/// - Clients are told apart by the badge of the capability they call with (RS mints one per
///   service, see protocols/rs.hpp). A key belongs to the badge that first published it.
/// - Robust to garbage (RS's fault injection sends random labels and words): a request is
///   unpacked only if its length is exactly its label's struct; keys, value lengths and types
///   are checked field by field; unknown labels get service::error_reply(InvalidArgument); every
///   received capability that is not kept by a subscription is deleted at once. State fields
///   are bounded before they index anything, so even a corrupted state cannot send the server
///   outside its arrays.
/// - The DS keeps its state only in memory: if the DS itself is restarted, the store starts
///   empty (ctx.restarted changes nothing) and clients must publish again.
/// - Quiet by design: one line at start-up, nothing per request.
#include "handlers.hpp"
#include "print.hpp"
#include "service.hpp"
#include "state.hpp"
#include "store.hpp"

namespace {

using namespace protocol::ds;

/// The store. Zero-initialised at load time (constinit: no constructor runs).
constinit ds::State g_state{};

class DsHandler final : public service::Handler {
public:
    ipc::Message handle(const ipc::Message& m) override
    {
        bool kept_cap = false;
        ipc::Message reply;
        switch (m.label) {
        case kPublish: reply = ds::do_publish(g_state, m); break;
        case kRetrieve: reply = ds::do_retrieve(g_state, m); break;
        case kDelete: reply = ds::do_delete(g_state, m); break;
        case kSubscribe: reply = ds::do_subscribe(g_state, m, kept_cap); break;
        case kChanges: reply = ds::do_changes(g_state, m); break;
        default: reply = service::error_reply(m.label, abi::Error::InvalidArgument); break;
        }
        // Only a successful subscribe keeps a capability (the first); the rest are deleted.
        ds::release_caps(m, kept_cap ? 1 : 0);
        return reply;
    }
};

} // namespace

int main(int argc, char** argv)
{
    service::Context ctx = service::start(argc, argv);
    print("ds: data store ready (%u keys)\n", ds::key_count(g_state));
    service::ready(ctx);
    DsHandler handler;
    service::run(ctx, handler);
}
