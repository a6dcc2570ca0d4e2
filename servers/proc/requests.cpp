/// \file requests.cpp
/// \brief proc's protocol requests (join, spawn, wait, kill, getpid, list): each checked for its exact size, decoded, answered.
///
/// The caller is named by the badge of its proc capability (its pid). A caller proc does not
/// know gets ESRCH for everything but kJoin and kList. Capabilities that arrive with a request
/// and are not kept are deleted at once, so garbage cannot fill proc's capability table.
#include "fs_client.hpp"
#include "lib/string.hpp"
#include "state.hpp"

namespace proc {

namespace {

using namespace protocol::proc;

ipc::Message reply(uint32_t label, Errno status, int64_t value = 0, int64_t value2 = 0)
{
    ipc::Message m;
    ipc::pack(m, label, Reply{status, 0, value, value2, 0});
    return m;
}

/// A request's capabilities that proc does not keep.
void drop_caps(const ipc::Message& m, uint32_t from = 0)
{
    for (uint32_t i = from; i < m.cap_count; ++i) sys::cap_delete(m.send_caps[i]);
}

// [proc-join]
/// kJoin: the caller proves who it is with its own Process capability; it becomes a process
/// with no parent, and gets capabilities to proc and fs badged with its new pid.
ipc::Message do_join(const ipc::Message& m)
{
    // (1) Exactly one capability, a Process; an optional 32-byte name in 4 words.
    abi::CapInfo info{};
    if (m.cap_count != 1 || (m.length != 0 && m.length != 4) || sys::cap_identify(m.send_caps[0], &info) != 0 ||
        info.type != abi::ObjectType::Process) {
        drop_caps(m);
        return reply(kJoin, posix::EINVAL);
    }
    // (2) Once only: a process proc started, or one already joined, has its capabilities.
    if (Process* known = find_kernel(info.pid); known && known->state == Slot::Running) {
        drop_caps(m);
        return reply(kJoin, posix::EEXIST, static_cast<int64_t>(known->pid));
    }
    Process* p = allocate();
    if (!p) {
        drop_caps(m);
        return reply(kJoin, posix::EAGAIN);
    }
    p->joined = true;
    p->kernel_pid = info.pid;
    p->process = m.send_caps[0];  // Kept: it shows whether the process still runs (sweep_joined).
    if (m.length == 4) set_name(*p, reinterpret_cast<const char*>(m.words), 32);
    else set_name(*p, "?", 1);
    // (3) Its fs identity: no parent, the console on 0, 1 and 2.
    int32_t no_fds[protocol::fs::kInheritFds];
    for (int32_t& fd : no_fds) fd = -1;
    abi::CapSlot fs_cap = 0;
    if (Errno e = fs::new_client(p->pid, 0, no_fds, true, fs_cap); e != posix::kOk) {
        release(*p);
        return reply(kJoin, e);
    }
    int64_t proc_cap = sys::cap_mint(kSlotEndpoint, 0, abi::rights::kWrite, p->pid);
    if (proc_cap <= 0) {
        sys::cap_delete(fs_cap);
        fs::client_exit(p->pid);
        release(*p);
        return reply(kJoin, posix::EAGAIN);
    }
    // (4) Both capabilities go with the reply; ours are deleted once it has gone.
    ipc::Message out = reply(kJoin, posix::kOk, static_cast<int64_t>(p->pid));
    out.cap_count = 2;
    out.send_caps[0] = static_cast<abi::CapSlot>(proc_cap);
    out.send_caps[1] = fs_cap;
    delete_after_reply(out.send_caps[0]);
    delete_after_reply(out.send_caps[1]);
    return out;
}
// [proc-join]

ipc::Message do_spawn(Process& self, const ipc::Message& m)
{
    uint64_t pid = 0;
    Errno e = spawn(self, ipc::unpack<SpawnRequest>(m), pid);
    return reply(kSpawn, e, static_cast<int64_t>(pid));
}

ipc::Message wait_reply(Errno status, int32_t wstatus = 0, int64_t pid = 0)
{
    ipc::Message m;
    ipc::pack(m, kWait, WaitReply{status, wstatus, pid, {}});
    return m;
}

// [proc-wait]
/// kWait: a zombie child is answered at once; a running one parks the call (reply_save) until
/// a child ends (lifecycle.cpp answers it), unless WNOHANG.
ipc::Message do_wait(Process& self, const ipc::Message& m)
{
    WaitRequest req = ipc::unpack<WaitRequest>(m);
    // LAB 6 BEGIN SOLUTION
    // LAB 6 STUB: (void)self;
    // LAB 6 STUB: (void)req;
    // LAB 6 STUB: return wait_reply(posix::ENOSYS);
    if (req.options & ~wait_options::kNoHang) return wait_reply(posix::EINVAL);
    // No process groups: 0 ("my group") and -N ("group N") mean any child, as -1 does.
    int64_t want = req.pid > 0 ? req.pid : -1;
    bool any = false;
    Process* zombie = find_zombie(self, want, any);
    if (!any) return wait_reply(posix::ECHILD);
    if (zombie) {
        ipc::Message out = wait_reply(posix::kOk, zombie->wstatus, static_cast<int64_t>(zombie->pid));
        release(*zombie);
        return out;
    }
    if (req.options & wait_options::kNoHang) return wait_reply(posix::kOk);
    if (self.wait_reply) return wait_reply(posix::EAGAIN);  // One thread, one wait.
    int64_t saved = sys::reply_save();
    if (saved <= 0) return wait_reply(posix::ENOMEM);
    self.wait_reply = static_cast<abi::CapSlot>(saved);
    self.wait_pid = want;
    return ipc::make(0);  // Goes nowhere: the call is saved.
    // LAB 6 END SOLUTION
}
// [proc-wait]

/// kKill: only a parent may end its child; 9 (SIGKILL) and 15 (SIGTERM) end it, 0 only checks.
ipc::Message do_kill(Process& self, const ipc::Message& m)
{
    KillRequest req = ipc::unpack<KillRequest>(m);
    if (req.signal != 0 && req.signal != 9 && req.signal != 15) return reply(kKill, posix::EINVAL);
    if (req.pid <= 0) return reply(kKill, posix::EINVAL);  // No process groups, no broadcast.
    Process* target = find(static_cast<uint64_t>(req.pid));
    if (!target) return reply(kKill, posix::ESRCH);
    if (target->parent != self.pid) return reply(kKill, posix::EPERM);
    if (target->state == Slot::Running && req.signal != 0) kill(*target, req.signal);
    return reply(kKill, posix::kOk);
}

/// kList: the first process at or after table slot `index`.
ipc::Message do_list(const ipc::Message& m)
{
    ListRequest req = ipc::unpack<ListRequest>(m);
    ProcessInfo info{};
    info.status = posix::ESRCH;
    for (uint64_t i = req.index; i < kMaxProcesses; ++i) {
        const Process& p = g_proc.table[i];
        if (p.state == Slot::Free) continue;
        info.status = posix::kOk;
        info.state = static_cast<uint32_t>(p.state == Slot::Zombie ? protocol::proc::State::Zombie : protocol::proc::State::Running);
        info.pid = p.pid;
        info.parent = p.parent;
        info.next_index = i + 1;
        memcpy(info.name, p.name, sizeof(info.name));
        break;
    }
    ipc::Message out;
    ipc::pack(out, kList, info);
    return out;
}

/// Whether a request of `label` has exactly its struct's size.
bool well_formed(const ipc::Message& m)
{
    switch (m.label) {
    case kSpawn: return m.length == sizeof(SpawnRequest) / 8;
    case kWait: return m.length == sizeof(WaitRequest) / 8;
    case kKill: return m.length == sizeof(KillRequest) / 8;
    case kGetpid: return m.length == 0;
    case kList: return m.length == sizeof(ListRequest) / 8;
    default: return false;
    }
}

} // namespace

ipc::Message handle_request(const ipc::Message& m)
{
    // Joined processes do not tell proc when they end; look before answering anyone.
    sweep_joined();
    if (m.label == kJoin) return do_join(m);
    drop_caps(m);
    if (!well_formed(m)) return reply(m.label, posix::EINVAL);
    if (m.label == kList) return do_list(m);
    Process* self = caller(m);
    if (!self) return reply(m.label, posix::ESRCH);
    switch (m.label) {
    case kSpawn: return do_spawn(*self, m);
    case kWait: return do_wait(*self, m);
    case kKill: return do_kill(*self, m);
    case kGetpid: return reply(kGetpid, posix::kOk, static_cast<int64_t>(self->pid), static_cast<int64_t>(self->parent));
    default: return reply(m.label, posix::EINVAL);
    }
}

void delete_after_reply(abi::CapSlot slot)
{
    for (abi::CapSlot& s : g_proc.pending_delete)
        if (!s) {
            s = slot;
            return;
        }
    sys::cap_delete(slot);  // Cannot happen (at most 4 capabilities per reply); never leak.
}

void flush_pending_deletes()
{
    for (abi::CapSlot& s : g_proc.pending_delete)
        if (s) sys::cap_delete(s), s = 0;
}

} // namespace proc
