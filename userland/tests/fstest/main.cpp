/// \file main.cpp
/// \brief `fstest`: the file-system server end to end: every request of protocols/fs.hpp with its exact results and error codes, large files, pipes between two processes, the console, damaged disks and recovery.
///
/// Usage (arguments from init's `run=fstest:...`):
///   fstest                 the whole suite, ending with kSync; the host then checks the image
///                          (e2fsck -fn, and debugfs for each file written)
///   fstest verify PATH...  prints the size and FNV-1a 64 of each file (files placed by the host)
///   fstest damaged PATH... stat, read and list each path on a damaged disk (EIO expected)
///   fstest console         reads a line typed on the console through /dev/console
///   fstest recovery MS     writes and syncs a file for MS milliseconds while the test kills `ata`
///   fstest restart         crashes `fs` (through RS) and checks what survives its restart
///   fstest child ROLE MS   (started by fstest itself) one end of a pipe in another process
/// init gives it a capability to RS in slot 3, where it looks `fs` up, and its own program
/// image in slot 4, to start children. Every line it prints starts with "fstest: ".
#include "check.hpp"
#include "print.hpp"
#include "protocols/rs.hpp"
#include "sys.hpp"

using namespace fstest;

namespace {

/// Waits (up to 10 s) until RS says `fs` is up, then looks its endpoint up.
abi::CapSlot find_fs()
{
    protocol::rs::Client rs(kSlotRs);
    protocol::rs::ServiceStatus st{};
    uint64_t deadline = sys::clock_ns() + 10000000000ull;
    while (!(rs.status_of("fs", st) && st.state == protocol::rs::State::Up) && sys::clock_ns() < deadline)
        sys::sleep_ns(10000000);
    return rs.lookup("fs");
}

/// The process client the suite mostly works through: pid kPid, console on 0, 1, 2.
bool make_process_client()
{
    NewClientRequest req{};
    req.pid = kPid;
    for (int32_t& fd : req.fds) fd = -1;
    req.console = 1;
    abi::CapSlot cap = abi::kNullSlot;
    int64_t r = svc.new_client(req, cap);
    value("new client 7001 with the console", r);
    if (r < 0) return false;
    proc = Fs(cap);
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    // A child works through the capability its parent gave it in slot 3.
    if (argc >= 2 && strcmp(argv[1], "child") == 0) return run_child(argc, argv);

    abi::CapSlot fs = find_fs();
    if (fs == abi::kNullSlot) {
        print("fstest: cannot find fs\n");
        return 1;
    }
    svc = Fs(fs);
    if (argc >= 2 && strcmp(argv[1], "verify") == 0) return run_verify(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "damaged") == 0) return run_damaged(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "console") == 0) return run_console();
    if (argc >= 2 && strcmp(argv[1], "recovery") == 0) return run_recovery(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "restart") == 0) return run_restart();

    if (!make_process_client()) return 1;
    run_paths();
    run_files();
    run_dup();
    run_rename();
    run_unlink_open();
    run_readdir();
    run_big_files();
    run_pipes();
    run_children();
    run_devices();
    run_control();
    run_statfs_and_sync();
    print("fstest: done, %d failures\n", failures());
    return failures() == 0 ? 0 : 1;
}
