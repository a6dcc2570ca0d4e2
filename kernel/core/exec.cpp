/// \file exec.cpp
/// \brief The ELF loader: validate (lib/elf64), map each segment, copy its bytes, build the stack.
#include "core/exec.hpp"
#include "core/log.hpp"
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

} // namespace

Result<Process*> spawn(const char* name, const uint8_t* image, size_t size, const char* args, size_t args_len,
                       Process* parent)
{
    if (args_len >= kMaxArgs) return Error::InvalidArgument;

    // (1) Validate the whole ELF before creating anything.
    elf::Image parsed;
    const char* why = "";
    elf::AddressLimits limits{layout::kUserMin, kUserStackTop - kUserStackSize, layout::kPageSize};
    if (elf::parse(image, size, limits, parsed, why).is_error()) {
        klog::warn("exec", "%s: bad ELF image: %s", name, why);
        return Error::BadFormat;
    }

    // (2) A process with the segments and a stack.
    Process* process = TRY(Process::create(name, parent));
    auto fail = [&](Error e) -> Result<Process*> {
        process->space.destroy();
        process->reap();
        return e;
    };
    if (auto r = load_segments(*process, parsed, image); r.is_error()) return fail(r.error());
    uint64_t stack_bottom = kUserStackTop - kUserStackSize;
    if (auto r = process->space.map_anonymous(stack_bottom, kUserStackSize, pte::kWritable | pte::kNoExecute);
        r.is_error())
        return fail(r.error());

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

    // (4) The first thread, ready to run.
    auto thread = Thread::create_user(process, name, parsed.entry, rsp, args_at, args_len,
                                      scheduler::kDefaultPriority);
    if (thread.is_error()) return fail(thread.error());
    process->main_thread = thread.value();
    scheduler::make_ready(thread.value());
    klog::info("exec", "started %s as pid %lu (entry 0x%lx)", name, process->pid, parsed.entry);
    return process;
}

} // namespace exec
