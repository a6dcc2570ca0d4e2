/// \file main.cpp
/// \brief `dstest`: checks the data store: typed values, owners' permissions, subscriptions, and garbage requests.
///
/// It looks the data store up twice through RS, getting two capabilities with different badges:
/// two clients, so ownership can be tested. Each check prints "dstest: <what>: ok|FAIL".
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/ds.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"

namespace {

using abi::Error;
using namespace protocol::ds;

int g_passed = 0, g_failed = 0;

void check(const char* what, bool ok)
{
    print("dstest: %s: %s\n", what, ok ? "ok" : "FAIL");
    (ok ? g_passed : g_failed)++;
}

abi::CapSlot lookup(const char* label)
{
    protocol::rs::NameRequest req{};
    memcpy(req.label, label, strlen(label));
    ipc::Message m;
    ipc::pack(m, protocol::rs::kLookup, req);
    ipc::Result r = ipc::call(3, m);
    return r.ok() && r.message.cap_count == 1 ? r.message.send_caps[0] : abi::kNullSlot;
}

} // namespace

int main(int, char**)
{
    abi::CapSlot one = lookup("ds"), two = lookup("ds");
    if (!one || !two) {
        print("dstest: cannot look up the data store\n");
        return 1;
    }
    Client a(one), b(two);

    check("publish a u64", a.publish_u64("test.number", 42) == Error::None);
    uint64_t n = 0;
    check("retrieve it", a.retrieve_u64("test.number", n) == Error::None && n == 42);
    check("another client reads it too", b.retrieve_u64("test.number", n) == Error::None && n == 42);
    check("another client may not overwrite it", b.publish_u64("test.number", 7) == Error::InsufficientRights);
    check("nor delete it", b.remove("test.number") == Error::InsufficientRights);
    check("the owner may overwrite it", a.publish_u64("test.number", 43) == Error::None &&
                                            b.retrieve_u64("test.number", n) == Error::None && n == 43);
    check("publish a string", a.publish_string("test.text", "reborn") == Error::None);
    Entry e{};
    check("retrieve the string", a.retrieve("test.text", e) == Error::None && e.type == Type::String &&
                                     strcmp(reinterpret_cast<const char*>(e.value), "reborn") == 0);
    uint8_t blob[300];
    for (int i = 0; i < 300; ++i) blob[i] = static_cast<uint8_t>(i * 7);
    check("publish a 300-byte blob", a.publish_blob("test.blob", blob, 300) == Error::None);
    check("retrieve it byte for byte", a.retrieve("test.blob", e) == Error::None && e.length == 300 &&
                                           memcmp(e.value, blob, 300) == 0);
    check("a u64 read of a string is WrongType", a.retrieve_u64("test.text", n) == Error::WrongType);
    check("a missing key is NotFound", a.retrieve("test.missing", e) == Error::NotFound);
    check("an empty key is InvalidArgument", a.publish_u64("", 1) == Error::InvalidArgument);

    // Subscriptions: b watches "test." and hears about a's changes.
    abi::CapSlot n_slot = static_cast<abi::CapSlot>(sys::notification_create());
    check("subscribe to a prefix", b.subscribe("test.", n_slot) == Error::None);
    a.publish_u64("test.number", 44);
    a.remove("test.text");
    sys::raw::IpcRegisters w = sys::notify_wait(n_slot);
    ChangeList changes{};
    check("changes are signalled and listed", w.status == 0 && b.changes(changes) == Error::None &&
                                                  changes.count == 2 &&
                                                  strcmp(changes.keys[0], "test.number") == 0 &&
                                                  strcmp(changes.keys[1], "test.text") == 0);
    check("a deleted key is gone", a.retrieve("test.text", e) == Error::NotFound);

    // RS publishes every service's state as drv.<label>.
    check("RS published drv.hello = up", a.retrieve("drv.hello", e) == Error::None &&
                                             strcmp(reinterpret_cast<const char*>(e.value), "up") == 0);

    // Garbage: wrong lengths and labels get errors, and the store still works.
    ipc::Result r = ipc::call(one, ipc::make(kPublish, 3, 1, 2, 3));
    check("a short publish is refused", r.ok() && ipc::unpack<Status>(r.message).status ==
                                                      static_cast<uint32_t>(Error::InvalidArgument));
    r = ipc::call(one, ipc::make(99, 2, 5, 6));
    check("an unknown request is refused", r.ok() && r.message.words[0] == static_cast<uint64_t>(Error::InvalidArgument));
    check("the store still works", a.retrieve_u64("test.number", n) == Error::None && n == 44);

    print("dstest: %d passed, %d failed\n", g_passed, g_failed);
    return g_failed == 0 ? 0 : 1;
}
