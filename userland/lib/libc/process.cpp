/// \file process.cpp
/// \brief Process calls over proc: spawn, posix_join, waitpid, kill, getpid, getppid, proc_list; and sleep, _exit.
#include "internal.hpp"
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/samsara.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace protocol::proc;
using libc::fail;

namespace {

pid_t g_pid = 0;  ///< Cached: a process's pid never changes (but is forgotten by posix_join).

/// Appends `s` and its NUL to the spawn text; false if it does not fit.
bool append(SpawnRequest& request, const char* s)
{
    size_t n = strnlen(s, kTextBytes);
    if (request.text_length + n + 1 > kTextBytes) return false;
    memcpy(request.text + request.text_length, s, n);
    request.text_length += static_cast<uint32_t>(n);
    request.text[request.text_length++] = '\0';
    return true;
}

} // namespace

extern "C" {

// [libc-spawn]
pid_t spawn(const char* path, char* const argv[], char* const envp[], const int fds[3])
{
    if (!path) return fail(EFAULT);
    if (!*path) return fail(ENOENT);
    SpawnRequest request{};
    for (int i = 0; i < 3; ++i) request.fds[i] = fds ? fds[i] : i;
    // The text: the path, then argv's strings, then envp's, each NUL-terminated.
    if (!append(request, path)) return fail(E2BIG);
    for (uint32_t i = 0; argv && argv[i]; ++i, ++request.argc)
        if (!append(request, argv[i])) return fail(E2BIG);
    for (uint32_t i = 0; envp && envp[i]; ++i, ++request.envc)
        if (!append(request, envp[i])) return fail(E2BIG);
    Reply reply{};
    if (int e = libc::proc_request(kSpawn, request, reply)) return fail(e);
    return static_cast<pid_t>(reply.value);
}
// [libc-spawn]

int posix_join(unsigned proc_endpoint_slot)
{
    // (1) Prove who we are: our own Process capability goes with the request, and our name
    // (argv[0] without its directory, for ps) in 4 words.
    ipc::Message m = ipc::make(kJoin, 4);
    const char* name = strrchr(libsys_program_name, '/');
    name = name ? name + 1 : libsys_program_name;
    strlcpy(reinterpret_cast<char*>(m.words), name, 32);
    m.cap_count = 1;
    m.send_caps[0] = abi::kSlotSelfProcess;
    ipc::Message reply;
    int status = libc::call(proc_endpoint_slot, m, reply);
    // (2) proc answers with its endpoint and fs's, both badged with our new pid.
    if (status == 0 && reply.cap_count != 2) status = EIO;
    if (status != 0) {
        for (uint32_t i = 0; i < reply.cap_count; ++i) sys::cap_delete(reply.send_caps[i]);
        return fail(status);
    }
    // (3) They go in the slots every POSIX process has them in, replacing old ones.
    sys::cap_delete(kSlotProc);
    sys::cap_delete(kSlotFs);
    if (sys::cap_move(reply.send_caps[0], kSlotProc) < 0 || sys::cap_move(reply.send_caps[1], kSlotFs) < 0) {
        sys::cap_delete(reply.send_caps[0]);
        sys::cap_delete(reply.send_caps[1]);
        return fail(EIO);
    }
    g_pid = 0;
    return 0;
}

pid_t waitpid(pid_t pid, int* wstatus, int options)
{
    if (options & ~WNOHANG) return fail(EINVAL);
    WaitRequest request{pid, static_cast<uint32_t>(options & WNOHANG ? wait_options::kNoHang : 0), 0};
    WaitReply reply{};
    if (int e = libc::proc_request(kWait, request, reply)) return fail(e);
    if (wstatus && reply.pid != 0) *wstatus = reply.wstatus;
    return static_cast<pid_t>(reply.pid);
}

pid_t wait(int* wstatus) { return waitpid(-1, wstatus, 0); }

int kill(pid_t pid, int signal)
{
    if (signal < 0 || signal > 64) return fail(EINVAL);
    Reply reply{};
    if (int e = libc::proc_request(kKill, KillRequest{pid, signal, 0}, reply)) return fail(e);
    return 0;
}

pid_t getpid(void)
{
    if (g_pid) return g_pid;
    ipc::Message reply;
    if (int e = libc::call(kSlotProc, ipc::make(kGetpid), reply)) return fail(e);
    g_pid = static_cast<pid_t>(ipc::unpack<Reply>(reply).value);
    return g_pid;
}

pid_t getppid(void)
{
    // Not cached: a parent that ends may leave the process to another.
    ipc::Message reply;
    if (int e = libc::call(kSlotProc, ipc::make(kGetpid), reply)) return fail(e);
    return static_cast<pid_t>(ipc::unpack<Reply>(reply).value2);
}

int proc_list(unsigned long* cursor, struct proc_info* out)
{
    if (!cursor || !out) return fail(EFAULT);
    ProcessInfo info{};
    int e = libc::proc_request(kList, ListRequest{*cursor}, info);
    if (e == ESRCH) return 0;  // Past the last process.
    if (e) return fail(e);
    out->pid = static_cast<pid_t>(info.pid);
    out->ppid = static_cast<pid_t>(info.parent);
    out->zombie = info.state == static_cast<uint32_t>(State::Zombie);
    memcpy(out->name, info.name, sizeof(out->name));
    out->name[sizeof(out->name) - 1] = '\0';
    *cursor = info.next_index;
    return 1;
}

unsigned sleep(unsigned seconds)
{
    sys::sleep_ns(static_cast<uint64_t>(seconds) * 1000000000ull);
    return 0;
}

int usleep(unsigned long microseconds)
{
    sys::sleep_ns(static_cast<uint64_t>(microseconds) * 1000ull);
    return 0;
}

void _exit(int status) { sys::exit(status); }

} // extern "C"
