/// \file proc.hpp
/// \brief The process-manager protocol spoken by `proc`: spawn a program from the file system, wait, kill, getpid/getppid, ps.
///
/// ## Who is who
/// `proc` starts every POSIX process and is its parent in the POSIX sense. The kernel also
/// makes `proc` the kernel parent and the fault/exit handler of what it starts, so `proc` learns
/// of every exit and fault as a message (the exit code, or the exception), and reaps it.
/// Clients are named by the badge on their `proc` capability: the process id. A process that
/// `proc` did not start (the shell or a test program started by init) *joins* with kJoin,
/// handing over its own Process capability as proof of who it is; it then gets the same two
/// capabilities a process started by `proc` has from birth.
///
/// **pids are proc's numbers, not the kernel's.** A child's capabilities must carry its pid
/// before the kernel creates it, so `proc` numbers processes itself (from 1, never reusing a
/// number, even across a restart of `proc`: the next pid is kept in the data store), as MINIX's
/// PM does. The kernel's process ids (in RS's `service list`, in kernel log lines) are another
/// name space.
///
/// **A restart of `proc`** (it runs in RS's `fresh` mode) forgets every process. Processes it
/// had started keep running as orphans (their exit is ignored, a fault ends them); a caller it
/// no longer knows gets ESRCH and may kJoin again, with a new pid.
///
/// ## What a process started by proc has
/// | slot      | what                                                    |
/// |-----------|---------------------------------------------------------|
/// | kSlotProc | `proc`'s endpoint, badged with the pid (Write)          |
/// | kSlotFs   | `fs`'s endpoint, badged with the pid (Write, Grant)     |
/// and descriptors 0, 1, 2 inherited from its parent through `fs` (SpawnRequest::fds).
///
/// ## Joining
/// kJoin carries one capability, the caller's own Process (slot abi::kSlotSelfProcess), and
/// optionally 4 words: its name (32 bytes, for `ps`). The joined process has parent 0 and an
/// `fs` identity with the console on 0, 1 and 2 and working directory "/". It joins once:
/// again (or from a process `proc` started) is EEXIST. The process is not `proc`'s kernel child,
/// so no message tells `proc` it ended: `proc` notices on the next request it serves (its
/// Process capability then reports the process gone), and only then tells `fs` and orphans its
/// children. Nobody can kill a joined process through `proc` (it is nobody's child).
///
/// ## Paths
/// The spawn path is resolved as `fs` would for the caller: an absolute path as is, a relative
/// one from the caller's working directory (which `proc` asks `fs` for: kClients). So callers
/// need not make paths absolute; the shell searches PATH itself.
///
/// ## Arguments and environment
/// The kernel hands a new program one block of bytes (its argument string). A program started
/// by `proc` gets: kArgsMarker, one byte argc, one byte envc (each at most 128), then the argc
/// argv strings and the envc environment strings ("NAME=value"), each NUL-terminated. The
/// counts (not an empty string) end the lists, so an argument may be empty (`''` in the shell).
/// The start-up code (libsys_start) recognises the marker; without it the block is the old
/// space-separated argument string init and RS use. The process's name (for `ps`) is the last
/// component of the path, at most 31 bytes.
///
/// ## Blocking
/// kWait for a running child is parked with `sys::reply_save` and answered when a child ends.
/// If the waiting process ends meanwhile, its parked wait is dropped. `proc` never waits for a
/// client; it does call `fs` (which never waits for anyone) during kSpawn and kJoin.
///
/// ## Ends and wait statuses
/// `wstatus` is encoded as POSIX does: exit code << 8 (WIFEXITED), or the signal number
/// (WIFSIGNALED) for a kill (9 or 15, as sent) or a CPU exception: page fault and general
/// protection fault 11 (SIGSEGV), invalid opcode 4 (SIGILL), divide error 8 (SIGFPE),
/// breakpoint 5 (SIGTRAP). A faulting child is ended by `proc`, which prints one line
/// ("proc: pid N (name) faulted: ..."). A process's children are orphaned when it ends: their
/// zombies are dropped and the living ones get parent 0 (nobody waits for them).
///
/// ## Errors
/// Replies start with `int32_t status`, 0 or a posix::Errno. A request of the wrong size or an
/// unknown label: EINVAL. A caller `proc` does not know (a service that has not joined, or a
/// process from before a restart of `proc`) gets ESRCH for everything but kJoin and kList.
///  - kJoin: EINVAL (not exactly one Process capability), EEXIST, EAGAIN (table full), and
///    whatever `fs` answers to kNewClient.
///  - kSpawn: ENOENT (no such file, or an empty path), ENOTDIR, ENAMETOOLONG, EACCES (not a
///    regular file with an x bit: a directory too), ENOEXEC (not a valid x86-64 ELF
///    executable, checked against the file's length), ENOMEM (headers and loaded segments
///    larger than `proc`'s 2 MiB program stage, or no memory for the process), E2BIG (text_length > kTextBytes,
///    more than 128 argv or 128 environment strings, or an argument block of 1024 bytes or more),
///    EINVAL (the text does not hold the strings the counts announce), EAGAIN (no process
///    slot), EBADF (`fs` refuses an inherited descriptor: see fs.hpp, kNewClient), EIO (`fs` failed).
///  - kWait: ECHILD (no such child; pid 0 and pid < -1 mean any child: there are no process
///    groups), EINVAL (unknown option bits). WNOHANG with no child ended: status 0, pid 0.
///  - kKill: ESRCH (no such process), EPERM (not the caller's child, the caller itself, or a
///    joined process), EINVAL (a signal other than 0, 9, 15, or pid <= 0). Signal 0 only
///    checks. A zombie child can be signalled, to no effect.
#pragma once

#include "abi/capability.hpp"
#include "ipc.hpp"
#include "protocols/errno.hpp"
#include <stdint.h>

namespace protocol::proc {

inline constexpr abi::CapSlot kSlotProc = 12;
inline constexpr abi::CapSlot kSlotFs = 13;
inline constexpr char kArgsMarker = '\x1e';
/// The scheduling priority of every program proc starts: below the services (16) and RS (24).
inline constexpr uint32_t kProgramPriority = 8;

enum Label : uint32_t {
    kJoin = 1,     ///< (nothing, or a 32-byte name) + 1 capability: the caller's own Process -> Reply{value = pid} + 2 capabilities (proc, fs)
    kSpawn = 2,    ///< SpawnRequest -> Reply{value = pid}
    kWait = 3,     ///< WaitRequest -> WaitReply
    kKill = 4,     ///< KillRequest -> Reply
    kGetpid = 5,   ///< (nothing) -> Reply{value = pid, value2 = parent pid}
    kList = 6,     ///< ListRequest -> ProcessInfo (status ESRCH past the last)
};

/// The usual reply (the same shape as fs's).
struct Reply {
    int32_t status;
    uint32_t reserved;
    int64_t value;
    int64_t value2;
    uint64_t reserved2;
};
static_assert(sizeof(Reply) == 32);

inline constexpr uint32_t kTextBytes = 480;

/// kSpawn: `text` holds the path (NUL-terminated), then the argv strings, then the environment
/// strings, each NUL-terminated; the counts say how many of each.
struct SpawnRequest {
    int32_t fds[3];       ///< The child's 0, 1, 2: the caller's descriptors (-1: closed).
    uint32_t argc;
    uint32_t envc;
    uint32_t text_length; ///< Bytes used in text.
    uint64_t reserved;
    char text[kTextBytes];
};
static_assert(sizeof(SpawnRequest) == 512);

namespace wait_options {
inline constexpr uint32_t kNoHang = 1;  ///< WNOHANG: status 0 and pid 0 if no child has ended.
}

struct WaitRequest {
    int64_t pid;       ///< A child's pid, or -1 for any child.
    uint32_t options;  ///< wait_options.
    uint32_t reserved;
};
static_assert(sizeof(WaitRequest) == 16);

/// How a child ended. `wstatus` is encoded as POSIX does: exit code << 8 for an exit, the
/// signal number for a kill (9) or fault (11 SIGSEGV for a page fault, 4 SIGILL, 8 SIGFPE...).
struct WaitReply {
    int32_t status;
    int32_t wstatus;
    int64_t pid;
    uint64_t reserved[2];
};
static_assert(sizeof(WaitReply) == 32);

struct KillRequest {
    int64_t pid;
    int32_t signal;   ///< 9 (SIGKILL) and 15 (SIGTERM) both end the process.
    uint32_t reserved;
};
static_assert(sizeof(KillRequest) == 16);

struct ListRequest {
    uint64_t index;
};
static_assert(sizeof(ListRequest) == 8);

enum class State : uint32_t { Running = 0, Zombie = 1 };

struct ProcessInfo {
    int32_t status;
    uint32_t state;        ///< State.
    uint64_t pid;
    uint64_t parent;
    uint64_t next_index;   ///< Pass as index for the next one.
    char name[32];
};
static_assert(sizeof(ProcessInfo) == 64);

/// Builds a kSpawn request: `argv` and `envp` are NULL-terminated (`envp` may be null), `fds`
/// the caller's descriptors for the child's 0, 1 and 2. E2BIG if the strings do not fit.
inline int32_t make_spawn_request(const char* path, const char* const* argv, const char* const* envp,
                                  const int32_t (&fds)[3], SpawnRequest& out)
{
    out = SpawnRequest{};
    for (int i = 0; i < 3; ++i) out.fds[i] = fds[i];
    uint32_t at = 0;
    auto add = [&](const char* text) {
        size_t n = strlen(text) + 1;
        if (n > kTextBytes - at) return false;
        memcpy(out.text + at, text, n);
        at += static_cast<uint32_t>(n);
        return true;
    };
    if (!add(path)) return posix::E2BIG;
    for (; argv && argv[out.argc]; ++out.argc)
        if (!add(argv[out.argc])) return posix::E2BIG;
    for (; envp && envp[out.envc]; ++out.envc)
        if (!add(envp[out.envc])) return posix::E2BIG;
    out.text_length = at;
    return posix::kOk;
}

/// A typed client. Every method returns 0 or a posix::Errno; a transport failure (no `proc`
/// capability, or `proc` died during the call) is EIO.
class Client {
public:
    explicit Client(abi::CapSlot proc) : m_proc(proc) {}

    /// kJoin with this process's own Process capability and `name`; on success `pid` is its pid
    /// and `proc_cap`, `fs_cap` the new capabilities (this client keeps using the old one).
    int32_t join(const char* name, int64_t& pid, abi::CapSlot& proc_cap, abi::CapSlot& fs_cap) const
    {
        ipc::Message m = ipc::make(kJoin, 4);
        memcpy(m.words, name, strnlen_bounded(name, 31));
        m.cap_count = 1;
        m.send_caps[0] = abi::kSlotSelfProcess;
        ipc::Message r;
        int32_t status = call(m, r);
        pid = ipc::unpack<Reply>(r).value;
        if (status == posix::kOk && r.cap_count == 2) {
            proc_cap = r.send_caps[0];
            fs_cap = r.send_caps[1];
        } else if (status == posix::kOk) {
            status = posix::EIO;
        }
        return status;
    }
    /// kSpawn (see make_spawn_request); `pid` is the child's.
    int32_t spawn(const char* path, const char* const* argv, const char* const* envp, const int32_t (&fds)[3],
                  int64_t& pid) const
    {
        SpawnRequest req;
        if (int32_t e = make_spawn_request(path, argv, envp, fds, req); e != posix::kOk) return e;
        ipc::Message m, r;
        ipc::pack(m, kSpawn, req);
        int32_t status = call(m, r);
        pid = ipc::unpack<Reply>(r).value;
        return status;
    }
    /// kWait for `pid` (-1: any child); `ended` is the child's pid (0 with WNOHANG and none ended).
    int32_t wait(int64_t pid, uint32_t options, int64_t& ended, int32_t& wstatus) const
    {
        ipc::Message m, r;
        ipc::pack(m, kWait, WaitRequest{pid, options, 0});
        int32_t status = call(m, r);
        WaitReply reply = ipc::unpack<WaitReply>(r);
        ended = reply.pid;
        wstatus = reply.wstatus;
        return status;
    }
    int32_t kill(int64_t pid, int32_t signal) const
    {
        ipc::Message m, r;
        ipc::pack(m, kKill, KillRequest{pid, signal, 0});
        return call(m, r);
    }
    int32_t getpid(int64_t& pid, int64_t& parent) const
    {
        ipc::Message r;
        int32_t status = call(ipc::make(kGetpid), r);
        Reply reply = ipc::unpack<Reply>(r);
        pid = reply.value;
        parent = reply.value2;
        return status;
    }
    /// The first process at or after `index` (start with 0; then out.next_index); ESRCH past the last.
    int32_t list(uint64_t index, ProcessInfo& out) const
    {
        ipc::Message m, r;
        ipc::pack(m, kList, ListRequest{index});
        int32_t status = call(m, r);
        out = ipc::unpack<ProcessInfo>(r);
        out.name[sizeof(out.name) - 1] = '\0';
        return status;
    }

private:
    /// Calls proc; the reply's first 32 bits are its status.
    int32_t call(const ipc::Message& m, ipc::Message& reply) const
    {
        ipc::Result r = ipc::call(m_proc, m);
        reply = r.message;
        if (!r.ok()) {
            reply = ipc::Message{};
            return posix::EIO;
        }
        int32_t status;
        memcpy(&status, reply.words, sizeof(status));
        return status;
    }

    abi::CapSlot m_proc;
};

} // namespace protocol::proc
