/// \file requests.cpp
/// \brief The block requests: reads and writes between the disk's transfer buffer and the window the client's call lends, flush, geometry.
#include "handlers.hpp"
#include "lib/string.hpp"
#include "protocols/block.hpp"
#include "sys.hpp"

namespace ata {

namespace {

using namespace protocol::block;

static_assert(kMaxSectors <= kMaxTransferSectors, "a request must fit the transfer buffer");

ipc::Message status_reply(uint32_t label, Request r, abi::Error status)
{
    r.status = static_cast<uint32_t>(status);
    ipc::Message out;
    ipc::pack(out, label, r);
    return out;
}

/// Whether `m` is a well-formed request for sectors the disk has: a Request (three words, no
/// capabilities) for 1..kMaxSectors sectors inside the disk.
abi::Error check(const State& s, const ipc::Message& m, const Request& r)
{
    if (m.length != sizeof(Request) / 8 || m.cap_count != 0) return abi::Error::InvalidArgument;
    if (r.count == 0 || r.count > kMaxSectors) return abi::Error::InvalidArgument;
    if (!s.drive.present) return abi::Error::NotFound;
    if (r.lba >= s.drive.sectors || r.count > s.drive.sectors - r.lba) return abi::Error::InvalidArgument;
    return abi::Error::None;
}

/// A read must fill every sector it reports. Before it, the last 8 bytes of each sector of the
/// transfer buffer get a stamp that changes with every request; a stamp still there afterwards
/// marks a sector that never arrived (code damaged by a fault asked the disk for fewer sectors,
/// or the controller stopped early), and the request fails instead of handing the client the
/// previous request's bytes. A disk sector that happens to hold the stamp fails once; the retry
/// gets another stamp.
uint64_t stamp_sectors(uint32_t count)
{
    uint64_t stamp = (sys::clock_ns() * 0x9e3779b97f4a7c15ull) | 1;
    for (uint32_t i = 0; i < count; ++i)
        memcpy(transfer_buffer() + (uint64_t(i) + 1) * kSectorBytes - sizeof(stamp), &stamp, sizeof(stamp));
    return stamp;
}

bool all_sectors_arrived(uint32_t count, uint64_t stamp)
{
    for (uint32_t i = 0; i < count; ++i) {
        uint64_t tail;
        memcpy(&tail, transfer_buffer() + (uint64_t(i) + 1) * kSectorBytes - sizeof(tail), sizeof(tail));
        if (tail == stamp) return false;
    }
    return true;
}

} // namespace

// [ata-do-read]
ipc::Message do_read(State& s, const ipc::Message& m)
{
    Request r = ipc::unpack<Request>(m);
    if (abi::Error e = check(s, m, r); e != abi::Error::None) return status_reply(m.label, r, e);
    // (1) The sectors into our transfer buffer (DMA or PIO), every one of them, then (2) the
    // kernel copies them into the window the client's call lent: straight into its memory.
    uint64_t stamp = stamp_sectors(r.count);
    abi::Error e = read(s.drive, r.lba, r.count);
    if (e == abi::Error::None && !all_sectors_arrived(r.count, stamp)) e = kIoError;
    if (e == abi::Error::None &&
        sys::window_write(abi::kNullSlot, 0, transfer_buffer(), uint64_t(r.count) * kSectorBytes) != 0)
        e = abi::Error::BadAddress;
    return status_reply(m.label, r, e);
}
// [ata-do-read]

ipc::Message do_write(State& s, const ipc::Message& m)
{
    Request r = ipc::unpack<Request>(m);
    if (abi::Error e = check(s, m, r); e != abi::Error::None) return status_reply(m.label, r, e);
    // (1) The client's sectors from its window into our transfer buffer; a window we cannot
    // read (none, too small, not lent for reading) sends nothing to the disk. (2) The disk write.
    if (sys::window_read(abi::kNullSlot, 0, transfer_buffer(), uint64_t(r.count) * kSectorBytes) != 0)
        return status_reply(m.label, r, abi::Error::BadAddress);
    return status_reply(m.label, r, write(s.drive, r.lba, r.count));
}

ipc::Message do_flush(State& s, const ipc::Message& m)
{
    if (m.length != 0 || m.cap_count != 0) return status_reply(m.label, Request{}, abi::Error::InvalidArgument);
    return status_reply(m.label, Request{}, flush(s.drive));
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
