/// \file posix_world.cpp
/// \brief Finding proc through RS and calling posix_join() once it runs.
#include "posix_world.hpp"
#include "console.hpp"
#include "protocols/proc.hpp"
#include "rs_client.hpp"
#include "sys.hpp"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

namespace posix_world {

namespace {

bool g_joined = false;
abi::CapSlot g_proc = abi::kNullSlot;  ///< proc's endpoint from RS's lookup.

/// How long a command waits for a proc that RS is starting or restarting.
constexpr uint64_t kStartWaitNs = 5000000000ull;

} // namespace

void reserve_slots()
{
    // A notification is a harmless placeholder: a call through it fails at once (WrongType),
    // where a copy of an endpoint would send fs or proc requests to the wrong server.
    const abi::CapSlot slots[] = {protocol::proc::kSlotProc, protocol::proc::kSlotFs};
    for (abi::CapSlot slot : slots) {
        int64_t n = sys::notification_create();
        if (n > 0 && static_cast<abi::CapSlot>(n) != slot && sys::cap_move(static_cast<abi::CapSlot>(n), slot) < 0)
            sys::cap_delete(static_cast<abi::CapSlot>(n));
    }
}

bool joined() { return g_joined; }

void forget() { g_joined = false; }

// [shell-restore-terminal]
void restore_terminal()
{
    bool reopened = false;
    for (int fd = 0; fd <= 2; ++fd) {
        struct stat st {};
        if (fstat(fd, &st) == 0 || errno != EBADF) continue;
        // The lowest free descriptor is this one: 0, 1 and 2 are checked in order.
        int n = open("/dev/console", O_RDWR);
        if (n < 0) return;  // fs is down or full: the command will report its own error.
        if (n != fd) {
            dup2(n, fd);
            close(n);
        }
        reopened = true;
    }
    if (reopened) console::print("shell: the file system forgot the terminal (restarted?); /dev/console reopened\n");
}
// [shell-restore-terminal]

bool join()
{
    if (g_joined) return true;
    // (1) proc must be in RS's table, and up. A call to its endpoint while nobody serves it
    // would wait forever, so a proc that is starting is waited for here, a little.
    protocol::rs::ServiceStatus st{};
    uint64_t deadline = sys::clock_ns() + kStartWaitNs;
    for (;;) {
        if (!rs_client::status_of("proc", st)) return false;
        if (st.state == protocol::rs::State::Up) break;
        if (st.state != protocol::rs::State::Starting && st.state != protocol::rs::State::Restarting &&
            st.state != protocol::rs::State::Queued)
            return false;
        if (sys::clock_ns() > deadline) return false;
        sys::sleep_ns(20000000);
    }
    // (2) Its endpoint: one lookup, kept (it outlives proc's instances).
    if (g_proc == abi::kNullSlot) g_proc = rs_client::lookup("proc");
    if (g_proc == abi::kNullSlot) return false;
    // (3) Join.
    if (posix_join(g_proc) == 0) {
        g_joined = true;
        return true;
    }
    console::error("shell: cannot join the process manager: %s\n", strerror(errno));
    return false;
}

} // namespace posix_world
