/// \file exec.cpp
/// \brief The ELF loader: validate (lib/elf64), map each segment, copy its bytes, build the stack.
#include "core/exec.hpp"
#include "abi/ipc.hpp"
#include "abi/system.hpp"
#include "core/log.hpp"
#include "core/panic.hpp"
#include "core/process.hpp"
#include "core/scheduler.hpp"
#include "core/thread.hpp"
#include "lib/elf64.hpp"
#include "lib/string.hpp"
#include "mm/layout.hpp"
#include "mm/page_table.hpp"

namespace exec {

namespace {

/// Copies into another process's memory, ignoring page permissions (text pages are read-only
/// for the program, but the loader must fill them).
Result<void> load_bytes(const AddressSpace& space, uint64_t dst, const uint8_t* src, size_t len)
{
    PageTable table = space.page_table();
    size_t done = 0;
    while (done < len) {
        uint64_t address = dst + done;
        size_t chunk = layout::kPageSize - (address % layout::kPageSize);
        if (chunk > len - done) chunk = len - done;
        auto t = TRY(table.translate(address));
        memcpy(layout::phys_to_virt(t.phys), src + done, chunk);
        done += chunk;
    }
    return {};
}

// [exec-load-segments]
/// Maps and fills every segment of `image`.
Result<void> load_segments(Process& process, const elf::Image& image, const uint8_t* file)
{
    for (size_t i = 0; i < image.segment_count; ++i) {
        const elf::Segment& s = image.segments[i];
        uint64_t start = layout::page_round_down(s.vaddr);
        uint64_t end = layout::page_round_up(s.vaddr + s.memsz);
        uint64_t flags = (s.writable ? pte::kWritable : 0) | (s.executable ? 0 : pte::kNoExecute);
        TRY(process.space.map_anonymous(start, end - start, flags));
        // The frames are zeroed, so the part past filesz (.bss) is already right.
        TRY(load_bytes(process.space, s.vaddr, file + s.offset, s.filesz));
    }
    return {};
}
// [exec-load-segments]

} // namespace

Result<Process*> spawn(const char* name, const uint8_t* image, size_t size, const char* args, size_t args_len,
                       Process* parent, uint8_t priority)
{
    if (args_len >= kMaxArgs) return Error::InvalidArgument;

    // [exec-validate]
    // (1) Validate the whole ELF before creating anything.
    elf::Image parsed;
    const char* why = "";
    elf::AddressLimits limits{layout::kUserMin, kUserStackTop - kUserStackSize, layout::kPageSize};
    if (elf::parse(image, size, limits, parsed, why).is_error()) {
        klog::warn("exec", "%s: bad ELF image: %s", name, why);
        return Error::BadFormat;
    }
    // [exec-validate]

    // [exec-process]
    // (2) A process with the segments and a stack.
    Process* process = TRY(Process::create(name, parent));
    auto fail = [&](Error e) -> Result<Process*> {
        process->caps.destroy();
        process->space.destroy();
        process->reap();
        return e;
    };
    if (auto r = load_segments(*process, parsed, image); r.is_error()) return fail(r.error());
    uint64_t stack_bottom = kUserStackTop - kUserStackSize;
    if (auto r = process->space.map_anonymous(stack_bottom, kUserStackSize, pte::kWritable | pte::kNoExecute);
        r.is_error())
        return fail(r.error());
    // The IPC buffer: one page at a fixed address, which the kernel also reaches directly.
    if (auto r = process->space.map_anonymous(abi::kIpcBufferAddress, layout::kPageSize,
                                              pte::kWritable | pte::kNoExecute);
        r.is_error())
        return fail(r.error());
    // [exec-process]

    // [exec-arguments]
    // (3) The argument string goes at the top of the stack, NUL-terminated; RSP stays 16-aligned
    // minus 8, as if `_start` had been called.
    uint64_t args_at = (kUserStackTop - (args_len + 1)) & ~0xfull;
    char terminated[kMaxArgs];
    memcpy(terminated, args, args_len);
    terminated[args_len] = '\0';
    if (auto r = load_bytes(process->space, args_at, reinterpret_cast<const uint8_t*>(terminated), args_len + 1);
        r.is_error())
        return fail(r.error());
    uint64_t rsp = args_at - 8;
    // [exec-arguments]

    // [exec-first-thread]
    // (4) The first thread, and the capabilities every process starts with: itself and its thread.
    auto thread = Thread::create_user(process, name, parsed.entry, rsp, args_at, args_len, priority);
    if (thread.is_error()) return fail(thread.error());
    Thread* t = thread.value();
    process->main_thread = t;
    uint64_t buffer_phys = process->space.page_table().translate(abi::kIpcBufferAddress).value().phys;
    t->ipc_buffer = static_cast<abi::IpcBuffer*>(layout::phys_to_virt(buffer_phys));
    object_retain(process);
    object_retain(t);
    if (process->caps.insert({process, abi::rights::kAll, 0}, nullptr, abi::kSlotSelfProcess).is_error() ||
        process->caps.insert({t, abi::rights::kAll, 0}, nullptr, abi::kSlotSelfThread).is_error())
        panic("a new capability table has no room for slots 1 and 2");
    return process;
    // [exec-first-thread]
}

void start(Process* process)
{
    scheduler::make_ready(process->main_thread);
    klog::info("exec", "started %s as pid %lu (entry 0x%lx)", process->name, process->pid,
               process->main_thread->user_frame()->rip);
}

} // namespace exec
