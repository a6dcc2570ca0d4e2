/// \file spawn.cpp
/// \brief Starting a program from the file system: the request's text, the path, the file into the stage, the ELF check, and the kernel's spawn.
///
/// A spawn, step by step:
///   (1) the request's text is split into the path, argv and the environment, and the child's
///       argument block is built (protocols/proc.hpp: kArgsMarker, argc, envc, argv, environment);
///   (2) a relative path is made absolute with the caller's working directory, which fs knows;
///   (3) the file is checked (a regular file with an x bit: else EACCES) and read into the
///       stage, a Memory object proc keeps mapped: the headers and the loaded segments, not
///       the debugging sections after them;
///   (4) the ELF is checked against the file's true length (the stage is larger, so the kernel
///       alone could not tell a truncated file): ENOEXEC;
///   (5) fs makes the child a client, inheriting the caller's descriptors (EBADF);
///   (6) the kernel copies the segments out of the stage into a new process, which gets proc's
///       endpoint badged with its pid, its fs capability, and proc as its fault handler.
#include "fs_client.hpp"
#include "lib/elf64.hpp"
#include "lib/string.hpp"
#include "state.hpp"

namespace proc {

namespace {

using protocol::proc::SpawnRequest;

/// The request's text, split and re-packed for the child.
struct Parsed {
    const char* path;
    char block[kMaxArgBlock + 1];  ///< The child's argument block.
    uint32_t block_length;
};

/// Walks `count` NUL-terminated strings from `at` within `text[0..end)`, appending each to the
/// block. False if one runs past the end.
bool take_strings(const char* text, uint32_t end, uint32_t& at, uint32_t count, Parsed& out, bool& too_big)
{
    for (uint32_t i = 0; i < count; ++i) {
        uint32_t start = at;
        while (at < end && text[at]) ++at;
        if (at >= end) return false;  // No NUL before the end of the text.
        ++at;
        uint32_t n = at - start;  // With its NUL.
        if (out.block_length + n > kMaxArgBlock) too_big = true;
        else memcpy(out.block + out.block_length, text + start, n), out.block_length += n;
    }
    return true;
}

/// Step (1).
Errno parse(const SpawnRequest& req, Parsed& out)
{
    if (req.text_length > protocol::proc::kTextBytes || req.argc > kMaxStrings || req.envc > kMaxStrings)
        return posix::E2BIG;
    const char* text = req.text;
    uint32_t end = req.text_length;
    uint32_t at = 0;
    while (at < end && text[at]) ++at;
    if (at >= end) return posix::EINVAL;  // The path has no NUL.
    out.path = text;
    ++at;
    // The marker and the counts: the lists end by count, so an empty argument is just "".
    out.block[0] = protocol::proc::kArgsMarker;
    out.block[1] = static_cast<char>(req.argc);
    out.block[2] = static_cast<char>(req.envc);
    out.block_length = 3;
    bool too_big = false;
    if (!take_strings(text, end, at, req.argc, out, too_big) || !take_strings(text, end, at, req.envc, out, too_big))
        return posix::EINVAL;
    if (too_big) return posix::E2BIG;
    out.block[out.block_length] = '\0';
    return posix::kOk;
}

/// Step (2): `path` as an absolute path in `out`.
Errno absolute_path(const Process& parent, const char* path, char (&out)[protocol::fs::kPathBytes])
{
    size_t n = strlen(path);
    if (n == 0) return posix::ENOENT;
    if (n > protocol::fs::kPathMax) return posix::ENAMETOOLONG;
    if (path[0] == '/') {
        memcpy(out, path, n + 1);
        return posix::kOk;
    }
    if (Errno e = fs::cwd_of(parent.pid, out); e != posix::kOk) return e;
    size_t base = strlen(out);
    bool slash = base > 0 && out[base - 1] == '/';
    if (base + (slash ? 0 : 1) + n > protocol::fs::kPathMax) return posix::ENAMETOOLONG;
    if (!slash) out[base++] = '/';
    memcpy(out + base, path, n + 1);
    return posix::kOk;
}

uint64_t load_u64(const uint8_t* p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
    return v;
}

/// How much of the file the kernel will look at, judging from the `have` bytes read so far: the
/// ELF header, the program headers and every PT_LOAD segment's file bytes. Debugging sections
/// (most of a program built with -g) lie beyond and are never read. While the headers are not
/// all in, the answer is how far to read before asking again. For something that is not an ELF
/// file, it is what has been read (the check then refuses it).
uint64_t bytes_needed(const uint8_t* data, uint64_t have, uint64_t file_size)
{
    constexpr uint64_t kHeader = 64, kPhdr = 56;
    if (have < kHeader) return kHeader < file_size ? kHeader : file_size;
    if (data[0] != 0x7f || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') return have;
    uint64_t phoff = load_u64(data + 32);
    uint64_t phnum = static_cast<uint64_t>(data[56] | data[57] << 8);
    if (phoff > file_size || phnum * kPhdr > file_size - phoff) return file_size;  // The check says why.
    uint64_t needed = phoff + phnum * kPhdr;
    if (have < needed) return needed;
    for (uint64_t i = 0; i < phnum; ++i) {
        const uint8_t* ph = data + phoff + i * kPhdr;
        if ((ph[0] | ph[1] << 8 | ph[2] << 16 | static_cast<uint32_t>(ph[3]) << 24) != 1) continue;  // PT_LOAD
        uint64_t offset = load_u64(ph + 8), filesz = load_u64(ph + 32);
        if (offset > file_size || filesz > file_size - offset) return file_size;
        if (offset + filesz > needed) needed = offset + filesz;
    }
    return needed;
}

// [proc-load]
/// Steps (3) and (4): the file into the stage; `size` is how much of it was read.
Errno load(const char* path, uint64_t& size)
{
    namespace mode = protocol::fs::mode;
    protocol::fs::StatReply st{};
    if (Errno e = fs::stat(path, st); e != posix::kOk) return e;
    // execve's rule: only a regular file with an execute bit can run; a directory is EACCES too.
    if ((st.mode & mode::kTypeMask) != mode::kRegular || (st.mode & 0111) == 0) return posix::EACCES;

    int32_t fd = -1;
    if (Errno e = fs::open(path, fd); e != posix::kOk) return e;
    size = 0;
    Errno e = posix::kOk;
    uint64_t needed = bytes_needed(g_proc.stage, 0, st.size);
    while (size < needed) {
        // Refused as soon as the headers show it cannot fit, before reading megabytes in vain.
        if (needed > kStageBytes) {
            e = posix::ENOMEM;
            break;
        }
        uint64_t want = needed - size < protocol::fs::kMaxTransfer ? needed - size : protocol::fs::kMaxTransfer;
        uint32_t got = 0;
        e = fs::read(fd, g_proc.stage + size, static_cast<uint32_t>(want), got);
        if (e != posix::kOk || got == 0) break;  // An error, or the file shrank under us.
        size += got;
        needed = bytes_needed(g_proc.stage, size, st.size);
    }
    fs::close(fd);
    if (e != posix::kOk) return e;
// [proc-load]

    // The checks the kernel makes, against the bytes read from the file; the kernel repeats
    // them with its exact address limits. A file with bytes outside itself would otherwise
    // read whatever an earlier program left in the stage.
    elf::Image image{};
    const char* why = nullptr;
    elf::AddressLimits limits{0x1000, 0x0000800000000000ull, 4096};
    if (elf::parse(g_proc.stage, size, limits, image, why).is_error()) return posix::ENOEXEC;
    return posix::kOk;
}

/// The last component of `path`: the process's name.
const char* base_name(const char* path)
{
    const char* name = path;
    for (const char* p = path; *p; ++p)
        if (*p == '/' && p[1]) name = p + 1;
    return name;
}

Errno errno_of(abi::Error e)
{
    switch (e) {
    case abi::Error::BadFormat: return posix::ENOEXEC;
    case abi::Error::TableFull: return posix::EAGAIN;
    case abi::Error::InvalidArgument: return posix::E2BIG;
    default: return posix::ENOMEM;
    }
}

// [proc-start]
/// Step (6); the capabilities made for the child are deleted once it has its copies.
Errno start(Process& child, const Parsed& parsed, const char* path, abi::CapSlot fs_cap)
{
    using namespace protocol::proc;
    const char* name = base_name(path);
    set_name(child, name, sizeof(child.name) - 1);
    int64_t proc_cap = sys::cap_mint(kSlotEndpoint, 0, abi::rights::kWrite, child.pid);
    int64_t event_cap = sys::cap_mint(kSlotEndpoint, 0, abi::rights::kWrite,
                                      kEventBadgeBase | g_proc.generation << 32 | (child.pid & 0xffffffffu));
    abi::SpawnRequest req{};
    req.image = g_proc.stage_memory;
    req.fault_endpoint = event_cap > 0 ? static_cast<abi::CapSlot>(event_cap) : 0;
    req.name = child.name;
    req.name_len = strlen(child.name);
    req.args = parsed.block;
    req.args_len = parsed.block_length;
    // Programs run below the services (16) and RS (24), as in MINIX: a program that computes
    // without pause cannot starve a driver of the CPU and make it miss its heartbeat.
    req.priority = kProgramPriority;
    req.caps[req.cap_count++] = {static_cast<abi::CapSlot>(proc_cap), kSlotProc, abi::rights::kWrite};
    req.caps[req.cap_count++] = {fs_cap, protocol::proc::kSlotFs, abi::rights::kWrite | abi::rights::kGrant};
    int64_t kernel_pid = proc_cap > 0 && event_cap > 0 ? sys::spawn(req) : -static_cast<int64_t>(abi::Error::TableFull);
    if (proc_cap > 0) sys::cap_delete(static_cast<abi::CapSlot>(proc_cap));
    if (event_cap > 0) sys::cap_delete(static_cast<abi::CapSlot>(event_cap));
    if (kernel_pid < 0) return errno_of(sys::error_of(kernel_pid));
    if (req.thread_slot) sys::cap_delete(req.thread_slot);  // proc manages the process, not its thread.
    child.kernel_pid = static_cast<uint64_t>(kernel_pid);
    child.process = req.process_slot;
    return posix::kOk;
}
// [proc-start]

} // namespace

// [proc-spawn]
Errno spawn(Process& parent, const SpawnRequest& req, uint64_t& pid)
{
    static Parsed parsed;  // ~1 KiB: not on the stack.
    static char path[protocol::fs::kPathBytes];
    // (1)..(4): everything that can fail because of the program, before anything is created.
    if (Errno e = parse(req, parsed); e != posix::kOk) return e;
    if (Errno e = absolute_path(parent, parsed.path, path); e != posix::kOk) return e;
    uint64_t size = 0;
    if (Errno e = load(path, size); e != posix::kOk) return e;

    // (5) The child's slot and its fs identity.
    Process* child = allocate();
    if (!child) return posix::EAGAIN;
    int32_t fds[protocol::fs::kInheritFds];
    for (uint32_t i = 0; i < protocol::fs::kInheritFds; ++i) fds[i] = i < 3 ? req.fds[i] : -1;
    abi::CapSlot fs_cap = 0;
    if (Errno e = fs::new_client(child->pid, parent.pid, fds, false, fs_cap); e != posix::kOk) {
        release(*child);
        return e;
    }
    // (6) The process.
    Errno e = start(*child, parsed, path, fs_cap);
    sys::cap_delete(fs_cap);  // The child has its copy (or there is no child).
    if (e != posix::kOk) {
        fs::client_exit(child->pid);
        release(*child);
        return e;
    }
    child->parent = parent.pid;
    pid = child->pid;
    return posix::kOk;
}
// [proc-spawn]

} // namespace proc
