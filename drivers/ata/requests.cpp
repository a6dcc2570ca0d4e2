/// \file requests.cpp
/// \brief The block requests: chunked reads and writes through the transfer buffers, flush, geometry.
#include "handlers.hpp"
#include "lib/string.hpp"

namespace ata {

namespace {

using namespace protocol::block;

ipc::Message header_reply(uint32_t label, Header h, abi::Error status)
{
    h.status = static_cast<uint32_t>(status);
    ipc::Message out;
    ipc::pack(out, label, h);
    return out;
}

/// Whether `h` names a chunk inside a request the disk can hold: 1..kMaxSectors sectors inside
/// the disk, and bytes [offset, offset + length) inside them.
abi::Error check(const State& s, const Header& h)
{
    if (h.count == 0 || h.count > kMaxSectors) return abi::Error::InvalidArgument;
    uint32_t total = h.count * kSectorBytes;
    if (h.length == 0 || h.length > kChunkBytes || h.offset >= total || h.length > total - h.offset)
        return abi::Error::InvalidArgument;
    if (!s.drive.present) return abi::Error::NotFound;
    if (h.lba >= s.drive.sectors || h.count > s.drive.sectors - h.lba) return abi::Error::InvalidArgument;
    return abi::Error::None;
}

} // namespace

// [ata-do-read]
ipc::Message do_read(State& s, const ipc::Message& m)
{
    Header h = ipc::unpack<Header>(m);
    if (m.length != sizeof(Header) / 8 || m.cap_count != 0) return header_reply(m.label, Header{}, abi::Error::InvalidArgument);
    if (abi::Error e = check(s, h); e != abi::Error::None) return header_reply(m.label, h, e);

    // (1) The request's sectors: already read for an earlier chunk, or read now.
    uint32_t total = h.count * kSectorBytes;
    Transfer* t = s.transfers.find(kRead, m.badge, h);
    if (!t || t->valid() != total) {
        t = &s.transfers.take(kRead, m.badge, h);
        abi::Error e = read(s.drive, h.lba, h.count, t->data);
        if (e != abi::Error::None) {
            Transfers::forget(*t);
            return header_reply(m.label, h, e);
        }
        t->filled = total;
        t->checksum = checksum(h.lba, h.count, t->data, total);
    }
    // (2) The chunk asked for; after the last one the buffer is free again.
    ipc::Message out;
    out.label = m.label;
    out.length = sizeof(Chunk) / 8;
    memcpy(out.words, &h, sizeof(h));
    out.words[sizeof(Header) / 8] = t->checksum;
    memcpy(reinterpret_cast<uint8_t*>(out.words) + kChunkDataOffset, t->data + h.offset, h.length);
    if (h.offset + h.length == total) Transfers::forget(*t);
    return out;
}
// [ata-do-read]

ipc::Message do_write(State& s, const ipc::Message& m)
{
    Header h = ipc::unpack<Header>(m);
    if (m.length != sizeof(Chunk) / 8 || m.cap_count != 0) return header_reply(m.label, Header{}, abi::Error::InvalidArgument);
    if (abi::Error e = check(s, h); e != abi::Error::None) return header_reply(m.label, h, e);

    // (1) The first chunk opens a transfer (again, if this is a retry); a later one must follow
    // what this instance has received, or the client starts over.
    Transfer* t = s.transfers.find(kWrite, m.badge, h);
    if (h.offset == 0) {
        if (!t) t = &s.transfers.take(kWrite, m.badge, h);
        t->filled = 0;
    } else if (!t || h.offset > t->valid()) {
        return header_reply(m.label, h, kRestart);
    }
    // (2) Its bytes into the buffer.
    memcpy(t->data + h.offset, reinterpret_cast<const uint8_t*>(m.words) + kChunkDataOffset, h.length);
    if (h.offset + h.length > t->filled) t->filled = h.offset + h.length;
    // (3) All of them: the sectors go to the disk (5), and the reply says how that went.
    uint32_t total = h.count * kSectorBytes;
    if (t->valid() < total) return header_reply(m.label, h, abi::Error::None);
    // (4) The sectors must be what the client sent: a stray store into the buffer while it
    // filled (a fault in this driver) must not reach the disk. Send again, from the start.
    if (checksum(h.lba, h.count, t->data, total) != m.words[sizeof(Header) / 8]) {
        Transfers::forget(*t);
        return header_reply(m.label, h, kRestart);
    }
    s.transfers.forget_reads(h.lba, h.count);
    abi::Error e = write(s.drive, h.lba, h.count, t->data);
    Transfers::forget(*t);
    return header_reply(m.label, h, e);
}

ipc::Message do_flush(State& s, const ipc::Message& m)
{
    Header h = ipc::unpack<Header>(m);
    if (m.length != sizeof(Header) / 8 || m.cap_count != 0) return header_reply(m.label, Header{}, abi::Error::InvalidArgument);
    return header_reply(m.label, h, flush(s.drive));
}

ipc::Message do_geometry(const State& s, const ipc::Message& m)
{
    Geometry g{};
    if (m.length != 0 || m.cap_count != 0) {
        g.status = static_cast<uint32_t>(abi::Error::InvalidArgument);
    } else if (!s.drive.present) {
        g.status = static_cast<uint32_t>(abi::Error::NotFound);
    } else {
        g.sectors = s.drive.sectors;
        g.sector_size = kSectorBytes;
        g.max_sectors = kMaxSectors;
        g.lba48 = s.drive.lba48 ? 1 : 0;
        memcpy(g.model, s.drive.model, sizeof(g.model) - 1);
    }
    ipc::Message out;
    ipc::pack(out, m.label, g);
    return out;
}

} // namespace ata
