/// \file disk.cpp
/// \brief The block-device glue: geometry, reads and writes split into requests with pongs between them, flush.
#include "disk.hpp"
#include "events.hpp"
#include "lib/string.hpp"
#include "print.hpp"
#include "protocols/rs.hpp"

namespace fs {

using protocol::block::kMaxSectors;
using protocol::block::kSectorBytes;

void complain_about_driver()
{
    protocol::rs::Reply reply{};
    abi::Error e = protocol::rs::Client(protocol::rs::kSlotRs).complain(kDriverLabel, reply);
    if (e == abi::Error::None) e = static_cast<abi::Error>(reply.status);
    print("fs: %s fails requests inside the disk: complained to RS (%s)\n", kDriverLabel, abi::error_name(e));
}

abi::Error Disk::open()
{
    protocol::block::Geometry g{};
    abi::Error e = m_client.geometry(g);
    if (e != abi::Error::None) return e;
    if (g.sector_size != kSectorBytes) return abi::Error::BadFormat;
    m_sectors = g.sectors;
    memcpy(m_model, g.model, sizeof(m_model));
    m_model[sizeof(m_model) - 1] = '\0';
    return abi::Error::None;
}

// [fs-disk-transfer]
abi::Error Disk::transfer(uint64_t lba, uint64_t count, uint8_t* data, bool write)
{
    // One request (<= kMaxSectors) at a time, so RS's pings are answered between them.
    while (count > 0) {
        uint64_t n = count < kMaxSectors ? count : kMaxSectors;
        events::keepalive();
        abi::Error e = abi::Error::None;
        for (uint32_t attempt = 0; attempt <= kTimeoutRetries; ++attempt) {
            ++m_requests;
            e = write ? m_client.write(lba, n, data) : m_client.read(lba, n, data);
            if (e != protocol::block::kTimedOut) break;
        }
        if (e != abi::Error::None) {
            // The client retried what could be retried: this is an error the caller will see.
            print("fs: block %s of %lu sectors at %lu failed: %s (%lu retries so far)\n", write ? "write" : "read", n, lba,
                  abi::error_name(e), m_client.retries());
            return e;
        }
        lba += n;
        count -= n;
        data += n * kSectorBytes;
    }
    return abi::Error::None;
}
// [fs-disk-transfer]

abi::Error Disk::read(uint64_t lba, uint64_t count, void* out)
{
    return transfer(lba, count, static_cast<uint8_t*>(out), false);
}

abi::Error Disk::write(uint64_t lba, uint64_t count, const void* data)
{
    return transfer(lba, count, static_cast<uint8_t*>(const_cast<void*>(data)), true);
}

abi::Error Disk::flush()
{
    events::keepalive();
    ++m_requests;
    return m_client.flush();
}

} // namespace fs
