/// \file pipe.cpp
/// \brief Pipes: the ring buffer, immediate reads and writes, parking, and answering parked callers when data, room or an end-of-file arrives.
#include "pipe.hpp"
#include "parked.hpp"
#include "replies.hpp"
#include "window.hpp"

namespace fs::pipes {

namespace {

struct Pipe {
    bool used = false;
    uint32_t head = 0;     ///< Where the oldest byte is.
    uint32_t count = 0;    ///< Bytes buffered.
    uint32_t readers = 0;  ///< Open descriptions of the read end (0 or 1).
    uint32_t writers = 0;  ///< ... of the write end.
    uint8_t data[kPipeBytes];
};

Pipe g_pipes[kMaxPipes];

/// Moves up to `length` buffered bytes into the window of call `reply_slot` (the ring may wrap:
/// two pieces). Nothing is consumed unless the copy worked. \return kOk or EFAULT; `n` bytes.
posix::Errno take(Pipe& p, abi::CapSlot reply_slot, uint32_t length, uint32_t& n)
{
    n = p.count < length ? p.count : length;
    uint32_t first = kPipeBytes - p.head < n ? kPipeBytes - p.head : n;
    if (posix::Errno e = window::put(reply_slot, 0, p.data + p.head, first); e != posix::kOk) return e;
    if (posix::Errno e = window::put(reply_slot, first, p.data, n - first); e != posix::kOk) return e;
    p.head = (p.head + n) % kPipeBytes;
    p.count -= n;
    return posix::kOk;
}

/// Appends `length` bytes (which fit) from the window of call `reply_slot`. \return kOk or EFAULT.
posix::Errno put(Pipe& p, abi::CapSlot reply_slot, uint32_t length)
{
    uint32_t tail = (p.head + p.count) % kPipeBytes;
    uint32_t first = kPipeBytes - tail < length ? kPipeBytes - tail : length;
    if (posix::Errno e = window::get(reply_slot, 0, p.data + tail, first); e != posix::kOk) return e;
    if (posix::Errno e = window::get(reply_slot, first, p.data, length - first); e != posix::kOk) return e;
    p.count += length;
    return posix::kOk;
}

/// The bytes a write of `length` moves in one go: all of it up to kPipeBytes (atomic, as POSIX
/// wants for writes of at most PIPE_BUF), else kPipeBytes, and the client writes the rest.
uint32_t unit(uint32_t length) { return length < kPipeBytes ? length : kPipeBytes; }

/// Answers the parked callers of pipe `index` that can be answered now, oldest first, until
/// neither side can move: a write that fits may feed a parked reader, whose read makes room.
void progress(uint32_t index)
{
    Pipe& p = g_pipes[index];
    for (bool moved = true; moved;) {
        moved = false;
        if (parked::Call* r = parked::oldest(parked::Wait::PipeRead, index)) {
            if (p.count > 0) {
                uint32_t n = 0;
                posix::Errno e = take(p, r->reply, r->length, n);
                parked::answer(*r, count_reply(protocol::fs::kRead, e, n));
                moved = true;
            } else if (p.writers == 0) {
                parked::answer(*r, count_reply(protocol::fs::kRead, posix::kOk, 0));  // End of file.
                moved = true;
            }
        }
        if (parked::Call* w = parked::oldest(parked::Wait::PipeWrite, index)) {
            if (p.readers == 0) {
                parked::answer(*w, reply(protocol::fs::kWrite, posix::EPIPE));
                moved = true;
            } else if (kPipeBytes - p.count >= unit(w->length)) {
                uint32_t n = unit(w->length);
                parked::answer(*w, count_reply(protocol::fs::kWrite, put(p, w->reply, n), n));
                moved = true;
            }
        }
    }
}

} // namespace

int32_t create()
{
    for (uint32_t i = 0; i < kMaxPipes; ++i) {
        Pipe& p = g_pipes[i];
        if (p.used) continue;
        p.used = true;
        p.head = p.count = 0;
        p.readers = p.writers = 1;
        return int32_t(i);
    }
    return -1;
}

ipc::Message read(uint32_t label, uint64_t badge, uint32_t index, uint32_t length)
{
    Pipe& p = g_pipes[index];
    if (length == 0) return reply(label, posix::kOk, 0);
    // Data waiting means nobody is parked reading (progress() would have served them).
    if (p.count > 0) {
        uint32_t n = 0;
        posix::Errno e = take(p, abi::kNullSlot, length, n);
        progress(index);  // Room for a parked writer, perhaps.
        return count_reply(label, e, n);
    }
    if (p.writers == 0) return reply(label, posix::kOk, 0);  // End of file.
    if (parked::park(parked::Wait::PipeRead, badge, index, length)) return no_reply();
    return reply(label, posix::EAGAIN);
}

ipc::Message write(uint32_t label, uint64_t badge, uint32_t index, uint32_t length)
{
    Pipe& p = g_pipes[index];
    if (p.readers == 0) return reply(label, posix::EPIPE);
    if (length == 0) return reply(label, posix::kOk, 0);
    // One unit (all of a small write: atomic) or nothing, never ahead of an earlier parked writer.
    uint32_t n = unit(length);
    if (kPipeBytes - p.count >= n && parked::oldest(parked::Wait::PipeWrite, index) == nullptr) {
        if (posix::Errno e = put(p, abi::kNullSlot, n); e != posix::kOk) return reply(label, e);
        progress(index);  // A parked reader gets it.
        return reply(label, posix::kOk, n);
    }
    if (parked::park(parked::Wait::PipeWrite, badge, index, length)) return no_reply();
    return reply(label, posix::EAGAIN);
}

void close_end(uint32_t index, bool reader)
{
    Pipe& p = g_pipes[index];
    uint32_t& ends = reader ? p.readers : p.writers;
    if (ends > 0) --ends;
    progress(index);
    if (p.readers == 0 && p.writers == 0) p = Pipe{};
}

uint32_t buffered(uint32_t index) { return g_pipes[index].count; }

} // namespace fs::pipes
