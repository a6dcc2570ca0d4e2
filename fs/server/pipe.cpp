/// \file pipe.cpp
/// \brief Pipes: the ring buffer, immediate reads and writes, parking, and answering parked callers when data, room or an end-of-file arrives.
#include "pipe.hpp"
#include "parked.hpp"
#include "replies.hpp"

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

uint32_t take(Pipe& p, char* out, uint32_t length)
{
    uint32_t n = p.count < length ? p.count : length;
    for (uint32_t i = 0; i < n; ++i) out[i] = char(p.data[(p.head + i) % kPipeBytes]);
    p.head = (p.head + n) % kPipeBytes;
    p.count -= n;
    return n;
}

void put(Pipe& p, const char* in, uint32_t length)
{
    for (uint32_t i = 0; i < length; ++i) p.data[(p.head + p.count + i) % kPipeBytes] = uint8_t(in[i]);
    p.count += length;
}

/// Answers the parked callers of pipe `index` that can be answered now, oldest first, until
/// neither side can move: a write that fits may feed a parked reader, whose read makes room.
void progress(uint32_t index)
{
    Pipe& p = g_pipes[index];
    for (bool moved = true; moved;) {
        moved = false;
        if (parked::Call* r = parked::oldest(parked::Wait::PipeRead, index)) {
            if (p.count > 0) {
                char buffer[protocol::fs::kDataBytes];
                uint32_t n = take(p, buffer, r->length);
                parked::answer(*r, data_reply(protocol::fs::kRead, posix::kOk, buffer, n));
                moved = true;
            } else if (p.writers == 0) {
                parked::answer(*r, data_reply(protocol::fs::kRead, posix::kOk));  // End of file.
                moved = true;
            }
        }
        if (parked::Call* w = parked::oldest(parked::Wait::PipeWrite, index)) {
            if (p.readers == 0) {
                parked::answer(*w, reply(protocol::fs::kWrite, posix::EPIPE));
                moved = true;
            } else if (kPipeBytes - p.count >= w->length) {
                put(p, w->data, w->length);
                parked::answer(*w, reply(protocol::fs::kWrite, posix::kOk, w->length));
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
    if (length == 0) return data_reply(label, posix::kOk);
    // Data waiting means nobody is parked reading (progress() would have served them).
    if (p.count > 0) {
        char buffer[protocol::fs::kDataBytes];
        uint32_t n = take(p, buffer, length);
        progress(index);  // Room for a parked writer, perhaps.
        return data_reply(label, posix::kOk, buffer, n);
    }
    if (p.writers == 0) return data_reply(label, posix::kOk);  // End of file.
    if (parked::park(parked::Wait::PipeRead, badge, index, length)) return no_reply();
    return data_reply(label, posix::EAGAIN);
}

ipc::Message write(uint32_t label, uint64_t badge, uint32_t index, const char* data, uint32_t length)
{
    Pipe& p = g_pipes[index];
    if (p.readers == 0) return reply(label, posix::EPIPE);
    if (length == 0) return reply(label, posix::kOk, 0);
    // All of it or nothing (atomic), and never ahead of an earlier parked writer.
    if (kPipeBytes - p.count >= length && parked::oldest(parked::Wait::PipeWrite, index) == nullptr) {
        put(p, data, length);
        progress(index);  // A parked reader gets it.
        return reply(label, posix::kOk, length);
    }
    if (parked::park(parked::Wait::PipeWrite, badge, index, length, data)) return no_reply();
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
